import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('packagist');
  // npm is not used here: its URL points at a closed port.
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_PACKAGIST_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const PACKAGE = `query ($name: String!) {
  package(ecosystem: PACKAGIST, name: $name) {
    name purl deprecated deprecationMessage versionCount description repositoryUrl
    license { spdx name source }
    latestVersion { version isPrerelease status artifactUrl
      normalized { version license { spdx } dependencies { runtime { name constraint } development { name constraint } } status { deprecated prerelease deprecatedMessage } }
    }
    versions(first: 3) { edges { node { version isPrerelease } } }
  }
}`;

describe('Packagist through the gateway', () => {
  it('fetches on demand, normalizes and answers package, version, normalized and extended', async () => {
    const result = await gw.query(PACKAGE, { name: 'Acme/Logger' });
    expect(result.errors).toBeUndefined();
    const pkg = result.data.package;
    expect(pkg).toMatchObject({
      name: 'acme/logger',
      purl: 'pkg:composer/acme/logger',
      deprecated: true,
      deprecationMessage: 'abandoned; use acme/new-logger',
      versionCount: 9,
      repositoryUrl: 'https://github.com/acme/logger',
      license: { spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'composer.json#license' },
    });
    expect(pkg.latestVersion).toMatchObject({
      version: '3.1.0',
      isPrerelease: false,
      status: 'DEPRECATED',
      artifactUrl: 'https://api.github.com/repos/acme/logger/zipball/1111111111111111111111111111111111111111',
      normalized: {
        version: '3.1.0',
        license: { spdx: 'MIT OR Apache-2.0' },
        status: { deprecated: true, prerelease: false, deprecatedMessage: 'abandoned; use acme/new-logger' },
      },
    });
    expect(pkg.latestVersion.normalized.dependencies.runtime).toContainEqual({ name: 'Psr/Log', constraint: '^2.0 || ^3.0' });
    expect(pkg.latestVersion.normalized.dependencies.development).toContainEqual({ name: 'phpunit/phpunit', constraint: '^10.5' });
    expect(pkg.versions.edges.map((e: { node: { version: string } }) => e.node.version)).toHaveLength(3);

    const version = await gw.query(`{ version(ecosystem: PACKAGIST, name: "acme/logger", version: "v3.0.0") { version checksums { algorithm value } extended } }`);
    expect(version.errors).toBeUndefined();
    expect(version.data.version.checksums).toEqual([{ algorithm: 'sha1', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b' }]);
    // The stored raw document is the expanded entry: inherited fields are there, "__unset" ones are not.
    expect(version.data.version.extended).toMatchObject({ version: 'v3.0.0', name: 'acme/logger', abandoned: 'acme/new-logger', require: { php: '>=8.0' } });
    expect(version.data.version.extended).not.toHaveProperty('funding');
    expect(upstream.count('/p2/acme/logger.json')).toBe(1);
  });

  it('answers a missing package with null and an invalid name with INVALID_INPUT', async () => {
    expect((await gw.query('{ package(ecosystem: PACKAGIST, name: "acme/nothing-here") { name } }')).data).toEqual({ package: null });
    const before = upstream.count();
    const invalid = await gw.query('{ package(ecosystem: PACKAGIST, name: "monolog") { name } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(invalid.errors?.[0]?.message).toMatch(/vendor\/package/);
    expect(upstream.count()).toBe(before);
  });
});
