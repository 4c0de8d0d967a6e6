import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { BSD3_TEXT, WIDGET_README, moduleZip } from './fixtures/go/module-zip.js';

const PACKAGE = `{
  package(ecosystem: GO, name: "github.com/Acme/Widget") {
    name ecosystem purl versionCount deprecated repositoryUrl
    distTags { tag version }
    latestVersion { version publishedAt isPrerelease status }
    latestPrerelease { version isPrerelease }
    all: versions(first: 20, includeYanked: true) { totalCount edges { node { version status isYanked deprecationMessage } } }
    installable: versions(first: 20) { totalCount edges { node { version } } }
  }
}`;

const VERSION = `{
  version(ecosystem: GO, name: "github.com/Acme/Widget", version: "v1.0.0") {
    version purl artifactUrl
    license { spdx name source }
    description
    links { repository issues documentation }
    dependencies { name packageName constraint kind optional indirect }
    normalized { releaseDate sizeBytes checksums { algorithm value } dependencies { runtime { name constraint } } }
  }
}`;

/** Fields read from the completed record, now stored. */
const STORED = '{ version(ecosystem: GO, name: "github.com/Acme/Widget", version: "v1.0.0") { publishedAt engines { name constraint } checksums { algorithm } sizeBytes } }';

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('go');
  upstream.setDocument('/github.com/!acme/!widget/@v/v1.0.0.zip', moduleZip('github.com/Acme/Widget', 'v1.0.0', { LICENSE: BSD3_TEXT, 'README.md': WIDGET_README, 'widget.go': 'package widget\n' }), 'application/zip');
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_GO_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('GO through the real gateway', () => {
  it('serves a module: versions newest first, retracted ones hidden by default, latest and prerelease', async () => {
    upstream.reset();
    const response = await gw.query(PACKAGE);
    expect(response.errors).toBeUndefined();
    const pkg = response.data.package;
    expect(pkg).toMatchObject({
      name: 'github.com/Acme/Widget',
      ecosystem: 'GO',
      versionCount: 7,
      deprecated: false,
      repositoryUrl: 'https://github.com/Acme/Widget',
      distTags: [{ tag: 'latest', version: 'v1.1.0' }],
      latestVersion: { version: 'v1.1.0', publishedAt: '2024-03-01T10:00:00.000Z', isPrerelease: false, status: 'ACTIVE' },
      latestPrerelease: { version: 'v1.2.0-beta.1', isPrerelease: true },
    });
    expect(pkg.purl).toBe('pkg:golang/github.com/Acme/Widget');
    expect(pkg.all.edges.map((e: { node: { version: string } }) => e.node.version)).toEqual(['v1.2.0-beta.1', 'v1.1.0', 'v1.1.0-rc.1', 'v1.0.1', 'v1.0.0', 'v0.2.0', 'v0.1.0']);
    expect(pkg.all.edges[3].node).toEqual({ version: 'v1.0.1', status: 'RETRACTED', isYanked: true, deprecationMessage: 'Published with a data race in Widget.Spin.' });
    expect(pkg.installable.edges.map((e: { node: { version: string } }) => e.node.version)).toEqual(['v1.2.0-beta.1', 'v1.1.0', 'v1.1.0-rc.1', 'v1.0.0']);
    // The package costs the list + .info/.mod of v1.1.0; no other version is asked for (publishedAt of the latest
    // is already known from the package fetch).
    expect(upstream.count('/github.com/!acme/!widget/@v/list')).toBe(1);
    expect(upstream.count('/github.com/!acme/!widget/@v/v1.1.0.info')).toBeGreaterThanOrEqual(1);
    expect(upstream.count('/github.com/!acme/!widget/@v/v1.1.0.mod')).toBeGreaterThanOrEqual(1);
    expect(upstream.requests.filter((r) => !/\/@v\/(list|v1\.1\.0\.(info|mod|zip))$/.test(r.path))).toEqual([]);
  });

  it('fetches a version\'s details once (.info, .mod, .zip), then answers from the store', async () => {
    upstream.reset();
    const first = await gw.query(VERSION);
    expect(first.errors).toBeUndefined();
    expect(first.data.version).toEqual({
      version: 'v1.0.0',
      purl: 'pkg:golang/github.com/Acme/Widget@v1.0.0',
      artifactUrl: `${upstream.url}/github.com/!acme/!widget/@v/v1.0.0.zip`,
      license: { spdx: 'BSD-3-Clause', name: 'BSD-3-Clause', source: 'module zip: LICENSE' },
      description: 'Widget spins tiny gophers in O(1). See the docs & enjoy.',
      links: { repository: 'https://github.com/Acme/Widget', issues: 'https://github.com/Acme/Widget/issues', documentation: 'https://pkg.go.dev/github.com/Acme/Widget@v1.0.0' },
      dependencies: [{ name: 'github.com/google/go-cmp', packageName: 'github.com/google/go-cmp', constraint: 'v0.5.9', kind: 'RUNTIME', optional: false, indirect: false }],
      normalized: {
        releaseDate: '2023-06-15T08:30:00.000Z',
        sizeBytes: Buffer.byteLength(BSD3_TEXT) + Buffer.byteLength(WIDGET_README) + 'package widget\n'.length,
        checksums: [expect.objectContaining({ algorithm: 'sha256' }), expect.objectContaining({ algorithm: 'h1' })],
        dependencies: { runtime: [{ name: 'github.com/google/go-cmp', constraint: 'v0.5.9' }] },
      },
    });
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(['/github.com/!acme/!widget/@v/v1.0.0.info', '/github.com/!acme/!widget/@v/v1.0.0.mod', '/github.com/!acme/!widget/@v/v1.0.0.zip']);

    upstream.reset();
    const again = await gw.query(VERSION);
    expect(again.data).toEqual(first.data);
    const stored = await gw.query(STORED);
    expect(stored.data.version).toEqual({ publishedAt: '2023-06-15T08:30:00.000Z', engines: [{ name: 'go', constraint: '1.20' }], checksums: [{ algorithm: 'sha256' }, { algorithm: 'h1' }], sizeBytes: first.data.version.normalized.sizeBytes });
    expect(upstream.count()).toBe(0);
  });

  it('resolves the `latest` dist-tag to Go\'s latest version', async () => {
    const response = await gw.query('{ version(ecosystem: GO, name: "github.com/Acme/Widget", version: "latest") { version } }');
    expect(response.data.version).toEqual({ version: 'v1.1.0' });
  });

  it('answers a module the proxy does not have with null, and an invalid path with INVALID_INPUT and no request', async () => {
    upstream.reset();
    expect((await gw.query('{ package(ecosystem: GO, name: "github.com/nobody/nothing") { name } }')).data).toEqual({ package: null });
    const invalid = await gw.query('{ package(ecosystem: GO, name: "github.com/Nobody/../x") { name } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(invalid.errors?.[0]?.message).toMatch(/double dot/);
    expect(upstream.requests.map((r) => r.path)).toEqual(['/github.com/nobody/nothing/@v/list']);
  });

  it("answers a module's license and description from its latest version's zip", async () => {
    upstream.setDocument('/github.com/!acme/!widget/@v/v1.1.0.zip', moduleZip('github.com/Acme/Widget', 'v1.1.0', { LICENSE: BSD3_TEXT, 'README.md': WIDGET_README, 'widget.go': 'package widget\n' }), 'application/zip');
    const result = await gw.query('{ package(ecosystem: GO, name: "github.com/Acme/Widget") { license { spdx source } description } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.package.license).toEqual({ spdx: 'BSD-3-Clause', source: 'module zip: LICENSE' });
    expect(result.data.package.description).toBeTruthy();
  });
});
