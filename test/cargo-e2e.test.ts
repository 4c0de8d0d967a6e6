import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const UNUSED = 'http://127.0.0.1:9';

let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('cargo');
  gw = await startTestGateway(UNUSED, { SCOUT_REGISTRY_CARGO_URL: fake.url, SCOUT_REGISTRY_CARGO_INDEX_URL: `${fake.url}/index` });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const PACKAGE = `query ($name: String!) {
  package(ecosystem: CARGO, name: $name) {
    name ecosystem purl versionCount description repositoryUrl keywords
    license { spdx }
    latestVersion {
      version artifactUrl
      engines { name constraint }
      checksums { algorithm value }
      normalized {
        license { spdx name source }
        releaseDate
        status { yanked prerelease }
        dependencies { runtime { name constraint optional } build { name } development { name } }
      }
    }
    latestPrerelease { version isPrerelease }
  }
}`;

describe('cargo through the gateway', () => {
  it('fetches a crate on demand (any case), stores it and answers from the store', async () => {
    const first = await gw.query(PACKAGE, { name: 'Tidy-Widget' });
    expect(first.errors).toBeUndefined();
    const pkg = first.data.package;
    expect(pkg).toMatchObject({
      name: 'tidy-widget',
      ecosystem: 'CARGO',
      purl: 'pkg:cargo/tidy-widget',
      versionCount: 5,
      repositoryUrl: 'https://github.com/wdev/tidy-widget',
      keywords: ['widgets', 'tidy'],
      license: { spdx: 'MIT OR Apache-2.0' },
      latestPrerelease: { version: '1.1.0-rc.1', isPrerelease: true },
    });
    expect(pkg.latestVersion).toMatchObject({
      version: '1.0.0',
      artifactUrl: 'https://static.crates.io/crates/tidy-widget/1.0.0/download',
      engines: [{ name: 'rust', constraint: '1.70' }],
      normalized: {
        license: { spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'Cargo.toml#license' },
        releaseDate: '2025-03-04T05:06:07.000Z',
        status: { yanked: false, prerelease: false },
        dependencies: {
          runtime: [
            { name: 'serde', constraint: '^1.0.100', optional: true },
            { name: 'widget_core', constraint: '=0.4.2', optional: false },
            { name: 'winapi', constraint: '^0.3', optional: false },
          ],
          build: [{ name: 'cc' }],
          development: [{ name: 'proptest' }],
        },
      },
    });
    expect(fake.count('/index/ti/dy/tidy-widget')).toBe(1);
    expect(fake.count('/api/v1/crates/tidy-widget')).toBe(1);

    const second = await gw.query(PACKAGE, { name: 'tidy-widget' });
    expect(second.data).toEqual(first.data);
    expect(fake.count('/index/ti/dy/tidy-widget')).toBe(1);
  });

  it('answers a yanked version, its renamed dependency and its raw index line', async () => {
    const result = await gw.query(`{
      yanked: version(ecosystem: CARGO, name: "tidy-widget", version: "0.2.0") { status isYanked deprecationMessage }
      current: version(ecosystem: CARGO, name: "tidy-widget", version: "1.0.0") {
        dependencies(kinds: [RUNTIME]) { name packageName }
        extended
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.yanked).toEqual({ status: 'YANKED', isYanked: true, deprecationMessage: 'use 1.0: 0.2.0 corrupts widgets' });
    expect(result.data.current.dependencies).toContainEqual({ name: 'widget_core', packageName: 'widget-core-impl' });
    expect(result.data.current.extended.index).toMatchObject({ vers: '1.0.0', v: 2, features2: { serde: ['dep:serde', 'widget_core/serde'] } });
    expect(result.data.current.extended.api).toMatchObject({ num: '1.0.0', crate_size: 3800 });
  });

  it('completes an API-only version with its dependencies on first need', async () => {
    fake.setDocument('/api/v1/crates/fresh-crate/0.1.0/dependencies', {
      dependencies: [{ id: 1, version_id: 7001, crate_id: 'rand', req: '^0.8', optional: false, default_features: true, features: [], target: null, kind: 'normal', downloads: 0 }],
    });
    const query = '{ version(ecosystem: CARGO, name: "fresh-crate", version: "0.1.0") { version dependencies { name constraint kind } } }';
    const first = await gw.query(query);
    expect(first.errors).toBeUndefined();
    expect(first.data.version).toEqual({ version: '0.1.0', dependencies: [{ name: 'rand', constraint: '^0.8', kind: 'RUNTIME' }] });
    expect(await gw.query(query)).toEqual(first);
    expect(fake.count('/api/v1/crates/fresh-crate/0.1.0/dependencies')).toBe(1);
  });

  it('answers null for an unknown crate and INVALID_INPUT for a bad name without asking upstream', async () => {
    expect((await gw.query('{ package(ecosystem: CARGO, name: "no-such-crate") { name } }')).data).toEqual({ package: null });
    const before = fake.count();
    const bad = await gw.query('{ package(ecosystem: CARGO, name: "9lives") { name } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/start with an ASCII letter/);
    expect(fake.count()).toBe(before);
  });
});
