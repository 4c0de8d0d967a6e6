import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startFakeOsv, type FakeOsv } from './helpers/fake-osv.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { packument } from './helpers/packument.js';

type Manifest = Record<string, unknown>;

/** A packument whose versions carry the given manifests (dependencies ...). */
function pkg(name: string, versions: Record<string, Manifest>, latest: string): Record<string, unknown> {
  const base = packument(name, { versions: Object.keys(versions), latest }) as { versions: Record<string, Manifest> };
  for (const [version, manifest] of Object.entries(versions)) base.versions[version] = { ...base.versions[version], ...manifest };
  return base;
}

let npm: FakeUpstream;
let osv: FakeOsv;
let gw: TestGateway;

beforeAll(async () => {
  npm = await startFakeNpm();
  osv = await startFakeOsv();
  npm.setDocument('/tiny-merge', pkg('tiny-merge', { '0.4.9': {}, '1.2.2': {}, '2.0.9': {}, '3.0.4': {} }, '3.0.4'));
  npm.setDocument('/left-widget', pkg('left-widget', { '1.9.0': {}, '2.3.0': { dependencies: { 'tiny-merge': '^2.0.0' } } }, '2.3.0'));
  npm.setDocument('/safe-lib', pkg('safe-lib', { '1.0.0': {} }, '1.0.0'));
  npm.setDocument('/app-root', pkg('app-root', { '1.0.0': { dependencies: { 'tiny-merge': '~1.2.0', 'left-widget': '^2.0.0', 'safe-lib': '^1.0.0' } } }, '1.0.0'));
  const versions = Array.from({ length: 300 }, (_, i) => `1.0.${i}`);
  npm.setDocument('/big-lib', pkg('big-lib', Object.fromEntries(versions.map((v) => [v, {}])), '1.0.299'));
  osv.setRecord({
    id: 'GHSA-3c4v-7w8x-9f2g',
    modified: '2025-05-05T00:00:00Z',
    summary: 'big-lib before 1.0.200 trusts proxy headers',
    affected: [{ package: { ecosystem: 'npm', name: 'big-lib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.200' }] }] }],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }],
  });
  versions.forEach((v, i) => osv.answer('npm', 'big-lib', v, i < 200 ? ['GHSA-3c4v-7w8x-9f2g'] : []));
  gw = await startTestGateway(npm.url, { SCOUT_REGISTRY_OSV_URL: osv.url });
});

afterAll(async () => {
  await gw.close();
  await npm.close();
  await osv.close();
});

describe('Version.vulnerabilities', () => {
  it('answers every field of the record for this package', async () => {
    const response = await gw.query(`{
      version(ecosystem: NPM, name: "tiny-merge", version: "1.2.2") {
        version
        vulnerabilities {
          id aliases summary details databaseSeverity cweIds published modified withdrawn url affectedVersions fixedVersions
          severity { type score baseScore rating }
          ranges { type repo introduced fixed lastAffected limit events { introduced fixed lastAffected limit } }
          references { type url }
        }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const [vuln] = response.data.version.vulnerabilities;
    expect(response.data.version.vulnerabilities).toHaveLength(1);
    expect(vuln).toMatchObject({
      id: 'GHSA-2v5c-9rq4-7hxf',
      aliases: ['CVE-2024-99101'],
      summary: 'Prototype Pollution in tiny-merge',
      databaseSeverity: 'CRITICAL',
      cweIds: ['CWE-1321'],
      published: '2024-05-02T18:30:11.000Z',
      modified: '2024-06-11T09:14:52.403Z',
      withdrawn: null,
      url: 'https://osv.dev/vulnerability/GHSA-2v5c-9rq4-7hxf',
      affectedVersions: [],
      fixedVersions: ['1.2.3', '2.1.0'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, rating: 'CRITICAL' }],
      ranges: [
        { type: 'SEMVER', repo: null, introduced: ['0'], fixed: ['1.2.3'], lastAffected: [], limit: [], events: [{ introduced: '0', fixed: null, lastAffected: null, limit: null }, { introduced: null, fixed: '1.2.3', lastAffected: null, limit: null }] },
        { type: 'SEMVER', repo: null, introduced: ['2.0.0'], fixed: ['2.1.0'], lastAffected: [], limit: [] },
      ],
    });
    expect(vuln.references).toHaveLength(3);
  });

  it('Package.vulnerabilities takes a version or a dist-tag; a safe version has none', async () => {
    const response = await gw.query(`{
      package(ecosystem: NPM, name: "tiny-merge") {
        latest: vulnerabilities(version: "latest") { id lastAffected: ranges { lastAffected } }
        old: vulnerabilities(version: "0.4.9") { id }
        safe: vulnerabilities(version: "1.2.3") { id }
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.package.latest).toEqual([{ id: 'GHSA-h3m7-4pqw-x9cv', lastAffected: [{ lastAffected: ['3.0.4'] }] }]);
    expect(response.data.package.old.map((v: { id: string }) => v.id)).toEqual(['GHSA-2v5c-9rq4-7hxf', 'GHSA-8fjq-m2rw-6g5p']);
    expect(response.data.package.safe).toEqual([]);
  });

  it('300 versions in one query: one querybatch and one GET per distinct record; warm: no OSV request', async () => {
    osv.reset();
    const query = `{ package(ecosystem: NPM, name: "big-lib") { versions(first: 300) { edges { node { version vulnerabilities { id severity { baseScore } } } } } } }`;
    const response = await gw.query(query);
    expect(response.errors).toBeUndefined();
    const edges = response.data.package.versions.edges as { node: { version: string; vulnerabilities: { id: string; severity: { baseScore: number }[] }[] } }[];
    expect(edges).toHaveLength(300);
    const affected = edges.filter((e) => e.node.vulnerabilities.length > 0).map((e) => e.node.version);
    expect(affected).toHaveLength(200);
    expect(affected).not.toContain('1.0.200');
    expect(edges.find((e) => e.node.version === '1.0.5')!.node.vulnerabilities).toEqual([{ id: 'GHSA-3c4v-7w8x-9f2g', severity: [{ baseScore: 5.3 }] }]);
    expect({ querybatch: osv.count('querybatch'), vulns: osv.count('vulns') }).toEqual({ querybatch: 1, vulns: 1 });
    expect(osv.requests[0]!.queries).toBe(300);
    osv.reset();
    const warm = await gw.query(query);
    expect(warm.errors).toBeUndefined();
    expect(osv.count()).toBe(0);
  });
});

describe('vulnerabilities of a dependency graph', () => {
  it('comes per node through Version.vulnerabilities, in one OSV batch', async () => {
    osv.reset();
    const response = await gw.query(`{
      dependencyGraph(ecosystem: NPM, name: "app-root", version: "1.0.0") {
        nodes { id version { vulnerabilities { id } } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const byNode = Object.fromEntries(
      (response.data.dependencyGraph.nodes as { id: string; version: { vulnerabilities: { id: string }[] } }[]).map((n) => [n.id, n.version.vulnerabilities.map((v) => v.id)]),
    );
    expect(byNode).toEqual({
      'app-root@1.0.0': [],
      'tiny-merge@1.2.2': ['GHSA-2v5c-9rq4-7hxf'],
      'left-widget@2.3.0': ['GHSA-m9x2-wh4c-p7rq'],
      'safe-lib@1.0.0': [],
      'tiny-merge@2.0.9': ['GHSA-2v5c-9rq4-7hxf'],
    });
    // 1.2.2's answer and its record were stored by the first test; the other four nodes go in one batch.
    expect(osv.requests.filter((r) => r.path === '/v1/querybatch').map((r) => r.queries)).toEqual([4]);
    expect(osv.count('vulns')).toBe(1);
  });
});

describe('Query.audit', () => {
  it('answers a lockfile across ecosystems in one querybatch, without registry requests', async () => {
    osv.reset();
    const npmBefore = npm.count();
    const response = await gw.query(`{
      audit(refs: [
        { ecosystem: NPM, name: "left-widget", version: "2.3.0" },
        { ecosystem: PYPI, name: "Fancy.Parser", version: "1.0.0" },
        { ecosystem: MAVEN, name: "org.example:widget-core", version: "2.5.1-RC1" },
        { ecosystem: NUGET, name: "Acme.Json.Tools", version: "13.0.1-beta" },
        { ecosystem: GO, name: "example.com/mod/kit", version: "v1.4.1" },
        { ecosystem: RUBYGEMS, name: "rack-lite", version: "2.2.3" },
        { ecosystem: PACKAGIST, name: "acme/toolkit", version: "1.3.9" },
        { ecosystem: NPM, name: "left-widget", version: "2.3.0" }
      ]) { ref { ecosystem name version } vulnerabilities { id fixedVersions } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.audit).toEqual([
      { ref: { ecosystem: 'NPM', name: 'left-widget', version: '2.3.0' }, vulnerabilities: [{ id: 'GHSA-m9x2-wh4c-p7rq', fixedVersions: ['2.3.1'] }] },
      { ref: { ecosystem: 'PYPI', name: 'fancy-parser', version: '1.0.0' }, vulnerabilities: [{ id: 'GHSA-5xg9-q2c8-rv4h', fixedVersions: ['2.0.0rc1', '2.1.4'] }, { id: 'PYSEC-2024-9001', fixedVersions: [] }] },
      { ref: { ecosystem: 'MAVEN', name: 'org.example:widget-core', version: '2.5.1-RC1' }, vulnerabilities: [{ id: 'GHSA-c7vr-p9m3-2hwq', fixedVersions: ['2.5.1', '3.0.2'] }] },
      { ref: { ecosystem: 'NUGET', name: 'acme.json.tools', version: '13.0.1-beta' }, vulnerabilities: [{ id: 'GHSA-jw4g-8r2x-v6qc', fixedVersions: ['13.0.1'] }] },
      { ref: { ecosystem: 'GO', name: 'example.com/mod/kit', version: 'v1.4.1' }, vulnerabilities: [{ id: 'GO-2024-9001', fixedVersions: ['v1.4.2', 'v2.0.3'] }] },
      { ref: { ecosystem: 'RUBYGEMS', name: 'rack-lite', version: '2.2.3' }, vulnerabilities: [] },
      { ref: { ecosystem: 'PACKAGIST', name: 'acme/toolkit', version: '1.3.9' }, vulnerabilities: [{ id: 'GHSA-q8w5-cj3v-x2f7', fixedVersions: ['1.4.0'] }] },
      { ref: { ecosystem: 'NPM', name: 'left-widget', version: '2.3.0' }, vulnerabilities: [{ id: 'GHSA-m9x2-wh4c-p7rq', fixedVersions: ['2.3.1'] }] },
    ]);
    // left-widget@2.3.0 is stored from the graph test; the six others are one querybatch.
    expect(osv.requests.filter((r) => r.path === '/v1/querybatch').map((r) => r.queries)).toEqual([6]);
    expect(npm.count()).toBe(npmBefore);
  });

  it('resolves a dist-tag through the registry, and shows the registry version when asked', async () => {
    const response = await gw.query(`{ audit(refs: [{ ecosystem: NPM, name: "tiny-merge", version: "latest" }]) { ref { version } version { version } vulnerabilities { id } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.audit).toEqual([{ ref: { version: 'latest' }, version: { version: '3.0.4' }, vulnerabilities: [{ id: 'GHSA-h3m7-4pqw-x9cv' }] }]);
  });

  it('rejects a bad ref by index before any request', async () => {
    osv.reset();
    const response = await gw.query(`{ audit(refs: [{ ecosystem: NPM, name: "ok", version: "1.0.0" }, { ecosystem: MAVEN, name: "no-colon", version: "1.0" }]) { ref { name } } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/^refs\[1\]: /);
    expect(osv.count()).toBe(0);
  });
});

describe('OSV faults', () => {
  let faulty: TestGateway;
  beforeAll(async () => {
    faulty = await startTestGateway(npm.url, { SCOUT_REGISTRY_OSV_URL: osv.url, SCOUT_REGISTRY_HTTP_RETRIES: '0' });
  });
  afterAll(async () => faulty.close());

  it('5xx: an error on the vulnerabilities field only; the rest of the query answers', async () => {
    osv.reset();
    osv.fault('querybatch', [{ status: 503 }]);
    const response = await faulty.query(`{ version(ecosystem: NPM, name: "tiny-merge", version: "2.0.9") { version publishedAt vulnerabilities { id } } }`);
    expect(response.data.version).toMatchObject({ version: '2.0.9', vulnerabilities: null });
    expect(response.data.version.publishedAt).toBeTruthy();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ path: ['version', 'vulnerabilities'], extensions: { code: 'UPSTREAM_UNAVAILABLE', ecosystem: 'osv', upstreamStatus: 503 } });
  });

  it('garbage and 429 in a graph: every node still answers, each vulnerabilities field carries the error', async () => {
    osv.reset();
    osv.fault('querybatch', [{ status: 200, body: '{"results": "nope"}' }]);
    const response = await faulty.query(`{ dependencyGraph(ecosystem: NPM, name: "app-root", version: "1.0.0") { nodeCount nodes { id version { version vulnerabilities { id } } } } }`);
    expect(response.data.dependencyGraph.nodeCount).toBe(5);
    for (const node of response.data.dependencyGraph.nodes) expect(node.version.vulnerabilities).toBeNull();
    expect(response.errors).toHaveLength(5);
    expect(response.errors!.every((e) => e.extensions?.code === 'UPSTREAM_INVALID' && e.path?.at(-1) === 'vulnerabilities')).toBe(true);

    osv.fault('querybatch', [{ status: 429, headers: { 'retry-after': '3600' } }]);
    const limited = await faulty.query(`{ audit(refs: [{ ecosystem: NPM, name: "safe-lib", version: "1.0.0" }]) { ref { name } vulnerabilities { id } } }`);
    expect(limited.data.audit).toEqual([{ ref: { name: 'safe-lib' }, vulnerabilities: null }]);
    expect(limited.errors![0]).toMatchObject({ path: ['audit', 0, 'vulnerabilities'], extensions: { code: 'RATE_LIMITED', retryAfter: 3600 } });
  });

  it('a record that cannot be fetched fails the versions it concerns, not the others', async () => {
    osv.reset();
    osv.fault('vulns', [{ status: 500 }]);
    const response = await faulty.query(`{ audit(refs: [{ ecosystem: NPM, name: "tiny-merge", version: "0.4.9" }, { ecosystem: NPM, name: "tiny-merge", version: "1.2.3" }]) { vulnerabilities { id } } }`);
    expect(response.data.audit).toEqual([{ vulnerabilities: null }, { vulnerabilities: [] }]);
    expect(response.errors).toHaveLength(1);
  });
});
