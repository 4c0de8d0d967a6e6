import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createCargoAdapter } from '../src/ecosystems/cargo/index.js';
import type { FetchResult } from '../src/ecosystems/types.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import type { GetOptions, UpstreamClient, UpstreamName } from '../src/http/client.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';

let fake: FakeUpstream;
let http: HttpUpstreamClient;

/** Records which limiter each request goes through, then lets the real client do it. */
function spying(client: UpstreamClient): UpstreamClient & { upstreams: Array<{ upstream: UpstreamName; url: string }> } {
  const upstreams: Array<{ upstream: UpstreamName; url: string }> = [];
  return {
    upstreams,
    get(upstream: UpstreamName, url: string, options?: GetOptions) {
      upstreams.push({ upstream, url });
      return client.get(upstream, url, options);
    },
  };
}

const INDEX_PATH = '/index/ti/dy/tidy-widget';
const API_PATH = '/api/v1/crates/tidy-widget';

beforeAll(async () => {
  fake = await startFakeRegistry('cargo');
  http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_CARGO_URL: fake.url, SCOUT_REGISTRY_CARGO_INDEX_URL: `${fake.url}/index` })), {
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await http.close();
  await fake.close();
});
beforeEach(() => fake.reset());

const adapter = () => createCargoAdapter({ baseUrl: fake.url, indexUrl: `${fake.url}/index` });

async function expectUpstreamError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  expect((error as UpstreamError).code).toBe(code);
  if (message) expect((error as UpstreamError).message).toMatch(message);
}

describe('cargo fetch through the HTTP client', () => {
  it('reads the sparse index (limiter cargo-index) and the API (limiter cargo) for one crate', async () => {
    const client = spying(http);
    const result = await adapter().fetch('Tidy-Widget', { http: client, conditional: null });
    expect(result.kind).toBe('ok');
    expect(client.upstreams).toEqual([
      { upstream: 'cargo-index', url: `${fake.url}${INDEX_PATH}` },
      { upstream: 'cargo', url: `${fake.url}${API_PATH}?include=versions,keywords` },
    ]);
    const raw = (result as Extract<FetchResult, { kind: 'ok' }>).raw;
    expect(Object.keys(raw.versions).sort()).toEqual(['0.1.0', '0.2.0', '1.0.0', '1.0.0-beta.1', '1.1.0-rc.1']);
    expect((result as Extract<FetchResult, { kind: 'ok' }>).validators.etag).toMatch(/^"/);
  });

  it('runs the two requests concurrently', async () => {
    fake.script(INDEX_PATH, [{ fixture: true, delayMs: 150 }]);
    fake.script(API_PATH, [{ fixture: true, delayMs: 150 }]);
    const result = await adapter().fetch('tidy-widget', { http, conditional: null });
    expect(result.kind).toBe('ok');
    expect(fake.maxInFlight).toBe(2);
  });

  it('revalidates with the index validators and skips the rate-limited API when the index is unchanged', async () => {
    const first = await adapter().fetch('tidy-widget', { http, conditional: null });
    if (first.kind !== 'ok') throw new Error(first.kind);
    fake.reset();
    const again = await adapter().fetch('tidy-widget', { http, conditional: first.validators });
    expect(again).toEqual({ kind: 'not-modified', validators: first.validators });
    expect(fake.count(INDEX_PATH)).toBe(1);
    expect(fake.count(API_PATH)).toBe(0);
    expect(fake.requests[0]?.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('asks the API again when the index changed', async () => {
    const result = await adapter().fetch('tidy-widget', { http, conditional: { etag: '"stale"', lastModified: null } });
    expect(result.kind).toBe('ok');
    expect(fake.count(INDEX_PATH)).toBe(1);
    expect(fake.count(API_PATH)).toBe(1);
  });

  it('a crate neither knows is not-found', async () => {
    expect(await adapter().fetch('no-such-crate', { http, conditional: null })).toEqual({ kind: 'not-found' });
    expect(fake.count('/index/no/-s/no-such-crate')).toBe(1);
  });

  it('another -/_ spelling of an existing crate is not-found (no second stored copy)', async () => {
    // crates.io's API resolves tidy_widget to tidy-widget; the index has no file under the other spelling.
    const doc = (await (await fetch(`${fake.url}${API_PATH}`)).json()) as object;
    fake.setDocument('/api/v1/crates/tidy_widget', doc);
    expect(await adapter().fetch('tidy_widget', { http, conditional: null })).toEqual({ kind: 'not-found' });
  });

  it('an index file without the API (404) still gives the versions', async () => {
    const result = await adapter().fetch('fancy_parser', { http, conditional: null });
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') expect(result.raw.package).toEqual({ api: null });
  });

  it('an API-only crate is served from the API and completes dependencies per version', async () => {
    const a = adapter();
    const result = await a.fetch('fresh-crate', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(result.validators).toEqual({ etag: null, lastModified: null });
    expect(a.normalize('fresh-crate', result.raw).versions[0]?.detailsPending).toBe(true);

    fake.setDocument('/api/v1/crates/fresh-crate/0.1.0/dependencies', {
      dependencies: [{ id: 9, version_id: 7001, crate_id: 'serde', req: '^1', optional: true, default_features: true, features: ['derive'], target: null, kind: 'normal', downloads: 0 }],
    });
    const details = await a.versionDetails!.fetch('fresh-crate', '0.1.0', { http, conditional: null });
    expect(details.kind).toBe('ok');
    const merged = a.versionDetails!.attach(result.raw.versions['0.1.0'], details.kind === 'ok' ? details.raw : null);
    const completed = a.normalize('fresh-crate', { package: result.raw.package, versions: { '0.1.0': merged } }).versions[0];
    expect(completed?.dependencies).toEqual([{ name: 'serde', packageName: 'serde', constraint: '^1', kind: 'RUNTIME', optional: true, bundled: false }]);
    expect(await a.versionDetails!.fetch('fresh-crate', '9.9.9', { http, conditional: null })).toEqual({ kind: 'not-found' });
  });

  it('rejects invalid names before any request', async () => {
    for (const name of ['', '9lives', 'a/b', '..', 'x'.repeat(65)]) {
      await expect(adapter().fetch(name, { http, conditional: null })).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(fake.count()).toBe(0);
  });

  it('skips index lines that are not JSON, not an entry, or of another crate, as Cargo does', async () => {
    fake.script(INDEX_PATH, [
      {
        status: 200,
        body: [
          '{"name":"tidy-widget","vers":"1.0.0","deps":[],"cksum":"00"}',
          '<html>oops</html>',
          '{"name":"tidy-widget","vers":"1.0.1","deps":{},"cksum":"00"}',
          '{"name":"other","vers":"9.9.9","deps":[],"cksum":"00"}',
          '{"name":"Tidy-Widget","vers":"1.0.2","deps":[],"cksum":"00"}',
        ].join('\n'),
      },
    ]);
    const result = await adapter().fetch('tidy-widget', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(Object.keys(result.raw.versions)).toEqual(['1.0.0', '1.0.2']);
  });

  it('an index file without one usable line is UPSTREAM_INVALID', async () => {
    fake.script(INDEX_PATH, [{ status: 200, body: '<html>oops</html>\n' }]);
    await expectUpstreamError(adapter().fetch('tidy-widget', { http, conditional: null }), 'UPSTREAM_INVALID', /line 1 is not JSON/);
    fake.script(INDEX_PATH, [{ status: 200, body: '{"name":"tidy-widget","vers":"1.0.0","deps":{},"cksum":"00"}\n' }]);
    await expectUpstreamError(adapter().fetch('tidy-widget', { http, conditional: null }), 'UPSTREAM_INVALID', /line 1 is not an index entry/);
    fake.script(INDEX_PATH, [{ status: 200, body: '{"name":"other","vers":"1.0.0","deps":[],"cksum":"00"}\n' }]);
    await expectUpstreamError(adapter().fetch('tidy-widget', { http, conditional: null }), 'UPSTREAM_INVALID', /lists "other"/);
  });

  it('leaves out API version entries without a usable num instead of failing the crate', async () => {
    const doc = (await (await fetch(`${fake.url}${API_PATH}`)).json()) as { versions: unknown[] };
    fake.script(API_PATH, [{ status: 200, body: { ...doc, versions: [...doc.versions, { num: null, license: 'MIT' }, 'junk'] } }]);
    const result = await adapter().fetch('tidy-widget', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(Object.keys(result.raw.versions).sort()).toEqual(['0.1.0', '0.2.0', '1.0.0', '1.0.0-beta.1', '1.1.0-rc.1']);
    expect((result.raw.versions['1.0.0'] as { api: { num: string } }).api.num).toBe('1.0.0');
  });

  it('an API answer that is not JSON, or not a crate, is UPSTREAM_INVALID', async () => {
    fake.script(API_PATH, [{ status: 200, body: '<html>maintenance</html>' }]);
    await expectUpstreamError(adapter().fetch('tidy-widget', { http, conditional: null }), 'UPSTREAM_INVALID', /not valid JSON/);
    fake.script(API_PATH, [{ status: 200, body: { errors: [{ detail: 'huh' }] } }]);
    await expectUpstreamError(adapter().fetch('tidy-widget', { http, conditional: null }), 'UPSTREAM_INVALID', /not a crate answer/);
    fake.script(API_PATH, [{ status: 200, body: { crate: { name: 'someone-else' }, versions: null } }]);
    await expectUpstreamError(adapter().fetch('tidy-widget', { http, conditional: null }), 'UPSTREAM_INVALID', /answered for "someone-else"/);
  });

  it('an API that keeps failing fails the fetch (no half record)', async () => {
    fake.script(API_PATH, Array.from({ length: 4 }, () => ({ status: 503 })));
    await expectUpstreamError(adapter().fetch('tidy-widget', { http, conditional: null }), 'UPSTREAM_UNAVAILABLE');
  });
});
