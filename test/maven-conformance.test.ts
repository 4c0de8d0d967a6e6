import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createMavenAdapter, dependencyKindOf, mainArtifactExtension } from '../src/ecosystems/maven/index.js';
import { decodeXml } from '../src/ecosystems/maven/xml.js';
import type { NormalizedPackage, VersionRecord } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { isDateLikeMavenVersion, isMavenSnapshot, mavenVersioning } from '../src/versioning/maven.js';

/*
 * Replays the recorded Maven Central answers in ../shared/upstream-fixtures/maven (see MANIFEST.md there):
 * every artifact-level maven-metadata.xml through `fetch` + `normalize`, every POM through `versionDetails`
 * + `normalize`, served from the recorded repository tree (files not recorded answer 404, as a parent POM
 * missing from Central would). Assertions compare normalized fields with the raw XML, read independently here.
 */

const repoRoot = path.resolve(import.meta.dirname, '..');
const sharedRoot = path.resolve(repoRoot, '..', 'shared', 'upstream-fixtures');
const mavenRoot = path.join(sharedRoot, 'maven');
const treeRoot = path.join(mavenRoot, 'repo1.maven.org', 'maven2');
const exists = fs.existsSync(treeRoot);
const BASE = 'https://repo1.maven.org/maven2';

/** Files of the folder this test does not replay, and why. */
const NOT_REPLAYED: Array<[RegExp, string]> = [
  [/\/index\.html$/, 'directory listing: the adapter reads maven-metadata.xml, never listings'],
  [/^search\.maven\.org\//, 'Solr search answer: search is a later feature (the adapter does not use it)'],
  [/-SNAPSHOT\/maven-metadata\.xml$/, 'version-level snapshot metadata: Maven Central has no snapshots; artifact-level metadata lists versions'],
];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(file) : [file];
  });
}

const allFiles = exists ? walk(mavenRoot).map((file) => path.relative(mavenRoot, file).split(path.sep).join('/')) : [];
const replayed = allFiles.filter((file) => file !== 'MANIFEST.md' && !NOT_REPLAYED.some(([pattern]) => pattern.test(file)));
const metadataFiles = replayed.filter((file) => file.endsWith('/maven-metadata.xml'));
const pomFiles = replayed.filter((file) => file.endsWith('.pom'));

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true, htmlEntities: true });
type Node = Record<string, unknown>;
const asList = (value: unknown): unknown[] => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const collapse = (value: string | null | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();

function readXml(relative: string): Node {
  return xml.parse(decodeXml(fs.readFileSync(path.join(mavenRoot, relative)))) as Node;
}

/** The recorded tree as a repository: every request is answered from it, with 404 for what was not recorded. */
function treeClient(): UpstreamClient & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async get(_upstream, url): Promise<GetResult> {
      urls.push(url);
      if (!url.startsWith(`${BASE}/`)) return { kind: 'not-found', status: 404 };
      const file = path.join(treeRoot, decodeURIComponent(url.slice(BASE.length + 1)));
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return { kind: 'not-found', status: 404 };
      return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'text/xml', validators: { etag: null, lastModified: null } };
    },
  };
}

/** `group/path/artifactId/version/artifactId-version.pom` -> coordinates. */
function pomCoordinates(relative: string): { groupId: string; artifactId: string; version: string } {
  const parts = relative.replace(/^repo1\.maven\.org\/maven2\//, '').split('/');
  const version = parts.at(-2)!;
  const artifactId = parts.at(-3)!;
  return { groupId: parts.slice(0, -3).join('.'), artifactId, version };
}

async function replayPom(relative: string): Promise<{ record: VersionRecord; urls: string[] }> {
  const { groupId, artifactId, version } = pomCoordinates(relative);
  const name = `${groupId}:${artifactId}`;
  const adapter = createMavenAdapter({ baseUrl: BASE });
  const http = treeClient();
  const details = await adapter.versionDetails.fetch(name, version, { http, conditional: null });
  if (details.kind !== 'ok') throw new Error(`${relative}: ${details.kind}`);
  const stub = { version };
  const metadata = `<metadata><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><versioning><versions><version>${version}</version></versions></versioning></metadata>`;
  const normalized = adapter.normalize(name, {
    package: { repository: BASE, groupId, artifactId, metadataUrl: `${BASE}/x`, metadata },
    versions: { [version]: JSON.parse(JSON.stringify(adapter.versionDetails.attach(stub, details.raw))) as unknown },
  });
  return { record: normalized.versions[0]!, urls: http.urls };
}

const replays = new Map<string, Promise<{ record: VersionRecord; urls: string[] }>>();
const replay = (relative: string) => {
  let result = replays.get(relative);
  if (!result) replays.set(relative, (result = replayPom(relative)));
  return result;
};

describe.skipIf(!exists)(`maven conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${treeRoot} not found)`}`, () => {
  it('finds recorded answers of both kinds to replay', () => {
    expect(metadataFiles.length).toBeGreaterThanOrEqual(3);
    expect(pomFiles.length).toBeGreaterThanOrEqual(7);
    for (const file of allFiles) {
      const reason = NOT_REPLAYED.find(([pattern]) => pattern.test(file));
      if (reason || file === 'MANIFEST.md') continue;
      expect(file.endsWith('/maven-metadata.xml') || file.endsWith('.pom'), `${file} is neither replayed nor explained`).toBe(true);
    }
  });

  describe.each(metadataFiles)('%s', (relative) => {
    const raw = readXml(relative).metadata as Node;
    const versioning = (raw.versioning ?? {}) as Node;
    const listed = [...new Set(asList((versioning.versions as Node | undefined)?.version).map(String))];
    const groupId = String(raw.groupId);
    const artifactId = String(raw.artifactId);
    const name = `${groupId}:${artifactId}`;

    let result: Promise<{ normalized: NormalizedPackage; urls: string[] }> | undefined;
    const load = () =>
      (result ??= (async () => {
        const adapter = createMavenAdapter({ baseUrl: BASE });
        const http = treeClient();
        const fetched = await adapter.fetch(name, { http, conditional: null });
        if (fetched.kind !== 'ok') throw new Error(`${relative}: ${fetched.kind}`);
        return { normalized: adapter.normalize(name, JSON.parse(JSON.stringify(fetched.raw)) as typeof fetched.raw), urls: http.urls };
      })());

    it('lists every version, newest first by Maven order', async () => {
      const { normalized } = await load();
      expect(normalized.package.versionCount).toBe(listed.length);
      expect(normalized.versions.map((v) => v.version).sort()).toEqual([...listed].sort());
      const order = normalized.versions.map((v) => v.version);
      for (let i = 1; i < order.length; i++) expect(mavenVersioning.compare(order[i - 1]!, order[i]!), `${order[i - 1]} before ${order[i]}`).toBeGreaterThanOrEqual(0);
      for (const record of normalized.versions) {
        expect(record.prerelease).toBe(mavenVersioning.isPrerelease(record.version));
        expect(record.ecosystem).toBe('maven');
        expect(record.name).toBe(name);
      }
    });

    it('computes latest and latestPrerelease from the list, not from <release>', async () => {
      const { normalized } = await load();
      const { latestVersion, latestPrerelease, distTags, modifiedAt } = normalized.package;
      const releases = listed.filter((v) => !mavenVersioning.isPrerelease(v) && !isMavenSnapshot(v) && !isDateLikeMavenVersion(v));
      expect(latestVersion).not.toBeNull();
      expect(releases).toContain(latestVersion);
      for (const other of releases) expect(mavenVersioning.compare(other, latestVersion!), other).toBeLessThanOrEqual(0);
      const declared = str(versioning.release);
      if (declared && !isDateLikeMavenVersion(declared)) expect(latestVersion).toBe(declared);
      if (latestPrerelease !== null) {
        expect(mavenVersioning.isPrerelease(latestPrerelease)).toBe(true);
        expect(mavenVersioning.compare(latestPrerelease, latestVersion!)).toBeGreaterThan(0);
      }
      expect(distTags).toEqual({ ...(str(versioning.latest) ? { latest: str(versioning.latest) } : {}), ...(declared ? { release: declared } : {}) });
      const stamp = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(str(versioning.lastUpdated) ?? '');
      expect(modifiedAt).toBe(stamp ? `${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}.000Z` : null);
    });

    it('reads the latest POM only (when recorded), leaving the other versions pending', async () => {
      const { normalized, urls } = await load();
      const latest = normalized.package.latestVersion!;
      const group = groupId.replace(/\./g, '/');
      expect(urls[0]).toBe(`${BASE}/${group}/${artifactId}/maven-metadata.xml`);
      expect(urls[1]).toBe(`${BASE}/${group}/${artifactId}/${latest}/${artifactId}-${latest}.pom`);
      for (const record of normalized.versions) expect(Boolean(record.detailsPending), record.version).toBe(record.version !== latest);
      const pomRecorded = fs.existsSync(path.join(treeRoot, group, artifactId, latest, `${artifactId}-${latest}.pom`));
      const latestRecord = normalized.versions.find((v) => v.version === latest)!;
      if (pomRecorded) {
        expect(latestRecord.description).not.toBeNull();
        expect(normalized.package.description).toBe(latestRecord.description);
        expect(normalized.package.license).toEqual(latestRecord.license);
      } else {
        // 404 for the POM: final, with nothing to say
        expect(latestRecord).toMatchObject({ license: null, description: null, dependencies: [], artifactUrl: null });
        expect(normalized.package.description).toBeNull();
      }
    });
  });

  describe.each(pomFiles)('%s', (relative) => {
    const project = readXml(relative).project as Node;
    const { groupId, artifactId, version } = pomCoordinates(relative);
    const properties = (typeof project.properties === 'object' && project.properties ? project.properties : {}) as Node;

    it('normalizes the fields the POM itself declares', async () => {
      const { record } = await replay(relative);
      expect(record.detailsPending).toBeUndefined();
      expect(record.version).toBe(version);
      const description = str(project.description);
      if (description && !description.includes('${')) expect(collapse(record.description)).toBe(collapse(description));
      const url = str(project.url);
      if (url && /^https?:\/\//.test(url) && !url.includes('${')) expect(record.links.homepage).toBe(url);
      const licenses = asList((project.licenses as Node | undefined)?.license) as Node[];
      if (licenses.length > 0) {
        expect(record.license?.name).toBe(licenses.map((license) => str(license.name)).join(' OR '));
        expect(record.license?.source).toBe(`${artifactId}-${version}.pom#licenses`);
        expect(record.license?.spdx).not.toBeNull();
      }
      const developers = asList((project.developers as Node | undefined)?.developer) as Node[];
      if (developers.length > 0) expect(record.maintainers).toHaveLength(developers.length);
      const packaging = str(project.packaging);
      expect(record.artifactUrl).toBe(`${BASE}/${groupId.replace(/\./g, '/')}/${artifactId}/${version}/${artifactId}-${version}.${mainArtifactExtension(packaging)}`);
      expect(record.checksums).toEqual([]); // no checksum files were recorded
    });

    it('lists every declared dependency with its Maven scope as a kind', async () => {
      const { record } = await replay(relative);
      const declared = (asList((project.dependencies as Node | undefined)?.dependency) as Node[]).filter((dep) => str(dep.scope) !== 'import');
      expect(record.dependencies.length).toBeGreaterThanOrEqual(declared.length);
      for (const dep of declared) {
        const group = str(dep.groupId) === '${project.groupId}' ? groupId : str(dep.groupId);
        const depName = `${group}:${str(dep.artifactId)}`;
        const kind = dependencyKindOf(str(dep.scope), str(dep.optional) === 'true');
        const candidates = record.dependencies.filter((d) => d.name === depName && d.kind === kind);
        expect(candidates.length, `${depName} as ${kind}`).toBeGreaterThan(0);
        const rawVersion = str(dep.version);
        const property = rawVersion && /^\$\{([^}]+)\}$/.exec(rawVersion)?.[1];
        const expected = rawVersion === undefined ? undefined : property && str(properties[property]) ? str(properties[property]) : property ? undefined : rawVersion;
        if (expected !== undefined) expect(candidates.map((d) => d.constraint), depName).toContain(expected);
      }
    });
  });

  describe('recorded quirks', () => {
    const find = (suffix: string) => pomFiles.find((file) => file.endsWith(suffix));

    it('opensaml-parent inherits license, url and properties from the recorded net.shibboleth parent', async () => {
      const file = find('opensaml-parent-3.4.6.pom');
      if (!file) return;
      const { record, urls } = await replay(file);
      expect(urls).toContain(`${BASE}/net/shibboleth/parent/7.11.2/parent-7.11.2.pom`);
      expect(record.license).toEqual({ spdx: 'Apache-2.0', name: 'The Apache Software License, Version 2.0', source: 'parent-7.11.2.pom#licenses' });
      expect(record.links.homepage).toBe('http://shibboleth.net/opensaml-parent/');
      // scm.url is a gitweb page (`/view/?p=java-opensaml.git`); the connection names the repository itself
      expect(record.links.repository).toBe('https://git.shibboleth.net/git/java-opensaml');
      expect(record.dependencies.filter((d) => d.name === 'net.shibboleth.utilities:java-support').map((d) => [d.constraint, d.kind])).toEqual([
        ['7.5.2', 'RUNTIME'],
        ['7.5.2', 'DEVELOPMENT'],
      ]);
      expect(record.description).toMatch(/^A library for creating.*SAML messages\.\n\nFor further information see /);
    });

    it('commons-parent 54 is ISO-8859-1 and a pom; its own parent and BOM import are not recorded', async () => {
      const file = find('commons-parent-54.pom');
      if (!file) return;
      const { record, urls } = await replay(file);
      expect(urls).toContain(`${BASE}/org/apache/apache/27/apache-27.pom`);
      expect(record.artifactUrl).toMatch(/commons-parent-54\.pom$/);
      expect(record.description).toBe('The Apache Commons Parent POM provides common settings for all Apache Commons components.');
      expect(record.license).toBeNull();
    });

    it('maps the Maven-specific license names of the recorded POMs', async () => {
      const junit = find('junit-bom-5.9.1.pom');
      if (junit) expect((await replay(junit)).record.license?.spdx).toBe('EPL-2.0');
      const zio = find('zio-aws-autoscaling_3-5.17.225.2.pom');
      if (zio) {
        const { record } = await replay(zio);
        expect(record.license?.spdx).toBe('Apache-2.0'); // "APL2"
        expect(record.links.repository).toBe('https://github.com/zio/zio-aws');
      }
    });

    it('netty-nio-client keeps unresolvable ${...} versions when its parent is not available', async () => {
      const file = find('netty-nio-client-2.5.6.pom');
      if (!file) return;
      const { record } = await replay(file);
      expect(record.dependencies.find((d) => d.name === 'software.amazon.awssdk:annotations')?.constraint).toBe('${awsjavasdk.version}');
      expect(record.dependencies.find((d) => d.name === 'io.netty:netty-transport-native-epoll')).toMatchObject({ constraint: '', kind: 'RUNTIME' });
      expect(record.dependencies.filter((d) => d.kind === 'DEVELOPMENT')).toHaveLength(8);
    });
  });
});
