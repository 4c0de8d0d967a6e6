import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small gem tree served from test/fixtures/rubygems/info/graph_* (compact index only: the JSON APIs answer
 * 404, as on a mirror without them). The compact index joins several requirements with `&`:
 *   graph_app 1.0.0 -> graph_core "~> 1.2&>= 1.2.3", graph_pre ">= 2.0.0.rc1", graph_nope "~> 1.0"
 *   graph_core 1.9.0 -> graph_util "~> 0.5.0"
 */
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

const GRAPH = `{
  dependencyGraph(ecosystem: RUBYGEMS, name: "graph_app", version: "1.0.0") {
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

describe('dependencyGraph for a gem', () => {
  it('resolves requirements as RubyGems does: all requirements hold, ~> bounds, prereleases only when a requirement names one', async () => {
    const result = await gw.query<{ dependencyGraph: Graph }>(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data!.dependencyGraph;
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['graph_app@1.0.0', 'graph_core@1.9.0', 'graph_pre@2.0.0.rc2', 'graph_util@0.5.2']);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        // ~> 1.2 and >= 1.2.3: 1.9.0, not 2.0.0 (nor its rc).
        { from: 'graph_app@1.0.0', to: 'graph_core@1.9.0', name: 'graph_core', constraint: '~> 1.2, >= 1.2.3', kind: 'RUNTIME' },
        // A prerelease requirement admits prereleases: 2.0.0.rc2 is the highest.
        { from: 'graph_app@1.0.0', to: 'graph_pre@2.0.0.rc2', name: 'graph_pre', constraint: '>= 2.0.0.rc1', kind: 'RUNTIME' },
        { from: 'graph_core@1.9.0', to: 'graph_util@0.5.2', name: 'graph_util', constraint: '~> 0.5.0', kind: 'RUNTIME' },
      ]),
    );
    expect(graph.edges).toHaveLength(3);
    expect(graph.nodes.find((n) => n.id === 'graph_util@0.5.2')?.depth).toBe(2);
    expect(graph.unresolved).toEqual([expect.objectContaining({ from: 'graph_app@1.0.0', name: 'graph_nope', constraint: '~> 1.0', reason: expect.stringMatching(/does not exist/) })]);
    expect(graph.truncated).toBe(false);
  });
});
