import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small NuGet tree (test/fixtures/nuget/v3/registration5-gz-semver2/graph.*) resolved by the real gateway with
 * NuGet's range rules (https://learn.microsoft.com/nuget/concepts/package-versioning#version-ranges) and its choice
 * (https://learn.microsoft.com/nuget/concepts/dependency-resolution): the lowest applicable version of a range, the
 * highest of a floating range, prereleases only when a bound names one, unlisted versions passed over.
 */

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'nuget');

/** The fixtures name nuget.org in their links: point them at the fake. */
function serve(fake: FakeUpstream, dir = FIXTURES, prefix = ''): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) serve(fake, file, `${prefix}/${entry.name}`);
    else fake.setDocument(`${prefix}/${entry.name}`, fs.readFileSync(file, 'utf8').replaceAll('https://api.nuget.org', fake.url), 'application/json');
  }
}

let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('nuget');
  serve(fake);
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_NUGET_URL: `${fake.url}/v3` });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const GRAPH = `{
  dependencyGraph(ecosystem: NUGET, name: "Graph.App", version: "1.0.0", environment: { targetFramework: "net8.0" }) {
    root { version }
    nodes { id depth }
    edges { from to constraint kind }
    unresolved { name constraint reason }
    truncated
  }
}`;

describe('NuGet dependency graph through the gateway', () => {
  it('takes the lowest applicable version of ranges and the highest of floats', async () => {
    const result = await gw.query(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data.dependencyGraph as {
      root: { version: string };
      nodes: { id: string; depth: number }[];
      edges: { from: string; to: string; constraint: string; kind: string }[];
      unresolved: { name: string; constraint: string; reason: string }[];
      truncated: boolean;
    };
    expect(graph.root.version).toBe('1.0.0');
    const edges = graph.edges.map((e) => `${e.from} -> ${e.to} (${e.constraint})`).sort();
    expect(edges).toEqual([
      // [1.1.0, ): the lowest applicable, not the newest 2.0.0.
      'graph.app@1.0.0 -> graph.core@1.1.0 ([1.1.0, ))',
      // 1.*: the highest stable 1.x (1.5.0-beta is a prerelease, 2.0.0 outside the float).
      'graph.app@1.0.0 -> graph.float@1.4.0 (1.*)',
      // [2.0.0-beta, 3.0.0): a prerelease bound lets prereleases in; the lowest applicable is 2.0.0-beta.2.
      'graph.app@1.0.0 -> graph.pre@2.0.0-beta.2 ([2.0.0-beta, 3.0.0))',
      // [1.0.0, ): 1.0.0 is unlisted, so 1.0.1.
      'graph.core@1.1.0 -> graph.leaf@1.0.1 ([1.0.0, ))',
    ]);
    expect(graph.nodes.find((n) => n.id === 'graph.leaf@1.0.1')!.depth).toBe(2);
    const reasons = Object.fromEntries(graph.unresolved.map((u) => [u.name, u.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['Graph.Bad', 'Graph.Missing']);
    expect(reasons['Graph.Bad']).toBe('not a NuGet version range: "(1.0)"');
    expect(reasons['Graph.Missing']).toMatch(/does not exist/);
    expect(graph.truncated).toBe(false);
  });
});
