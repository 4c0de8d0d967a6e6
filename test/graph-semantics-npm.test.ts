import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { packument } from './helpers/packument.js';

type Manifest = Record<string, unknown>;

/** A packument whose versions carry the given manifest fields (dependencies, os, cpu ...), one day apart from `start`. */
function pkg(name: string, versions: Record<string, Manifest>, latest: string, start = '2020-01-01T00:00:00.000Z'): Record<string, unknown> {
  const base = packument(name, { versions: Object.keys(versions), latest, start }) as { versions: Record<string, Manifest> };
  for (const [version, manifest] of Object.entries(versions)) base.versions[version] = { ...base.versions[version], ...manifest };
  return base;
}

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeNpm();
  upstream.setDocument('/gs-tool', pkg('gs-tool', {
    '1.0.0': { dependencies: { 'gs-core': '^1.0.0' } },
    '1.1.0': { dependencies: { 'gs-core': '^1.0.0' }, optionalDependencies: { 'gs-fsevents': '^2.0.0', 'gs-win-helper': '^1.0.0' } },
    '2.0.0': { dependencies: { 'gs-core': '^1.0.0', 'gs-native': '^1.0.0' }, optionalDependencies: { 'gs-fsevents': '^2.0.0', 'gs-win-helper': '^1.0.0' } },
  }, '2.0.0'));
  // gs-core: 1.0.0 on day 0, 1.1.0 on day 1 ... 1.3.0 on day 3.
  upstream.setDocument('/gs-core', pkg('gs-core', { '1.0.0': {}, '1.1.0': {}, '1.2.0': {}, '1.3.0': {} }, '1.3.0'));
  upstream.setDocument('/gs-fsevents', pkg('gs-fsevents', { '2.0.0': { os: ['darwin'] } }, '2.0.0'));
  upstream.setDocument('/gs-win-helper', pkg('gs-win-helper', { '1.0.0': { os: ['!linux', '!darwin'], cpu: ['x64', 'arm64'] } }, '1.0.0'));
  // A required (not optional) dependency for one OS only: npm refuses to install on another (EBADPLATFORM).
  upstream.setDocument('/gs-native', pkg('gs-native', { '1.0.0': { os: ['linux'], cpu: ['x64'] } }, '1.0.0'));
  gw = await startTestGateway(upstream.url);
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const GRAPH = `query ($version: String!, $env: DependencyEnvironmentInput, $asOf: DateTime) {
  dependencyGraph(ecosystem: NPM, name: "gs-tool", version: $version, environment: $env, asOf: $asOf) {
    root { version }
    nodes { id }
    edges { from to name kind condition applies }
    unresolved { name reason condition applies }
    excluded { name condition reason }
  }
}`;

async function graph(version: string, env: Record<string, unknown> | null = null, asOf: string | null = null) {
  const result = await gw.query(GRAPH, { version, env, asOf });
  expect(result.errors).toBeUndefined();
  return result.data.dependencyGraph;
}

const ids = (g: { nodes: { id: string }[] }) => g.nodes.map((n) => n.id).sort();

describe('npm graphs: os/cpu and asOf', () => {
  it('without os/arch: optional platform packages are kept and no manifest is read for conditions', async () => {
    const g = await graph('1.1.0');
    expect(ids(g)).toEqual(['gs-core@1.3.0', 'gs-fsevents@2.0.0', 'gs-tool@1.1.0', 'gs-win-helper@1.0.0']);
    expect(g.edges.every((e: { condition: string | null }) => e.condition === null)).toBe(true);
  });

  it('on macOS: the darwin-only optional package applies, the Windows helper is skipped, as npm does', async () => {
    const g = await graph('1.1.0', { os: 'darwin', arch: 'arm64' });
    expect(ids(g)).toEqual(['gs-core@1.3.0', 'gs-fsevents@2.0.0', 'gs-tool@1.1.0']);
    expect(g.edges).toContainEqual({ from: 'gs-tool@1.1.0', to: 'gs-fsevents@2.0.0', name: 'gs-fsevents', kind: 'OPTIONAL', condition: 'os: darwin', applies: true });
    expect(g.excluded).toEqual([{ name: 'gs-win-helper', condition: 'os: !linux, !darwin; cpu: x64, arm64', reason: 'gs-win-helper@1.0.0 is not for this platform (os: !linux, !darwin; cpu: x64, arm64)' }]);
  });

  it('on Windows: the other way round; a required package for another OS cannot be installed', async () => {
    const win = await graph('1.1.0', { os: 'windows', arch: 'x64' });
    expect(ids(win)).toEqual(['gs-core@1.3.0', 'gs-tool@1.1.0', 'gs-win-helper@1.0.0']);
    expect(win.excluded.map((e: { name: string }) => e.name)).toEqual(['gs-fsevents']);
    const v2 = await graph('2.0.0', { os: 'win32' });
    expect(v2.unresolved).toEqual([{ name: 'gs-native', reason: 'gs-native@1.0.0 is not for this platform (os: linux; cpu: x64)', condition: 'os: linux; cpu: x64', applies: false }]);
    // Only the os is known: the cpu part is not evaluated, the os part decides.
    const linux = await graph('2.0.0', { os: 'linux' });
    expect(linux.edges).toContainEqual(expect.objectContaining({ name: 'gs-native', condition: 'os: linux; cpu: x64', applies: null }));
  });

  it('resolves as of a date: the root `latest` then, and each range among the versions published by then', async () => {
    // Day 1 (2020-01-02): gs-tool 1.1.0 and gs-core 1.1.0 are the newest.
    const g = await graph('latest', null, '2020-01-02T12:00:00Z');
    expect(g.root.version).toBe('1.1.0');
    expect(ids(g)).toContain('gs-core@1.1.0');
    const now = await graph('latest');
    expect(now.root.version).toBe('2.0.0');
  });
});
