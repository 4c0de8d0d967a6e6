import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import type { EcosystemId } from '../src/ecosystems/ids.js';
import { UpstreamError } from '../src/errors.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { ecosystemFromOsv } from '../src/osv/ecosystems.js';
import { osvRecordSchema, type OsvRecord } from '../src/osv/schema.js';
import { OsvService, osvQueryName, type OsvLookup } from '../src/osv/service.js';
import { SqliteOsvStore } from '../src/osv/sqlite-store.js';
import { loadFixtureAnswers, loadFixtureRecords, startFakeOsv, type FakeOsv, type OsvFixtureRecord } from './helpers/fake-osv.js';
import { tempDir, testEnv } from './helpers/gateway.js';

let osv: FakeOsv;
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  osv = await startFakeOsv();
});
afterAll(async () => {
  await osv.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  osv.reset();
});

interface Harness {
  service: OsvService;
  store: SqliteOsvStore;
  clock: { now: number };
}

function harness(env: Record<string, string> = {}, dir = tempDir('scout-osv-')): Harness {
  dirs.push(dir);
  const config = loadConfig(testEnv('http://127.0.0.1:9', dir, { SCOUT_REGISTRY_OSV_URL: osv.url, ...env }));
  const http = new HttpUpstreamClient(config, { logger: pino({ level: 'silent' }) });
  const store = new SqliteOsvStore(path.join(dir, 'osv.sqlite'));
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const service = new OsvService({ config, store, http, logger: pino({ level: 'silent' }), now: () => clock.now });
  closers.push(async () => {
    await http.close();
    await service.close();
  });
  return { service, store, clock };
}

const ids = (result: OsvRecord[] | Error | undefined): string[] => {
  if (!Array.isArray(result)) throw result ?? new Error('no result');
  return result.map((r) => r.id);
};

/** A record for a generated npm package: versions below `fixed` affected. */
function generatedRecord(id: string, name: string, fixed: string, modified = '2025-01-01T00:00:00Z'): OsvFixtureRecord {
  return {
    id,
    modified,
    published: '2024-12-01T00:00:00Z',
    summary: `${id} in ${name}`,
    affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }],
    schema_version: '1.7.3',
  };
}

describe('batching', () => {
  it('looks up 300 versions of a package in one querybatch and one GET per distinct record', async () => {
    const { service } = harness();
    const versions = Array.from({ length: 300 }, (_, i) => `1.0.${i}`);
    osv.setRecord(generatedRecord('GHSA-2222-3333-4444', 'big-lib', '1.0.150'));
    osv.setRecord(generatedRecord('GHSA-5555-6666-7777', 'big-lib', '1.0.10'));
    versions.forEach((version, i) => osv.answer('npm', 'big-lib', version, [...(i < 150 ? ['GHSA-2222-3333-4444'] : []), ...(i < 10 ? ['GHSA-5555-6666-7777'] : [])]));
    const results = await service.lookup(versions.map((version) => ({ ecosystem: 'npm', name: 'big-lib', version })));
    expect(osv.count('querybatch')).toBe(1);
    expect(osv.requests[0]!.queries).toBe(300);
    expect(osv.count('vulns')).toBe(2);
    expect(osv.count()).toBe(3);
    expect(ids(results[0])).toEqual(['GHSA-2222-3333-4444', 'GHSA-5555-6666-7777']);
    expect(ids(results[149])).toEqual(['GHSA-2222-3333-4444']);
    expect(ids(results[150])).toEqual([]);
  });

  it('splits more than 1000 queries into requests of at most 1000 and deduplicates keys', async () => {
    const { service } = harness();
    const lookups: OsvLookup[] = Array.from({ length: 2500 }, (_, i) => ({ ecosystem: 'npm', name: `pkg-${i}`, version: '1.0.0' }));
    // Asking twice for the same version costs nothing more.
    lookups.push({ ecosystem: 'npm', name: 'pkg-0', version: '1.0.0' });
    const results = await service.lookup(lookups);
    expect(results.every((r) => Array.isArray(r) && r.length === 0)).toBe(true);
    expect(osv.requests.map((r) => r.queries).sort((a, b) => a - b)).toEqual([500, 1000, 1000]);
  });

  it('follows next_page_token per query until every page is read', async () => {
    const { service } = harness();
    osv.pageSize = 1;
    try {
      const results = await service.lookup([
        { ecosystem: 'npm', name: 'tiny-merge', version: '0.4.9' },
        { ecosystem: 'npm', name: 'tiny-merge', version: '3.0.0' },
        { ecosystem: 'npm', name: 'tiny-merge', version: '1.9.0' },
      ]);
      expect(ids(results[0])).toEqual(['GHSA-2v5c-9rq4-7hxf', 'GHSA-8fjq-m2rw-6g5p']);
      expect(ids(results[1])).toEqual(['GHSA-h3m7-4pqw-x9cv']);
      expect(ids(results[2])).toEqual([]);
      const batches = osv.requests.filter((r) => r.path === '/v1/querybatch');
      // Round 2 asks only the query that had another page, with its token.
      expect(batches.map((r) => [r.queries, r.pageTokens])).toEqual([[3, 0], [1, 1]]);
    } finally {
      osv.pageSize = Infinity;
    }
  });
});

describe('caching', () => {
  it('answers a warm lookup with no OSV request, and after the TTL re-queries but reuses records of the same modified', async () => {
    const { service, clock } = harness({ SCOUT_REGISTRY_OSV_TTL: '60' });
    const lookup: OsvLookup[] = [{ ecosystem: 'npm', name: 'tiny-merge', version: '0.4.9' }];
    expect(ids((await service.lookup(lookup))[0])).toHaveLength(2);
    expect(osv.count()).toBe(3);
    osv.reset();
    expect(ids((await service.lookup(lookup))[0])).toHaveLength(2);
    expect(osv.count()).toBe(0);
    clock.now += 61_000;
    expect(ids((await service.lookup(lookup))[0])).toHaveLength(2);
    expect([osv.count('querybatch'), osv.count('vulns')]).toEqual([1, 0]);
  });

  it('refetches exactly the record whose modified changed', async () => {
    const { service, clock } = harness({ SCOUT_REGISTRY_OSV_TTL: '60' });
    const lookup: OsvLookup[] = [{ ecosystem: 'npm', name: 'tiny-merge', version: '0.4.9' }];
    await service.lookup(lookup);
    const original = loadFixtureRecords().find((r) => r.id === 'GHSA-8fjq-m2rw-6g5p')!;
    osv.setRecord({ ...original, modified: '2026-01-02T00:00:00Z', summary: 'Updated summary' });
    try {
      osv.reset();
      clock.now += 61_000;
      const [result] = await service.lookup(lookup);
      expect(osv.requests.map((r) => r.path)).toEqual(['/v1/querybatch', '/v1/vulns/GHSA-8fjq-m2rw-6g5p']);
      expect((result as OsvRecord[]).find((r) => r.id === 'GHSA-8fjq-m2rw-6g5p')?.summary).toBe('Updated summary');
    } finally {
      osv.setRecord(original);
    }
  });
});

describe('faults degrade to errors on the affected lookups only', () => {
  const lookup: OsvLookup[] = [{ ecosystem: 'npm', name: 'tiny-merge', version: '1.2.2' }];

  it('5xx after the retries: UPSTREAM_UNAVAILABLE; a 503 then a 200 is retried and answers', async () => {
    const { service } = harness({ SCOUT_REGISTRY_HTTP_RETRIES: '1' });
    osv.fault('querybatch', [{ status: 503 }, { status: 502 }]);
    const [failed] = await service.lookup(lookup);
    expect(failed).toBeInstanceOf(UpstreamError);
    expect((failed as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(osv.count('querybatch')).toBe(2);
    osv.reset();
    osv.fault('querybatch', [{ status: 503 }]);
    expect(ids((await service.lookup(lookup))[0])).toEqual(['GHSA-2v5c-9rq4-7hxf']);
    expect(osv.count('querybatch')).toBe(2);
  });

  it('429 with a long Retry-After fails at once with RATE_LIMITED', async () => {
    const { service } = harness({ SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY: '1' });
    osv.fault('querybatch', [{ status: 429, headers: { 'retry-after': '120' } }]);
    const [failed] = await service.lookup(lookup);
    expect((failed as UpstreamError).code).toBe('RATE_LIMITED');
    expect((failed as UpstreamError).details.retryAfterSeconds).toBe(120);
    expect(osv.count('querybatch')).toBe(1);
  });

  it('garbage, a wrong shape, or a result count that does not match: UPSTREAM_INVALID', async () => {
    const { service } = harness();
    for (const body of ['<html>oops</html>', '{"results": {"vulns": []}}', '{"results": []}', '{"results": [{"vulns": [{"id": "X"}]}]}']) {
      osv.fault('querybatch', [{ status: 200, body }]);
      const [failed] = await service.lookup(lookup);
      expect(failed, body).toBeInstanceOf(UpstreamError);
      expect((failed as UpstreamError).code, body).toBe('UPSTREAM_INVALID');
    }
  });

  it('an answer over the size cap is UPSTREAM_INVALID (the POST keeps the GET size policy)', async () => {
    const { service } = harness({ SCOUT_REGISTRY_MAX_RESPONSE_BYTES: '64' });
    osv.fault('querybatch', [{ status: 200, body: JSON.stringify({ results: [{ vulns: [{ id: 'GHSA-2v5c-9rq4-7hxf', modified: '2024-06-11T09:14:52.403912Z' }] }], padding: 'x'.repeat(200) }) }]);
    const [failed] = await service.lookup(lookup);
    expect((failed as UpstreamError).code).toBe('UPSTREAM_INVALID');
    expect((failed as UpstreamError).message).toMatch(/64-byte limit/);
  });

  it('a timeout fails the lookup', async () => {
    const { service } = harness({ SCOUT_REGISTRY_HTTP_TIMEOUT: '0.5', SCOUT_REGISTRY_HTTP_RETRIES: '0' });
    osv.fault('querybatch', [{ delayMs: 1500, status: 200, body: '{"results":[{}]}' }]);
    const [failed] = await service.lookup(lookup);
    expect((failed as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(osv.count('querybatch')).toBe(1);
  });

  it('a record that cannot be fetched fails only the versions it concerns', async () => {
    const { service } = harness({ SCOUT_REGISTRY_HTTP_RETRIES: '0' });
    osv.fault('vulns', [{ status: 500 }]);
    const [a, b] = await service.lookup([
      { ecosystem: 'npm', name: 'tiny-merge', version: '1.2.2' },
      { ecosystem: 'npm', name: 'tiny-merge', version: '1.9.0' },
    ]);
    expect(a).toBeInstanceOf(UpstreamError);
    expect(ids(b)).toEqual([]);
  });

  it('serves the stored answer when a refresh fails after the TTL', async () => {
    const { service, clock } = harness({ SCOUT_REGISTRY_OSV_TTL: '60', SCOUT_REGISTRY_HTTP_RETRIES: '0' });
    await service.lookup(lookup);
    clock.now += 61_000;
    osv.fault('querybatch', [{ status: 503 }]);
    expect(ids((await service.lookup(lookup))[0])).toEqual(['GHSA-2v5c-9rq4-7hxf']);
    expect(osv.count('querybatch')).toBe(2);
  });
});

describe('online and offline answers agree', () => {
  it('gives the same ids for every fixture version, both equal to what OSV answers', async () => {
    const online = harness();
    const offline = harness({ SCOUT_REGISTRY_OSV_MODE: 'offline' });
    await offline.store.putRecords(loadFixtureRecords().map((raw) => osvRecordSchema.parse(raw)));
    const cases: { lookup: OsvLookup; expected: string[] }[] = [];
    for (const answer of loadFixtureAnswers()) {
      const ecosystem = ecosystemFromOsv(answer.ecosystem) as EcosystemId;
      // Our canonical names: PyPI PEP 503, NuGet lower case (its display spelling goes to OSV).
      const name = ecosystem === 'nuget' ? answer.name.toLowerCase() : answer.name;
      for (const [version, expected] of Object.entries(answer.versions)) {
        cases.push({ lookup: { ecosystem, name, version: ecosystem === 'go' ? `v${version}` : version, spelling: answer.name }, expected: [...expected].sort() });
      }
    }
    expect(cases.length).toBeGreaterThan(50);
    const onlineResults = await online.service.lookup(cases.map((c) => c.lookup));
    const offlineResults = await offline.service.lookup(cases.map((c) => c.lookup));
    const visible = (result: OsvRecord[] | Error | undefined) => ids(result).filter((id) => !loadFixtureRecords().find((r) => r.id === id)?.withdrawn).sort();
    cases.forEach((c, i) => {
      const label = `${c.lookup.ecosystem} ${c.lookup.name}@${c.lookup.version}`;
      expect(visible(onlineResults[i]), label).toEqual(c.expected);
      expect(visible(offlineResults[i]), label).toEqual(c.expected);
    });
    // Offline needs no OSV request at all (the online half made the requests counted here).
    const before = osv.count();
    await offline.service.lookup(cases.map((c) => c.lookup));
    expect(osv.count()).toBe(before);
  });

  it('sends NuGet ids in their display spelling: OSV matches them case-sensitively, offline folds case', async () => {
    expect(osvQueryName({ ecosystem: 'nuget', name: 'acme.json.tools', spelling: 'Acme.Json.Tools' })).toBe('Acme.Json.Tools');
    // A spelling that is another name, or an ecosystem whose names OSV spells canonically, is ignored.
    expect(osvQueryName({ ecosystem: 'nuget', name: 'acme.json.tools', spelling: 'Other.Package' })).toBe('acme.json.tools');
    expect(osvQueryName({ ecosystem: 'packagist', name: 'acme/toolkit', spelling: 'Acme/Toolkit' })).toBe('acme/toolkit');
    const online = harness();
    const offline = harness({ SCOUT_REGISTRY_OSV_MODE: 'offline' });
    await offline.store.putRecords(loadFixtureRecords().map((raw) => osvRecordSchema.parse(raw)));
    const folded: OsvLookup = { ecosystem: 'nuget', name: 'acme.json.tools', version: '12.0.3' };
    expect(ids((await online.service.lookup([{ ...folded, spelling: 'Acme.Json.Tools' }]))[0])).toEqual(['GHSA-jw4g-8r2x-v6qc']);
    expect(ids((await online.service.lookup([folded]))[0])).toEqual([]);
    expect(ids((await offline.service.lookup([folded]))[0])).toEqual(['GHSA-jw4g-8r2x-v6qc']);
  });

  it('offline keeps withdrawn records (the API never answers them) for callers that ask', async () => {
    const offline = harness({ SCOUT_REGISTRY_OSV_MODE: 'offline' });
    await offline.store.putRecords(loadFixtureRecords().map((raw) => osvRecordSchema.parse(raw)));
    expect(ids((await offline.service.lookup([{ ecosystem: 'npm', name: 'tiny-merge', version: '1.9.0' }]))[0])).toEqual(['GHSA-wq7c-3x9v-j4mh']);
  });
});
