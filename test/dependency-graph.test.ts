import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCycles } from '../src/services/dependency-graph.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { npmVersioning } from '../src/versioning/npm.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { packument } from './helpers/packument.js';

type Manifest = Record<string, unknown>;

/** A packument whose versions carry the given manifests (dependencies, peerDependencies ...). */
function pkg(name: string, versions: Record<string, Manifest>, latest: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = packument(name, { versions: Object.keys(versions), latest }) as { versions: Record<string, Manifest> };
  for (const [version, manifest] of Object.entries(versions)) base.versions[version] = { ...base.versions[version], ...manifest };
  return { ...base, ...extra };
}

const summary = (version: string, extra: Partial<VersionSummary> = {}): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: version.includes('-'), releaseDate: '2020-01-01T00:00:00.000Z', ...extra });

describe('pickVersion', () => {
  const pick = (constraint: string, candidates: VersionSummary[], distTags: Record<string, string> = {}, asOf: number | null = null) =>
    pickVersion({ ecosystem: 'npm', versioning: npmVersioning, constraint, candidates, distTags, asOf });

  it('takes the latest dist-tag when it satisfies, else the highest satisfying', () => {
    const all = ['1.0.0', '1.1.0', '1.2.0', '2.0.0'].map((v) => summary(v));
    expect(pick('^1.0.0', all, { latest: '1.1.0' })).toEqual({ version: '1.1.0' });
    expect(pick('^1.0.0', all, { latest: '2.0.0' })).toEqual({ version: '1.2.0' });
    expect(pick('~1.0.0 || >=1.2.0 <2', all, { latest: '2.0.0' })).toEqual({ version: '1.2.0' });
  });

  it('skips prereleases unless the range names one, and unpublished versions always', () => {
    const all = [summary('1.0.0'), summary('1.1.0-beta.1'), summary('1.0.1', { status: 'UNPUBLISHED' })];
    expect(pick('^1.0.0', all)).toEqual({ version: '1.0.0' });
    expect(pick('^1.1.0-beta.0', all)).toEqual({ version: '1.1.0-beta.1' });
    expect(pick('1.0.1', all)).toMatchObject({ reason: expect.stringMatching(/no version satisfies "1.0.1"/) });
  });

  it('chooses a yanked version only when pinned exactly', () => {
    const all = [summary('1.0.0'), summary('1.0.1', { status: 'YANKED' })];
    expect(pickVersion({ ecosystem: 'npm', versioning: npmVersioning, constraint: '^1.0.0', candidates: all, distTags: {}, asOf: null })).toEqual({ version: '1.0.0' });
    expect(pickVersion({ ecosystem: 'npm', versioning: npmVersioning, constraint: '1.0.1', candidates: all, distTags: {}, asOf: null })).toEqual({ version: '1.0.1' });
  });

  it('resolves as of a date, and reads aliases and rejects non-registry specs', () => {
    const all = [summary('1.0.0', { releaseDate: '2020-01-01T00:00:00Z' }), summary('1.1.0', { releaseDate: '2021-01-01T00:00:00Z' })];
    expect(pick('^1.0.0', all, { latest: '1.1.0' }, Date.parse('2020-06-01'))).toEqual({ version: '1.0.0' });
    expect(pick('npm:other@^1.1.0', all)).toEqual({ version: '1.1.0' });
    expect(pick('github:user/repo', all)).toMatchObject({ reason: expect.stringMatching(/not a registry dependency/) });
    expect(pick('not a range !!', all)).toMatchObject({ reason: expect.stringMatching(/not an npm version range/) });
  });
});

describe('findCycles', () => {
  it('finds strongly connected groups and self-loops only', () => {
    const cycles = findCycles(['a', 'b', 'c', 'd', 'e'], [
      { from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }, { from: 'e', to: 'e' },
    ]);
    expect(cycles.map((c) => [...c].sort())).toEqual(expect.arrayContaining([['a', 'b', 'c'], ['e']]));
    expect(cycles).toHaveLength(2);
  });
});

describe('dependency graphs (npm)', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startFakeNpm();
    upstream.setDocument('/app', pkg('app', {
      '1.0.0': {
        dependencies: { a: '^1.0.0', b: '~2.0.0', 'no-such-pkg': '^1.0.0', c: '^9.0.0' },
        peerDependencies: { p: '^1.0.0' },
        optionalDependencies: { o: '*' },
        devDependencies: { devtool: '^1.0.0' },
      },
    }, '1.0.0'));
    upstream.setDocument('/a', pkg('a', { '1.0.0': {}, '1.1.0': { dependencies: { b: '~2.0.1' } }, '1.2.0': {} }, '1.1.0'));
    upstream.setDocument('/b', pkg('b', { '2.0.0': {}, '2.0.5': { dependencies: { a: '^1.0.0' } }, '2.0.7-beta.1': {}, '2.1.0': {} }, '2.1.0'));
    upstream.setDocument('/c', pkg('c', { '1.0.0': {} }, '1.0.0'));
    upstream.setDocument('/p', pkg('p', { '1.0.0': {} }, '1.0.0'));
    upstream.setDocument('/o', pkg('o', { '3.0.0': {} }, '3.0.0'));
    upstream.setDocument('/devtool', pkg('devtool', { '1.0.0': { dependencies: { c: '^1.0.0' } } }, '1.0.0'));
    gw = await startTestGateway(upstream.url);
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });

  const GRAPH = `query ($env: DependencyEnvironmentInput, $maxNodes: Int, $maxDepth: Int) {
    dependencyGraph(ecosystem: NPM, name: "app", version: "latest", environment: $env, maxNodes: $maxNodes, maxDepth: $maxDepth) {
      root { version } nodeCount truncated
      nodes { id depth version { license { spdx } } }
      edges { from to name constraint kind }
      unresolved { from name constraint reason }
      cycles { nodes }
    }
  }`;

  it('resolves the whole graph in one query: peers and optionals as npm 7+, cycles, and what cannot resolve', async () => {
    upstream.reset();
    const result = await gw.query(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data.dependencyGraph;
    expect(graph.root.version).toBe('1.0.0');
    expect(graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['a@1.1.0', 'app@1.0.0', 'b@2.0.5', 'o@3.0.0', 'p@1.0.0']);
    expect(graph.nodes.find((n: { id: string }) => n.id === 'b@2.0.5').depth).toBe(1);
    expect(graph.edges).toContainEqual({ from: 'app@1.0.0', to: 'p@1.0.0', name: 'p', constraint: '^1.0.0', kind: 'PEER' });
    expect(graph.edges).toContainEqual({ from: 'a@1.1.0', to: 'b@2.0.5', name: 'b', constraint: '~2.0.1', kind: 'RUNTIME' });
    expect(graph.edges).toContainEqual({ from: 'b@2.0.5', to: 'a@1.1.0', name: 'a', constraint: '^1.0.0', kind: 'RUNTIME' });
    expect(graph.cycles.map((c: { nodes: string[] }) => [...c.nodes].sort())).toEqual([['a@1.1.0', 'b@2.0.5']]);
    const reasons = Object.fromEntries(graph.unresolved.map((u: { name: string; reason: string }) => [u.name, u.reason]));
    expect(reasons['no-such-pkg']).toMatch(/does not exist/);
    expect(reasons.c).toMatch(/no version satisfies "\^9.0.0"/);
    expect(graph.truncated).toBe(false);
    expect(graph.nodes.every((n: { version: { license: { spdx: string } } }) => n.version.license.spdx === 'MIT')).toBe(true);
    // Each package is fetched once, whatever the number of edges to it.
    for (const name of ['/a', '/b', '/p', '/o', '/c']) expect(upstream.count(name), name).toBe(1);
    expect(upstream.count('/devtool')).toBe(0);
  });

  it('follows the environment switches and the limits', async () => {
    const noPeers = (await gw.query(GRAPH, { env: { includePeer: false, includeOptional: false, includeDev: true } })).data.dependencyGraph;
    const ids = noPeers.nodes.map((n: { id: string }) => n.id);
    expect(ids).not.toContain('p@1.0.0');
    expect(ids).not.toContain('o@3.0.0');
    expect(ids).toContain('devtool@1.0.0');
    expect(ids).toContain('c@1.0.0');
    const small = (await gw.query(GRAPH, { maxNodes: 2 })).data.dependencyGraph;
    expect(small.nodeCount).toBe(2);
    expect(small.truncated).toBe(true);
    const shallow = (await gw.query(GRAPH, { maxDepth: 1 })).data.dependencyGraph;
    expect(shallow.nodes.every((n: { depth: number }) => n.depth <= 1)).toBe(true);
    expect(shallow.truncated).toBe(true);
    const bad = await gw.query(GRAPH, { maxNodes: 0 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });

  it('walks nested Dependency.resolved level by level', async () => {
    const result = await gw.query('{ version(ecosystem: NPM, name: "a", version: "1.1.0") { dependencies { name resolved { version dependencies { name resolved { version } } } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.version.dependencies).toEqual([{ name: 'b', resolved: { version: '2.0.5', dependencies: [{ name: 'a', resolved: { version: '1.1.0' } }] } }]);
  });

  it('is null for a root that does not exist', async () => {
    expect((await gw.query('{ dependencyGraph(ecosystem: NPM, name: "no-such-pkg", version: "1.0.0") { nodeCount } }')).data.dependencyGraph).toBeNull();
  });
});
