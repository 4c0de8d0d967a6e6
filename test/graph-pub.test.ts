import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small pub tree from test/fixtures/pub/api/packages/graph_* (package listings with every version's pubspec;
 * the options/score side documents answer 404, which the adapter tolerates):
 *   graph_app 1.0.0 -> graph_core ^1.2.0, graph_util ">=0.4.0 <0.6.0", graph_pre ^3.0.0-dev.1,
 *                      graph_forked (git), graph_nope ^1.0.0, [dev] graph_dev ^1.0.0
 *   graph_core 1.3.0 -> graph_util 0.5.1
 */
let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('pub');
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_PUB_URL: fake.url });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const GRAPH = `query ($env: DependencyEnvironmentInput) {
  dependencyGraph(ecosystem: PUB, name: "graph_app", version: "1.0.0", environment: $env) {
    nodes { id depth }
    edges { from to name constraint kind }
    unresolved { from name constraint reason }
    truncated
  }
}`;

interface Graph {
  nodes: Array<{ id: string; depth: number }>;
  edges: Array<{ from: string; to: string; name: string; constraint: string; kind: string }>;
  unresolved: Array<{ from: string; name: string; constraint: string; reason: string }>;
  truncated: boolean;
}

describe('dependencyGraph for a pub package', () => {
  it('resolves pub constraints (caret, ranges, exact, prereleases) and leaves git dependencies unresolved', async () => {
    const result = await gw.query<{ dependencyGraph: Graph }>(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data!.dependencyGraph;
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['graph_app@1.0.0', 'graph_core@1.3.0', 'graph_pre@3.0.0-dev.2', 'graph_util@0.5.1']);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: 'graph_app@1.0.0', to: 'graph_core@1.3.0', name: 'graph_core', constraint: '^1.2.0', kind: 'RUNTIME' },
        // `<0.6.0` also shuts out 0.6.0-dev (pub_semver reads it as <0.6.0-0).
        { from: 'graph_app@1.0.0', to: 'graph_util@0.5.1', name: 'graph_util', constraint: '>=0.4.0 <0.6.0', kind: 'RUNTIME' },
        { from: 'graph_app@1.0.0', to: 'graph_pre@3.0.0-dev.2', name: 'graph_pre', constraint: '^3.0.0-dev.1', kind: 'RUNTIME' },
        { from: 'graph_core@1.3.0', to: 'graph_util@0.5.1', name: 'graph_util', constraint: '0.5.1', kind: 'RUNTIME' },
      ]),
    );
    expect(graph.edges).toHaveLength(4);
    const reasons = Object.fromEntries(graph.unresolved.map((u) => [u.name, u]));
    expect(Object.keys(reasons).sort()).toEqual(['graph_forked', 'graph_nope']);
    // A git dependency is not the same-named package of the registry.
    expect(reasons.graph_forked).toMatchObject({ from: 'graph_app@1.0.0', constraint: 'git: https://github.com/example/graph_forked.git (ref: main)', reason: expect.stringMatching(/^not a registry dependency/) });
    expect(reasons.graph_nope!.reason).toMatch(/does not exist/);
    expect(graph.truncated).toBe(false);
    expect(fake.count('/api/packages/graph_dev')).toBe(0);
  });

  it("follows the root's dev_dependencies when asked", async () => {
    const result = await gw.query<{ dependencyGraph: Graph }>(GRAPH, { env: { includeDev: true } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.dependencyGraph.edges).toContainEqual({ from: 'graph_app@1.0.0', to: 'graph_dev@1.0.0', name: 'graph_dev', constraint: '^1.0.0', kind: 'DEVELOPMENT' });
  });
});
