import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGoAdapter } from '../src/ecosystems/go/index.js';
import type { ZipSummary } from '../src/ecosystems/go/schema.js';
import type { EcosystemAdapter, FetchContext, FetchResult } from '../src/ecosystems/types.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';
import { APACHE_HEADER_TEXT, WIDGET_README, moduleZip } from './fixtures/go/module-zip.js';

let upstream: FakeUpstream;
let adapter: EcosystemAdapter;
const clients: HttpUpstreamClient[] = [];

function client(env: Record<string, string> = {}): HttpUpstreamClient {
  const http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_GO_URL: upstream.url, ...env })), { logger: pino({ level: 'silent' }) });
  clients.push(http);
  return http;
}

function context(env: Record<string, string> = {}, conditional: FetchContext['conditional'] = null): FetchContext {
  return { http: client(env), conditional };
}

async function ok(result: Promise<FetchResult>) {
  const value = await result;
  if (value.kind !== 'ok') throw new Error(`expected ok, got ${value.kind}`);
  return value;
}

async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected an UpstreamError');
}

beforeAll(async () => {
  upstream = await startFakeRegistry('go');
  adapter = createGoAdapter({ baseUrl: upstream.url });
});
afterAll(async () => {
  await Promise.all(clients.map((http) => http.close()));
  await upstream.close();
});
beforeEach(() => upstream.reset());

describe('package fetch through the HTTP client', () => {
  it('costs three requests: the list, then .info and .mod of the latest version, on case-encoded paths', async () => {
    const result = await ok(adapter.fetch('github.com/Acme/Widget', context()));
    expect(upstream.requests.map((r) => r.path).sort()).toEqual([
      '/github.com/!acme/!widget/@v/list',
      '/github.com/!acme/!widget/@v/v1.1.0.info',
      '/github.com/!acme/!widget/@v/v1.1.0.mod',
    ]);
    expect(upstream.requests[0]!.path).toBe('/github.com/!acme/!widget/@v/list');
    expect(Object.keys(result.raw.versions)).toHaveLength(7);
    expect(result.validators.etag).toMatch(/^"/);
    const normalized = adapter.normalize('github.com/Acme/Widget', result.raw);
    expect(normalized.package.latestVersion).toBe('v1.1.0');
  });

  it('a module with 300 versions still costs three requests', async () => {
    const list = Array.from({ length: 300 }, (_, i) => `v1.${Math.floor(i / 10)}.${i % 10}`).join('\n');
    upstream.setDocument('/example.com/many/@v/list', `${list}\n`, 'text/plain; charset=UTF-8');
    upstream.setDocument('/example.com/many/@v/v1.29.9.info', { Version: 'v1.29.9', Time: '2025-01-01T00:00:00Z' });
    upstream.setDocument('/example.com/many/@v/v1.29.9.mod', 'module example.com/many\n\ngo 1.23\n', 'text/plain; charset=UTF-8');
    const result = await ok(adapter.fetch('example.com/many', context()));
    expect(upstream.count()).toBe(3);
    const normalized = adapter.normalize('example.com/many', result.raw);
    expect(normalized.package.versionCount).toBe(300);
    expect(normalized.versions[0]).toMatchObject({ version: 'v1.29.9', releaseDate: '2025-01-01T00:00:00.000Z', engines: { go: '1.23' } });
    expect(normalized.versions.filter((v) => v.detailsPending)).toHaveLength(300);
  });

  it('asks one more go.mod only when +incompatible versions may count', async () => {
    await ok(adapter.fetch('github.com/modern/tool', context()));
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/github.com/modern/tool/@v/list', '/github.com/modern/tool/@v/v1.4.0.info', '/github.com/modern/tool/@v/v1.4.0.mod']);
    upstream.reset();
    const legacy = await ok(adapter.fetch('github.com/legacy/tool', context()));
    expect(upstream.requests.map((r) => r.path).sort()).toEqual([
      '/github.com/legacy/tool/@v/list',
      '/github.com/legacy/tool/@v/v1.0.0.mod',
      '/github.com/legacy/tool/@v/v3.1.0+incompatible.info',
      '/github.com/legacy/tool/@v/v3.1.0+incompatible.mod',
    ]);
    expect(adapter.normalize('github.com/legacy/tool', legacy.raw).package.latestVersion).toBe('v3.1.0+incompatible');
  });

  it('an empty list falls back to @latest (no .info request: @latest is one) and is never revalidated with a 304', async () => {
    const result = await ok(adapter.fetch('example.com/untagged', context()));
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/example.com/untagged/@latest', '/example.com/untagged/@v/list', '/example.com/untagged/@v/v0.0.0-20240102030405-abcdefabcdef.mod']);
    expect(result.validators).toEqual({ etag: null, lastModified: null });
  });

  it('revalidates the list with the stored validators: a 304 is not-modified after one request', async () => {
    const first = await ok(adapter.fetch('github.com/Acme/Widget', context()));
    upstream.reset();
    const second = await adapter.fetch('github.com/Acme/Widget', context({}, first.validators));
    expect(second.kind).toBe('not-modified');
    expect(upstream.count()).toBe(1);
    expect(upstream.requests[0]!.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('404 and 410 on the list, or an empty list without @latest, are not-found', async () => {
    expect(await adapter.fetch('github.com/nobody/nothing', context())).toEqual({ kind: 'not-found' });
    upstream.script('/example.com/gone/@v/list', [{ status: 410, body: 'not found: module example.com/gone: gone' }]);
    expect(await adapter.fetch('example.com/gone', context())).toEqual({ kind: 'not-found' });
    upstream.setDocument('/example.com/empty/@v/list', '', 'text/plain');
    expect(await adapter.fetch('example.com/empty', context())).toEqual({ kind: 'not-found' });
    expect(upstream.count('/example.com/empty/@latest')).toBe(1);
    // Versions of another major are skipped as Go skips them (not an invalid answer): the module has no version.
    upstream.setDocument('/example.com/wrongmajor/@v/list', 'v2.0.0\nv2.1.0\n', 'text/plain');
    expect(await adapter.fetch('example.com/wrongmajor', context())).toEqual({ kind: 'not-found' });
    expect(upstream.count('/example.com/wrongmajor/@latest')).toBe(1);
  });

  it('rejects invalid module paths before any request', async () => {
    for (const name of ['github', 'GitHub.com/a/b', 'github.com/a/../b', 'github.com/a/', '/github.com/a', 'github.com/a@v1.0.0', 'example.com/m/v1']) {
      await expect(adapter.fetch(name, context()), name).rejects.toBeInstanceOf(InvalidInputError);
      await expect(adapter.versionDetails!.fetch(name, 'v1.0.0', context()), name).rejects.toBeInstanceOf(InvalidInputError);
      expect(() => adapter.normalizeName(name)).toThrow(InvalidInputError);
    }
    expect(upstream.count()).toBe(0);
  });

  it('a 200 of the wrong shape is UPSTREAM_INVALID', async () => {
    upstream.setDocument('/example.com/html/@v/list', '<!doctype html><html><body>Login</body></html>', 'text/html');
    expect((await upstreamError(adapter.fetch('example.com/html', context()))).code).toBe('UPSTREAM_INVALID');

    upstream.setDocument('/example.com/badinfo/@v/list', 'v1.0.0\n', 'text/plain');
    upstream.setDocument('/example.com/badinfo/@v/v1.0.0.info', '{"Version": ', 'application/json');
    upstream.setDocument('/example.com/badinfo/@v/v1.0.0.mod', 'module example.com/badinfo\n', 'text/plain');
    expect((await upstreamError(adapter.fetch('example.com/badinfo', context()))).message).toMatch(/not valid JSON/);

    upstream.setDocument('/example.com/badinfo/@v/v1.0.0.info', { Time: '2020-01-01T00:00:00Z' });
    expect((await upstreamError(adapter.fetch('example.com/badinfo', context()))).message).toMatch(/not a version info/);

    upstream.setDocument('/example.com/badinfo/@v/v1.0.0.info', { Version: 'v9.9.9' });
    expect((await upstreamError(adapter.fetch('example.com/badinfo', context()))).message).toMatch(/names version "v9.9.9"/);

    upstream.setDocument('/example.com/badinfo/@v/v1.0.0.info', { Version: 'v1.0.0' });
    upstream.setDocument('/example.com/badinfo/@v/v1.0.0.mod', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    expect((await upstreamError(adapter.fetch('example.com/badinfo', context()))).message).toMatch(/go.mod is not text/);

    upstream.setDocument('/example.com/badinfo/@v/v1.0.0.mod', '<html>oops</html>', 'text/html');
    expect((await upstreamError(adapter.fetch('example.com/badinfo', context()))).message).toMatch(/no module directive/);

    upstream.setDocument('/example.com/badlatest/@v/list', '', 'text/plain');
    upstream.setDocument('/example.com/badlatest/@latest', { Version: 'master' });
    expect((await upstreamError(adapter.fetch('example.com/badlatest', context()))).message).toMatch(/@latest names "master"/);
  });
});

describe('version details (lazy, per version)', () => {
  const widgetZipPath = '/github.com/!acme/!widget/@v/v1.0.0.zip';

  it('fetch .info, .mod and .zip concurrently; the zip yields license, README and checksums', async () => {
    upstream.setDocument(widgetZipPath, moduleZip('github.com/Acme/Widget', 'v1.0.0', { LICENSE: APACHE_HEADER_TEXT, 'README.md': WIDGET_README, 'w.go': 'package w\n' }), 'application/zip');
    upstream.script('/github.com/!acme/!widget/@v/v1.0.0.info', [{ fixture: true, delayMs: 100 }]);
    const result = await adapter.versionDetails!.fetch('github.com/Acme/Widget', 'v1.0.0', context());
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/github.com/!acme/!widget/@v/v1.0.0.info', '/github.com/!acme/!widget/@v/v1.0.0.mod', widgetZipPath]);
    expect(upstream.maxInFlight).toBeGreaterThan(1);
    expect(result.kind).toBe('ok');
    const raw = (result as { raw: { info: unknown; mod: string; zip: ZipSummary } }).raw;
    expect(raw.info).toEqual({ Version: 'v1.0.0', Time: '2023-06-15T08:30:00Z' });
    expect(raw.mod).toContain('require github.com/google/go-cmp v0.5.9');
    expect(raw.zip.licenseFiles.map((file) => file.name)).toEqual(['LICENSE']);
    expect(raw.zip.readme?.name).toBe('README.md');

    const pkg = await ok(adapter.fetch('github.com/Acme/Widget', context()));
    const merged = adapter.versionDetails!.attach(pkg.raw.versions['v1.0.0'], JSON.parse(JSON.stringify(raw)));
    const record = adapter.normalize('github.com/Acme/Widget', { package: pkg.raw.package, versions: { 'v1.0.0': merged } }).versions.find((v) => v.version === 'v1.0.0')!;
    expect(record.license).toEqual({ spdx: 'Apache-2.0', name: 'Apache-2.0', source: 'module zip: LICENSE' });
    expect(record.checksums.map((c) => c.algorithm)).toEqual(['sha256', 'h1']);
  });

  it('encodes upper-case letters of versions on the wire', async () => {
    upstream.setDocument('/example.com/rc/@v/v1.0.0-!r!c1.info', { Version: 'v1.0.0-RC1', Time: '2020-02-02T02:02:02Z' });
    const result = await adapter.versionDetails!.fetch('example.com/rc', 'v1.0.0-RC1', context());
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/example.com/rc/@v/v1.0.0-!r!c1.info', '/example.com/rc/@v/v1.0.0-!r!c1.mod', '/example.com/rc/@v/v1.0.0-!r!c1.zip']);
    expect(result).toEqual({ kind: 'ok', raw: { info: { Version: 'v1.0.0-RC1', Time: '2020-02-02T02:02:02Z' }, mod: null, zip: null } });
  });

  it('a version the proxy does not have at all is not-found', async () => {
    expect(await adapter.versionDetails!.fetch('github.com/Acme/Widget', 'v0.0.9', context())).toEqual({ kind: 'not-found' });
  });

  it('a zip over the size cap or not a zip is recorded (not retried); a 5xx fails the details fetch', async () => {
    upstream.setDocument(widgetZipPath, Buffer.concat([moduleZip('github.com/Acme/Widget', 'v1.0.0', { LICENSE: APACHE_HEADER_TEXT }), randomBytes(8192)]), 'application/zip');
    const capped = await adapter.versionDetails!.fetch('github.com/Acme/Widget', 'v1.0.0', context({ SCOUT_REGISTRY_MAX_RESPONSE_BYTES: '4096' }));
    expect((capped as { raw: { zip: { error: string } } }).raw.zip.error).toMatch(/4096-byte limit/);

    upstream.setDocument(widgetZipPath, 'this is not a zip', 'application/zip');
    const broken = await adapter.versionDetails!.fetch('github.com/Acme/Widget', 'v1.0.0', context());
    expect((broken as { raw: { zip: { error: string } } }).raw.zip.error).toMatch(/not a readable zip/);

    upstream.script(widgetZipPath, [{ status: 503 }, { status: 503 }]);
    const error = await upstreamError(adapter.versionDetails!.fetch('github.com/Acme/Widget', 'v1.0.0', context({ SCOUT_REGISTRY_HTTP_RETRIES: '1' })));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

afterEach(() => upstream.reset());
