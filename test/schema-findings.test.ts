import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNpm, startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/* What the schema's descriptions promise, checked through a real gateway (findings of the schema documentation pass). */

let npm: FakeUpstream;
let maven: FakeUpstream;
let gems: FakeUpstream;
let nuget: FakeUpstream;
let hex: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  [npm, maven, gems, nuget, hex] = await Promise.all([startFakeNpm(), startFakeRegistry('maven'), startFakeRegistry('rubygems'), startFakeRegistry('nuget'), startFakeRegistry('hex')]);
  // Hex fixtures are `<path>.json` files served at `<path>`.
  const serveHex = (dir: string, prefix = ''): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) serveHex(file, `${prefix}/${entry.name}`);
      else if (entry.name.endsWith('.json')) hex.setDocument(`${prefix}/${entry.name.slice(0, -'.json'.length)}`, fs.readFileSync(file), 'application/json');
    }
  };
  serveHex(path.resolve(import.meta.dirname, 'fixtures', 'hex'));
  // The NuGet fixtures name the public host: serve them with the fake's own URL.
  const base = path.resolve(import.meta.dirname, 'fixtures', 'nuget');
  const serve = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) serve(file);
      else nuget.setDocument(file.slice(base.length).split(path.sep).join('/'), fs.readFileSync(file, 'utf8').replaceAll('https://api.nuget.org', nuget.url), 'application/json');
    }
  };
  serve(base);
  gw = await startTestGateway(npm.url, {
    SCOUT_REGISTRY_MAVEN_URL: `${maven.url}/maven2`,
    SCOUT_REGISTRY_RUBYGEMS_URL: gems.url,
    SCOUT_REGISTRY_NUGET_URL: `${nuget.url}/v3`,
    SCOUT_REGISTRY_HEX_URL: hex.url,
    SCOUT_REGISTRY_HTTP_RETRIES: '1',
  });
});
afterAll(async () => {
  await gw.close();
  await Promise.all([npm.close(), maven.close(), gems.close(), nuget.close(), hex.close()]);
});

describe('one failing package does not fail the others', () => {
  it('aliased package fields in one query answer on their own', async () => {
    npm.script('/lodash', [{ status: 503 }, { status: 503 }]);
    const result = await gw.query('{ a: package(ecosystem: NPM, name: "tiny-tool") { name } b: package(ecosystem: NPM, name: "lodash") { name } }');
    expect(result.data).toEqual({ a: { name: 'tiny-tool' }, b: null });
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['b'], 'UPSTREAM_UNAVAILABLE']]);
  });

  it('packages(refs) nulls only the failed ref, with its error at its index', async () => {
    npm.script('/@scope%2fwidget', [{ status: 503 }, { status: 503 }]);
    const result = await gw.query('{ packages(refs: [{ ecosystem: NPM, name: "tiny-tool" }, { ecosystem: NPM, name: "@scope/widget" }]) { name } }');
    expect(result.data).toEqual({ packages: [{ name: 'tiny-tool' }, null] });
    expect(result.errors?.map((e) => e.path)).toEqual([['packages', 1]]);
  });
});

describe('version arguments', () => {
  it('`latest` is Package.latestVersion on Maven too, not the metadata <latest> prerelease', async () => {
    const result = await gw.query('{ package(ecosystem: MAVEN, name: "org.example.widgets:widget-core") { latestVersion { version } version(version: "latest") { version } } }');
    expect(result.data.package).toEqual({ latestVersion: { version: '1.1.0' }, version: { version: '1.1.0' } });
  });

  it('NuGet finds a version by any spelling NuGet normalizes to it', async () => {
    const result = await gw.query(`{
      a: version(ecosystem: NUGET, name: "Contoso.Widgets", version: "1.0.0.0") { version }
      b: version(ecosystem: NUGET, name: "Contoso.Widgets", version: "1.00.0") { version }
      c: version(ecosystem: NUGET, name: "Contoso.Widgets", version: "2.0.0+build.7") { version }
    }`);
    expect(result.data).toEqual({ a: { version: '1.0.0' }, b: { version: '1.0.0' }, c: { version: '2.0.0' } });
  });
});

describe('fields that were always empty or failed as bugs', () => {
  it('Version.platforms lists a RubyGems version\'s platforms, ruby first', async () => {
    const result = await gw.query('{ version(ecosystem: RUBYGEMS, name: "sparkly", version: "1.0.0") { platforms } }');
    expect(result.data.version.platforms[0]).toBe('ruby');
    expect(result.data.version.platforms).toContain('x86_64-linux');
  });

  it('a malformed node id is INVALID_INPUT, not INTERNAL', async () => {
    for (const id of ['garbage!!', Buffer.from('Foo:["npm","x"]').toString('base64')]) {
      const result = await gw.query('query ($id: ID!) { node(id: $id) { id } }', { id });
      expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    }
  });
});

describe('paging', () => {
  it('search refuses backward paging as Package.versions does, instead of ignoring it', async () => {
    const result = await gw.query('{ search(query: "tiny", last: 5) { totalCount } }');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'last' });
  });
});

describe('cost of fields a registry never fills', () => {
  it('platforms and keywords of Hex versions cost no per-release request', async () => {
    await gw.query('{ package(ecosystem: HEX, name: "tiny_plug") { versionCount } }');
    hex.reset();
    const result = await gw.query('{ package(ecosystem: HEX, name: "tiny_plug") { versions(first: 50) { edges { node { platforms keywords } } } } }');
    expect(result.errors).toBeUndefined();
    expect(hex.requests.filter((r) => r.path.includes('/releases/'))).toEqual([]);
  });
});
