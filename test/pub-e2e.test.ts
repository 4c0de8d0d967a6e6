import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const SIDE = path.resolve(import.meta.dirname, 'fixtures', 'pub', 'side');

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('pub');
  // `/api/packages/<name>` is a fixture file, so its `/options` and `/score` siblings are served from side/.
  for (const name of fs.readdirSync(SIDE)) {
    for (const file of fs.readdirSync(path.join(SIDE, name))) {
      upstream.setDocument(`/api/packages/${name}/${file.replace(/\.json$/, '')}`, fs.readFileSync(path.join(SIDE, name, file), 'utf8'));
    }
  }
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_PUB_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('pub through the gateway', () => {
  it('fetches on demand, normalizes and answers package, version, normalized and extended', async () => {
    const result = await gw.query(`{
      package(ecosystem: PUB, name: "fancy_widgets") {
        name purl deprecated deprecationMessage versionCount license { spdx source }
        latestVersion { version status checksums { algorithm value } engines { name constraint }
          normalized { license { spdx } dependencies { runtime { name constraint } development { name constraint } } }
        }
        latestPrerelease { version isPrerelease }
        all: versions(first: 10, includeYanked: true) { edges { node { version status } } }
        visible: versions(first: 10) { totalCount }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const pkg = result.data.package;
    expect(pkg).toMatchObject({
      name: 'fancy_widgets',
      purl: 'pkg:pub/fancy_widgets',
      deprecated: true,
      deprecationMessage: 'discontinued; use better_widgets',
      versionCount: 6,
      license: { spdx: 'BSD-3-Clause', source: 'pub.dev score tags (pana, latest version)' },
      latestPrerelease: { version: '2.0.0-dev.1', isPrerelease: true },
    });
    expect(pkg.latestVersion).toMatchObject({
      version: '1.2.0',
      status: 'DEPRECATED',
      checksums: [{ algorithm: 'sha256', value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' }],
      normalized: { license: { spdx: 'BSD-3-Clause' } },
    });
    expect(pkg.latestVersion.engines).toEqual(expect.arrayContaining([{ name: 'sdk', constraint: '>=3.0.0 <4.0.0' }, { name: 'flutter', constraint: '>=3.10.0' }]));
    expect(pkg.latestVersion.normalized.dependencies.runtime).toContainEqual({ name: 'tiny_icons', constraint: 'git: https://github.com/example-org/tiny_icons.git' });
    expect(pkg.latestVersion.normalized.dependencies.development).toContainEqual({ name: 'flutter_test', constraint: 'sdk: flutter' });
    expect(pkg.all.edges.find((e: { node: { version: string } }) => e.node.version === '1.1.0').node.status).toBe('RETRACTED');
    expect(pkg.visible.totalCount).toBe(5);

    const version = await gw.query('{ version(ecosystem: PUB, name: "fancy_widgets", version: "latest") { version extended } }');
    expect(version.errors).toBeUndefined();
    expect(version.data.version.version).toBe('1.2.0');
    expect(version.data.version.extended).toMatchObject({ version: '1.2.0', archive_url: 'https://pub.dev/api/archives/fancy_widgets-1.2.0.tar.gz', pubspec: { name: 'fancy_widgets' } });
    expect(upstream.count('/api/packages/fancy_widgets')).toBe(1);
  });

  it('answers a missing package with null and an invalid name with INVALID_INPUT', async () => {
    expect((await gw.query('{ package(ecosystem: PUB, name: "not_here_at_all") { name } }')).data).toEqual({ package: null });
    const before = upstream.count();
    const invalid = await gw.query('{ package(ecosystem: PUB, name: "bad-name") { name } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(invalid.errors?.[0]?.message).toMatch(/letters, digits and underscores/);
    expect(upstream.count()).toBe(before);
  });
});
