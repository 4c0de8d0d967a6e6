import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createNuGetAdapter, SERVICE_INDEX_TTL_MS } from '../src/ecosystems/nuget/index.js';
import type { FetchContext, Validators } from '../src/ecosystems/types.js';
import { UpstreamError } from '../src/errors.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, testEnv, type TestGateway } from './helpers/gateway.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'nuget');
const INDEX = '/v3/index.json';
const WIDGETS = '/v3/registration5-gz-semver2/contoso.widgets/index.json';
const PAGED = '/v3/registration5-gz-semver2/contoso.paged/index.json';
const PAGES = [
  '/v3/registration5-gz-semver2/contoso.paged/page/0.1.0/0.3.0-alpha.json',
  '/v3/registration5-gz-semver2/contoso.paged/page/0.3.0/1.0.0.json',
  '/v3/registration5-gz-semver2/contoso.paged/page/1.0.1/1.1.0.json',
];

/** NuGet documents carry absolute URLs: the fixtures name nuget.org and are served pointing at the fake. */
function serveNuGetFixtures(fake: FakeUpstream, dir = FIXTURES, prefix = ''): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) serveNuGetFixtures(fake, file, `${prefix}/${entry.name}`);
    else fake.setDocument(`${prefix}/${entry.name}`, fs.readFileSync(file, 'utf8').replaceAll('https://api.nuget.org', fake.url), 'application/json');
  }
}

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeRegistry('nuget');
  serveNuGetFixtures(fake);
});
afterAll(async () => fake.close());

function httpClient(env: Record<string, string> = {}): HttpUpstreamClient {
  return new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_HTTP_RETRIES: '0', ...env })), { logger: pino({ level: 'silent' }) });
}

describe('NuGet fetch through the HTTP client', () => {
  let http: HttpUpstreamClient;
  const context = (conditional: Validators | null = null): FetchContext => ({ http, conditional });
  const adapter = (options: { now?: () => number } = {}) => createNuGetAdapter({ baseUrl: `${fake.url}/v3/`, ...options });

  beforeEach(() => {
    fake.reset();
    fake.compression = null;
    serveNuGetFixtures(fake);
    http = httpClient();
  });

  it('reads an inlined registration with two requests (service index, index), gzip-encoded', async () => {
    fake.compression = 'gzip';
    const result = await adapter().fetch('Contoso.Widgets', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(fake.requests.map((r) => r.path)).toEqual([INDEX, WIDGETS]);
    expect(Object.keys(result.raw.versions)).toHaveLength(9);
    expect(result.validators.etag).toMatch(/^"/);
  });

  it('fetches every non-inlined page concurrently, after the index', async () => {
    for (const page of PAGES) fake.script(page, [{ fixture: true, delayMs: 150 }]);
    const result = await adapter().fetch('contoso.paged', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(fake.requests.slice(0, 2).map((r) => r.path)).toEqual([INDEX, PAGED]);
    expect(fake.requests.slice(2).map((r) => r.path).sort()).toEqual([...PAGES].sort());
    // All three pages were in flight at once (each held 150 ms), so they cost one round trip, not three.
    expect(fake.maxInFlight).toBe(3);
    expect(Object.keys(result.raw.versions).sort()).toEqual(['0.1.0', '0.2.0', '0.3.0', '0.3.0-alpha', '1.0.0', '1.0.0-beta', '1.0.1', '1.1.0']);
  });

  it('keeps the service index in memory for its TTL, and one request serves concurrent fetches', async () => {
    let now = 1_000_000;
    const nuget = adapter({ now: () => now });
    await Promise.all([nuget.fetch('contoso.widgets', context()), nuget.fetch('contoso.paged', context())]);
    expect(fake.count(INDEX)).toBe(1);
    await nuget.fetch('contoso.widgets', context());
    expect(fake.count(INDEX)).toBe(1);
    now += SERVICE_INDEX_TTL_MS + 1;
    await nuget.fetch('contoso.widgets', context());
    expect(fake.count(INDEX)).toBe(2);
  });

  it('does not cache a failed service index', async () => {
    fake.script(INDEX, [{ status: 500 }]);
    const nuget = adapter();
    await expect(nuget.fetch('contoso.widgets', context())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect((await nuget.fetch('contoso.widgets', context())).kind).toBe('ok');
    expect(fake.count(INDEX)).toBe(2);
  });

  it('falls back to an older registration hive when 3.6.0 is not offered', async () => {
    const index = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'v3', 'index.json'), 'utf8')) as { resources: Array<{ '@type': string }> };
    index.resources = index.resources.filter((r) => !r['@type'].startsWith('RegistrationsBaseUrl/3.'));
    fake.setDocument(INDEX, JSON.stringify(index).replaceAll('https://api.nuget.org', fake.url));
    fake.setDocument('/v3/registration5-semver1/contoso.widgets/index.json', fs.readFileSync(path.join(FIXTURES, WIDGETS), 'utf8').replaceAll('https://api.nuget.org', fake.url));
    const result = await adapter().fetch('contoso.widgets', context());
    expect(result.kind).toBe('ok');
    expect(fake.requests.map((r) => r.path)).toEqual([INDEX, '/v3/registration5-semver1/contoso.widgets/index.json']);
    serveNuGetFixtures(fake);
  });

  it('revalidates the registration index: 304 -> not-modified, no page requests', async () => {
    const nuget = adapter();
    const first = await nuget.fetch('contoso.paged', context());
    if (first.kind !== 'ok') throw new Error(first.kind);
    fake.reset();
    const second = await nuget.fetch('contoso.paged', context(first.validators));
    expect(second).toEqual({ kind: 'not-modified', validators: first.validators });
    expect(fake.requests.map((r) => [r.path, r.headers['if-none-match']])).toEqual([[PAGED, first.validators.etag]]);
  });

  it('answers a missing package with not-found, and a missing service index as unavailable', async () => {
    expect(await adapter().fetch('No.Such.Package', context())).toEqual({ kind: 'not-found' });
    const misconfigured = createNuGetAdapter({ baseUrl: `${fake.url}/nope` });
    await expect(misconfigured.fetch('contoso.widgets', context())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: /service index not found/ });
  });

  it('rejects invalid ids without any request', async () => {
    for (const id of ['', '.x', 'a b', '../v3/index', 'x'.repeat(101), 'a..b']) {
      await expect(adapter().fetch(id, context()), id).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(fake.count()).toBe(0);
  });

  it('skips a leaf without a usable catalog entry and reads inlined pages without @id or leaves without id', async () => {
    // Shapes seen from non-nuget.org feeds: an inlined page with no @id, catalog entries trimmed to version/listed.
    const base = '/v3/registration5-gz-semver2';
    fake.setDocument(`${base}/contoso.trimmed/index.json`, {
      count: 1,
      items: [
        {
          count: 3,
          lower: '1.0.0',
          upper: '2.0.0',
          items: [
            { '@id': 'x2', catalogEntry: { listed: true, version: '2.0.0', published: '2024-01-02T00:00:00Z', projectUrl: '' }, packageContent: `${fake.url}/flat/contoso.trimmed.2.0.0.nupkg` },
            { '@id': 'x15', catalogEntry: { id: 'Contoso.Trimmed', listed: true, published: '2023-06-01T00:00:00Z' } },
            { '@id': 'x1', catalogEntry: { id: 'Contoso.Trimmed', version: '1.0.0', published: '2023-01-02T00:00:00Z' } },
          ],
        },
      ],
    });
    const result = await adapter().fetch('contoso.trimmed', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(Object.keys(result.raw.versions)).toEqual(['2.0.0', '1.0.0']);
    const normalized = adapter().normalize('contoso.trimmed', result.raw);
    expect(normalized.package).toMatchObject({ latestVersion: '2.0.0', versionCount: 2, displayName: 'Contoso.Trimmed' });
    expect(normalized.versions[0]).toMatchObject({ version: '2.0.0', releaseDate: '2024-01-02T00:00:00.000Z', artifactUrl: `${fake.url}/flat/contoso.trimmed.2.0.0.nupkg` });
  });

  it('turns wrong shapes into UPSTREAM_INVALID', async () => {
    const base = '/v3/registration5-gz-semver2';
    const leaf = (id: string) => ({ '@id': 'x', catalogEntry: { id, version: '1.0.0' }, packageContent: `${fake.url}/x.nupkg` });
    fake.setDocument(`${base}/not.json/index.json`, '{"items": [', 'application/json');
    fake.setDocument(`${base}/no.items/index.json`, { count: 1 });
    fake.setDocument(`${base}/no.entry/index.json`, { items: [{ '@id': 'p', items: [{ '@id': 'x' }] }] });
    fake.setDocument(`${base}/other.id/index.json`, { items: [{ '@id': 'p', items: [leaf('Someone.Else')] }] });
    fake.setDocument(`${base}/lost.page/index.json`, { items: [{ '@id': `${fake.url}${base}/lost.page/page/1.json`, count: 1 }] });
    fake.setDocument(`${base}/far.page/index.json`, { items: [{ '@id': 'http://127.0.0.2:9/page.json', count: 1 }] });
    fake.setDocument(`${base}/bad.page/index.json`, { items: [{ '@id': `${fake.url}${base}/bad.page/page/1.json`, count: 1 }] });
    fake.setDocument(`${base}/bad.page/page/1.json`, { '@id': 'p', lower: '1.0.0' });
    fake.setDocument(`${base}/nameless.page/index.json`, { items: [{ count: 1, lower: '1.0.0', upper: '1.0.0' }] });
    for (const id of ['not.json', 'no.items', 'no.entry', 'other.id', 'lost.page', 'far.page', 'bad.page', 'nameless.page']) {
      const error = await adapter().fetch(id, context()).catch((caught: unknown) => caught);
      expect(error, id).toBeInstanceOf(UpstreamError);
      expect(error, id).toMatchObject({ code: 'UPSTREAM_INVALID' });
    }
    // The page on another host was never requested.
    expect(fake.requests.some((r) => r.path === '/page.json')).toBe(false);
    fake.setDocument(INDEX, { resources: [{ '@id': `${fake.url}/search`, '@type': 'SearchQueryService' }] });
    await expect(adapter().fetch('contoso.widgets', context())).rejects.toMatchObject({ code: 'UPSTREAM_INVALID', message: /RegistrationsBaseUrl/ });
  });
});

describe('NuGet through the gateway', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    fake.reset();
    fake.compression = 'gzip';
    serveNuGetFixtures(fake);
    gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_NUGET_URL: `${fake.url}/v3` });
  });
  afterEach(async () => gw.close());

  it('serves package, versions and normalized data, case-insensitively by id', async () => {
    const listing = await gw.query(`{ package(ecosystem: NUGET, name: "Contoso.Widgets") {
      name purl versionCount latestVersion { version } latestPrerelease { version } license { spdx source }
      versions(first: 20) { edges { node { version status isDeprecated deprecationMessage publishedAt isPrerelease } } } } }`);
    expect(listing.errors).toBeUndefined();
    expect(listing.data.package).toMatchObject({
      name: 'contoso.widgets',
      purl: 'pkg:nuget/contoso.widgets',
      versionCount: 9,
      latestVersion: { version: '2.0.0' },
      latestPrerelease: { version: '2.1.0-beta.10' },
      license: { spdx: 'MIT', source: 'catalogEntry.licenseExpression' },
    });
    const nodes = listing.data.package.versions.edges.map((edge: { node: { version: string } }) => edge.node) as Array<Record<string, unknown>>;
    expect(nodes.map((n) => n.version)).toEqual(['2.1.0-beta.10', '2.1.0-beta.2', '2.0.0', '1.2.0.5', '1.1.0', '1.1.0-rc2', '1.1.0-RC1', '1.0.1', '1.0.0']);
    expect(nodes.find((n) => n.version === '1.0.1')).toMatchObject({ status: 'UNLISTED', publishedAt: null });
    expect(nodes.find((n) => n.version === '1.1.0')).toMatchObject({ status: 'DEPRECATED', isDeprecated: true, deprecationMessage: expect.stringContaining('Alternative package: Contoso.Gadgets [2.0.0, )') });

    const detail = await gw.query(`{ version(ecosystem: NUGET, name: "contoso.WIDGETS", version: "1.0.0") {
      artifactUrl dependencies { name packageName constraint kind }
      normalized { license { spdx } maintainers { name } keywords dependencies { runtime { name constraint } } }
      extended } }`);
    expect(detail.errors).toBeUndefined();
    expect(detail.data.version.artifactUrl).toBe(`${fake.url}/v3-flatcontainer/contoso.widgets/1.0.0/contoso.widgets.1.0.0.nupkg`);
    expect(detail.data.version.dependencies.map((d: { name: string; constraint: string }) => `${d.name} ${d.constraint}`)).toEqual([
      'Contoso.Core [1.0.0, )',
      'System.Memory [4.5.4, )',
      'Contoso.Core [1.0.0, 2.0.0)',
    ]);
    expect(detail.data.version.normalized).toMatchObject({ license: { spdx: 'MIT' }, maintainers: [{ name: 'Ada Example' }, { name: 'Bob Example' }], keywords: ['widgets', 'ui'] });
    // Vulnerabilities are reachable through the raw leaf.
    expect(detail.data.version.extended.catalogEntry.vulnerabilities[0]).toMatchObject({ severity: '2' });
    expect(fake.count(INDEX)).toBe(1);
    expect(fake.count(WIDGETS)).toBe(1);
  });

  it('answers unknown ids with null and invalid ids with INVALID_INPUT', async () => {
    expect((await gw.query('{ package(ecosystem: NUGET, name: "Nobody.Home") { name } }')).data).toEqual({ package: null });
    fake.reset();
    const invalid = await gw.query('{ package(ecosystem: NUGET, name: "no spaces allowed") { name } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(fake.count()).toBe(0);
  });
});
