import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checksumFromFile,
  createMavenAdapter,
  dependencyKindOf,
  mainArtifactExtension,
  normalizeMavenName,
  parsePomText,
  pickLatestMavenVersion,
} from '../src/ecosystems/maven/index.js';
import { pomLicenseInfo, spdxOfPomLicense } from '../src/ecosystems/maven/license.js';
import { resolvePom, type PomSource } from '../src/ecosystems/maven/pom.js';
import { declaredEncoding, decodeXml } from '../src/ecosystems/maven/xml.js';
import type { RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';

const REPO = 'https://repo.example/maven2';
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'maven', 'maven2');
const LAST_MODIFIED = 'Fri, 15 Mar 2024 09:30:12 GMT';

/** Serves the fixture tree for `REPO/...` in-process (the HTTP path is covered in maven-fetch.test.ts). */
function fileClient(overrides: Record<string, string | Buffer> = {}): UpstreamClient & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async get(_upstream, url): Promise<GetResult> {
      urls.push(url);
      const relative = url.slice(REPO.length + 1);
      const override = overrides[relative];
      const file = path.join(FIXTURES, relative);
      const body = override !== undefined ? Buffer.from(override) : fs.existsSync(file) ? fs.readFileSync(file) : null;
      if (body === null) return { kind: 'not-found', status: 404 };
      return { kind: 'ok', status: 200, body, contentType: 'text/xml', validators: { etag: null, lastModified: LAST_MODIFIED } };
    },
  };
}

async function fetchRaw(name: string, overrides: Record<string, string | Buffer> = {}): Promise<RawDocument> {
  const adapter = createMavenAdapter({ baseUrl: REPO });
  const result = await adapter.fetch(name, { http: fileClient(overrides), conditional: null });
  if (result.kind !== 'ok') throw new Error(`${name}: ${result.kind}`);
  // What the service stores and reads back: JSON blobs.
  return JSON.parse(JSON.stringify(result.raw)) as RawDocument;
}

async function load(name: string, overrides: Record<string, string | Buffer> = {}) {
  const adapter = createMavenAdapter({ baseUrl: REPO });
  return adapter.normalize(adapter.normalizeName(name), await fetchRaw(name, overrides));
}

function version(records: VersionRecord[], v: string): VersionRecord {
  const record = records.find((r) => r.version === v);
  if (!record) throw new Error(`no version ${v}`);
  return record;
}

function metadataXml(versions: string[], extra = ''): string {
  return `<metadata><groupId>org.example</groupId><artifactId>x</artifactId><versioning>${extra}<versions>${versions.map((v) => `<version>${v}</version>`).join('')}</versions></versioning></metadata>`;
}

function normalizeMetadata(versions: string[], extra = '') {
  const adapter = createMavenAdapter({ baseUrl: REPO });
  return adapter.normalize('org.example:x', {
    package: { repository: REPO, groupId: 'org.example', artifactId: 'x', metadataUrl: `${REPO}/org/example/x/maven-metadata.xml`, metadata: metadataXml(versions, extra) },
    versions: {},
  });
}

describe('maven-metadata.xml', () => {
  it('computes latest by Maven order: <release> is wrong here and <latest> names a release candidate', async () => {
    const { package: pkg, versions } = await load('org.example.widgets:widget-core');
    expect(pkg.latestVersion).toBe('1.1.0');
    expect(pkg.latestPrerelease).toBe('1.2.0-RC1');
    expect(pkg.distTags).toEqual({ latest: '1.2.0-RC1', release: '1.0.0' });
    expect(pkg.versionCount).toBe(5);
    expect(pkg.modifiedAt).toBe('2024-03-15T09:30:12.000Z');
    expect(pkg.createdAt).toBeNull();
    expect(versions.map((v) => v.version)).toEqual(['1.2.0-RC1', '1.1.0', '1.0.0', '1.0.0-alpha-1', '0.9']);
    expect(versions.map((v) => v.prerelease)).toEqual([true, false, false, true, false]);
  });

  it('ignores date-like versions for latest when real releases exist (no <release> at all here)', async () => {
    const { package: pkg, versions } = await load('org.example.legacy:latin-lib');
    expect(pkg.latestVersion).toBe('1.1');
    expect(pkg.distTags).toEqual({});
    // Maven's own order still puts the dates on top.
    expect(versions.map((v) => v.version)).toEqual(['20040102', '20030203.000550', '1.1', '1.0']);
    expect(pkg.modifiedAt).toBe('2006-04-12T08:15:00.000Z');
  });

  it('reads a single <version> and a missing <versions> element', () => {
    expect(normalizeMetadata(['2.0']).package).toMatchObject({ versionCount: 1, latestVersion: '2.0' });
    const empty = createMavenAdapter({ baseUrl: REPO }).normalize('org.example:x', {
      package: { repository: REPO, groupId: 'org.example', artifactId: 'x', metadataUrl: 'u', metadata: '<metadata><groupId>org.example</groupId><versioning><lastUpdated>bogus</lastUpdated></versioning></metadata>' },
      versions: {},
    });
    expect(empty.package).toMatchObject({ versionCount: 0, latestVersion: null, latestPrerelease: null, modifiedAt: null });
    expect(empty.versions).toEqual([]);
  });

  it('falls back to the top-level <version> of old metadata that has no <versioning>', () => {
    const adapter = createMavenAdapter({ baseUrl: REPO });
    const old = adapter.normalize('org.example:x', {
      package: { repository: REPO, groupId: 'org.example', artifactId: 'x', metadataUrl: 'u', metadata: '<metadata>\r\n  <groupId>org.example</groupId>\r\n  <artifactId>x</artifactId>\r\n  <version>1.0.2</version>\r\n</metadata>' },
      versions: {},
    });
    expect(old.package).toMatchObject({ versionCount: 1, latestVersion: '1.0.2' });
    expect(old.versions.map((v) => [v.version, v.detailsPending])).toEqual([['1.0.2', true]]);
    // A <versions> list wins over the top-level <version> (which names whichever version was deployed last).
    expect(normalizeMetadata(['1.0', '2.0'], '').package.versionCount).toBe(2);
  });

  it('keeps strings as strings (1.10 is not 1.1) and drops duplicates and path tricks', () => {
    const { versions } = normalizeMetadata(['1.1', '1.10', '1.10', '..', '1.9']);
    expect(versions.map((v) => v.version)).toEqual(['1.10', '1.9', '1.1']);
  });

  it('picks latest among releases only', () => {
    expect(pickLatestMavenVersion(['r01', '2.0', '2.0.20020914.015953', '3.0-dev2', '3.2.2', '20030418.083655', '20040616'])).toBe('3.2.2');
    expect(pickLatestMavenVersion(['20231013', '20240303', 'chargebee-1.0'])).toBe('20240303');
    expect(pickLatestMavenVersion(['1.0-SNAPSHOT', '0.9', '1.0-beta-1'])).toBe('0.9');
    expect(pickLatestMavenVersion(['1.0-rc1'])).toBeNull();
    expect(pickLatestMavenVersion(['Hoxton.SR12', '2023.0.3', '2024.0.0-M1'])).toBe('2023.0.3');
    const onlyPre = normalizeMetadata(['1.0-rc1', '1.0-beta-2', '2.0-SNAPSHOT']).package;
    expect(onlyPre).toMatchObject({ latestVersion: null, latestPrerelease: '1.0-rc1' });
  });

  it('leaves every version but the latest pending, with its conventional file URLs in the raw part', async () => {
    const raw = await fetchRaw('org.example.widgets:widget-core');
    const stub = raw.versions['1.0.0'] as Record<string, unknown>;
    expect(stub).toEqual({
      version: '1.0.0',
      pomUrl: `${REPO}/org/example/widgets/widget-core/1.0.0/widget-core-1.0.0.pom`,
      sourcesUrl: `${REPO}/org/example/widgets/widget-core/1.0.0/widget-core-1.0.0-sources.jar`,
    });
    const { versions } = createMavenAdapter({ baseUrl: REPO }).normalize('org.example.widgets:widget-core', raw);
    expect(versions.filter((v) => v.detailsPending).map((v) => v.version)).toEqual(['1.2.0-RC1', '1.0.0', '1.0.0-alpha-1', '0.9']);
    expect(version(versions, '1.0.0')).toMatchObject({ license: null, dependencies: [], checksums: [], artifactUrl: null, releaseDate: null });
  });
});

describe('effective POM of widget-core 1.1.0 (parent chain, properties, dependencyManagement, BOM imports)', () => {
  it('normalizes every field', async () => {
    const { package: pkg, versions } = await load('org.example.widgets:widget-core');
    const latest = version(versions, '1.1.0');
    expect(latest.detailsPending).toBeUndefined();
    expect(latest.description).toBe('Core widgets for Widget Core dashboards & reports.\n\nWorks with Java 11 and later.');
    expect(latest.license).toEqual({ spdx: 'Apache-2.0 OR EPL-2.0', name: 'The Apache Software License, Version 2.0 OR Eclipse Public License v2.0', source: 'example-root-1.pom#licenses' });
    expect(latest.maintainers).toEqual([
      { name: 'Jane Doe', email: 'jane@example.org', url: 'https://example.org/~jane' },
      { name: 'rroe', email: 'rroe@example.org', url: null },
    ]);
    expect(latest.author).toEqual(latest.maintainers[0]);
    expect(latest.links).toEqual({
      // the root sets child.scm.url.inherit.append.path="false"; the project url gets each child's path appended
      repository: 'https://github.com/example/widgets',
      homepage: 'https://example.org/projects/example-parent/widget-core/',
      documentation: null,
      changelog: null,
      issues: 'https://github.com/example/widgets/issues',
    });
    expect(latest.checksums).toEqual([
      { algorithm: 'sha1', value: '3f786850e387550fdab836ed7e6dc881de23001b' },
      { algorithm: 'sha256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
    ]);
    expect(latest.artifactUrl).toBe(`${REPO}/org/example/widgets/widget-core/1.1.0/widget-core-1.1.0.jar`);
    expect(latest.releaseDate).toBe('2024-03-15T09:30:12.000Z');
    expect(latest.status).toBe('ACTIVE');
    expect(latest.dependencies.map((d) => [d.packageName, d.constraint, d.kind, d.optional])).toEqual([
      ['org.slf4j:slf4j-api', '2.0.9', 'RUNTIME', false], // child property overrides the parent's 1.7.36; the BOM's 1.7.30 never applies
      ['com.google.guava:guava', '33.0.0-jre', 'RUNTIME', false], // nested property, declared after its use
      ['org.example.widgets:widget-model', '1.1.0', 'RUNTIME', false], // ${project.groupId}, ${project.version}
      ['org.example.widgets:widget-api', '[1.0,2.0)', 'RUNTIME', false], // a range stays in Maven syntax
      ['com.fasterxml.jackson.core:jackson-databind', '2.16.1', 'OPTIONAL', true], // imported BOM; its own entry beats the nested BOM's 2.10.0; the parent's test-jar entry is another key
      ['jakarta.servlet:jakarta.servlet-api', '6.0.0', 'PEER', false], // version and provided scope from the parent's dependencyManagement
      ['io.netty:netty-transport-native-epoll', '4.1.100.Final', 'RUNTIME', false], // managed by groupId:artifactId:type:classifier
      ['com.sun:tools', '1.8', 'PEER', false], // system scope
      ['org.junit.jupiter:junit-jupiter', '5.10.1', 'DEVELOPMENT', false], // BOM imported by a BOM, property from that BOM's parent
      ['org.example.widgets:widget-testkit', '1.1.0', 'DEVELOPMENT', false],
      ['org.example:unmanaged-thing', '', 'RUNTIME', false], // nothing manages it
      ['org.example:example-annotations', '1.1.0', 'PEER', false], // inherited dependency; ${project.version} is the child's
    ]);
    expect(latest.dependencies.every((d) => d.name === d.packageName && !d.bundled)).toBe(true);

    expect(pkg).toMatchObject({
      description: latest.description,
      homepage: latest.links.homepage,
      repositoryUrl: 'https://github.com/example/widgets',
      license: latest.license,
      maintainers: latest.maintainers,
      deprecated: false,
    });
  });

  it('normalize is pure: re-running on stored raw data gives the same records, also with only one version', async () => {
    const raw = await fetchRaw('org.example.widgets:widget-core');
    const adapter = createMavenAdapter({ baseUrl: REPO });
    const first = adapter.normalize('org.example.widgets:widget-core', raw);
    expect(adapter.normalize('org.example.widgets:widget-core', JSON.parse(JSON.stringify(raw)) as RawDocument)).toEqual(first);
    const single = adapter.normalize('org.example.widgets:widget-core', { package: raw.package, versions: { '1.1.0': raw.versions['1.1.0'] } });
    expect(version(single.versions, '1.1.0')).toEqual(version(first.versions, '1.1.0'));
  });

  it('completes a pending version from its details, and records a missing POM as final', async () => {
    const adapter = createMavenAdapter({ baseUrl: REPO });
    const raw = await fetchRaw('org.example.widgets:widget-core');
    const http = fileClient();
    const details = await adapter.versionDetails.fetch('org.example.widgets:widget-core', '1.0.0', { http, conditional: null });
    expect(details.kind).toBe('ok');
    const merged = adapter.versionDetails.attach(raw.versions['1.0.0'], details.kind === 'ok' ? details.raw : null);
    const completed = version(adapter.normalize('org.example.widgets:widget-core', { package: raw.package, versions: { '1.0.0': merged } }).versions, '1.0.0');
    expect(completed.detailsPending).toBeUndefined();
    // No override in 1.0.0: the parent's property applies.
    expect(completed.dependencies.map((d) => [d.packageName, d.constraint])).toEqual([
      ['org.slf4j:slf4j-api', '1.7.36'],
      ['org.example:example-annotations', '1.0.0'],
    ]);
    expect(completed.checksums).toEqual([{ algorithm: 'sha1', value: 'a9993e364706816aba3e25717850c26c9cd0d89d' }]);

    expect(await adapter.versionDetails.fetch('org.example.widgets:widget-core', '0.9', { http, conditional: null })).toEqual({ kind: 'not-found' });
    const missing = adapter.versionDetails.attach(raw.versions['0.9'], null);
    const record = version(adapter.normalize('org.example.widgets:widget-core', { package: raw.package, versions: { '0.9': missing } }).versions, '0.9');
    expect(record.detailsPending).toBeUndefined();
    expect(record).toMatchObject({ license: null, dependencies: [], artifactUrl: null });
  });

  it('reads an ISO-8859-1 POM with a single-quoted XML declaration', async () => {
    const { package: pkg, versions } = await load('org.example.legacy:latin-lib');
    const latest = version(versions, '1.1');
    expect(latest.description).toBe('Bibliothèque de démonstration © Société Exemple');
    expect(latest.maintainers).toEqual([{ name: 'José Müller', email: 'jose@latin-lib.example.org', url: null }]);
    expect(latest.license).toEqual({ spdx: 'LGPL-2.1-only', name: 'GNU Lesser General Public License, version 2.1', source: 'latin-lib-1.1.pom#licenses' });
    // scm has only a connection: `scm:svn:` is stripped
    expect(latest.links.repository).toBe('https://svn.example.org/repos/latin-lib/trunk');
    // "hash path" checksum files (old repository tooling): the first token
    expect(latest.checksums).toEqual([{ algorithm: 'sha1', value: '7c4a8d09ca3762af61e59520943dc26494f8941b' }]);
    expect(pkg.homepage).toBe('http://latin-lib.example.org');
  });

  it('takes the main artifact by packaging: aar, pom', async () => {
    const aar = version((await load('com.example.android:ui-kit')).versions, '3.2.0');
    expect(aar.artifactUrl).toBe(`${REPO}/com/example/android/ui-kit/3.2.0/ui-kit-3.2.0.aar`);
    expect(aar.checksums.map((c) => c.algorithm)).toEqual(['sha1', 'sha256']);
    const bom = version((await load('org.example.bom:platform-bom')).versions, '2.4');
    expect(bom.artifactUrl).toBe(`${REPO}/org/example/bom/platform-bom/2.4/platform-bom-2.4.pom`);
    expect(bom.checksums).toEqual([{ algorithm: 'sha1', value: 'b6589fc6ab0dc82cf12099d1c2d40ab994e8410c' }]);
    // A BOM manages but declares no dependencies.
    expect(bom.dependencies).toEqual([]);
    expect(bom.license?.spdx).toBe('MIT');
  });

  it('reports a relocation as DEPRECATED, on the version and the package', async () => {
    const { package: pkg, versions } = await load('org.example:old-widget');
    expect(version(versions, '1.0')).toMatchObject({
      status: 'DEPRECATED',
      deprecatedMessage: 'Relocated to org.example.widgets:widget-core:1.0: old-widget moved to the widgets group',
    });
    expect(pkg).toMatchObject({ deprecated: true, deprecationMessage: 'Relocated to org.example.widgets:widget-core:1.0: old-widget moved to the widgets group' });
  });
});

/** Inline POMs: `g:a:v` -> XML. */
function sourceOf(poms: Record<string, string>): PomSource {
  return (key) => (poms[key] === undefined ? null : parsePomText(poms[key]!, 'test'));
}

function pom(body: string, attributes = ''): string {
  return `<?xml version="1.0"?><project xmlns="http://maven.apache.org/POM/4.0.0"${attributes}><modelVersion>4.0.0</modelVersion>${body}</project>`;
}

const parentRef = (g: string, a: string, v: string) => `<parent><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></parent>`;
const dep = (g: string, a: string, extra = '') => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId>${extra}</dependency>`;

describe('POM model building', () => {
  it('interpolates project.*, pom.*, parent.*, unprefixed fields and properties against the child, guarding cycles', () => {
    const parent = pom(`<groupId>g</groupId><artifactId>parent</artifactId><version>7</version><packaging>pom</packaging>
      <properties><release.version>\${project.version}</release.version><lib.version>1.0</lib.version></properties>`);
    const child = pom(`${parentRef('g', 'parent', '7')}<artifactId>child</artifactId><version>2.5</version>
      <properties><lib.version>2.0</lib.version><a>\${b}</a><b>\${a}</b><empty/></properties>
      <dependencies>
        ${dep('x', 'from-parent-property', '<version>${release.version}</version>')}
        ${dep('x', 'overridden', '<version>${lib.version}</version>')}
        ${dep('x', 'unprefixed', '<version>${version}</version>')}
        ${dep('x', 'parent-version', '<version>${parent.version}</version>')}
        ${dep('x', 'project-parent-version', '<version>${project.parent.version}</version>')}
        ${dep('${pom.groupId}', '${project.artifactId}-impl', '<version>1${empty}</version>')}
        ${dep('x', 'cycle', '<version>${a}</version>')}
        ${dep('x', 'environment', '<version>${env.HOME}</version>')}
      </dependencies>`);
    const { pom: effective } = resolvePom(parsePomText(child, 't'), 'g:child:2.5', sourceOf({ 'g:parent:7': parent }));
    expect(effective.dependencies.map((d) => `${d.groupId}:${d.artifactId}=${d.version}`)).toEqual([
      'x:from-parent-property=2.5',
      'x:overridden=2.0',
      'x:unprefixed=2.5',
      'x:parent-version=7',
      'x:project-parent-version=7',
      'g:child-impl=1',
      'x:cycle=${a}',
      'x:environment=${env.HOME}',
    ]);
    expect(effective).toMatchObject({ groupId: 'g', artifactId: 'child', version: '2.5', packaging: 'jar' });
  });

  it('inherits per Maven: lists as a whole, scm/url with paths, name and packaging not at all', () => {
    const root = pom(`<groupId>g</groupId><artifactId>root</artifactId><version>1</version><packaging>pom</packaging><name>Root</name>
      <description>Root description</description><url>https://example.org/site</url>
      <modules><module>../libs/child</module></modules>
      <licenses><license><name>MIT</name></license></licenses>
      <developers><developer><name>A</name></developer></developers>
      <scm><url>https://example.org/scm</url><connection>scm:git:https://example.org/r.git</connection></scm>
      <organization><name>Org</name></organization>`);
    const child = pom(`${parentRef('g', 'root', '1')}<artifactId>child</artifactId><developers><developer><name>B</name></developer></developers>
      <scm><connection>scm:git:https://example.org/own.git</connection></scm>`);
    const { pom: effective } = resolvePom(parsePomText(child, 't'), 'g:child:1', sourceOf({ 'g:root:1': root }));
    expect(effective).toMatchObject({
      version: '1',
      name: undefined,
      packaging: 'jar',
      description: 'Root description',
      // the parent lists the child as module `../libs/child`: Maven adds that path adjustment
      url: 'https://example.org/site/../libs/child',
      licenses: [{ name: 'MIT', url: undefined }],
      licensesFrom: 'root-1.pom',
      developers: [{ name: 'B' }],
      scm: { url: 'https://example.org/scm/../libs/child', connection: 'scm:git:https://example.org/own.git' },
      organization: { name: 'Org' },
    });
  });

  it('honours child.project.url.inherit.append.path="false" and keeps it for grandchildren', () => {
    const root = pom(`<groupId>g</groupId><artifactId>root</artifactId><version>1</version><url>https://example.org/</url>`, ' child.project.url.inherit.append.path="false"');
    const middle = pom(`${parentRef('g', 'root', '1')}<artifactId>middle</artifactId>`);
    const leaf = pom(`${parentRef('g', 'middle', '1')}<artifactId>leaf</artifactId>`);
    const { pom: effective } = resolvePom(parsePomText(leaf, 't'), 'g:leaf:1', sourceOf({ 'g:root:1': root, 'g:middle:1': middle }));
    expect(effective.url).toBe('https://example.org/');
  });

  it('applies dependencyManagement: own entries, then imports in order (first wins), scope too', () => {
    const bomA = pom(`<groupId>b</groupId><artifactId>a</artifactId><version>1</version><dependencyManagement><dependencies>
      ${dep('x', 'one', '<version>A1</version>')}${dep('x', 'two', '<version>A2</version><scope>runtime</scope>')}
    </dependencies></dependencyManagement>`);
    const bomB = pom(`<groupId>b</groupId><artifactId>b</artifactId><version>1</version><dependencyManagement><dependencies>
      ${dep('x', 'one', '<version>B1</version>')}${dep('x', 'three', '<version>B3</version>')}${dep('x', 'own', '<version>B-own</version>')}
    </dependencies></dependencyManagement>`);
    const child = pom(`<groupId>g</groupId><artifactId>c</artifactId><version>1</version>
      <dependencyManagement><dependencies>
        ${dep('x', 'own', '<version>own</version><scope>test</scope>')}
        ${dep('b', 'a', '<version>1</version><type>pom</type><scope>import</scope>')}
        ${dep('b', 'b', '<version>1</version><type>pom</type><scope>import</scope>')}
      </dependencies></dependencyManagement>
      <dependencies>${dep('x', 'one')}${dep('x', 'two')}${dep('x', 'three', '<scope>provided</scope>')}${dep('x', 'own')}${dep('x', 'two', '<version>explicit</version><type>zip</type>')}</dependencies>`);
    const { pom: effective } = resolvePom(parsePomText(child, 't'), 'g:c:1', sourceOf({ 'b:a:1': bomA, 'b:b:1': bomB }));
    expect(effective.dependencies.map((d) => [d.artifactId, d.version, d.scope ?? 'compile', d.managed])).toEqual([
      ['one', 'A1', 'compile', true],
      ['two', 'A2', 'runtime', true],
      ['three', 'B3', 'provided', true],
      ['own', 'own', 'test', true],
      ['two', 'explicit', 'compile', false], // type zip is another management key
    ]);
  });

  it('stops at missing parents, parent cycles and overlong chains instead of failing', () => {
    const chain: Record<string, string> = {};
    for (let i = 0; i < 12; i++) chain[`g:p${i}:1`] = pom(`${parentRef('g', `p${i + 1}`, '1')}<artifactId>p${i}</artifactId><properties><depth>${i}</depth></properties>`);
    const leaf = pom(`${parentRef('g', 'p0', '1')}<artifactId>leaf</artifactId><dependencies>${dep('x', 'y', '<version>${depth}</version>')}</dependencies>`);
    const long = resolvePom(parsePomText(leaf, 't'), 'g:leaf:1', sourceOf(chain));
    expect(long.pom.notes.some((note) => /parent chain longer than 10/.test(note))).toBe(true);
    expect(long.pom.dependencies[0]?.version).toBe('0');

    const cyclic = { 'g:a:1': pom(`${parentRef('g', 'b', '1')}<artifactId>a</artifactId>`), 'g:b:1': pom(`${parentRef('g', 'a', '1')}<artifactId>b</artifactId>`) };
    const cycle = resolvePom(parsePomText(cyclic['g:a:1'], 't'), 'g:a:1', sourceOf(cyclic));
    expect(cycle.pom.notes).toContain('g:a:1: parent cycle at g:a:1');

    const orphan = resolvePom(parsePomText(pom(`${parentRef('g', 'gone', '1')}<artifactId>o</artifactId><url>https://o.example</url>`), 't'), 'g:o:1', sourceOf({}));
    expect(orphan.pom).toMatchObject({ groupId: 'g', version: '1', url: 'https://o.example' });
    expect(orphan.pom.notes).toContain('g:o:1: parent g:gone:1 unavailable');
  });

  it('asks for what it lacks while fetching (undefined = not loaded yet), one level per round', () => {
    const child = parsePomText(pom(`${parentRef('g', 'p', '1')}<artifactId>c</artifactId><dependencies>${dep('x', 'y')}</dependencies>`), 't');
    const parent = pom(`<groupId>g</groupId><artifactId>p</artifactId><version>1</version><dependencyManagement><dependencies>${dep('b', 'bom', '<version>2</version><type>pom</type><scope>import</scope>')}</dependencies></dependencyManagement>`);
    const loaded: Record<string, string> = {};
    const source: PomSource = (key) => (loaded[key] === undefined ? undefined : parsePomText(loaded[key]!, 't'));
    expect(resolvePom(child, 'g:c:1', source).needed).toEqual(['g:p:1']);
    loaded['g:p:1'] = parent;
    expect(resolvePom(child, 'g:c:1', source).needed).toEqual(['b:bom:2']);
    loaded['b:bom:2'] = pom(`<groupId>b</groupId><artifactId>bom</artifactId><version>2</version><dependencyManagement><dependencies>${dep('x', 'y', '<version>9</version>')}</dependencies></dependencyManagement>`);
    const done = resolvePom(child, 'g:c:1', source);
    expect(done.needed).toEqual([]);
    expect(done.pom.dependencies[0]?.version).toBe('9');
  });

  it('asks for every BOM of one import level in the same round, but answers only in import order', () => {
    const imports = ['b1', 'b2', 'b3'].map((a) => dep('b', a, '<version>1</version><type>pom</type><scope>import</scope>')).join('');
    const child = parsePomText(pom(`<groupId>g</groupId><artifactId>c</artifactId><version>1</version><dependencyManagement><dependencies>${imports}</dependencies></dependencyManagement><dependencies>${dep('x', 'y')}</dependencies>`), 't');
    const bom = (a: string, managed: string) => pom(`<groupId>b</groupId><artifactId>${a}</artifactId><version>1</version><dependencyManagement><dependencies>${managed}</dependencies></dependencyManagement>`);
    const loaded: Record<string, string> = { 'b:b2:1': bom('b2', dep('x', 'y', '<version>from-b2</version>')) };
    const source: PomSource = (key) => (loaded[key] === undefined ? undefined : parsePomText(loaded[key]!, 't'));
    const first = resolvePom(child, 'g:c:1', source);
    expect(first.needed).toEqual(['b:b1:1']); // b2 answers, so b3 is not needed; b1 must be known first
    expect(first.pom.dependencies[0]?.version).toBeUndefined();
    loaded['b:b1:1'] = bom('b1', dep('x', 'y', '<version>from-b1</version>'));
    expect(resolvePom(child, 'g:c:1', source).pom.dependencies[0]?.version).toBe('from-b1');

    const none: PomSource = () => undefined;
    const child2 = parsePomText(pom(`<groupId>g</groupId><artifactId>c</artifactId><version>1</version><dependencyManagement><dependencies>${imports}</dependencies></dependencyManagement><dependencies>${dep('x', 'y')}</dependencies>`), 't');
    expect(resolvePom(child2, 'g:c:1', none).needed).toEqual(['b:b1:1', 'b:b2:1', 'b:b3:1']);
  });
});

describe('dependency kinds', () => {
  it('maps Maven scopes (and optional) to kinds', () => {
    expect(dependencyKindOf(undefined, false)).toBe('RUNTIME');
    expect(dependencyKindOf('compile', false)).toBe('RUNTIME');
    expect(dependencyKindOf('runtime', false)).toBe('RUNTIME');
    expect(dependencyKindOf('compile', true)).toBe('OPTIONAL');
    expect(dependencyKindOf('runtime', true)).toBe('OPTIONAL');
    expect(dependencyKindOf('test', false)).toBe('DEVELOPMENT');
    expect(dependencyKindOf('test', true)).toBe('DEVELOPMENT');
    expect(dependencyKindOf('provided', false)).toBe('PEER');
    expect(dependencyKindOf('provided', true)).toBe('PEER');
    expect(dependencyKindOf('system', false)).toBe('PEER');
    expect(dependencyKindOf('import', false)).toBeNull();
    expect(dependencyKindOf('Compile', false)).toBe('RUNTIME');
  });
});

describe('POM licenses', () => {
  it('maps Maven license names and URLs to SPDX, several licenses as a choice (OR)', () => {
    expect(spdxOfPomLicense({ name: 'Eclipse Public License v2.0', url: undefined })).toBe('EPL-2.0');
    expect(spdxOfPomLicense({ name: 'Eclipse Distribution License - v 1.0', url: undefined })).toBe('BSD-3-Clause');
    expect(spdxOfPomLicense({ name: 'GPL2 w/ CPE', url: undefined })).toBe('GPL-2.0-only WITH Classpath-exception-2.0');
    expect(spdxOfPomLicense({ name: 'APL2', url: undefined })).toBe('Apache-2.0');
    expect(spdxOfPomLicense({ name: 'Some License', url: 'http://www.apache.org/licenses/LICENSE-2.0.html' })).toBe('Apache-2.0');
    expect(spdxOfPomLicense({ name: undefined, url: 'https://opensource.org/licenses/MIT' })).toBe('MIT');
    expect(spdxOfPomLicense({ name: 'Eclipse Public License - Version 2.0', url: undefined })).toBe('EPL-2.0');
    expect(spdxOfPomLicense({ name: 'The GNU General Public License, Version 2', url: undefined })).toBe('GPL-2.0-only');
    // spdx-correct answers Apache-2.0 for a nonexistent "v3": a guess whose version contradicts the name is dropped
    expect(spdxOfPomLicense({ name: 'Apache License v3', url: undefined })).toBeNull();
    expect(spdxOfPomLicense({ name: 'Mozilla Public License 1.1', url: undefined })).toBe('MPL-1.1');
    // spdx-correct: CDDL-1.1 for "v1.0", MPL-2.0 for a name that mentions no known license
    expect(spdxOfPomLicense({ name: 'Common Development and Distribution License (CDDL) v1.0', url: undefined })).toBeNull();
    expect(spdxOfPomLicense({ name: 'Proprietary Example License', url: undefined })).toBeNull();
    expect(pomLicenseInfo([{ name: 'Apache License, Version 2.0', url: undefined }, { name: 'MIT License', url: undefined }], 'x.pom#licenses')).toEqual({
      spdx: 'Apache-2.0 OR MIT',
      name: 'Apache License, Version 2.0 OR MIT License',
      source: 'x.pom#licenses',
    });
    expect(pomLicenseInfo([{ name: 'CDDL + GPLv2 with classpath exception', url: undefined }, { name: 'MIT', url: undefined }], 's')?.spdx).toBe(
      '(CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0) OR MIT',
    );
    expect(pomLicenseInfo([{ name: 'Proprietary Example License', url: 'https://example.org/license' }], 's')).toEqual({ spdx: null, name: 'Proprietary Example License', source: 's' });
    expect(pomLicenseInfo([], 's')).toBeNull();
  });
});

describe('XML decoding', () => {
  it('reads the declared encoding, single- or double-quoted, and byte-order marks', () => {
    expect(declaredEncoding("<?xml version='1.0' encoding='ISO-8859-1'?>")).toBe('iso-8859-1');
    expect(declaredEncoding('<?xml version="1.0" encoding="UTF-8"?>')).toBe('utf-8');
    expect(declaredEncoding('<?xml version="1.0"?>')).toBeNull();
    const latin1 = Buffer.from("<?xml version='1.0' encoding='ISO-8859-1'?><a>Bibliothèque ©</a>", 'latin1');
    expect(decodeXml(latin1)).toContain('Bibliothèque ©');
    expect(decodeXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>é</a>')]))).toBe('<a>é</a>');
    expect(decodeXml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>é</a>', 'utf16le')]))).toBe('<a>é</a>');
    // declared (or defaulted to) UTF-8 but written in Latin-1: not turned into replacement characters
    expect(decodeXml(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a>Müller</a>', 'latin1'))).toContain('Müller');
    expect(decodeXml(Buffer.from('<a>Müller</a>'))).toBe('<a>Müller</a>');
    expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="x-no-such-charset"?><a/>'))).toThrow(/unsupported XML encoding/);
  });

  it('reads the ISO-8859-1 fixture POM', () => {
    const text = decodeXml(fs.readFileSync(path.join(FIXTURES, 'org/example/legacy/latin-lib/1.1/latin-lib-1.1.pom')));
    expect(parsePomText(text, 't')).toMatchObject({ description: 'Bibliothèque de démonstration © Société Exemple', artifactId: 'latin-lib' });
  });

  it('decodes character references and CDATA', () => {
    const project = parsePomText(pom('<artifactId>a</artifactId><name><![CDATA[<raw> & co]]></name><description>caf&#233; &amp; &#x263A;</description>'), 't');
    expect(project.description).toBe('café & ☺');
    expect(project.name).toBe('<raw> & co');
  });
});

describe('checksums and artifacts', () => {
  it('reads the first token of a checksum file, as lower-case hex', () => {
    expect(checksumFromFile('3F786850E387550FDAB836ED7E6DC881DE23001B  widget.jar\n', 'sha1')).toEqual({ algorithm: 'sha1', value: '3f786850e387550fdab836ed7e6dc881de23001b' });
    expect(checksumFromFile('a9993e364706816aba3e25717850c26c9cd0d89d', 'sha1')?.value).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(checksumFromFile('SHA1(widget.jar)= a9993e364706816aba3e25717850c26c9cd0d89d', 'sha1')).toBeNull();
    expect(checksumFromFile('a9993e364706816aba3e25717850c26c9cd0d89d', 'sha256')).toBeNull();
    expect(checksumFromFile('<html>not found</html>', 'sha1')).toBeNull();
    expect(checksumFromFile(undefined, 'sha1')).toBeNull();
  });

  it('derives the main artifact extension from the packaging', () => {
    expect(mainArtifactExtension(undefined)).toBe('jar');
    expect(mainArtifactExtension('bundle')).toBe('jar');
    expect(mainArtifactExtension('maven-plugin')).toBe('jar');
    expect(mainArtifactExtension('pom')).toBe('pom');
    expect(mainArtifactExtension('aar')).toBe('aar');
    expect(mainArtifactExtension('war')).toBe('war');
    expect(mainArtifactExtension('${packaging.type}')).toBe('jar');
    expect(mainArtifactExtension('../x')).toBe('jar');
  });
});

describe('names', () => {
  it('accepts groupId:artifactId and the URL form groupId/artifactId, keeping case', () => {
    expect(normalizeMavenName('org.apache.commons:commons-lang3')).toBe('org.apache.commons:commons-lang3');
    expect(normalizeMavenName(' org.apache.commons/commons-lang3 ')).toBe('org.apache.commons:commons-lang3');
    expect(normalizeMavenName('org.JBoss:Jandex')).toBe('org.JBoss:Jandex');
    expect(normalizeMavenName('dev.zio:zio-aws-autoscaling_3')).toBe('dev.zio:zio-aws-autoscaling_3');
    expect(normalizeMavenName('junit:junit')).toBe('junit:junit');
  });

  it('rejects everything else, naming the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['commons-lang3', /expected groupId:artifactId/],
      ['org.apache.commons:commons-lang3:3.14.0', /without version/],
      ['org/apache/commons/commons-lang3', /groupId with dots/],
      [':commons-lang3', /groupId is empty/],
      ['org.apache..commons:x', /may not contain `\.\.`/],
      ['org.apache:..', /may not contain `\.\.`/],
      ['.hidden:x', /may not start or end with `\.`/],
      ['org.apache:x y', /may only contain/],
      ['org.apache:x%2f..', /may only contain/],
      [`g:${'a'.repeat(300)}`, /longer than 256/],
    ];
    for (const [name, message] of cases) expect(() => normalizeMavenName(name), name).toThrow(message);
  });

  it('splits purls at the groupId', () => {
    const adapter = createMavenAdapter({ baseUrl: REPO });
    expect(adapter.toPurlParts('org.apache.commons:commons-lang3')).toEqual({ namespace: 'org.apache.commons', name: 'commons-lang3' });
    expect(adapter.fromPurlParts('org.apache.commons', 'commons-lang3')).toBe('org.apache.commons:commons-lang3');
    expect(adapter.purlType).toBe('maven');
  });
});
