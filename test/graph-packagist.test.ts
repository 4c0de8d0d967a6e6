import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small Composer tree (test/fixtures/packagist/p2/graph/) resolved by the real gateway with Composer's constraint
 * rules (https://getcomposer.org/doc/articles/versions.md): caret, tilde, stability flags, default stability
 * `stable`, platform requirements skipped, `self.version` and unreadable constraints reported.
 */

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('packagist');
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_PACKAGIST_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const GRAPH = `query ($env: DependencyEnvironmentInput) {
  dependencyGraph(ecosystem: PACKAGIST, name: "graph/app", version: "v1.0.0", environment: $env) {
    root { version }
    nodes { id depth }
    edges { from to name constraint kind }
    unresolved { name constraint reason }
    truncated
  }
}`;

type Graph = {
  nodes: { id: string; depth: number }[];
  edges: { from: string; to: string; name: string; constraint: string; kind: string }[];
  unresolved: { name: string; constraint: string; reason: string }[];
};

describe('Packagist dependency graph through the gateway', () => {
  it('resolves each requirement as Composer reads it', async () => {
    const result = await gw.query(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data.dependencyGraph as Graph & { root: { version: string }; truncated: boolean };
    expect(graph.root.version).toBe('v1.0.0');
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['graph/app@v1.0.0', 'graph/http@v2.1.0', 'graph/log@1.3.5', 'graph/util@1.1.0-beta2']);
    const edges = graph.edges.map((e) => `${e.from} -> ${e.to} (${e.constraint})`).sort();
    expect(edges).toEqual([
      // ^2.0: 2.2.0-RC1 is not stable and 3.0.0 is out of range.
      'graph/app@v1.0.0 -> graph/http@v2.1.0 (^2.0)',
      // ~1.2 = >=1.2 <2.0: 1.4.0-beta1 is not stable.
      'graph/app@v1.0.0 -> graph/log@1.3.5 (~1.2)',
      // @beta lets a beta in.
      'graph/app@v1.0.0 -> graph/util@1.1.0-beta2 (^1.0@beta)',
      'graph/http@v2.1.0 -> graph/log@1.3.5 (^1.0)',
    ]);
    expect(graph.nodes.find((n) => n.id === 'graph/log@1.3.5')!.depth).toBe(1);
    const reasons = Object.fromEntries(graph.unresolved.map((u) => [u.name, u.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['graph/broken', 'graph/bundle', 'graph/missing']);
    expect(reasons['graph/bundle']).toMatch(/self\.version/);
    expect(reasons['graph/missing']).toMatch(/does not exist/);
    expect(reasons['graph/broken']).toMatch(/not a Composer version constraint: "\^2\.0\.\*"/);
    // Platform requirements (php, ext-json) are neither nodes nor failures.
    expect(graph.unresolved.some((u) => u.name === 'php' || u.name === 'ext-json')).toBe(false);
    expect(graph.truncated).toBe(false);
    // require-dev of the root is left out unless asked.
    expect(upstream.count('/p2/graph/devtool.json')).toBe(0);
  });

  it("follows the root's require-dev when asked", async () => {
    const result = await gw.query(GRAPH, { env: { includeDev: true } });
    expect(result.errors).toBeUndefined();
    const graph = result.data.dependencyGraph as Graph;
    expect(graph.edges).toContainEqual({ from: 'graph/app@v1.0.0', to: 'graph/devtool@1.0.0', name: 'graph/devtool', constraint: '^1.0', kind: 'DEVELOPMENT' });
  });
});
