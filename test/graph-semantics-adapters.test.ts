import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/*
 * Cargo targets/features and NuGet framework groups through the real gateway and adapters, on the adapters' own
 * fixtures (tidy-widget, Contoso.Widgets). Each test first asks the gateway whether its adapter records the condition
 * on dependencies (Dependency.target / targetFramework); until it does, the test is skipped (the semantics themselves
 * are pinned in graph-semantics-conditions.test.ts). Whether the dependencies then resolve depends on the scheme's
 * constraint matching and on fixtures for them: the assertions look at conditions, wherever the dependency ends up
 * (edge or unresolved), and at what is excluded.
 */

interface Entry {
  name: string;
  condition: string | null;
  applies: boolean | null;
}

interface Graph {
  edges: Entry[];
  unresolved: Entry[];
  excluded: { name: string; condition: string | null; reason: string }[];
}

const GRAPH = (ecosystem: string, name: string, version: string) => `query ($env: DependencyEnvironmentInput) {
  dependencyGraph(ecosystem: ${ecosystem}, name: "${name}", version: "${version}", environment: $env, maxDepth: 1) {
    edges { name condition applies }
    unresolved { name condition applies }
    excluded { name condition reason }
  }
}`;

/** Each dependency of the root that was followed (resolved or not), by name. */
const followed = (g: Graph) => Object.fromEntries([...g.edges, ...g.unresolved].map((e) => [e.name, { condition: e.condition, applies: e.applies }]));

function serveRewritten(fake: FakeUpstream, dir: string, prefix = ''): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) serveRewritten(fake, file, `${prefix}/${entry.name}`);
    else fake.setDocument(`${prefix}/${entry.name}`, fs.readFileSync(file, 'utf8').replaceAll('https://api.nuget.org', fake.url), 'application/json');
  }
}

let cargo: FakeUpstream;
let nuget: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  cargo = await startFakeRegistry('cargo');
  nuget = await startFakeRegistry('nuget');
  serveRewritten(nuget, path.resolve(import.meta.dirname, 'fixtures', 'nuget'));
  gw = await startTestGateway('http://127.0.0.1:9', {
    SCOUT_REGISTRY_CARGO_URL: cargo.url,
    SCOUT_REGISTRY_CARGO_INDEX_URL: `${cargo.url}/index`,
    SCOUT_REGISTRY_NUGET_URL: `${nuget.url}/v3`,
  });
});
afterAll(async () => {
  await gw.close();
  await cargo.close();
  await nuget.close();
});

async function graph(ecosystem: string, name: string, version: string, env: Record<string, unknown> | null): Promise<Graph> {
  const result = await gw.query(GRAPH(ecosystem, name, version), { env });
  expect(result.errors).toBeUndefined();
  return result.data.dependencyGraph as Graph;
}

async function recorded(ecosystem: string, name: string, version: string, field: 'target' | 'targetFramework'): Promise<boolean> {
  const result = await gw.query(`{ version(ecosystem: ${ecosystem}, name: "${name}", version: "${version}") { dependencies { ${field} } } }`);
  expect(result.errors).toBeUndefined();
  return (result.data.version.dependencies as Record<string, string | null>[]).some((d) => d[field] !== null);
}

describe('Cargo through the gateway: tidy-widget 1.0.0', () => {
  it('Windows vs Linux for cfg(windows); the optional serde only with its feature', async (ctx) => {
    if (!(await recorded('CARGO', 'tidy-widget', '1.0.0', 'target'))) ctx.skip('the cargo adapter does not record `target` on dependencies yet');
    const windows = await graph('CARGO', 'tidy-widget', '1.0.0', { os: 'win32' });
    expect(followed(windows).winapi).toEqual({ condition: 'cfg(windows)', applies: true });
    expect(windows.excluded).toContainEqual(expect.objectContaining({ name: 'serde', reason: expect.stringMatching(/no enabled feature turns it on/) }));
    const linux = await graph('CARGO', 'tidy-widget', '1.0.0', { os: 'linux', cargoFeatures: ['serde'] });
    expect(followed(linux).winapi).toBeUndefined();
    expect(linux.excluded).toContainEqual({ name: 'winapi', condition: 'cfg(windows)', reason: 'target cfg(windows) does not match' });
    expect(followed(linux).serde).toEqual({ condition: 'feature = "serde"', applies: true });
  });
});

describe('NuGet through the gateway: Contoso.Widgets 1.0.0', () => {
  it('net8.0 uses the net6.0 group only; netstandard2.0 its own group', async (ctx) => {
    if (!(await recorded('NUGET', 'Contoso.Widgets', '1.0.0', 'targetFramework'))) ctx.skip('the nuget adapter does not record `targetFramework` on dependencies yet');
    const modern = await graph('NUGET', 'Contoso.Widgets', '1.0.0', { targetFramework: 'net8.0' });
    expect(followed(modern)).toEqual({ 'Contoso.Core': { condition: 'net6.0', applies: true } });
    expect(modern.excluded.map((e) => [e.name, e.condition])).toEqual([['Contoso.Core', '.NETStandard2.0'], ['System.Memory', '.NETStandard2.0']]);
    const standard = await graph('NUGET', 'Contoso.Widgets', '1.0.0', { targetFramework: 'netstandard2.0' });
    expect(Object.keys(followed(standard)).sort()).toEqual(['Contoso.Core', 'System.Memory']);
  });
});
