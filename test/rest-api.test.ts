import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { packument, packumentPath } from './helpers/packument.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
}

/** One real HTTP request to the gateway. */
async function call(base: string, method: string, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(`${base}${url}`, { method: method as 'GET', headers });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers)) if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  return { status: response.statusCode, headers: flat, text, body: text && (flat['content-type'] ?? '').includes('json') ? JSON.parse(text) : undefined };
}

const ARCHIVE_BYTES = randomBytes(700);
const hex = (algorithm: string, data: Buffer | string) => createHash(algorithm).update(data).digest('hex');
const sri = (data: Buffer) => `sha512-${createHash('sha512').update(data).digest('base64')}`;

/** `rest-demo`: every field of the normalized format set, one deprecated version, a prerelease, a real archive. */
function demoPackument(upstreamUrl: string): Record<string, unknown> {
  const base = { name: 'rest-demo', description: 'Demo utilities.', license: 'MIT' };
  const dist = (version: string) => ({
    tarball: `${upstreamUrl}/rest-demo/-/rest-demo-${version}.tgz`,
    integrity: sri(ARCHIVE_BYTES),
    shasum: hex('sha1', ARCHIVE_BYTES),
    unpackedSize: 123456,
  });
  return {
    _id: 'rest-demo',
    name: 'rest-demo',
    description: 'Demo utilities.',
    'dist-tags': { latest: '2.0.0', next: '3.0.0-rc.1' },
    versions: {
      '1.0.0': { ...base, version: '1.0.0', deprecated: 'use rest-demo@2', dist: dist('1.0.0') },
      '2.0.0': {
        ...base,
        version: '2.0.0',
        keywords: ['demo', 'rest'],
        author: { name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://ada.example.com' },
        maintainers: [{ name: 'ada', email: 'ada@example.com' }],
        repository: { type: 'git', url: 'git+https://github.com/demo-org/rest-demo.git' },
        homepage: 'https://demo.example.com/',
        bugs: { url: 'https://github.com/demo-org/rest-demo/issues' },
        dependencies: { kleur: '^4.1.5', fsevents: '^2.3.0' },
        optionalDependencies: { fsevents: '^2.3.0' },
        peerDependencies: { react: '>=18' },
        peerDependenciesMeta: { react: { optional: true } },
        devDependencies: { vitest: '^1.6.0' },
        engines: { node: '>=18' },
        dist: dist('2.0.0'),
      },
      '3.0.0-rc.1': { ...base, version: '3.0.0-rc.1', dist: dist('3.0.0-rc.1') },
    },
    time: {
      created: '2020-01-01T00:00:00.000Z',
      '1.0.0': '2020-01-01T00:00:00.000Z',
      '2.0.0': '2021-02-20T15:42:16.891Z',
      '3.0.0-rc.1': '2022-05-05T05:05:05.505Z',
      modified: '2022-05-05T05:05:05.505Z',
    },
  };
}

/** The normalized example of the original Scout Registry README, as it is written there. */
const ORIGINAL_NORMALIZED_EXAMPLE = `{
  "ecosystem": "npm",
  "name": "lodash",
  "version": "4.17.21",
  "license": {
    "spdx": "MIT",
    "name": null,
    "source": "package.json"
  },
  "release_date": "2021-02-20T15:42:16.891Z",
  "status": {
    "deprecated": false,
    "yanked": false,
    "prerelease": false,
    "deprecated_message": null
  },
  "maintainers": [{"name": "jdalton", "email": "...", "url": null}],
  "author": {"name": "John-David Dalton", "email": "...", "url": "..."},
  "dependencies": {
    "runtime": [{"name": "...", "constraint": "^1.0.0", "ecosystem": "npm", "optional": false}],
    "development": [],
    "optional": [],
    "build": [],
    "peer": []
  },
  "links": {
    "repository": "https://github.com/lodash/lodash",
    "homepage": "https://lodash.com/",
    "documentation": null,
    "changelog": null,
    "issues": "https://github.com/lodash/lodash/issues"
  },
  "checksums": {"sha512": "..."},
  "size_bytes": 123456,
  "keywords": ["modules", "stdlib", "util"],
  "description": "Lodash modular utilities."
}`;

/** Keys, recursively and in order (leaves are any value); arrays by their first item; `checksums` is keyed by algorithm. */
function keyShape(value: unknown, key = ''): unknown {
  if (key === 'checksums') return 'object keyed by algorithm';
  if (Array.isArray(value)) return value.length > 0 ? [keyShape(value[0])] : [];
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, keyShape(v, k)]);
  return 'value';
}

let upstream: FakeUpstream;
let gw: TestGateway;
let api: (method: string, url: string, headers?: Record<string, string>) => Promise<Answer>;

beforeAll(async () => {
  upstream = await startFakeNpm();
  upstream.setDocument(packumentPath('rest-demo'), demoPackument(upstream.url));
  upstream.setDocument('/rest-demo/-/rest-demo-2.0.0.tgz', ARCHIVE_BYTES, 'application/octet-stream');
  upstream.setDocument('/rest-demo/-/rest-demo-1.0.0.tgz', Buffer.from('not the published bytes'), 'application/octet-stream');
  gw = await startTestGateway(upstream.url);
  api = (method, url, headers) => call(gw.gateway.url, method, url, headers);
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});
afterEach(() => upstream.reset());

describe('GET /api/v1/{ecosystem}/{name}/{version}/normalized', () => {
  it('answers the original normalized format key by key, with the values of the registry', async () => {
    const { status, body, headers } = await api('GET', '/api/v1/npm/rest-demo/2.0.0/normalized');
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    const original = JSON.parse(ORIGINAL_NORMALIZED_EXAMPLE) as Record<string, unknown>;
    // same keys, same order, same nesting as the original README example
    expect(keyShape(body)).toEqual(keyShape({ ...original, dependencies: { ...(original.dependencies as object), development: [{ name: '', constraint: '', ecosystem: '', optional: false }], optional: [{ name: '', constraint: '', ecosystem: '', optional: false }], peer: [{ name: '', constraint: '', ecosystem: '', optional: false }] } }));
    expect(Object.keys(body)).toEqual(Object.keys(original));
    expect(Object.keys(body.license)).toEqual(['spdx', 'name', 'source']);
    expect(Object.keys(body.status)).toEqual(['deprecated', 'yanked', 'prerelease', 'deprecated_message']);
    expect(Object.keys(body.dependencies)).toEqual(['runtime', 'development', 'optional', 'build', 'peer']);
    expect(Object.keys(body.links)).toEqual(['repository', 'homepage', 'documentation', 'changelog', 'issues']);
    expect(body).toEqual({
      ecosystem: 'npm',
      name: 'rest-demo',
      version: '2.0.0',
      license: { spdx: 'MIT', name: 'MIT', source: 'package.json#license' },
      release_date: '2021-02-20T15:42:16.891Z',
      status: { deprecated: false, yanked: false, prerelease: false, deprecated_message: null },
      maintainers: [{ name: 'ada', email: 'ada@example.com', url: null }],
      author: { name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://ada.example.com' },
      dependencies: {
        runtime: [{ name: 'kleur', constraint: '^4.1.5', ecosystem: 'npm', optional: false }],
        development: [{ name: 'vitest', constraint: '^1.6.0', ecosystem: 'npm', optional: false }],
        optional: [{ name: 'fsevents', constraint: '^2.3.0', ecosystem: 'npm', optional: true }],
        build: [],
        peer: [{ name: 'react', constraint: '>=18', ecosystem: 'npm', optional: true }],
      },
      links: {
        repository: 'https://github.com/demo-org/rest-demo',
        homepage: 'https://demo.example.com/',
        documentation: null,
        changelog: null,
        issues: 'https://github.com/demo-org/rest-demo/issues',
      },
      checksums: { sha512: hex('sha512', ARCHIVE_BYTES), sha1: hex('sha1', ARCHIVE_BYTES) },
      size_bytes: 123456,
      keywords: ['demo', 'rest'],
      description: 'Demo utilities.',
    });
  });

  it('the example above is the one of the original README, where that file is at hand', () => {
    const seed = path.resolve(import.meta.dirname, '..', '..', 'shared', 'seeds', '000_4b2885bfdc68cc2b.txt');
    if (!fs.existsSync(seed)) return;
    const text = fs.readFileSync(seed, 'utf8');
    const block = /## Normalized Format[\s\S]*?```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    expect(block).toBeDefined();
    expect(JSON.parse(block!)).toEqual(JSON.parse(ORIGINAL_NORMALIZED_EXAMPLE));
  });

  it('status of a deprecated version and of a prerelease; dist-tags name versions', async () => {
    const deprecated = await api('GET', '/api/v1/npm/rest-demo/1.0.0/normalized');
    expect(deprecated.body.status).toEqual({ deprecated: true, yanked: false, prerelease: false, deprecated_message: 'use rest-demo@2' });
    const next = await api('GET', '/api/v1/npm/rest-demo/next/normalized');
    expect(next.body).toMatchObject({ version: '3.0.0-rc.1', status: { prerelease: true } });
  });

  it('scoped names in every spelling reach the same document', async () => {
    const plain = await api('GET', '/api/v1/npm/@scope/widget/1.1.0/normalized');
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ name: '@scope/widget', version: '1.1.0' });
    for (const spelling of ['%40scope%2fwidget', '%40scope%2Fwidget', '@scope%2Fwidget']) {
      const other = await api('GET', `/api/v1/npm/${spelling}/1.1.0/normalized`);
      expect(other.text, spelling).toBe(plain.text);
    }
    expect(upstream.count(packumentPath('@scope/widget'))).toBe(1);
  });
});

describe('package and version routes', () => {
  it('GET /{ecosystem}/{name}: the package summary', async () => {
    const { status, body } = await api('GET', '/api/v1/npm/rest-demo');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ecosystem: 'npm',
      name: 'rest-demo',
      purl: 'pkg:npm/rest-demo',
      description: 'Demo utilities.',
      repository_url: 'https://github.com/demo-org/rest-demo',
      license: { spdx: 'MIT' },
      dist_tags: { latest: '2.0.0', next: '3.0.0-rc.1' },
      latest_version: '2.0.0',
      latest_prerelease: '3.0.0-rc.1',
      version_count: 3,
      is_stale: false,
    });
    expect(Date.parse(body.fetched_at)).not.toBeNaN();
  });

  it('GET /{ecosystem}/{name}/versions: every version, newest first, all pages', async () => {
    const { status, body } = await api('GET', '/api/v1/npm/rest-demo/versions');
    expect(status).toBe(200);
    expect(body).toMatchObject({ ecosystem: 'npm', name: 'rest-demo', count: 3 });
    expect(body.versions.map((v: { version: string }) => v.version)).toEqual(['3.0.0-rc.1', '2.0.0', '1.0.0']);
    expect(body.versions[2]).toEqual({
      ecosystem: 'npm', name: 'rest-demo', version: '1.0.0', purl: 'pkg:npm/rest-demo@1.0.0', release_date: '2020-01-01T00:00:00.000Z',
      status: 'deprecated', prerelease: false, yanked: false, deprecated: true, deprecated_message: 'use rest-demo@2',
    });
  });

  it('GET /versions walks past the connection page size (1000) to the end', async () => {
    const versions = Array.from({ length: 1203 }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`);
    upstream.setDocument(packumentPath('many-versions'), packument('many-versions', { versions }));
    const { status, body } = await api('GET', '/api/v1/npm/many-versions/versions');
    expect(status).toBe(200);
    expect(body.count).toBe(1203);
    expect(new Set(body.versions.map((v: { version: string }) => v.version)).size).toBe(1203);
    expect(body.versions[0].version).toBe('1.12.2');
    expect(body.versions.at(-1).version).toBe('1.0.0');
  });

  it('GET /{ecosystem}/{name}/{version}: version details', async () => {
    const { status, body } = await api('GET', '/api/v1/npm/rest-demo/2.0.0');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ecosystem: 'npm', name: 'rest-demo', version: '2.0.0', status: 'active', release_date: '2021-02-20T15:42:16.891Z',
      checksums: { sha512: hex('sha512', ARCHIVE_BYTES), sha1: hex('sha1', ARCHIVE_BYTES) },
      size_bytes: 123456,
      artifact_url: `${upstream.url}/rest-demo/-/rest-demo-2.0.0.tgz`,
      engines: { node: '>=18' },
      license: { spdx: 'MIT', name: 'MIT', source: 'package.json#license' },
    });
    expect(body.dependencies).toContainEqual({ name: 'react', package_name: 'react', constraint: '>=18', kind: 'peer', optional: true, bundled: false });
    expect(body.dependencies).toContainEqual({ name: 'fsevents', package_name: 'fsevents', constraint: '^2.3.0', kind: 'optional', optional: true, bundled: false });
    expect(body).not.toHaveProperty('extended');
  });

  it('GET /{ecosystem}/{name}/{version}/full: details plus the raw upstream document', async () => {
    const { status, body } = await api('GET', '/api/v1/npm/rest-demo/2.0.0/full');
    expect(status).toBe(200);
    expect(body).toMatchObject({ version: '2.0.0', checksums: { sha1: hex('sha1', ARCHIVE_BYTES) } });
    expect(body.extended).toMatchObject({ name: 'rest-demo', version: '2.0.0', peerDependenciesMeta: { react: { optional: true } }, dist: { unpackedSize: 123456 } });
  });

  it('404 for an unknown package and for an unknown version, saying which', async () => {
    const pkg = await api('GET', '/api/v1/npm/no-such-package-zz/1.0.0/normalized');
    expect(pkg.status).toBe(404);
    expect(pkg.body).toEqual({ error: { code: 'NOT_FOUND', message: 'npm package "no-such-package-zz" not found' } });
    const version = await api('GET', '/api/v1/npm/rest-demo/9.9.9');
    expect(version.status).toBe(404);
    expect(version.body).toEqual({ error: { code: 'NOT_FOUND', message: 'npm package "rest-demo" has no version "9.9.9"' } });
    for (const url of ['/api/v1/npm/no-such-package-zz', '/api/v1/npm/no-such-package-zz/versions', '/api/v1/npm/rest-demo/9.9.9/full', '/api/v1/npm/rest-demo/9.9.9/source']) {
      const answer = await api('GET', url);
      expect(answer.status, url).toBe(404);
      expect(answer.body.error.code, url).toBe('NOT_FOUND');
    }
    // a 404 is a read like any other: cacheable for a while
    expect(pkg.headers['cache-control']).toBe('public, max-age=60');
  });

  it('400 with the reason for an invalid name, and no upstream request', async () => {
    for (const url of ['/api/v1/npm/has%20space', '/api/v1/npm/@scope', '/api/v1/npm/..%2Fetc%2Fpasswd/1.0.0', `/api/v1/npm/${'a'.repeat(300)}`]) {
      const answer = await api('GET', url);
      expect(answer.status, url).toBe(400);
      expect(answer.body.error.code, url).toBe('INVALID_INPUT');
      expect(answer.body.error.message, url).toMatch(/name/i);
      expect(answer.headers['cache-control'], url).toBe('no-store');
    }
    expect(upstream.count()).toBe(0);
  });

  it('404 for unknown routes and ecosystems, 405 with Allow for a wrong method', async () => {
    const route = await api('GET', '/api/v1/npm/rest-demo/2.0.0/bogus');
    expect(route.status).toBe(404);
    expect(route.body.error.message).toMatch(/no route/);
    expect((await api('GET', '/api/v1/cocoapods/Alamofire')).status).toBe(404);
    const method = await api('GET', '/api/v1/npm/rest-demo/refresh');
    expect(method.status).toBe(405);
    expect(method.headers.allow).toBe('POST');
    expect(method.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect((await api('DELETE', '/api/v1/npm/rest-demo')).headers.allow).toBe('GET, HEAD');
  });
});

describe('HTTP caching', () => {
  it('reads carry an ETag of the body and Cache-Control; If-None-Match answers 304 without a body', async () => {
    const first = await api('GET', '/api/v1/npm/rest-demo/2.0.0/normalized');
    expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers.etag).toBe(`"${createHash('sha256').update(first.text).digest('base64url').slice(0, 32)}"`);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers['content-length']).toBe(String(Buffer.byteLength(first.text)));
    const again = await api('GET', '/api/v1/npm/rest-demo/2.0.0/normalized', { 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['cache-control']).toBe('public, max-age=60');
    expect((await api('GET', '/api/v1/npm/rest-demo/2.0.0/normalized', { 'if-none-match': `"stale", W/${first.headers.etag}` })).status).toBe(304);
    const changed = await api('GET', '/api/v1/npm/rest-demo/2.0.0/normalized', { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
    expect(changed.text).toBe(first.text);
    // another document, another tag
    expect((await api('GET', '/api/v1/npm/rest-demo/1.0.0/normalized')).headers.etag).not.toBe(first.headers.etag);
  });

  it('HEAD answers the headers of GET without a body', async () => {
    const get = await api('GET', '/api/v1/npm/rest-demo');
    const head = await api('HEAD', '/api/v1/npm/rest-demo');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('CORS: reads are open to any origin; the preflight allows the bearer header', async () => {
    expect((await api('GET', '/api/v1/stats')).headers['access-control-allow-origin']).toBe('*');
    const preflight = await api('OPTIONS', '/api/v1/npm/rest-demo/refresh', { origin: 'https://app.example', 'access-control-request-method': 'POST' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });
});

describe('mutations (no API keys configured)', () => {
  it('POST /{ecosystem}/{name}/refresh refetches now, with no-store', async () => {
    await api('GET', '/api/v1/npm/rest-demo');
    upstream.reset();
    const { status, body, headers } = await api('POST', '/api/v1/npm/rest-demo/refresh');
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'rest-demo', is_stale: false, version_count: 3 });
    expect(headers['cache-control']).toBe('no-store');
    expect(headers.etag).toBeUndefined();
    expect(upstream.count(packumentPath('rest-demo'))).toBe(1);
    const missing = await api('POST', '/api/v1/npm/no-such-package-zz/refresh');
    expect(missing.status).toBe(404);
  });

  it('POST .../source archives the source; GET .../source reports it', async () => {
    const before = await api('GET', '/api/v1/npm/rest-demo/2.0.0/source');
    expect(before.body).toEqual({ status: 'none', key: null, url: null, size: null, algorithm: null, digest: null, verified: false, stored_at: null, error: null });
    expect(before.headers['cache-control']).toBe('public, no-cache');
    const archived = await api('POST', '/api/v1/npm/rest-demo/2.0.0/source');
    expect(archived.status).toBe(200);
    expect(archived.headers['cache-control']).toBe('no-store');
    expect(archived.body).toMatchObject({ status: 'stored', key: 'sourceFiles/npm/rest-demo/2.0.0.tgz', size: 700, algorithm: 'sha512', digest: hex('sha512', ARCHIVE_BYTES), verified: true, error: null });
    expect(Date.parse(archived.body.stored_at)).not.toBeNaN();
    const after = await api('GET', '/api/v1/npm/rest-demo/2.0.0/source', { 'if-none-match': before.headers.etag! });
    expect(after.status).toBe(200);
    expect(after.body).toEqual(archived.body);
  });

  it('POST .../source: a tampered archive is a 502 with the reason; a missing version a 404', async () => {
    const tampered = await api('POST', '/api/v1/npm/rest-demo/1.0.0/source');
    expect(tampered.status).toBe(502);
    expect(tampered.body.error.code).toBe('UPSTREAM_INVALID');
    expect(tampered.body.error.message).toMatch(/sha512 mismatch/);
    expect((await api('GET', '/api/v1/npm/rest-demo/1.0.0/source')).body).toMatchObject({ status: 'failed', error: expect.stringMatching(/mismatch/) });
    const missing = await api('POST', '/api/v1/npm/rest-demo/9.9.9/source');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('npm package "rest-demo" has no version "9.9.9"');
    expect((await api('POST', '/api/v1/npm/no-such-package-zz/1.0.0/source')).status).toBe(404);
  });
});

describe('utility routes', () => {
  it('GET /packages searches the store (Query.search) with limit and offset', async () => {
    await api('GET', '/api/v1/npm/tiny-tool');
    await api('GET', '/api/v1/npm/rest-demo');
    const found = await api('GET', '/api/v1/packages?q=demo&ecosystem=npm&limit=5');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ query: 'demo', ecosystem: 'npm', limit: 5, offset: 0, total: 1, has_more: false });
    expect(found.body.results.map((p: { name: string }) => p.name)).toEqual(['rest-demo']);
    expect(found.body.results[0]).toMatchObject({ ecosystem: 'npm', latest_version: '2.0.0' });
    const all = await api('GET', '/api/v1/packages?q=t&limit=1');
    expect(all.body.total).toBeGreaterThanOrEqual(2);
    expect(all.body.has_more).toBe(true);
    const second = await api('GET', '/api/v1/packages?q=t&limit=1&offset=1');
    expect(second.body.results).toHaveLength(1);
    expect(second.body.results[0].name).not.toBe(all.body.results[0].name);
    const bad = await api('GET', '/api/v1/packages?q=demo&limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: 'INVALID_INPUT', message: 'limit: at most 100' });
  });

  it('GET /packages/bulk: names and versions in the order asked, found or not', async () => {
    const { status, body } = await api('GET', '/api/v1/packages/bulk?packages=npm:rest-demo:2.0.0,npm:tiny-tool,npm:no-such-package-zz,npm:rest-demo:9.9.9,npm:@scope/widget:latest');
    expect(status).toBe(200);
    expect(body.count).toBe(5);
    expect(body.results.map((r: { request: string; found: boolean }) => [r.request, r.found])).toEqual([
      ['npm:rest-demo:2.0.0', true],
      ['npm:tiny-tool', true],
      ['npm:no-such-package-zz', false],
      ['npm:rest-demo:9.9.9', false],
      ['npm:@scope/widget:latest', true],
    ]);
    expect(body.results[0]).toMatchObject({ ecosystem: 'npm', name: 'rest-demo', version: '2.0.0', data: { version: '2.0.0', checksums: { sha1: hex('sha1', ARCHIVE_BYTES) } } });
    expect(body.results[1].data).toMatchObject({ name: 'tiny-tool', latest_version: '1.2.0', version_count: 5 });
    expect(body.results[2].data).toBeNull();
    expect(body.results[4].data).toMatchObject({ name: '@scope/widget', version: '1.1.0' });
  });

  it('GET /packages/bulk: an entry the registry rules reject is a 400 naming that entry', async () => {
    const { status, body } = await api('GET', '/api/v1/packages/bulk?packages=npm:tiny-tool,npm:rest-demo:2.0.0,npm:bad%20name');
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toMatch(/^packages: entry 3 "npm:bad name": /);
  });

  it('GET /stats: counts per ecosystem and the backends', async () => {
    const { status, body, headers } = await api('GET', '/api/v1/stats');
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('public, max-age=10');
    expect(body.backends).toEqual({ documents: 'sqlite', blobs: 'filesystem' });
    expect(body.packages).toBeGreaterThanOrEqual(3);
    expect(body.ecosystems.npm).toEqual({ packages: body.packages, versions: body.versions, sources: 1, source_bytes: 700 });
    const graphql = await gw.query('{ stats { packages versions sources sourceBytes } }');
    expect(graphql.data.stats).toEqual({ packages: body.packages, versions: body.versions, sources: body.sources, sourceBytes: body.source_bytes });
  });
});

describe('OpenAPI and docs', () => {
  it('serves the OpenAPI 3.1 document of these routes', async () => {
    const { status, body, headers } = await api('GET', '/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(headers.etag).toBeDefined();
    expect(body.openapi).toBe('3.1.0');
    expect(body.servers).toEqual([{ url: '/api/v1' }]);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/{ecosystem}/{name}/{version}/normalized', '/go/{module}/@v/{version}', '/packagist/{vendor}/{package}/{version}', '/maven/{groupId}/{artifactId}', '/packages/bulk', '/stats']));
    expect(body.paths['/{ecosystem}/{name}/{version}/normalized'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Normalized' });
    expect(body.paths['/{ecosystem}/{name}/refresh'].post.security).toEqual([{ bearerAuth: [] }, {}]);
  });

  it('serves the docs page at /docs: HTML, no scripts', async () => {
    const { status, text, headers } = await api('GET', '/docs');
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text).toContain('/api/v1/{ecosystem}/{name}/{version}/normalized');
    expect(text).toContain('query RestNormalized');
    expect(text).not.toContain('<script');
    expect((await api('POST', '/docs')).status).toBe(405);
  });

  it('leaves /graphql, /healthz and the rest to the gateway', async () => {
    expect((await api('GET', '/healthz')).status).toBe(200);
    expect((await gw.query('{ package(ecosystem: NPM, name: "rest-demo") { name } }')).data).toEqual({ package: { name: 'rest-demo' } });
  });
});
