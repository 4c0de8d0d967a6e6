import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * A small Maven tree (test/fixtures/maven/maven2/org/example/graph/) resolved by the real gateway with Maven's
 * requirement rules (https://maven.apache.org/pom.html#dependency-version-requirement-specification): a soft
 * requirement is its own version, a range takes the highest version inside it (qualifiers included, as Maven does),
 * `[1.2]` is a hard pin, and the nearest declaration wins (https://maven.apache.org/guides/introduction/introduction-to-dependency-mechanism.html).
 */

let fake: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeRegistry('maven');
  fake.lastModified = 'Mon, 01 Apr 2024 12:00:00 GMT';
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_MAVEN_URL: `${fake.url}/maven2` });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const GRAPH = `{
  dependencyGraph(ecosystem: MAVEN, name: "org.example.graph:app", version: "1.0") {
    root { version }
    nodes { id depth }
    edges { from to constraint kind mediatedFrom }
    unresolved { name constraint reason }
    truncated
  }
}`;

describe('Maven dependency graph through the gateway', () => {
  it('resolves soft requirements, ranges and pins, nearest declaration first', async () => {
    const result = await gw.query(GRAPH);
    expect(result.errors).toBeUndefined();
    const graph = result.data.dependencyGraph as {
      root: { version: string };
      nodes: { id: string; depth: number }[];
      edges: { from: string; to: string; constraint: string; kind: string; mediatedFrom: string | null }[];
      unresolved: { name: string; constraint: string; reason: string }[];
      truncated: boolean;
    };
    expect(graph.root.version).toBe('1.0');
    const g = (artifact: string) => `org.example.graph:${artifact}`;
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([`${g('app')}@1.0`, `${g('lib-a')}@1.0`, `${g('lib-b')}@2.0-beta-1`, `${g('lib-c')}@1.2`]);
    const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
    // Soft `1.0`: 1.0 itself, although 1.1 exists.
    expect(edge(`${g('app')}@1.0`, `${g('lib-a')}@1.0`)).toMatchObject({ constraint: '1.0', kind: 'RUNTIME', mediatedFrom: null });
    // `[1.0,2.0)`: the highest inside, and 2.0-beta-1 sorts below 2.0, so it is inside.
    expect(edge(`${g('app')}@1.0`, `${g('lib-b')}@2.0-beta-1`)).toMatchObject({ constraint: '[1.0,2.0)', mediatedFrom: null });
    // `[1.2]`: the hard pin, declared nearest; lib-a's soft `1.3` two levels down yields to it.
    expect(edge(`${g('app')}@1.0`, `${g('lib-c')}@1.2`)).toMatchObject({ constraint: '[1.2]', mediatedFrom: null });
    expect(edge(`${g('lib-a')}@1.0`, `${g('lib-c')}@1.2`)).toMatchObject({ constraint: '1.3', mediatedFrom: '1.3' });
    const reasons = Object.fromEntries(graph.unresolved.map((u) => [u.name, u.reason]));
    expect(Object.keys(reasons).sort()).toEqual([g('lib-bad'), g('lib-missing')]);
    expect(reasons[g('lib-bad')]).toMatch(/not a Maven version requirement: "\[1\.0" \(unbounded version range\)/);
    expect(reasons[g('lib-missing')]).toMatch(/does not exist/);
    // test scope is not followed by default.
    expect(graph.nodes.some((n) => n.id.includes('test-kit'))).toBe(false);
    expect(graph.truncated).toBe(false);
  });
});
