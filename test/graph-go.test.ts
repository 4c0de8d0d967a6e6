import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small module graph (test/fixtures/go/example.com/graph/) resolved by the real gateway with minimal version
 * selection (https://go.dev/ref/mod#minimal-version-selection): each module at the highest minimum any reached
 * go.mod requires, never a newer release than that.
 */

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('go');
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_GO_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const GRAPH = `{
  dependencyGraph(ecosystem: GO, name: "example.com/graph/app", version: "v1.0.0") {
    root { version }
    nodes { id depth }
    edges { from to constraint mediatedFrom }
    unresolved { name reason }
    truncated
  }
}`;

describe('Go module graph through the gateway', () => {
  it('selects the highest required minimum of each module', async () => {
    const result = await gw.query(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data.dependencyGraph as {
      root: { version: string };
      nodes: { id: string; depth: number }[];
      edges: { from: string; to: string; constraint: string; mediatedFrom: string | null }[];
      unresolved: { name: string; reason: string }[];
      truncated: boolean;
    };
    expect(graph.root.version).toBe('v1.0.0');
    // util: app asks v1.0.0, lib v1.1.0 asks v1.2.0 -> v1.2.0, not the newest v1.3.0; lib stays at v1.1.0 (v1.2.0 exists).
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      'example.com/graph/app@v1.0.0',
      'example.com/graph/leaf@v0.2.0',
      'example.com/graph/lib@v1.1.0',
      'example.com/graph/util@v1.2.0',
    ]);
    expect(graph.edges.map((e) => `${e.from} -> ${e.to} (${e.constraint}${e.mediatedFrom ? `, asked ${e.mediatedFrom}` : ''})`).sort()).toEqual([
      'example.com/graph/app@v1.0.0 -> example.com/graph/leaf@v0.2.0 (v0.2.0)',
      'example.com/graph/app@v1.0.0 -> example.com/graph/lib@v1.1.0 (v1.1.0)',
      'example.com/graph/app@v1.0.0 -> example.com/graph/util@v1.2.0 (v1.0.0, asked v1.0.0)',
      'example.com/graph/lib@v1.1.0 -> example.com/graph/util@v1.2.0 (v1.2.0)',
    ]);
    expect(graph.unresolved).toEqual([]);
    expect(graph.truncated).toBe(false);
  });

  it('resolves a lone requirement through the versioning constraint', async () => {
    const result = await gw.query(`{ version(ecosystem: GO, name: "example.com/graph/app", version: "v1.0.0") { dependencies { name constraint resolved { version } } } }`);
    expect(result.errors).toBeUndefined();
    const leaf = result.data.version.dependencies.find((d: { name: string }) => d.name === 'example.com/graph/leaf');
    expect(leaf).toEqual({ name: 'example.com/graph/leaf', constraint: 'v0.2.0', resolved: { version: 'v0.2.0' } });
  });
});
