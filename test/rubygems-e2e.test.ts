import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('rubygems');
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_RUBYGEMS_URL: fake.url });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const PACKAGE = `query ($name: String!) {
  package(ecosystem: RUBYGEMS, name: $name) {
    name purl versionCount description homepage repositoryUrl
    license { spdx }
    latestVersion {
      version artifactUrl publishedAt
      engines { name constraint }
      normalized {
        license { spdx source }
        status { yanked prerelease }
        dependencies { runtime { name constraint } development { name constraint } }
      }
    }
    latestPrerelease { version isPrerelease }
  }
}`;

describe('rubygems through the gateway', () => {
  it('fetches a gem on demand, stores it and answers from the store', async () => {
    const first = await gw.query(PACKAGE, { name: 'sparkly' });
    expect(first.errors).toBeUndefined();
    expect(first.data.package).toEqual({
      name: 'sparkly',
      purl: 'pkg:gem/sparkly',
      versionCount: 6,
      description: 'Sparkly makes terminal output sparkle.',
      homepage: 'https://sparkly.example',
      repositoryUrl: 'https://github.com/ada/sparkly',
      license: { spdx: 'MIT OR Ruby' },
      latestVersion: {
        version: '1.1.0',
        artifactUrl: `${fake.url}/gems/sparkly-1.1.0.gem`,
        publishedAt: '2023-06-15T12:30:45.123Z',
        engines: [{ name: 'ruby', constraint: '>= 2.7' }],
        normalized: {
          license: { spdx: 'MIT OR Ruby', source: 'gemspec#licenses' },
          status: { yanked: false, prerelease: false },
          dependencies: {
            runtime: [{ name: 'glimmer', constraint: '~> 1.2' }],
            development: [
              { name: 'minitest', constraint: '~> 5.15, >= 5.15.1' },
              { name: 'rake', constraint: '~> 13.0' },
            ],
          },
        },
      },
      latestPrerelease: { version: '2.0.0.rc1', isPrerelease: true },
    });
    expect(fake.count('/info/sparkly')).toBe(1);
    const second = await gw.query(PACKAGE, { name: 'sparkly' });
    expect(second.data).toEqual(first.data);
    expect(fake.count('/info/sparkly')).toBe(1);
  });

  it('answers a multi-platform version with its raw per-platform data, and a yanked-only gem', async () => {
    const result = await gw.query(`{
      multi: version(ecosystem: RUBYGEMS, name: "sparkly", version: "1.0.0") { version publishedAt extended }
      gone: package(ecosystem: RUBYGEMS, name: "gone-gem") { versionCount latestVersion { version } versions(includeYanked: true) { edges { node { version status isYanked } } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.multi.publishedAt).toBe('2021-03-01T09:59:00.000Z');
    expect(result.data.multi.extended.info.map((entry: { platform: string }) => entry.platform).sort()).toEqual(['java', 'ruby', 'x86_64-linux']);
    expect(result.data.gone).toEqual({ versionCount: 1, latestVersion: null, versions: { edges: [{ node: { version: '0.2.0', status: 'YANKED', isYanked: true } }] } });
  });

  it('completes a version of a gem without compact index on first need', async () => {
    const query = '{ version(ecosystem: RUBYGEMS, name: "quietgem", version: "1.0.0") { dependencies { name constraint kind } } }';
    const first = await gw.query(query);
    expect(first.errors).toBeUndefined();
    expect(first.data.version.dependencies).toEqual([
      { name: 'hush', constraint: '~> 1.0', kind: 'RUNTIME' },
      { name: 'rspec', constraint: '~> 3.0', kind: 'DEVELOPMENT' },
    ]);
    expect(await gw.query(query)).toEqual(first);
    expect(fake.count('/api/v2/rubygems/quietgem/versions/1.0.0.json')).toBe(1);
  });

  it('answers null for an unknown gem and INVALID_INPUT for a bad name without asking upstream', async () => {
    expect((await gw.query('{ package(ecosystem: RUBYGEMS, name: "no-such-gem") { name } }')).data).toEqual({ package: null });
    const before = fake.count();
    const bad = await gw.query('{ package(ecosystem: RUBYGEMS, name: "has space") { name } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/gem name/);
    expect(fake.count()).toBe(before);
  });
});
