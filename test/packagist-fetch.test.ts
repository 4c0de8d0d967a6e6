import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createPackagistAdapter } from '../src/ecosystems/packagist/index.js';
import type { FetchResult } from '../src/ecosystems/types.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';

let upstream: FakeUpstream;
let http: HttpUpstreamClient;

beforeAll(async () => {
  upstream = await startFakeRegistry('packagist');
  http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_HTTP_RETRIES: '1' })), { logger: pino({ level: 'silent' }) });
});
afterAll(async () => upstream.close());
beforeEach(() => upstream.reset());

function adapter(devVersions = false) {
  return createPackagistAdapter({ baseUrl: `${upstream.url}/`, devVersions });
}

async function fetchOk(name: string, devVersions = false): Promise<Extract<FetchResult, { kind: 'ok' }>> {
  const result = await adapter(devVersions).fetch(name, { http, conditional: null });
  if (result.kind !== 'ok') throw new Error(`fetch gave ${result.kind}`);
  return result;
}

describe('Packagist fetch through the HTTP client', () => {
  it('reads /p2/{vendor}/{package}.json and normalizes it', async () => {
    const result = await fetchOk('Acme/Logger');
    expect(upstream.requests.map((r) => r.path)).toEqual(['/p2/acme/logger.json']);
    expect(upstream.requests[0]!.headers.accept).toBe('application/json');
    expect(result.validators.etag).toMatch(/^"[0-9a-f]{40}"$/);
    const normalized = adapter().normalize('acme/logger', result.raw);
    expect(normalized.package.latestVersion).toBe('3.1.0');
    expect(normalized.versions).toHaveLength(9);
  });

  it('revalidates with the stored validators and answers 304 as not-modified', async () => {
    const first = await fetchOk('acme/logger');
    const again = await adapter().fetch('acme/logger', { http, conditional: first.validators });
    expect(again).toEqual({ kind: 'not-modified', validators: expect.objectContaining({ etag: first.validators.etag }) });
    expect(upstream.requests[1]!.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('fetches the tagged and ~dev files concurrently when dev versions are on', async () => {
    upstream.script('/p2/acme/logger.json', [{ fixture: true, delayMs: 150 }]);
    upstream.script('/p2/acme/logger~dev.json', [{ fixture: true, delayMs: 150 }]);
    const result = await adapter(true).fetch('acme/logger', { http, conditional: { etag: '"stale"', lastModified: null } });
    expect(result.kind).toBe('ok');
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/p2/acme/logger.json', '/p2/acme/logger~dev.json']);
    expect(upstream.maxInFlight).toBe(2);
    // Two files, one set of validators: no conditional request.
    expect(upstream.requests.every((r) => r.headers['if-none-match'] === undefined)).toBe(true);
    if (result.kind === 'ok') expect(Object.keys(result.raw.versions)).toContain('dev-feature/rotate');
  });

  it('keeps tagged releases when the ~dev file is missing', async () => {
    upstream.script('/p2/acme/logger~dev.json', [{ status: 404 }]);
    const result = await fetchOk('acme/logger', true);
    expect(Object.keys(result.raw.versions)).toHaveLength(9);
  });

  it('answers a 404 with not-found', async () => {
    upstream.script('/p2/acme/missing.json', [{ status: 404, body: { error: { code: 404, message: 'Not Found' } } }]);
    expect(await adapter().fetch('acme/missing', { http, conditional: null })).toEqual({ kind: 'not-found' });
    expect(await adapter().fetch('acme/never-there', { http, conditional: null })).toEqual({ kind: 'not-found' });
  });

  it('rejects invalid names with INVALID_INPUT before any request', async () => {
    for (const name of ['monolog', 'a/b/c', '../../etc/passwd', 'acme/pkg?x=1', 'acme/-x', '']) {
      await expect(adapter().fetch(name, { http, conditional: null }), name).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(upstream.count()).toBe(0);
  });

  it('answers a 200 of the wrong shape, invalid JSON or another package\'s file with UPSTREAM_INVALID', async () => {
    const cases: Array<[object | string, RegExp]> = [
      ['{"packages": ', /not valid JSON/],
      [{ packages: { 'acme/shape': { version: '1.0.0' } } }, /not Composer v2 metadata/],
      [{ packages: { 'acme/shape': ['1.0.0'] } }, /not Composer v2 metadata/],
      [{ minified: 'composer/2.0', packages: { 'acme/other': [] } }, /lists "acme\/other"/],
      [{ minified: 'composer/2.0', packages: { 'acme/shape': [{ name: 'acme/shape' }] } }, /no version entry has a "version"/],
      [[1, 2, 3], /not Composer v2 metadata/],
    ];
    for (const [body, message] of cases) {
      upstream.setDocument('/p2/acme/shape.json', body);
      const error = await adapter().fetch('acme/shape', { http, conditional: null }).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(body)).toMatchObject({ code: 'UPSTREAM_INVALID', details: { ecosystem: 'packagist', status: 200 } });
      expect((error as Error).message).toMatch(message);
    }
  });

  it('skips a single entry without a version string instead of failing the package', async () => {
    // Not minified: each entry stands alone, so a broken one cannot inherit a version from its neighbour.
    upstream.setDocument('/p2/acme/shape.json', {
      packages: {
        'acme/shape': [
          { name: 'acme/shape', version: '2.0.0', require: { php: '>=8.1' } },
          { name: 'acme/shape', version: 2.1, require: { php: '>=8.1' } },
          { name: 'acme/shape', description: 'no version at all' },
          { name: 'acme/shape', version: '1.0.0' },
        ],
      },
    });
    const result = await fetchOk('acme/shape');
    expect(Object.keys(result.raw.versions)).toEqual(['2.0.0', '1.0.0']);
    expect(adapter().normalize('acme/shape', result.raw).package).toMatchObject({ latestVersion: '2.0.0', versionCount: 2 });
  });

  it('surfaces upstream trouble as UpstreamError after the client\'s retries', async () => {
    upstream.script('/p2/acme/logger.json', [{ status: 503 }, { status: 503 }]);
    await expect(adapter().fetch('acme/logger', { http, conditional: null })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });
});
