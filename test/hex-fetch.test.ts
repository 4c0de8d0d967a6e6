import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createHexAdapter } from '../src/ecosystems/hex/index.js';
import type { FetchContext, Validators } from '../src/ecosystems/types.js';
import { UpstreamError } from '../src/errors.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, testEnv, type TestGateway } from './helpers/gateway.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'hex');
const PACKAGE = '/api/packages/tiny_plug';

/**
 * hex.pm answers `/api/packages/x` and `/api/packages/x/releases/v`: a file and a folder of the same name, which
 * the tree layout cannot hold. Fixtures are kept as `<path>.json` and served at `<path>`.
 */
function serveHexFixtures(fake: FakeUpstream, dir = FIXTURES, prefix = ''): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) serveHexFixtures(fake, file, `${prefix}/${entry.name}`);
    else if (entry.name.endsWith('.json')) fake.setDocument(`${prefix}/${entry.name.slice(0, -'.json'.length)}`, fs.readFileSync(file), 'application/json; charset=utf-8');
  }
}

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeRegistry('hex');
  serveHexFixtures(fake);
});
afterAll(async () => fake.close());

describe('hex fetch through the HTTP client', () => {
  let http: HttpUpstreamClient;
  const adapter = () => createHexAdapter({ baseUrl: `${fake.url}/` });
  const context = (conditional: Validators | null = null): FetchContext => ({ http, conditional });

  beforeEach(() => {
    fake.reset();
    http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_HTTP_RETRIES: '0' })), { logger: pino({ level: 'silent' }) });
  });

  it('makes one package request and splits the document by release', async () => {
    const result = await adapter().fetch('tiny_plug', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(fake.requests.map((r) => r.path)).toEqual([PACKAGE]);
    expect(fake.requests[0]!.headers.accept).toBe('application/json');
    expect(Object.keys(result.raw.versions)).toHaveLength(7);
    expect(result.raw.package).not.toHaveProperty('releases');
    expect(result.raw.package).toMatchObject({ name: 'tiny_plug', retirements: { '1.1.1': { reason: 'security' } } });
    expect(result.validators.etag).toMatch(/^"/);
    const normalized = adapter().normalize('tiny_plug', result.raw);
    expect(normalized.package.latestVersion).toBe('1.2.0');
  });

  it('revalidates with the stored validators: a 304 is not-modified', async () => {
    const first = await adapter().fetch('tiny_plug', context());
    if (first.kind !== 'ok') throw new Error(first.kind);
    const second = await adapter().fetch('tiny_plug', context(first.validators));
    expect(second).toEqual({ kind: 'not-modified', validators: first.validators });
    expect(fake.requests[1]!.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('answers a 404 with not-found, for packages and releases', async () => {
    expect(await adapter().fetch('no_such_package', context())).toEqual({ kind: 'not-found' });
    expect(await adapter().versionDetails!.fetch('tiny_plug', '9.9.9', context())).toEqual({ kind: 'not-found' });
  });

  it('fetches one release document', async () => {
    const details = await adapter().versionDetails!.fetch('tiny_plug', '1.2.0', context());
    expect(details.kind).toBe('ok');
    expect(fake.requests.map((r) => r.path)).toEqual([`${PACKAGE}/releases/1.2.0`]);
    expect(details.kind === 'ok' && details.raw).toMatchObject({ version: '1.2.0', requirements: { mime: { requirement: '~> 1.0 or ~> 2.0' } } });
  });

  it('rejects invalid names without any request', async () => {
    for (const name of ['Tiny_Plug', 'tiny-plug', '../x', '', '_x', 'a/b']) {
      await expect(adapter().fetch(name, context()), name).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(adapter().versionDetails!.fetch(name, '1.0.0', context()), name).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(fake.count()).toBe(0);
  });

  it('skips a release entry without a version and reads null metadata fields (certifi-like document)', async () => {
    fake.setDocument('/api/packages/odd_certs', {
      name: 'odd_certs',
      docs_html_url: null,
      latest_stable_version: null,
      meta: { description: 'CA bundle', licenses: null, links: null, maintainers: [] },
      owners: [{ username: 'someone', url: 'https://hex.pm/api/users/someone', email: null }],
      releases: [
        { has_docs: false, inserted_at: '2020-03-04T14:54:16.283323Z', url: 'https://hex.pm/api/packages/odd_certs/releases/2.5.2', version: '2.5.2' },
        { has_docs: false, url: 'https://hex.pm/api/packages/odd_certs/releases/?' },
        { has_docs: false, url: 'https://hex.pm/api/packages/odd_certs/releases/0.3.0', version: '0.3.0' },
      ],
      retirements: { '0.3.0': { message: 'Used for testing', reason: 'Not really retired' } },
      repository: 'hexpm',
    });
    const result = await adapter().fetch('odd_certs', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(Object.keys(result.raw.versions)).toEqual(['2.5.2', '0.3.0']);
    const normalized = adapter().normalize('odd_certs', result.raw);
    expect(normalized.package).toMatchObject({ latestVersion: '2.5.2', versionCount: 2, license: null, homepage: null, maintainers: [{ name: 'someone', email: null }] });
    expect(normalized.versions.map((v) => [v.version, v.status, v.releaseDate, v.deprecatedMessage])).toEqual([
      ['2.5.2', 'ACTIVE', '2020-03-04T14:54:16.283Z', null],
      ['0.3.0', 'DEPRECATED', null, 'Retired (Not really retired): Used for testing'],
    ]);
  });

  it('turns wrong shapes into UPSTREAM_INVALID', async () => {
    fake.setDocument('/api/packages/bad_shape', { name: 'bad_shape', releases: 'many' });
    fake.setDocument('/api/packages/not_json', '<html>maintenance</html>', 'text/html');
    fake.setDocument('/api/packages/other_name', { name: 'something_else', releases: [] });
    fake.setDocument('/api/packages/no_version', { name: 'no_version', releases: [{ url: 'x' }] });
    fake.setDocument(`${PACKAGE}/releases/2.0.0`, { version: '2.0.1', requirements: {} });
    fake.setDocument(`${PACKAGE}/releases/3.0.0`, { requirements: {} });
    for (const name of ['bad_shape', 'not_json', 'other_name', 'no_version']) {
      const error = await adapter().fetch(name, context()).catch((caught: unknown) => caught);
      expect(error, name).toBeInstanceOf(UpstreamError);
      expect(error, name).toMatchObject({ code: 'UPSTREAM_INVALID' });
    }
    await expect(adapter().versionDetails!.fetch('tiny_plug', '2.0.0', context())).rejects.toMatchObject({ code: 'UPSTREAM_INVALID', message: /2\.0\.1/ });
    await expect(adapter().versionDetails!.fetch('tiny_plug', '3.0.0', context())).rejects.toMatchObject({ code: 'UPSTREAM_INVALID' });
  });
});

describe('hex through the gateway', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    fake.reset();
    gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_HEX_URL: fake.url });
  });
  afterEach(async () => gw.close());

  const releaseRequests = () => fake.requests.filter((r) => r.path.includes('/releases/')).map((r) => r.path);

  it('lists versions from one request and fetches a release only when a query needs it', async () => {
    const listing = await gw.query(`{ package(ecosystem: HEX, name: "tiny_plug") {
      name versionCount latestVersion { version } latestPrerelease { version } license { spdx source }
      versions(first: 20, includeYanked: true) { edges { node { version status isDeprecated deprecationMessage publishedAt artifactUrl } } } } }`);
    expect(listing.errors).toBeUndefined();
    expect(listing.data.package).toMatchObject({ name: 'tiny_plug', versionCount: 7, latestVersion: { version: '1.2.0' }, latestPrerelease: { version: '1.10.0-dev' }, license: { spdx: 'Apache-2.0', source: 'meta.licenses' } });
    const nodes = listing.data.package.versions.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    expect(nodes.map((n: { version: string }) => n.version)).toEqual(['1.10.0-dev', '1.3.0-rc.1', '1.3.0-rc.0', '1.2.0', '1.1.1', '1.1.0', '0.9.0']);
    expect(nodes.find((n: { version: string }) => n.version === '1.1.1')).toMatchObject({ status: 'DEPRECATED', isDeprecated: true, deprecationMessage: 'Retired (security): Leaks connections under load, use 1.2.0' });
    expect(nodes.find((n: { version: string }) => n.version === '1.2.0')).toMatchObject({ artifactUrl: 'https://repo.hex.pm/tarballs/tiny_plug-1.2.0.tar', publishedAt: '2022-11-03T17:45:12.654Z' });
    expect(fake.count(PACKAGE)).toBe(1);
    // Only the release whose listing entry lacks `inserted_at` costs a request (for its publish date).
    expect(releaseRequests()).toEqual(['/api/packages/tiny_plug/releases/1.10.0-dev']);

    const deps = `{ version(ecosystem: HEX, name: "tiny_plug", version: "1.2.0") {
      dependencies { name packageName constraint kind optional package { name } }
      normalized { license { spdx } dependencies { runtime { name constraint } peer { name } } }
      engines { name constraint } } }`;
    const first = await gw.query(deps);
    expect(first.errors).toBeUndefined();
    expect(releaseRequests().filter((p) => !p.endsWith('1.10.0-dev'))).toEqual([`${PACKAGE}/releases/1.2.0`]);
    const dependencies = first.data.version.dependencies as Array<Record<string, unknown>>;
    expect(dependencies.map((d) => [d.name, d.packageName, d.constraint, d.kind, d.optional])).toEqual([
      ['mime', 'mime', '~> 1.0 or ~> 2.0', 'RUNTIME', false],
      ['telemetry', 'telemetry_lite', '>= 0.4.0 and < 2.0.0', 'RUNTIME', false],
      ['jason', 'jason', '~> 1.2', 'PEER', true],
      ['acme_auth', 'acme/acme_auth', '~> 0.3', 'RUNTIME', false],
      ['cowlib', 'cowlib', '>= 0.0.0', 'RUNTIME', false],
    ]);
    // Not on the fake registry -> null; the private organization's package is never looked up.
    expect(dependencies.every((d) => d.package === null)).toBe(true);
    expect(fake.requests.some((r) => r.path.includes('acme'))).toBe(false);
    expect(first.data.version.normalized.dependencies.peer).toEqual([{ name: 'jason' }]);

    // Completed once: stored with its details, no further release request.
    const again = await gw.query(`{ version(ecosystem: HEX, name: "tiny_plug", version: "1.2.0") { checksums { algorithm value } engines { name constraint } author { name url } dependencies { name } extended } }`);
    expect(again.errors).toBeUndefined();
    expect(again.data.version).toMatchObject({
      checksums: [{ algorithm: 'sha256', value: '5d3b0f9c2a7e41b8c6d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6' }],
      engines: [{ name: 'elixir', constraint: '~> 1.11' }],
      author: { name: 'ada', url: 'https://hex.pm/users/ada' },
    });
    expect(again.data.version.extended).toMatchObject({ version: '1.2.0', release: { checksum: '5d3b0f9c2a7e41b8c6d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6' } });
    expect(again.data.version.dependencies).toHaveLength(5);
    expect(releaseRequests().filter((p) => !p.endsWith("1.10.0-dev"))).toEqual([`${PACKAGE}/releases/1.2.0`]);
    expect(fake.count(PACKAGE)).toBe(1);
  });

  it('answers unknown packages with null and invalid names with INVALID_INPUT, without requests for the latter', async () => {
    expect((await gw.query('{ package(ecosystem: HEX, name: "no_such_pkg") { name } }')).data).toEqual({ package: null });
    fake.reset();
    const invalid = await gw.query('{ package(ecosystem: HEX, name: "Not-Valid") { name } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(invalid.errors?.[0]?.message).toMatch(/hex package name/);
    expect(fake.count()).toBe(0);
  });

  it('reports a broken upstream document as UPSTREAM_INVALID', async () => {
    fake.setDocument('/api/packages/broken_pkg', { name: 'broken_pkg', releases: { '1.0.0': {} } });
    const result = await gw.query('{ package(ecosystem: HEX, name: "broken_pkg") { name } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID');
  });
});
