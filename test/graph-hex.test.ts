import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small Hex tree from test/fixtures/hex/api/packages/graph_* (package documents, and the release documents
 * that carry the requirements, fetched only for the versions the walk reaches):
 *   graph_app 1.0.0 -> graph_core "~> 1.2", graph_util ">= 0.4.0 and < 2.0.0", graph_pre "~> 0.2.0-beta.1",
 *                      graph_nope "~> 1.0", graph_opt "~> 1.0" (optional: the consumer provides it)
 *   graph_core 1.4.0 -> graph_util "~> 0.4.0 or ~> 1.0"
 */
const PACKAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hex', 'api', 'packages');

/** `/api/packages/<name>` and `/api/packages/<name>/releases/<v>` cannot both be files: each is kept as `<path>.json`. */
function serveGraphFixtures(fake: FakeUpstream): void {
  for (const entry of fs.readdirSync(PACKAGES, { withFileTypes: true })) {
    if (!entry.name.startsWith('graph_')) continue;
    if (entry.isFile() && entry.name.endsWith('.json')) {
      fake.setDocument(`/api/packages/${entry.name.slice(0, -'.json'.length)}`, fs.readFileSync(path.join(PACKAGES, entry.name)), 'application/json; charset=utf-8');
    } else if (entry.isDirectory()) {
      const releases = path.join(PACKAGES, entry.name, 'releases');
      for (const file of fs.readdirSync(releases)) {
        fake.setDocument(`/api/packages/${entry.name}/releases/${file.slice(0, -'.json'.length)}`, fs.readFileSync(path.join(releases, file)), 'application/json; charset=utf-8');
      }
    }
  }
}

let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('hex');
  serveGraphFixtures(fake);
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_HEX_URL: fake.url });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const GRAPH = `query ($env: DependencyEnvironmentInput) {
  dependencyGraph(ecosystem: HEX, name: "graph_app", version: "1.0.0", environment: $env) {
    nodes { id depth }
    edges { from to name constraint kind optional }
    unresolved { from name constraint reason }
    truncated
  }
}`;

interface Graph {
  nodes: Array<{ id: string; depth: number }>;
  edges: Array<{ from: string; to: string; name: string; constraint: string; kind: string; optional: boolean }>;
  unresolved: Array<{ from: string; name: string; constraint: string; reason: string }>;
  truncated: boolean;
}

describe('dependencyGraph for a Hex package', () => {
  it('resolves Elixir requirements: ~>, and/or, prereleases only when the requirement names one', async () => {
    const result = await gw.query<{ dependencyGraph: Graph }>(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data!.dependencyGraph;
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['graph_app@1.0.0', 'graph_core@1.4.0', 'graph_pre@0.2.0-beta.2', 'graph_util@1.0.0']);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        // ~> 1.2 is >= 1.2.0 and < 2.0.0-0: 1.4.0, not 1.5.0-rc.0 nor 2.0.0.
        { from: 'graph_app@1.0.0', to: 'graph_core@1.4.0', name: 'graph_core', constraint: '~> 1.2', kind: 'RUNTIME', optional: false },
        { from: 'graph_app@1.0.0', to: 'graph_util@1.0.0', name: 'graph_util', constraint: '>= 0.4.0 and < 2.0.0', kind: 'RUNTIME', optional: false },
        { from: 'graph_app@1.0.0', to: 'graph_pre@0.2.0-beta.2', name: 'graph_pre', constraint: '~> 0.2.0-beta.1', kind: 'RUNTIME', optional: false },
        { from: 'graph_core@1.4.0', to: 'graph_util@1.0.0', name: 'graph_util', constraint: '~> 0.4.0 or ~> 1.0', kind: 'RUNTIME', optional: false },
      ]),
    );
    expect(graph.edges).toHaveLength(4);
    expect(graph.unresolved).toEqual([expect.objectContaining({ from: 'graph_app@1.0.0', name: 'graph_nope', constraint: '~> 1.0', reason: expect.stringMatching(/does not exist/) })]);
    expect(graph.truncated).toBe(false);
    // Release documents only for the versions reached; the optional dependency is not fetched at all.
    expect(fake.count('/api/packages/graph_core/releases/1.4.0')).toBe(1);
    expect(fake.count('/api/packages/graph_core/releases/2.0.0')).toBe(0);
    expect(fake.count('/api/packages/graph_opt')).toBe(0);
  });

  it('follows an optional requirement when peers are asked for', async () => {
    const result = await gw.query<{ dependencyGraph: Graph }>(GRAPH, { env: { includePeer: true } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.dependencyGraph.edges).toContainEqual({ from: 'graph_app@1.0.0', to: 'graph_opt@1.0.0', name: 'graph_opt', constraint: '~> 1.0', kind: 'PEER', optional: true });
  });
});
