import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small crate tree served from test/fixtures/cargo/index/gr/ap/graph-* (sparse index lines; the web API
 * answers 404, which the adapter accepts when the index knows the crate):
 *   graph-app 1.0.0 -> graph-core ^1.2, graph-util ~0.3.1, graph-pre ^2.0.0-beta.1, graph-nope ^1, [dev] graph-dev ^1
 *   graph-core 1.3.0 -> graph-leaf =0.1.1 (yanked, pinned)     graph-util 0.3.5 -> graph-core ">= 1.2, < 2"
 */
let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('cargo');
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_CARGO_URL: fake.url, SCOUT_REGISTRY_CARGO_INDEX_URL: `${fake.url}/index` });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const GRAPH = `query ($env: DependencyEnvironmentInput) {
  dependencyGraph(ecosystem: CARGO, name: "graph-app", version: "1.0.0", environment: $env) {
    root { version }
    nodes { id depth }
    edges { from to name constraint kind }
    unresolved { from name constraint reason }
    cycles { nodes }
    truncated
  }
}`;

interface Graph {
  nodes: Array<{ id: string; depth: number }>;
  edges: Array<{ from: string; to: string; name: string; constraint: string; kind: string }>;
  unresolved: Array<{ from: string; name: string; constraint: string; reason: string }>;
  cycles: Array<{ nodes: string[] }>;
  truncated: boolean;
}

describe('dependencyGraph for a Cargo crate', () => {
  it('resolves each requirement as Cargo reads it (caret, tilde, comma lists, prereleases only when named); a yanked version only when pinned', async () => {
    const result = await gw.query<{ dependencyGraph: Graph }>(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data!.dependencyGraph;
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['graph-app@1.0.0', 'graph-core@1.3.0', 'graph-leaf@0.1.1', 'graph-pre@2.0.0-beta.3', 'graph-util@0.3.5']);
    expect(graph.nodes.find((n) => n.id === 'graph-leaf@0.1.1')?.depth).toBe(2);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        // ^1.2 passes over 1.4.0-rc.1 (not named) and 2.0.0.
        { from: 'graph-app@1.0.0', to: 'graph-core@1.3.0', name: 'graph-core', constraint: '^1.2', kind: 'RUNTIME' },
        { from: 'graph-app@1.0.0', to: 'graph-util@0.3.5', name: 'graph-util', constraint: '~0.3.1', kind: 'RUNTIME' },
        // Named prerelease of 2.0.0: the highest 2.0.0 prerelease, never 2.1.0-alpha.1.
        { from: 'graph-app@1.0.0', to: 'graph-pre@2.0.0-beta.3', name: 'graph-pre', constraint: '^2.0.0-beta.1', kind: 'RUNTIME' },
        { from: 'graph-util@0.3.5', to: 'graph-core@1.3.0', name: 'graph-core', constraint: '>= 1.2, < 2', kind: 'RUNTIME' },
        // The gateway's rule for withdrawn versions (pickVersion): an exact pin may name a yanked one.
        { from: 'graph-core@1.3.0', to: 'graph-leaf@0.1.1', name: 'graph-leaf', constraint: '=0.1.1', kind: 'RUNTIME' },
      ]),
    );
    expect(graph.edges).toHaveLength(5);
    expect(graph.unresolved).toEqual([expect.objectContaining({ from: 'graph-app@1.0.0', name: 'graph-nope', constraint: '^1', reason: expect.stringMatching(/does not exist/) })]);
    expect(graph.cycles).toEqual([]);
    expect(graph.truncated).toBe(false);
    expect(fake.count('/index/gr/ap/graph-dev')).toBe(0);
  });

  it("follows the root's development dependencies when asked", async () => {
    const result = await gw.query<{ dependencyGraph: Graph }>(GRAPH, { env: { includeDev: true } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.dependencyGraph.edges).toContainEqual({ from: 'graph-app@1.0.0', to: 'graph-dev@1.0.0', name: 'graph-dev', constraint: '^1', kind: 'DEVELOPMENT' });
  });
});
