import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createPubAdapter } from '../src/ecosystems/pub/index.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';

const SIDE = path.resolve(import.meta.dirname, 'fixtures', 'pub', 'side');

let upstream: FakeUpstream;
let http: HttpUpstreamClient;

/** `/api/packages/<name>` is a fixture file, so `<name>/options` and `<name>/score` cannot be: serve them from side/. */
function serveSideDocuments(fake: FakeUpstream): void {
  for (const name of fs.readdirSync(SIDE)) {
    for (const file of fs.readdirSync(path.join(SIDE, name))) {
      fake.setDocument(`/api/packages/${name}/${file.replace(/\.json$/, '')}`, fs.readFileSync(path.join(SIDE, name, file), 'utf8'));
    }
  }
}

beforeAll(async () => {
  upstream = await startFakeRegistry('pub');
  serveSideDocuments(upstream);
  http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_HTTP_RETRIES: '1' })), { logger: pino({ level: 'silent' }) });
});
afterAll(async () => upstream.close());
beforeEach(() => upstream.reset());

const adapter = () => createPubAdapter({ baseUrl: `${upstream.url}/` });

describe('pub fetch through the HTTP client', () => {
  it('requests the listing, options and score concurrently and keeps all three', async () => {
    for (const suffix of ['', '/options', '/score']) upstream.script(`/api/packages/fancy_widgets${suffix}`, [{ fixture: true, delayMs: 150 }]);
    const result = await adapter().fetch('Fancy_Widgets', { http, conditional: null });
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/api/packages/fancy_widgets', '/api/packages/fancy_widgets/options', '/api/packages/fancy_widgets/score']);
    expect(upstream.maxInFlight).toBe(3);
    const listingRequest = upstream.requests.find((r) => r.path === '/api/packages/fancy_widgets')!;
    expect(listingRequest.headers.accept).toBe('application/vnd.pub.v2+json');
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(result.raw.package).toMatchObject({ options: { isDiscontinued: true }, score: { grantedPoints: 140 } });
    const normalized = adapter().normalize('fancy_widgets', result.raw);
    expect(normalized.package).toMatchObject({ latestVersion: '1.2.0', deprecated: true, license: { spdx: 'BSD-3-Clause' } });
  });

  it('treats a missing, failing or malformed options/score document as absent', async () => {
    upstream.script('/api/packages/fancy_widgets/options', [{ status: 404 }]);
    upstream.script('/api/packages/fancy_widgets/score', [{ status: 500 }, { status: 500 }]);
    const first = await adapter().fetch('fancy_widgets', { http, conditional: null });
    expect(first.kind === 'ok' && first.raw.package).toMatchObject({ options: null, score: null });

    upstream.script('/api/packages/fancy_widgets/options', [{ status: 200, body: '<html>' }]);
    upstream.script('/api/packages/fancy_widgets/score', [{ status: 200, body: [1, 2] }]);
    const second = await adapter().fetch('fancy_widgets', { http, conditional: null });
    if (second.kind !== 'ok') throw new Error(second.kind);
    expect(second.raw.package).toMatchObject({ options: null, score: null });
    // The listing still says discontinued.
    expect(adapter().normalize('fancy_widgets', second.raw).package).toMatchObject({ deprecated: true, deprecationMessage: 'discontinued; use better_widgets', license: null });
  });

  it('revalidates the listing with the stored validators', async () => {
    const first = await adapter().fetch('old_thing', { http, conditional: null });
    if (first.kind !== 'ok') throw new Error(first.kind);
    const again = await adapter().fetch('old_thing', { http, conditional: first.validators });
    expect(again).toEqual({ kind: 'not-modified', validators: expect.objectContaining({ etag: first.validators.etag }) });
    const conditional = upstream.requests.filter((r) => r.headers['if-none-match'] !== undefined).map((r) => r.path);
    expect(conditional).toEqual(['/api/packages/old_thing']);
  });

  it('answers a 404 listing with not-found', async () => {
    expect(await adapter().fetch('no_such_package', { http, conditional: null })).toEqual({ kind: 'not-found' });
  });

  it('rejects invalid names with INVALID_INPUT before any request', async () => {
    for (const name of ['my-package', '9lives', '../etc', 'a/b', '']) {
      await expect(adapter().fetch(name, { http, conditional: null }), name).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(upstream.count()).toBe(0);
  });

  it('skips a listing entry without a version string, and reads `latest: null`', async () => {
    upstream.setDocument('/api/packages/odd_listing', {
      name: 'odd_listing',
      latest: null,
      versions: [
        { version: '1.0.0', pubspec: { name: 'odd_listing', version: '1.0.0', dependencies: null, environment: null }, published: '2020-01-01T00:00:00.000Z' },
        { version: 2, pubspec: { name: 'odd_listing' } },
        { pubspec: { name: 'odd_listing', version: '1.1.0' } },
        { version: '1.2.0-dev.1', pubspec: { name: 'odd_listing', version: '1.2.0-dev.1' }, retracted: true },
      ],
    });
    const result = await adapter().fetch('odd_listing', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(Object.keys(result.raw.versions)).toEqual(['1.0.0', '1.2.0-dev.1']);
    const normalized = adapter().normalize('odd_listing', result.raw);
    expect(normalized.package).toMatchObject({ latestVersion: '1.0.0', latestPrerelease: null, versionCount: 2, distTags: {} });
    expect(normalized.versions.map((v) => [v.version, v.status, v.dependencies.length, v.engines])).toEqual([
      ['1.2.0-dev.1', 'RETRACTED', 0, {}],
      ['1.0.0', 'ACTIVE', 0, {}],
    ]);
  });

  it('follows archive redirects to Cloud Storage (allowed host)', () => {
    expect(adapter().redirectHosts).toContain('storage.googleapis.com');
  });

  it('answers a listing of the wrong shape, invalid JSON or another package with UPSTREAM_INVALID', async () => {
    const cases: Array<[object | string, RegExp]> = [
      ['{"name":', /not valid JSON/],
      [{ name: 'shape_test' }, /not a package listing/],
      [{ name: 'shape_test', versions: [{ pubspec: {} }] }, /no entry of the listing has a version/],
      [{ name: 'shape_test', versions: {} }, /not a package listing/],
      [{ name: 'other_pkg', versions: [] }, /listing is for "other_pkg"/],
    ];
    for (const [body, message] of cases) {
      upstream.setDocument('/api/packages/shape_test', body);
      const error = await adapter().fetch('shape_test', { http, conditional: null }).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(body)).toMatchObject({ code: 'UPSTREAM_INVALID', details: { ecosystem: 'pub', status: 200 } });
      expect((error as Error).message).toMatch(message);
    }
  });
});
