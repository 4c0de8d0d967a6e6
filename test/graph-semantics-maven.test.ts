import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMavenPackage } from '../src/ecosystems/maven/index.js';
import { mavenVersioning } from '../src/versioning/maven.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

interface Dep {
  a: string;
  v?: string;
  scope?: string;
  optional?: boolean;
  exclusions?: string[];
}

const GROUP = 'org.gs';

function pom(artifact: string, version: string, deps: Dep[]): string {
  const dependency = (d: Dep) => {
    const [groupId, artifactId] = d.a.includes(':') ? d.a.split(':') : [GROUP, d.a];
    const exclusions = d.exclusions?.length
      ? `<exclusions>${d.exclusions.map((e) => `<exclusion><groupId>${e.split(':')[0]}</groupId><artifactId>${e.split(':')[1]}</artifactId></exclusion>`).join('')}</exclusions>`
      : '';
    return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId>${d.v ? `<version>${d.v}</version>` : ''}${d.scope ? `<scope>${d.scope}</scope>` : ''}${d.optional ? '<optional>true</optional>' : ''}${exclusions}</dependency>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${GROUP}</groupId>
  <artifactId>${artifact}</artifactId>
  <version>${version}</version>
  <dependencies>
${deps.map(dependency).join('\n')}
  </dependencies>
</project>
`;
}

/** One artifact on the fake repository: maven-metadata.xml and one POM per version. */
function serveArtifact(upstream: FakeUpstream, artifact: string, versions: Record<string, Dep[]>): void {
  const base = `/maven2/${GROUP.replace(/\./g, '/')}/${artifact}`;
  const list = Object.keys(versions).map((v) => `<version>${v}</version>`).join('');
  upstream.setDocument(`${base}/maven-metadata.xml`, `<?xml version="1.0"?><metadata><groupId>${GROUP}</groupId><artifactId>${artifact}</artifactId><versioning><versions>${list}</versions><lastUpdated>20240101000000</lastUpdated></versioning></metadata>`, 'text/xml');
  for (const [version, deps] of Object.entries(versions)) upstream.setDocument(`${base}/${version}/${artifact}-${version}.pom`, pom(artifact, version, deps), 'text/xml');
}

/** Whether the Maven adapter puts `<exclusions>` on its dependency records (the graph honours them when it does). */
function adapterKeepsExclusions(): boolean {
  const metadata = `<metadata><groupId>${GROUP}</groupId><artifactId>probe</artifactId><versioning><versions><version>1.0</version></versions></versioning></metadata>`;
  const text = pom('probe', '1.0', [{ a: 'a', v: '1.0', exclusions: [`${GROUP}:ex`] }]);
  const normalized = normalizeMavenPackage(`${GROUP}:probe`, {
    package: { repository: 'http://127.0.0.1:9/maven2', groupId: GROUP, artifactId: 'probe', metadataUrl: 'http://127.0.0.1:9/m.xml', metadata },
    versions: { '1.0': { version: '1.0', pomUrl: 'http://127.0.0.1:9/p.pom', sourcesUrl: 'http://127.0.0.1:9/s.jar', details: { pom: { url: 'http://127.0.0.1:9/p.pom', text, lastModified: null }, related: {}, artifact: null } } },
  });
  return (normalized.versions[0]?.dependencies[0]?.exclusions?.length ?? 0) > 0;
}

let upstream: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startFakeRegistry('maven');
  serveArtifact(upstream, 'app', {
    '1.0': [
      { a: 'a', v: '1.0', exclusions: [`${GROUP}:ex`] },
      { a: 'b', v: '1.0' },
      { a: 'opt', v: '1.0', optional: true },
      { a: 'testkit', v: '1.0', scope: 'test' },
      { a: 'ranged', v: '[1.0,2.0)' },
    ],
  });
  serveArtifact(upstream, 'a', { '1.0': [{ a: 'shared', v: '1.0' }, { a: 'ex', v: '1.0' }, { a: 'aopt', v: '1.0', optional: true }], '2.0': [] });
  serveArtifact(upstream, 'b', { '1.0': [{ a: 'shared', v: '2.0' }, { a: 'deep', v: '1.0' }, { a: 'ghost', v: '9.9' }] });
  serveArtifact(upstream, 'deep', { '1.0': [{ a: 'a', v: '2.0' }] });
  serveArtifact(upstream, 'shared', { '1.0': [], '2.0': [] });
  serveArtifact(upstream, 'ranged', { '1.0': [], '1.5': [], '2.0': [] });
  for (const leaf of ['ex', 'opt', 'aopt', 'testkit', 'ghost']) serveArtifact(upstream, leaf, { '1.0': [] });
  gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_MAVEN_URL: `${upstream.url}/maven2` });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const GRAPH = `query ($env: DependencyEnvironmentInput) {
  dependencyGraph(ecosystem: MAVEN, name: "org.gs:app", version: "1.0", environment: $env) {
    nodes { id depth }
    edges { from to name constraint kind mediatedFrom }
    unresolved { from name constraint reason }
    excluded { from name reason }
  }
}`;

interface Graph {
  nodes: { id: string; depth: number }[];
  edges: { from: string; to: string; name: string; constraint: string; kind: string; mediatedFrom: string | null }[];
  unresolved: { from: string; name: string; constraint: string; reason: string }[];
  excluded: { from: string; name: string; reason: string }[];
}

async function graph(env: Record<string, unknown> | null = null): Promise<Graph> {
  const result = await gw.query(GRAPH, { env });
  expect(result.errors).toBeUndefined();
  return result.data.dependencyGraph as Graph;
}

describe('Maven graphs: nearest-wins mediation', () => {
  it('takes the nearest declaration of each artifact (first in breadth-first order) and points the others at it', async () => {
    const g = await graph();
    const ids = g.nodes.map((n) => n.id);
    // shared: a (declared first) asks 1.0, b 2.0, both at depth 2 -> 1.0. a: the root's 1.0 beats deep's 2.0.
    expect(ids).toContain('org.gs:shared@1.0');
    expect(ids).not.toContain('org.gs:shared@2.0');
    expect(ids).not.toContain('org.gs:a@2.0');
    expect(g.edges).toContainEqual({ from: 'org.gs:b@1.0', to: 'org.gs:shared@1.0', name: 'org.gs:shared', constraint: '2.0', kind: 'RUNTIME', mediatedFrom: '2.0' });
    expect(g.edges).toContainEqual({ from: 'org.gs:a@1.0', to: 'org.gs:shared@1.0', name: 'org.gs:shared', constraint: '1.0', kind: 'RUNTIME', mediatedFrom: null });
    expect(g.edges).toContainEqual({ from: 'org.gs:deep@1.0', to: 'org.gs:a@1.0', name: 'org.gs:a', constraint: '2.0', kind: 'RUNTIME', mediatedFrom: '2.0' });
    expect(g.nodes.find((n) => n.id === 'org.gs:deep@1.0')!.depth).toBe(2);
  });

  it('keeps the root\'s own optional dependencies, drops its dependencies\' optional ones and test scope', async () => {
    const g = await graph();
    const ids = g.nodes.map((n) => n.id);
    expect(ids).toContain('org.gs:opt@1.0');
    expect(g.edges).toContainEqual(expect.objectContaining({ from: 'org.gs:app@1.0', to: 'org.gs:opt@1.0', kind: 'OPTIONAL' }));
    expect(ids).not.toContain('org.gs:aopt@1.0');
    expect(ids).not.toContain('org.gs:testkit@1.0');
    expect((await graph({ includeDev: true })).nodes.map((n) => n.id)).toContain('org.gs:testkit@1.0');
  });

  it('takes a soft requirement\'s own version, and says when it is not published', async () => {
    const g = await graph();
    expect(g.unresolved).toContainEqual({ from: 'org.gs:b@1.0', name: 'org.gs:ghost', constraint: '9.9', reason: 'version 9.9 is not published' });
    const ranged = g.edges.find((e) => e.name === 'org.gs:ranged');
    if (mavenVersioning.parseConstraint) expect(ranged?.to).toBe('org.gs:ranged@1.5');
    else expect(g.unresolved).toContainEqual(expect.objectContaining({ name: 'org.gs:ranged', reason: expect.stringMatching(/not available yet/) }));
  });

  it.skipIf(!adapterKeepsExclusions())('cuts the subtree an exclusion names (needs the adapter to record <exclusions>)', async () => {
    const g = await graph();
    expect(g.nodes.map((n) => n.id)).not.toContain('org.gs:ex@1.0');
    expect(g.excluded).toContainEqual({ from: 'org.gs:a@1.0', name: 'org.gs:ex', reason: `excluded by ${GROUP}:ex on the path from the root` });
  });
});
