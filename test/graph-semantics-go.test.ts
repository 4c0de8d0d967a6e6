import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/** One module on the fake proxy: `@v/list`, and `.info` + `.mod` of each version (no zips: details then have none). */
function serveModule(upstream: FakeUpstream, path: string, versions: Record<string, { requires?: string[]; extra?: string; time: string }>): void {
  upstream.setDocument(`/${path}/@v/list`, `${Object.keys(versions).join('\n')}\n`, 'text/plain');
  for (const [version, spec] of Object.entries(versions)) {
    upstream.setDocument(`/${path}/@v/${version}.info`, { Version: version, Time: spec.time });
    const requires = spec.requires?.length ? `\nrequire (\n${spec.requires.map((r) => `\t${r}`).join('\n')}\n)\n` : '';
    upstream.setDocument(`/${path}/@v/${version}.mod`, `module ${path}\n\ngo 1.21\n${requires}${spec.extra ?? ''}`, 'text/plain');
  }
}

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('go');
  serveModule(upstream, 'example.com/gs/app', {
    'v1.0.0': { time: '2024-05-01T00:00:00Z', requires: ['example.com/gs/left v1.0.0', 'example.com/gs/right v1.0.0'] },
  });
  serveModule(upstream, 'example.com/gs/left', {
    'v1.0.0': { time: '2024-01-01T00:00:00Z', requires: ['example.com/gs/shared v1.1.0', 'example.com/gs/util v1.0.0 // indirect'] },
  });
  // right's latest is v1.1.0, but MVS takes the version required (v1.0.0), never the latest.
  serveModule(upstream, 'example.com/gs/right', {
    'v1.0.0': { time: '2024-01-01T00:00:00Z', requires: ['example.com/gs/shared v1.3.0', 'example.com/gs/gone v1.0.0', 'example.com/gs/pseudo v0.0.0-20240102030405-abcdefabcdef'] },
    'v1.1.0': { time: '2024-04-01T00:00:00Z', requires: ['example.com/gs/shared v1.4.0'] },
  });
  serveModule(upstream, 'example.com/gs/shared', {
    'v1.0.0': { time: '2023-01-01T00:00:00Z' },
    'v1.1.0': { time: '2023-02-01T00:00:00Z', requires: ['example.com/gs/oldonly v1.0.0'] },
    'v1.2.0': { time: '2023-03-01T00:00:00Z' },
    'v1.3.0': { time: '2023-04-01T00:00:00Z', requires: ['example.com/gs/util v1.2.0'] },
    'v1.4.0': { time: '2023-05-01T00:00:00Z' },
  });
  // v1.2.0 is retracted by the latest go.mod: a requirement names it exactly, so MVS still selects it.
  serveModule(upstream, 'example.com/gs/util', {
    'v1.0.0': { time: '2022-01-01T00:00:00Z' },
    'v1.2.0': { time: '2022-02-01T00:00:00Z' },
    'v1.5.0': { time: '2022-03-01T00:00:00Z', extra: '\nretract v1.2.0 // broken\n' },
  });
  serveModule(upstream, 'example.com/gs/oldonly', { 'v1.0.0': { time: '2022-01-01T00:00:00Z' } });
  serveModule(upstream, 'example.com/gs/pseudo', { 'v0.1.0': { time: '2022-01-01T00:00:00Z' } });
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_GO_URL: upstream.url });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const GRAPH = `query ($maxNodes: Int, $maxDepth: Int) {
  dependencyGraph(ecosystem: GO, name: "example.com/gs/app", version: "latest", maxNodes: $maxNodes, maxDepth: $maxDepth) {
    root { version }
    nodes { id depth version { status } }
    edges { from to constraint mediatedFrom condition applies }
    unresolved { from name constraint reason }
    truncated
  }
}`;

describe('Go graphs: minimal version selection', () => {
  it('selects the highest required version of each module over a diamond, as `go mod graph` after MVS', async () => {
    upstream.reset();
    const result = await gw.query(GRAPH);
    expect(result.errors).toBeUndefined();
    const g = result.data.dependencyGraph;
    expect(g.root.version).toBe('v1.0.0');
    const nodes = Object.fromEntries(g.nodes.map((n: { id: string; depth: number }) => [n.id, n.depth]));
    // left asks shared v1.1.0, right v1.3.0: v1.3.0 (not the latest v1.4.0); util v1.0.0 vs v1.2.0 (retracted): v1.2.0.
    // oldonly is required only by shared v1.1.0, which lost: it stays in the build list, as MVS keeps it.
    expect(nodes).toEqual({
      'example.com/gs/app@v1.0.0': 0,
      'example.com/gs/left@v1.0.0': 1,
      'example.com/gs/right@v1.0.0': 1,
      'example.com/gs/shared@v1.3.0': 2,
      'example.com/gs/util@v1.2.0': 2,
      'example.com/gs/oldonly@v1.0.0': 3,
    });
    expect(g.nodes.find((n: { id: string }) => n.id === 'example.com/gs/util@v1.2.0').version.status).toBe('RETRACTED');
    const edges = g.edges.map((e: { from: string; to: string; constraint: string; mediatedFrom: string | null }) => `${e.from} -> ${e.to} (${e.constraint}${e.mediatedFrom ? `, upgraded from ${e.mediatedFrom}` : ''})`).sort();
    expect(edges).toEqual([
      'example.com/gs/app@v1.0.0 -> example.com/gs/left@v1.0.0 (v1.0.0)',
      'example.com/gs/app@v1.0.0 -> example.com/gs/right@v1.0.0 (v1.0.0)',
      'example.com/gs/left@v1.0.0 -> example.com/gs/shared@v1.3.0 (v1.1.0, upgraded from v1.1.0)',
      'example.com/gs/left@v1.0.0 -> example.com/gs/util@v1.2.0 (v1.0.0, upgraded from v1.0.0)',
      'example.com/gs/right@v1.0.0 -> example.com/gs/shared@v1.3.0 (v1.3.0)',
      'example.com/gs/shared@v1.3.0 -> example.com/gs/util@v1.2.0 (v1.2.0)',
    ]);
    expect(g.edges.every((e: { condition: string | null; applies: boolean | null }) => e.condition === null && e.applies === null)).toBe(true);
    // A module the proxy does not have, and a pseudo-version its list does not name, are reported.
    const reasons = Object.fromEntries(g.unresolved.map((u: { name: string; reason: string }) => [u.name, u.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['example.com/gs/gone', 'example.com/gs/pseudo']);
    expect(reasons['example.com/gs/gone']).toMatch(/example\.com\/gs\/gone@v1\.0\.0 is not available from the module proxy/);
    expect(g.truncated).toBe(false);
    // Superseded versions' go.mod files are read (MVS needs their requirements), the latest of right is not.
    expect(upstream.count('/example.com/gs/shared/@v/v1.1.0.mod')).toBe(1);
    expect(upstream.count('/example.com/gs/right/@v/v1.1.0.mod')).toBe(1); // the package fetch reads the latest go.mod
    expect(upstream.count('/example.com/gs/shared/@v/v1.2.0.mod')).toBe(0);
    expect(upstream.count('/example.com/gs/shared/@v/list')).toBe(1);
  });

  it('stops at the limits and says so', async () => {
    const small = (await gw.query(GRAPH, { maxNodes: 3 })).data.dependencyGraph;
    expect(small.truncated).toBe(true);
    expect(small.nodes.length).toBeLessThanOrEqual(3);
    const shallow = (await gw.query(GRAPH, { maxDepth: 1 })).data.dependencyGraph;
    expect(shallow.truncated).toBe(true);
    expect(shallow.nodes.map((n: { id: string }) => n.id).sort()).toEqual(['example.com/gs/app@v1.0.0', 'example.com/gs/left@v1.0.0', 'example.com/gs/right@v1.0.0']);
  });
});
