import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createRubygemsAdapter } from '../src/ecosystems/rubygems/index.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';

let fake: FakeUpstream;
let http: HttpUpstreamClient;

const INFO = '/info/sparkly';
const GEM = '/api/v1/gems/sparkly.json';
const VERSIONS = '/api/v1/versions/sparkly.json';

beforeAll(async () => {
  fake = await startFakeRegistry('rubygems');
  http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_RUBYGEMS_URL: fake.url })), { logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await http.close();
  await fake.close();
});
beforeEach(() => fake.reset());

const adapter = () => createRubygemsAdapter({ baseUrl: `${fake.url}/` });

async function expectUpstreamError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  expect((error as UpstreamError).code).toBe(code);
  if (message) expect((error as UpstreamError).message).toMatch(message);
}

describe('rubygems fetch through the HTTP client', () => {
  it('reads the compact index, the gems API and the versions API, concurrently', async () => {
    for (const p of [INFO, GEM, VERSIONS]) fake.script(p, [{ fixture: true, delayMs: 100 }]);
    const result = await adapter().fetch('sparkly', { http, conditional: null });
    expect(result.kind).toBe('ok');
    expect([INFO, GEM, VERSIONS].map((p) => fake.count(p))).toEqual([1, 1, 1]);
    expect(fake.maxInFlight).toBe(3);
    if (result.kind === 'ok') {
      expect(Object.keys(result.raw.versions).sort()).toEqual(['0.5.0', '0.9.0', '1.0.0', '1.0.0.pre.1', '1.1.0', '2.0.0.rc1']);
      expect(result.validators.etag).toMatch(/^"/);
    }
  });

  it('revalidates on the compact index alone when it is unchanged', async () => {
    const first = await adapter().fetch('sparkly', { http, conditional: null });
    if (first.kind !== 'ok') throw new Error(first.kind);
    fake.reset();
    expect(await adapter().fetch('sparkly', { http, conditional: first.validators })).toEqual({ kind: 'not-modified', validators: first.validators });
    expect(fake.count()).toBe(1);
    expect(fake.requests[0]?.path).toBe(INFO);
    expect(fake.requests[0]?.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('reads the APIs again when the compact index changed', async () => {
    const result = await adapter().fetch('sparkly', { http, conditional: { etag: '"old"', lastModified: null } });
    expect(result.kind).toBe('ok');
    expect([INFO, GEM, VERSIONS].map((p) => fake.count(p))).toEqual([1, 1, 1]);
  });

  it('an unknown gem is not-found', async () => {
    expect(await adapter().fetch('no-such-gem', { http, conditional: null })).toEqual({ kind: 'not-found' });
  });

  it('another capitalisation of a gem is not-found, even when the API resolves it', async () => {
    const doc = (await (await fetch(`${fake.url}/api/v1/gems/ShinyThing.json`)).json()) as object;
    fake.setDocument('/api/v1/gems/shinything.json', doc);
    expect(await adapter().fetch('shinything', { http, conditional: null })).toEqual({ kind: 'not-found' });
    const exact = await adapter().fetch('ShinyThing', { http, conditional: null });
    expect(exact.kind).toBe('ok');
  });

  it('a gem with only yanked versions is kept as its yanked latest; with nothing at all it is not-found', async () => {
    const result = await adapter().fetch('gone-gem', { http, conditional: null });
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') expect(result.raw.versions).toEqual({ '0.2.0': { info: [], api: [] } });
    fake.script('/api/v1/gems/gone-gem.json', [{ status: 200, body: { name: 'gone-gem', version: '0.2.0', yanked: false } }]);
    expect(await adapter().fetch('gone-gem', { http, conditional: null })).toEqual({ kind: 'not-found' });
  });

  it('works from the compact index alone when the APIs are missing (a mirror)', async () => {
    fake.script(GEM, [{ status: 404 }]);
    fake.script(VERSIONS, [{ status: 404 }]);
    const result = await adapter().fetch('sparkly', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    const normalized = adapter().normalize('sparkly', result.raw);
    expect(normalized.versions).toHaveLength(6);
    expect(normalized.package.latestVersion).toBe('1.1.0');
    expect(normalized.package.description).toBeNull();
  });

  it('a server without the compact index: versions API data, per-version dependencies from the v2 endpoint', async () => {
    const a = adapter();
    const result = await a.fetch('quietgem', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(result.validators).toEqual({ etag: null, lastModified: null });
    expect(Object.keys(result.raw.versions).sort()).toEqual(['1.0.0', '2.0.0']);
    const details = await a.versionDetails!.fetch('quietgem', '1.0.0', { http, conditional: null });
    expect(details).toEqual({ kind: 'ok', raw: { development: [{ name: 'rspec', requirements: '~> 3.0' }], runtime: [{ name: 'hush', requirements: '~> 1.0' }] } });
    expect(fake.count('/api/v2/rubygems/quietgem/versions/1.0.0.json')).toBe(1);
    expect(await a.versionDetails!.fetch('quietgem', '0.0.1', { http, conditional: null })).toEqual({ kind: 'not-found' });
    fake.script('/api/v2/rubygems/quietgem/versions/1.0.0.json', [{ status: 200, body: { dependencies: 'none' } }]);
    await expectUpstreamError(a.versionDetails!.fetch('quietgem', '1.0.0', { http, conditional: null }), 'UPSTREAM_INVALID', /version API answer/);
  });

  it('rejects invalid names before any request', async () => {
    for (const name of ['', 'a b', '../x', '..', 'x'.repeat(256)]) {
      await expect(adapter().fetch(name, { http, conditional: null })).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(fake.count()).toBe(0);
  });

  it('a compact index without its `---` header, or with no valid version line at all, is UPSTREAM_INVALID', async () => {
    fake.script(INFO, [{ status: 200, body: '<!doctype html><p>maintenance</p>' }]);
    await expectUpstreamError(adapter().fetch('sparkly', { http, conditional: null }), 'UPSTREAM_INVALID', /does not start with `---`/);
    fake.script(INFO, [{ status: 200, body: '---\nnot..a..version |checksum:00\n' }]);
    await expectUpstreamError(adapter().fetch('sparkly', { http, conditional: null }), 'UPSTREAM_INVALID', /line 2 has no valid version/);
  });

  it('skips a compact index line without a valid version and a versions API entry without a number, keeping the rest', async () => {
    fake.script(INFO, [{ status: 200, body: '---\n1.0.0 |checksum:00\nnot..a..version |checksum:00\n1.1.0 glimmer:~> 1.2|checksum:00\n' }]);
    const versions = (await (await fetch(`${fake.url}${VERSIONS}`)).json()) as unknown[];
    fake.script(VERSIONS, [{ status: 200, body: [{ number: null, platform: 'ruby' }, ...versions, 'junk'] }]);
    const result = await adapter().fetch('sparkly', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(Object.keys(result.raw.versions).sort()).toEqual(['1.0.0', '1.1.0']);
    expect((result.raw.versions['1.1.0'] as { api: Array<{ number: string }> }).api.map((entry) => entry.number)).toEqual(['1.1.0']);
  });

  it('API answers that are not JSON or of the wrong shape are UPSTREAM_INVALID', async () => {
    fake.script(GEM, [{ status: 200, body: 'This rubygem could not be found.' }]);
    await expectUpstreamError(adapter().fetch('sparkly', { http, conditional: null }), 'UPSTREAM_INVALID', /gems API answer is not valid JSON/);
    fake.script(VERSIONS, [{ status: 200, body: { versions: [] } }]);
    await expectUpstreamError(adapter().fetch('sparkly', { http, conditional: null }), 'UPSTREAM_INVALID', /versions API answer has an unexpected shape/);
    fake.script(VERSIONS, [{ status: 200, body: [{ number: 7 }] }]);
    await expectUpstreamError(adapter().fetch('sparkly', { http, conditional: null }), 'UPSTREAM_INVALID', /versions API answer/);
  });

  it('a failing API fails the fetch (no half record)', async () => {
    fake.script(VERSIONS, Array.from({ length: 4 }, () => ({ status: 500 })));
    await expectUpstreamError(adapter().fetch('sparkly', { http, conditional: null }), 'UPSTREAM_UNAVAILABLE');
  });
});
