import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { packument, packumentPath } from './helpers/packument.js';

const LODASH = `{ package(ecosystem: NPM, name: "lodash") { name versionCount latestVersion { version normalized { license { spdx } } } } }`;

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeNpm();
});
afterAll(async () => {
  await upstream.close();
});

describe('fetch-on-demand', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    upstream.reset();
    gw = await startTestGateway(upstream.url);
  });
  afterEach(async () => gw.close());

  it('fetches a package on a miss, stores it, and answers again from the store', async () => {
    const first = await gw.query(LODASH);
    expect(first.errors).toBeUndefined();
    expect(first.data.package.name).toBe('lodash');
    expect(first.data.package.latestVersion.normalized.license.spdx).toBe('MIT');
    expect(upstream.count('/lodash')).toBe(1);

    const second = await gw.query(LODASH);
    expect(second.data).toEqual(first.data);
    expect(upstream.count('/lodash')).toBe(1);

    const stats = await gw.query('{ stats { packages versions ecosystems { ecosystem packages versions } } }');
    expect(stats.data.stats.packages).toBe(1);
    expect(stats.data.stats.versions).toBe(first.data.package.versionCount);
    expect(stats.data.stats.ecosystems).toEqual([{ ecosystem: 'NPM', packages: 1, versions: first.data.package.versionCount }]);
  });

  it('makes exactly one upstream request for 100 concurrent identical queries', async () => {
    upstream.setDocument('/single-flight', packument('single-flight'));
    upstream.script('/single-flight', [{ fixture: true, delayMs: 200 }]);
    const results = await Promise.all(Array.from({ length: 100 }, () => gw.query('{ package(ecosystem: NPM, name: "single-flight") { name versionCount } }')));
    for (const result of results) expect(result.data.package).toEqual({ name: 'single-flight', versionCount: 2 });
    expect(upstream.count('/single-flight')).toBe(1);
  });

  it('answers an upstream 404 with null and remembers it (negative cache)', async () => {
    const query = '{ package(ecosystem: NPM, name: "no-such-package-zz") { name } }';
    expect((await gw.query(query)).data).toEqual({ package: null });
    expect((await gw.query(query)).data).toEqual({ package: null });
    expect(upstream.count('/no-such-package-zz')).toBe(1);
  });

  it('forgets a 404 after the negative-cache TTL', async () => {
    await gw.close();
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_NEGATIVE_CACHE_TTL: '0.2' });
    const query = '{ package(ecosystem: NPM, name: "appears-later") { name } }';
    expect((await gw.query(query)).data).toEqual({ package: null });
    upstream.setDocument('/appears-later', packument('appears-later'));
    expect((await gw.query(query)).data).toEqual({ package: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await gw.query(query)).data).toEqual({ package: { name: 'appears-later' } });
    expect(upstream.count('/appears-later')).toBe(2);
  });

  it('rejects invalid names with INVALID_INPUT and makes no upstream request', async () => {
    for (const name of ['../etc/passwd', '', 'has space', 'name<with>brackets', '@scope/', 'a'.repeat(300), 'node_modules', '.hidden']) {
      const result = await gw.query('query ($name: String!) { package(ecosystem: NPM, name: $name) { name } }', { name });
      expect(result.errors?.[0]?.extensions?.code, name).toBe('INVALID_INPUT');
      expect(result.errors?.[0]?.message, name).toMatch(/name|empty|long/i);
    }
    expect(upstream.count()).toBe(0);
  });


  it('refreshPackage refetches at once', async () => {
    await gw.query(LODASH);
    const result = await gw.query('mutation { refreshPackage(ecosystem: NPM, name: "lodash") { name isStale } }');
    expect(result.data).toEqual({ refreshPackage: { name: 'lodash', isStale: false } });
    expect(upstream.count('/lodash')).toBe(2);
    expect(upstream.requests.at(-1)?.headers['if-none-match']).toMatch(/^"/);
  });
});

describe('freshness', () => {
  let gw: TestGateway;
  afterEach(async () => gw.close());
  beforeEach(() => upstream.reset());

  it('revalidates with If-None-Match; a 304 keeps the stored copy and bumps fetchedAt', async () => {
    gw = await startTestGateway(upstream.url);
    const query = '{ package(ecosystem: NPM, name: "lodash", maxAge: 0) { fetchedAt versionCount isStale } }';
    const first = await gw.query(query);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await gw.query(query);
    expect(upstream.count('/lodash')).toBe(2);
    expect(upstream.requests[1]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(second.data.package.versionCount).toBe(first.data.package.versionCount);
    expect(Date.parse(second.data.package.fetchedAt)).toBeGreaterThan(Date.parse(first.data.package.fetchedAt));
    expect(second.data.package.isStale).toBe(false);
  });

  it('serves a stale copy at once and refreshes it in the background (stale-while-revalidate)', async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_CACHE_TTL: '0' });
    upstream.setDocument('/swr-pkg', packument('swr-pkg', { versions: ['1.0.0'] }));
    const query = '{ package(ecosystem: NPM, name: "swr-pkg") { isStale latestVersion { version } } }';
    expect((await gw.query(query)).data.package.latestVersion.version).toBe('1.0.0');
    upstream.setDocument('/swr-pkg', packument('swr-pkg', { versions: ['1.0.0', '2.0.0'] }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const stale = await gw.query(query);
    expect(stale.data.package).toEqual({ isStale: true, latestVersion: { version: '1.0.0' } });
    await gw.gateway.service.settle();
    expect((await gw.query(query)).data.package.latestVersion.version).toBe('2.0.0');
    expect(upstream.count('/swr-pkg')).toBeGreaterThanOrEqual(2);
  });

  it('serves the stored copy marked stale when the upstream fails (stale-if-error)', async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_HTTP_RETRIES: '1' });
    await gw.query(LODASH);
    upstream.script('/lodash', [{ status: 503 }, { status: 500 }]);
    const result = await gw.query('{ package(ecosystem: NPM, name: "lodash", maxAge: 0) { name isStale latestVersion { version } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.package.isStale).toBe(true);
    expect(result.data.package.latestVersion.version).toBeTruthy();
    expect(upstream.count('/lodash')).toBe(3);
  });
  it('does not ask a failing registry again on every stale read (cool-down)', async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_CACHE_TTL: '0', SCOUT_REGISTRY_HTTP_RETRIES: '0' });
    upstream.setDocument('/cooldown-pkg', packument('cooldown-pkg'));
    await gw.query('{ package(ecosystem: NPM, name: "cooldown-pkg") { name } }');
    upstream.script('/cooldown-pkg', Array.from({ length: 10 }, () => ({ status: 503 })));
    for (let i = 0; i < 5; i++) {
      const result = await gw.query('{ package(ecosystem: NPM, name: "cooldown-pkg") { name isStale } }');
      expect(result.data.package).toEqual({ name: 'cooldown-pkg', isStale: true });
      await gw.gateway.service.settle();
    }
    expect(upstream.count('/cooldown-pkg')).toBe(2);
  });
});

describe('upstream faults', () => {
  let gw: TestGateway;
  afterEach(async () => gw.close());
  beforeEach(() => upstream.reset());

  it('retries a 429 after the Retry-After delay and then answers', async () => {
    gw = await startTestGateway(upstream.url);
    upstream.script('/lodash', [{ status: 429, headers: { 'retry-after': '1' } }]);
    const result = await gw.query(LODASH);
    expect(result.errors).toBeUndefined();
    expect(result.data.package.name).toBe('lodash');
    const [first, second] = upstream.requests.filter((r) => r.path === '/lodash');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries 5xx and connection resets with backoff', async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_HTTP_RETRIES: '3' });
    upstream.script('/lodash', [{ status: 502 }, { reset: true }, { status: 503 }]);
    const result = await gw.query(LODASH);
    expect(result.errors).toBeUndefined();
    expect(upstream.count('/lodash')).toBe(4);
  });

  it('fails fast with RATE_LIMITED when Retry-After is longer than the cap', async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY: '5' });
    upstream.script('/lodash', [{ status: 429, headers: { 'retry-after': '3600' } }]);
    const result = await gw.query(LODASH);
    expect(result.data).toEqual({ package: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 3600 });
    expect(upstream.count('/lodash')).toBe(1);
  });

  it('gives UPSTREAM_UNAVAILABLE after the retries run out, and stores nothing', async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_HTTP_RETRIES: '2' });
    upstream.script('/lodash', [{ status: 500 }, { status: 500 }, { status: 500 }]);
    const result = await gw.query(LODASH);
    expect(result.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(result.errors?.[0]?.message).not.toMatch(/at .*\.ts/);
    expect(upstream.count('/lodash')).toBe(3);
    expect((await gw.query('{ stats { packages } }')).data.stats.packages).toBe(0);
  });

  it('rejects a body over the size cap (also after decompression) with UPSTREAM_INVALID', async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_MAX_RESPONSE_BYTES: '2000', SCOUT_REGISTRY_HTTP_RETRIES: '0' });
    const plain = await gw.query(LODASH);
    expect(plain.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID');
    expect(plain.errors?.[0]?.message).toMatch(/2000-byte limit/);
    upstream.compression = 'gzip';
    try {
      const gzipped = await gw.query('{ package(ecosystem: NPM, name: "lodash", maxAge: 0) { name } }');
      expect(gzipped.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID');
    } finally {
      upstream.compression = null;
    }
  });

  it('decodes gzip and brotli bodies', async () => {
    gw = await startTestGateway(upstream.url);
    for (const compression of ['gzip', 'br'] as const) {
      upstream.compression = compression;
      const result = await gw.query('{ package(ecosystem: NPM, name: "lodash", maxAge: 0) { name } }');
      expect(result.data, compression).toEqual({ package: { name: 'lodash' } });
      expect(upstream.requests.at(-1)?.headers['accept-encoding']).toMatch(/gzip/);
    }
    upstream.compression = null;
  });

  it('treats invalid JSON and a packument for another package as UPSTREAM_INVALID, storing nothing', async () => {
    gw = await startTestGateway(upstream.url);
    upstream.script('/lodash', [{ status: 200, body: '{"name": "lodash", "versions": {' }]);
    const garbage = await gw.query(LODASH);
    expect(garbage.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID');
    upstream.script('/lodash', [{ status: 200, body: packument('underscore') }]);
    const wrong = await gw.query(LODASH);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID');
    expect((await gw.query('{ stats { packages } }')).data.stats.packages).toBe(0);
    // and the gateway keeps serving
    expect((await gw.query(LODASH)).data.package.name).toBe('lodash');
  });
});

describe('batching', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    upstream.reset();
    gw = await startTestGateway(upstream.url);
  });
  afterEach(async () => gw.close());

  it('reads 20 packages of one query with a single store read', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `batch-pkg-${i}`);
    for (const name of names) upstream.setDocument(packumentPath(name), packument(name));
    const query = `{ ${names.map((name, i) => `p${i}: package(ecosystem: NPM, name: "${name}") { name latestVersion { version } }`).join('\n')} }`;
    const cold = await gw.query(query);
    expect(cold.errors).toBeUndefined();
    expect(upstream.count()).toBe(20);

    const documents = gw.gateway.stores.documents;
    const calls = { getPackages: 0, getVersions: 0 };
    const originalPackages = documents.getPackages.bind(documents);
    const originalVersions = documents.getVersions.bind(documents);
    documents.getPackages = (keys) => { calls.getPackages++; return originalPackages(keys); };
    documents.getVersions = (keys) => { calls.getVersions++; return originalVersions(keys); };
    const warm = await gw.query(query);
    expect(warm.data).toEqual(cold.data);
    expect(calls).toEqual({ getPackages: 1, getVersions: 1 });
    expect(upstream.count()).toBe(20);
  });

  it('keeps order and nulls in bulk lookups', async () => {
    const result = await gw.query(`{
      packages(refs: [{ ecosystem: NPM, name: "lodash" }, { ecosystem: NPM, name: "missing-one-zz" }, { ecosystem: NPM, name: "lodash" }]) { name }
      versions(refs: [{ ecosystem: NPM, name: "lodash", version: "0.0.0-nope" }, { ecosystem: NPM, name: "lodash", version: "latest" }]) { name version }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.packages).toEqual([{ name: 'lodash' }, null, { name: 'lodash' }]);
    expect(result.data.versions[0]).toBeNull();
    expect(result.data.versions[1].name).toBe('lodash');
    expect(upstream.count('/lodash')).toBe(1);
  });

  it('names the bad ref in a bulk lookup', async () => {
    const result = await gw.query('{ packages(refs: [{ ecosystem: NPM, name: "lodash" }, { ecosystem: NPM, name: "bad name" }]) { name } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/^refs\[1\]/);
    expect(upstream.count()).toBe(0);
  });
});

describe('versions, ids and purls', () => {
  let gw: TestGateway;
  const versions = Array.from({ length: 60 }, (_, i) => `1.${i}.0`).concat(['2.0.0-rc.1']);
  beforeAll(async () => {
    upstream.setDocument('/many-versions', packument('many-versions', { versions, latest: '1.59.0' }));
    gw = await startTestGateway(upstream.url);
  });
  afterAll(async () => gw.close());

  it('pages versions newest first with cursors', async () => {
    const page = '($after: String) { package(ecosystem: NPM, name: "many-versions") { versionCount latestVersion { version } latestPrerelease { version } versions(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { version } } } } }';
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const result: any = await gw.query(`query ${page}`, { after });
      expect(result.errors).toBeUndefined();
      const connection = result.data.package.versions;
      expect(connection.totalCount).toBe(61);
      seen.push(...connection.edges.map((e: any) => e.node.version));
      after = connection.pageInfo.endCursor;
      if (!connection.pageInfo.hasNextPage) break;
      expect(result.data.package.latestVersion.version).toBe('1.59.0');
      expect(result.data.package.latestPrerelease.version).toBe('2.0.0-rc.1');
    }
    expect(seen).toHaveLength(61);
    expect(seen.slice(0, 3)).toEqual(['2.0.0-rc.1', '1.59.0', '1.58.0']);
    expect(new Set(seen).size).toBe(61);
  });

  it('filters prereleases and rejects foreign cursors and oversize pages', async () => {
    const filtered = await gw.query('{ package(ecosystem: NPM, name: "many-versions") { versions(first: 1, includePrereleases: false) { totalCount edges { node { version } } } } }');
    expect(filtered.data.package.versions).toEqual({ totalCount: 60, edges: [{ node: { version: '1.59.0' } }] });
    const badCursor = await gw.query('{ package(ecosystem: NPM, name: "many-versions") { versions(first: 1, after: "nope") { totalCount } } }');
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    const tooMany = await gw.query('{ package(ecosystem: NPM, name: "many-versions") { versions(first: 5000) { totalCount } } }');
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(tooMany.errors?.[0]?.message).toMatch(/first/);
  });

  it('round-trips global ids through Query.node and resolves purls', async () => {
    const result = await gw.query('{ package(ecosystem: NPM, name: "many-versions") { id purl version(version: "1.2.0") { id purl } } }');
    const pkg = result.data.package;
    expect(pkg.purl).toBe('pkg:npm/many-versions');
    expect(pkg.version.purl).toBe('pkg:npm/many-versions@1.2.0');
    const nodes = await gw.query('query ($a: ID!, $b: ID!) { a: node(id: $a) { __typename ... on Package { name } } b: node(id: $b) { __typename ... on Version { version } } }', { a: pkg.id, b: pkg.version.id });
    expect(nodes.data).toEqual({ a: { __typename: 'Package', name: 'many-versions' }, b: { __typename: 'Version', version: '1.2.0' } });
    const byPurl = await gw.query('{ packageByPurl(purl: "pkg:npm/many-versions") { name } versionByPurl(purl: "pkg:npm/many-versions@1.3.0") { version } }');
    expect(byPurl.data).toEqual({ packageByPurl: { name: 'many-versions' }, versionByPurl: { version: '1.3.0' } });
    const badPurl = await gw.query('{ packageByPurl(purl: "not a purl") { name } }');
    expect(badPurl.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });

  it('serves the raw upstream version document as extended data', async () => {
    const result = await gw.query('{ version(ecosystem: NPM, name: "many-versions", version: "1.4.0") { extended } }');
    expect(result.data.version.extended).toMatchObject({ name: 'many-versions', version: '1.4.0', dist: { unpackedSize: 1004 } });
  });
});

describe('dependencies', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    upstream.reset();
    upstream.setDocument('/app', packument('app', { versions: ['1.0.0'], dependencies: { lib: '^2.0.0', 'lib-old': 'npm:lib@^1.0.0', 'git-dep': 'github:user/repo' } }));
    upstream.setDocument('/lib', packument('lib', { versions: ['1.5.0', '2.1.0'] }));
    gw = await startTestGateway(upstream.url);
  });
  afterAll(async () => gw.close());

  it('follows dependencies to their packages, aliases included, in one query', async () => {
    const result = await gw.query('{ version(ecosystem: NPM, name: "app", version: "1.0.0") { dependencies(kinds: [RUNTIME]) { name packageName constraint kind package { name latestVersion { version } } } } }');
    expect(result.errors).toBeUndefined();
    const deps = result.data.version.dependencies;
    expect(deps).toContainEqual({ name: 'lib', packageName: 'lib', constraint: '^2.0.0', kind: 'RUNTIME', package: { name: 'lib', latestVersion: { version: '2.1.0' } } });
    expect(deps).toContainEqual({ name: 'lib-old', packageName: 'lib', constraint: 'npm:lib@^1.0.0', kind: 'RUNTIME', package: { name: 'lib', latestVersion: { version: '2.1.0' } } });
    expect(deps.find((d: { name: string }) => d.name === 'git-dep').package).toBeNull();
    expect(upstream.count('/lib')).toBe(1);
  });
});

describe('http surface', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(upstream.url);
  });
  afterAll(async () => gw.close());

  it('serves GraphiQL from its own assets (no CDN) and a health check', async () => {
    const page = await fetch(`${gw.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/Scout Registry/);
    expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr/);
    const health = await fetch(`${gw.gateway.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('reports GraphQL syntax and validation errors as they are, not as INTERNAL', async () => {
    const syntax = await gw.query('{ package(');
    expect(syntax.errors?.[0]?.message).toMatch(/Syntax Error/);
    const unknownField = await gw.query('{ nope }');
    expect(unknownField.errors?.[0]?.message).toMatch(/Cannot query field "nope"/);
    const badEnum = await gw.query('{ package(ecosystem: CPAN, name: "x") { name } }');
    expect(badEnum.errors?.[0]?.message).toMatch(/Ecosystem/);
    for (const error of [...(syntax.errors ?? []), ...(unknownField.errors ?? []), ...(badEnum.errors ?? [])]) expect(error.extensions?.code).not.toBe('INTERNAL');
  });
});

describe('re-normalizing stored raw data', () => {
  it('rebuilds the documents from the stored raw upstream data without any upstream request', async () => {
    upstream.reset();
    const gw = await startTestGateway(upstream.url);
    try {
      const query = '{ package(ecosystem: NPM, name: "@scope/widget") { description versionCount latestVersion { version license { spdx } dependencies { name kind } } } }';
      const before = await gw.query(query);
      expect(before.errors).toBeUndefined();
      // Simulate documents written by an older, worse normalizer.
      const db = new Database(path.join(gw.dataDir, 'scout-registry.sqlite'));
      db.prepare("UPDATE packages SET doc = json_set(doc, '$.description', 'stale text')").run();
      db.prepare("UPDATE versions SET doc = json_set(doc, '$.dependencies', json('[]'), '$.license', NULL)").run();
      db.close();
      expect((await gw.query(query)).data.package.description).toBe('stale text');

      const requests = upstream.count();
      expect(await gw.gateway.service.renormalize({ ecosystem: 'npm', name: '@scope/widget' })).toBe(true);
      expect(await gw.query(query)).toEqual(before);
      expect(upstream.count()).toBe(requests);
    } finally {
      await gw.close();
    }
  });
});
