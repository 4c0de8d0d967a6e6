import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/** One release of a made-up project: its Requires-Dist, Requires-Python and upload time. */
interface Release {
  requires?: string[];
  python?: string;
  uploaded?: string;
}

/**
 * Serves a project the way PyPI does: the JSON API project document (latest `info`, `releases`), the PEP 691
 * simple page (files with `requires-python`), and one per-version document per release.
 */
function serveProject(upstream: FakeUpstream, name: string, releases: Record<string, Release>, latest: string): void {
  const file = (version: string, release: Release) => ({
    filename: `${name.replace(/-/g, '_')}-${version}.tar.gz`,
    url: `https://files.example/${name}/${name.replace(/-/g, '_')}-${version}.tar.gz`,
    packagetype: 'sdist',
    digests: { sha256: 'ab'.repeat(32) },
    requires_python: release.python ?? null,
    upload_time_iso_8601: release.uploaded ?? '2021-01-01T00:00:00.000000Z',
    yanked: false,
    size: 1000,
  });
  const info = (version: string) => ({ name, version, summary: `${name} for graph tests`, requires_dist: releases[version]!.requires ?? null, requires_python: releases[version]!.python ?? null, license: 'MIT' });
  upstream.setDocument(`/pypi/${name}/json`, {
    info: info(latest),
    last_serial: 1,
    releases: Object.fromEntries(Object.entries(releases).map(([version, release]) => [version, [file(version, release)]])),
    urls: [file(latest, releases[latest]!)],
  });
  upstream.setDocument(`/simple/${name}/`, {
    meta: { 'api-version': '1.1' },
    name,
    versions: Object.keys(releases),
    files: Object.entries(releases).map(([version, release]) => {
      const f = file(version, release);
      return { filename: f.filename, url: f.url, hashes: { sha256: 'ab'.repeat(32) }, 'requires-python': release.python ?? null, 'upload-time': f.upload_time_iso_8601, yanked: false, size: 1000 };
    }),
  });
  for (const version of Object.keys(releases)) upstream.setDocument(`/pypi/${name}/${version}/json`, { info: info(version), urls: [file(version, releases[version]!)] });
}

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('pypi');
  serveProject(upstream, 'gs-app', {
    '1.0.0': {
      requires: [
        'gs-winonly>=1.0; sys_platform == "win32"',
        'gs-linuxonly>=1.0; platform_system == "Linux"',
        'gs-backport>=1.0; python_version < "3.9"',
        'gs-modern>=1.0',
        'gs-http[socks]>=1.0',
        'gs-cli-helper>=1.0; extra == "cli"',
        'gs-combined>=1.0; (sys_platform == "win32" or sys_platform == "darwin") and python_version >= "3.10"',
        'gs-plugin>=1.0',
      ],
      uploaded: '2021-05-01T00:00:00.000000Z',
    },
  }, '1.0.0');
  // Requires-Python decides which release an old interpreter gets.
  serveProject(upstream, 'gs-modern', {
    '1.0.0': { python: '>=3.7', uploaded: '2022-01-01T00:00:00.000000Z' },
    '1.5.0': { python: '>=3.8', uploaded: '2023-01-01T00:00:00.000000Z', requires: ['gs-backport>=1.0; python_version < "3.9"'] },
    '2.0.0': { python: '>=3.10', uploaded: '2024-06-01T00:00:00.000000Z' },
  }, '2.0.0');
  serveProject(upstream, 'gs-http', { '1.0.0': { requires: ['gs-socks>=1.0; extra == "socks"', 'gs-brotli>=1.0; extra == "brotli"'] } }, '1.0.0');
  // gs-http[brotli] is asked two levels below gs-http's first appearance: it is expanded again for that extra.
  serveProject(upstream, 'gs-plugin', { '1.0.0': { requires: ['gs-plugin-core>=1.0'] } }, '1.0.0');
  serveProject(upstream, 'gs-plugin-core', { '1.0.0': { requires: ['gs-http[Brotli]>=1.0'] } }, '1.0.0');
  for (const leaf of ['gs-winonly', 'gs-linuxonly', 'gs-backport', 'gs-socks', 'gs-brotli', 'gs-cli-helper', 'gs-combined']) serveProject(upstream, leaf, { '1.0.0': {} }, '1.0.0');
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_PYPI_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const GRAPH = `query ($env: DependencyEnvironmentInput, $asOf: DateTime, $name: String!) {
  dependencyGraph(ecosystem: PYPI, name: $name, version: "latest", environment: $env, asOf: $asOf) {
    root { version }
    nodes { id depth }
    edges { from to name constraint kind condition applies }
    unresolved { from name reason condition applies }
    excluded { from name condition reason }
  }
}`;

interface Graph {
  root: { version: string };
  nodes: { id: string; depth: number }[];
  edges: { from: string; to: string; name: string; constraint: string; kind: string; condition: string | null; applies: boolean | null }[];
  unresolved: { from: string; name: string; reason: string }[];
  excluded: { from: string; name: string; condition: string | null; reason: string }[];
}

async function graph(env: Record<string, unknown> | null, name = 'gs-app', asOf: string | null = null): Promise<Graph> {
  const result = await gw.query(GRAPH, { env, name, asOf });
  expect(result.errors).toBeUndefined();
  return result.data.dependencyGraph as Graph;
}

const ids = (g: Graph) => g.nodes.map((n) => n.id).sort();
const edgeTo = (g: Graph, name: string) => g.edges.find((e) => e.name === name);

describe('PyPI graphs: markers, extras and Requires-Python against an environment', () => {
  it('without an environment: markers are reported unevaluated, extras decide, the highest release is taken', async () => {
    upstream.reset();
    // Slow answers for three of the root's dependencies: fetched one after another they would never overlap.
    for (const name of ['gs-modern', 'gs-http', 'gs-plugin']) upstream.script(`/pypi/${name}/json`, [{ fixture: true, delayMs: 150 }]);
    const g = await graph(null);
    expect(g.root.version).toBe('1.0.0');
    expect(ids(g)).toEqual([
      'gs-app@1.0.0', 'gs-backport@1.0.0', 'gs-brotli@1.0.0', 'gs-combined@1.0.0', 'gs-http@1.0.0', 'gs-linuxonly@1.0.0', 'gs-modern@2.0.0',
      'gs-plugin-core@1.0.0', 'gs-plugin@1.0.0', 'gs-socks@1.0.0', 'gs-winonly@1.0.0',
    ]);
    expect(edgeTo(g, 'gs-winonly')).toMatchObject({ condition: 'sys_platform == "win32"', applies: null, kind: 'RUNTIME' });
    expect(edgeTo(g, 'gs-modern')).toMatchObject({ condition: null, applies: null });
    // socks was asked on the edge: its marker holds.
    expect(edgeTo(g, 'gs-socks')).toMatchObject({ from: 'gs-http@1.0.0', condition: 'extra == "socks"', applies: true, kind: 'OPTIONAL' });
    // The root was asked no extras.
    expect(g.excluded).toContainEqual({ from: 'gs-app@1.0.0', name: 'gs-cli-helper', condition: 'extra == "cli"', reason: expect.stringMatching(/marker .* is false here/) });
    expect(g.unresolved).toEqual([]);
    // Every project is fetched once, whatever the number of edges to it and the second expansion of gs-http.
    expect(upstream.count('/pypi/gs-http/json')).toBe(1);
    expect(upstream.count('/pypi/gs-backport/json')).toBe(1);
    // A level's packages are fetched together (under the PyPI limiter's concurrency), not one after another.
    expect(upstream.maxInFlight).toBeGreaterThan(1);
  });

  it('expands a package again when a deeper edge asks more extras of it', async () => {
    const g = await graph(null);
    expect(g.edges.find((e) => e.from === 'gs-plugin-core@1.0.0')).toMatchObject({ name: 'gs-http', to: 'gs-http@1.0.0' });
    expect(edgeTo(g, 'gs-brotli')).toMatchObject({ from: 'gs-http@1.0.0', to: 'gs-brotli@1.0.0', applies: true });
    expect(g.nodes.find((n) => n.id === 'gs-http@1.0.0')!.depth).toBe(1);
    expect(g.nodes.find((n) => n.id === 'gs-brotli@1.0.0')!.depth).toBe(2);
    // Not listed as excluded once the later expansion followed it.
    expect(g.excluded.map((e) => e.name)).not.toContain('gs-brotli');
  });

  it('Windows and Python 3.8: Windows-only and backport dependencies, and the newest release that supports 3.8', async () => {
    const g = await graph({ os: 'win32', pythonVersion: '3.8' });
    expect(ids(g)).toContain('gs-winonly@1.0.0');
    expect(ids(g)).not.toContain('gs-linuxonly@1.0.0');
    expect(ids(g)).toContain('gs-backport@1.0.0');
    // 2.0.0 requires Python >= 3.10: pip takes 1.5.0, whose own backport marker then holds too.
    expect(ids(g)).toContain('gs-modern@1.5.0');
    expect(ids(g)).not.toContain('gs-modern@2.0.0');
    expect(g.edges).toContainEqual(expect.objectContaining({ from: 'gs-modern@1.5.0', to: 'gs-backport@1.0.0', applies: true }));
    expect(ids(g)).not.toContain('gs-combined@1.0.0');
    expect(edgeTo(g, 'gs-winonly')).toMatchObject({ applies: true });
    expect(g.excluded).toContainEqual({ from: 'gs-app@1.0.0', name: 'gs-linuxonly', condition: 'platform_system == "Linux"', reason: expect.stringMatching(/is false here/) });
    expect(g.excluded.map((e) => e.name)).toContain('gs-combined');
  });

  it('Linux and Python 3.12 with the root\'s `cli` extra: the same package resolves differently', async () => {
    const g = await graph({ os: 'linux', pythonVersion: '3.12', extras: ['CLI'] });
    expect(ids(g)).toContain('gs-linuxonly@1.0.0');
    expect(ids(g)).not.toContain('gs-winonly@1.0.0');
    expect(ids(g)).not.toContain('gs-backport@1.0.0');
    expect(ids(g)).toContain('gs-modern@2.0.0');
    expect(ids(g)).toContain('gs-cli-helper@1.0.0');
    expect(edgeTo(g, 'gs-cli-helper')).toMatchObject({ condition: 'extra == "cli"', applies: true, kind: 'OPTIONAL' });
    expect(g.excluded).toContainEqual(expect.objectContaining({ name: 'gs-backport', condition: 'python_version < "3.9"' }));
    // macOS with 3.12 meets the combined marker.
    const mac = await graph({ os: 'darwin', pythonVersion: '3.12' });
    expect(edgeTo(mac, 'gs-combined')).toMatchObject({ applies: true });
  });

  it('reports a dependency no release of which supports the Python version', async () => {
    const g = await graph({ pythonVersion: '3.6' });
    expect(g.unresolved).toContainEqual(expect.objectContaining({ from: 'gs-app@1.0.0', name: 'gs-modern', reason: expect.stringMatching(/no version for Python 3.6 satisfies ">=1.0"/) }));
  });

  it('resolves as of a date: releases published later do not exist yet, the root included', async () => {
    const g = await graph(null, 'gs-app', '2023-06-01T00:00:00Z');
    expect(ids(g)).toContain('gs-modern@1.5.0');
    const root = await graph(null, 'gs-modern', '2022-06-01T00:00:00Z');
    expect(root.root.version).toBe('1.0.0');
    const before = await gw.query(GRAPH, { name: 'gs-modern', asOf: '2020-01-01T00:00:00Z' });
    expect(before.data.dependencyGraph).toBeNull();
  });
});
