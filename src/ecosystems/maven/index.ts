import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import type { UpstreamClient } from '../../http/client.js';
import { isDateLikeMavenVersion, isMavenSnapshot, mavenVersioning } from '../../versioning/maven.js';
import { parsePerson } from '../common/person.js';
import { normalizeHttpUrl, normalizeRepositoryUrl, type RepositoryLinks } from '../common/repository.js';
import type {
  Checksum,
  DependencyKind,
  DependencyRecord,
  DetailsResult,
  EcosystemAdapter,
  FetchContext,
  FetchResult,
  Links,
  NormalizedPackage,
  PackageRecord,
  Person,
  RawDocument,
  VersionRecord,
} from '../types.js';
import { pomLicenseInfo } from './license.js';
import { resolvePom, type EffectivePom, type PomSource, type ResolvedDependency } from './pom.js';
import {
  METADATA_ARRAY_PATHS,
  metadataDocumentSchema,
  POM_ARRAY_PATHS,
  pomDocumentSchema,
  rawPackageSchema,
  rawVersionSchema,
  versionDetailsSchema,
  type MavenMetadataDocument,
  type MavenVersionDetails,
  type PomProject,
  type RawMavenPackage,
  type RawMavenVersion,
  type RelatedPom,
} from './schema.js';
import { createXmlReader, decodeXml, XmlDocumentError } from './xml.js';
import { describeIssues } from '../common/fields.js';

const XML_ACCEPT = 'application/xml, text/xml;q=0.9, */*;q=0.1';
const TEXT_ACCEPT = 'text/plain, */*;q=0.1';
/** Parent and BOM POMs one version's details may load (each at most one request). */
const MAX_RELATED_POMS = 40;
/** Resolution rounds per version (each round loads the next level of parents/BOMs). */
const MAX_ROUNDS = 24;
/** Bytes of a checksum file kept (a digest line is under 200). */
const MAX_CHECKSUM_TEXT = 1024;

// ---------------------------------------------------------------------------------------------------------------
// Names and URLs

/** groupId and artifactId characters Maven's model validator accepts (`[A-Za-z0-9_\-.]+`). */
const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;
const MAX_ID_LENGTH = 256;

function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

function checkId(input: string, part: string, kind: 'groupId' | 'artifactId'): void {
  const fail = (reason: string) => {
    throw new InvalidInputError(`Invalid Maven package name ${quoted(input)}: ${kind} ${reason}`, 'name');
  };
  if (part.length === 0) fail('is empty');
  if (part.length > MAX_ID_LENGTH) fail(`is longer than ${MAX_ID_LENGTH} characters`);
  if (!ID_PATTERN.test(part)) fail('may only contain letters, digits, `_`, `-` and `.`');
  // Both become repository path segments: no `..`, no empty segment, no hidden `.x` directory.
  if (part.includes('..')) fail('may not contain `..`');
  if (part.startsWith('.') || part.endsWith('.')) fail('may not start or end with `.`');
}

/**
 * `groupId:artifactId` (canonical), or the `groupId/artifactId` form used in web URLs. Case is kept: Maven
 * coordinates are case-sensitive (`org.jboss` and `org.JBoss` are different groups).
 */
export function normalizeMavenName(input: string): string {
  const name = input.trim();
  const separator = name.includes(':') ? ':' : name.includes('/') ? '/' : null;
  if (separator === null) throw new InvalidInputError(`Invalid Maven package name ${quoted(input)}: expected groupId:artifactId`, 'name');
  const parts = name.split(separator);
  if (parts.length !== 2) {
    const extra = separator === ':' ? 'groupId:artifactId without version, type or classifier' : 'groupId/artifactId (the groupId with dots, not slashes)';
    throw new InvalidInputError(`Invalid Maven package name ${quoted(input)}: expected ${extra}`, 'name');
  }
  const [groupId, artifactId] = parts as [string, string];
  checkId(input, groupId, 'groupId');
  checkId(input, artifactId, 'artifactId');
  return `${groupId}:${artifactId}`;
}

function splitName(name: string): { groupId: string; artifactId: string } {
  const [groupId, artifactId] = normalizeMavenName(name).split(':') as [string, string];
  return { groupId, artifactId };
}

/** Versions become path segments too; Maven itself allows almost anything, so only path tricks are refused. */
function isUsableVersion(version: string): boolean {
  return mavenVersioning.isValid(version) && version !== '.' && version !== '..';
}

/** Repository layout: https://maven.apache.org/repository/layout.html */
export class MavenPaths {
  constructor(readonly repository: string, readonly groupId: string, readonly artifactId: string) {}

  private get base(): string {
    const group = this.groupId.split('.').map(encodeURIComponent).join('/');
    return `${this.repository}/${group}/${encodeURIComponent(this.artifactId)}`;
  }

  get metadata(): string {
    return `${this.base}/maven-metadata.xml`;
  }

  /** `{artifactId}-{version}[-{classifier}].{extension}` in the version's folder. */
  file(version: string, extension: string, classifier?: string): string {
    const v = encodeURIComponent(version);
    return `${this.base}/${v}/${encodeURIComponent(this.artifactId)}-${v}${classifier ? `-${encodeURIComponent(classifier)}` : ''}.${extension}`;
  }

  pom(version: string): string {
    return this.file(version, 'pom');
  }

  sources(version: string): string {
    return this.file(version, 'jar', 'sources');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

const readMetadataXml = createXmlReader(METADATA_ARRAY_PATHS);
const readPomXml = createXmlReader(POM_ARRAY_PATHS);

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `Maven repository answer for ${quoted(name)}: ${message}`, { ecosystem: 'maven', ...details }, cause === undefined ? undefined : { cause });
}

function readXml(read: (text: string) => Record<string, unknown>, text: string, name: string, what: string, url?: string): Record<string, unknown> {
  try {
    return read(text);
  } catch (error) {
    if (error instanceof XmlDocumentError) throw invalid(name, `${what} is not valid XML: ${error.message}`, { url }, error);
    throw error;
  }
}

function decodeBody(body: Buffer, name: string, what: string, url: string): string {
  try {
    return decodeXml(body);
  } catch (error) {
    if (error instanceof XmlDocumentError) throw invalid(name, `${what}: ${error.message}`, { url }, error);
    throw error;
  }
}

export function parseMetadataText(text: string, name: string, url?: string): MavenMetadataDocument['metadata'] {
  const parsed = metadataDocumentSchema.safeParse(readXml(readMetadataXml, text, name, 'maven-metadata.xml', url));
  if (!parsed.success) throw invalid(name, `maven-metadata.xml has no <metadata> root (${describeIssues(parsed.error)})`, { url });
  return parsed.data.metadata;
}

export function parsePomText(text: string, name: string, url?: string): PomProject {
  const parsed = pomDocumentSchema.safeParse(readXml(readPomXml, text, name, 'POM', url));
  if (!parsed.success) throw invalid(name, `POM has no <project> root (${describeIssues(parsed.error)})`, { url });
  return parsed.data.project;
}

/** The listed versions, in document order, without duplicates or unusable strings. */
function metadataVersions(metadata: MavenMetadataDocument['metadata']): string[] {
  const out = new Set<string>();
  for (const version of metadata.versioning?.versions?.version ?? []) if (isUsableVersion(version)) out.add(version);
  // Without a <versions> list, the top-level <version> is the one version the file knows of.
  if (out.size === 0 && metadata.version !== undefined && isUsableVersion(metadata.version)) out.add(metadata.version);
  return [...out];
}

// ---------------------------------------------------------------------------------------------------------------
// Version choice

function highest(versions: readonly string[]): string | null {
  let best: string | null = null;
  for (const version of versions) if (best === null || mavenVersioning.compare(version, best) > 0) best = version;
  return best;
}

/**
 * Highest release by Maven's order, not `<release>`/`<latest>` (written by whichever deploy came last, absent
 * in old metadata, and pointing at date-like versions such as `20040616` that Maven ranks above 3.2.2).
 * Date-like versions only count when no ordinary numbered release exists (e.g. org.json's `20231013`).
 */
export function pickLatestMavenVersion(versions: readonly string[]): string | null {
  const releases = versions.filter((version) => !mavenVersioning.isPrerelease(version) && !isMavenSnapshot(version));
  const ordinary = releases.filter((version) => !isDateLikeMavenVersion(version));
  const hasNumbered = ordinary.some((version) => /^\d/.test(version));
  return highest(hasNumbered ? ordinary : releases);
}

function pickLatestPrerelease(latest: string | null, versions: readonly string[]): string | null {
  return highest(
    versions.filter((version) => mavenVersioning.isPrerelease(version) && !isMavenSnapshot(version) && (latest === null || mavenVersioning.compare(version, latest) > 0)),
  );
}

/** Newest first by Maven's order; equivalent spellings (`1.0` / `1`) by text, for a stable order. */
function sortNewestFirst(records: VersionRecord[]): VersionRecord[] {
  return records.sort((a, b) => mavenVersioning.compare(b.version, a.version) || (b.version < a.version ? -1 : b.version > a.version ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Normalization (pure)

function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** `<lastUpdated>` is `yyyyMMddHHmmss` in UTC. */
function lastUpdatedTime(value: string | undefined): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value ?? '');
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date.toISOString() : null;
}

/** POM descriptions are indented multi-line text: collapse whitespace, keep paragraph breaks. */
function cleanDescription(value: string | undefined): string | null {
  if (!value) return null;
  const paragraphs = value.split(/\n\s*\n/).map((paragraph) => paragraph.replace(/\s+/g, ' ').trim()).filter(Boolean);
  return paragraphs.length > 0 ? paragraphs.join('\n\n') : null;
}

/** `scm:git:https://...`, `scm:svn:...`, `scm:git|...` -> the provider-specific URL. */
function stripScmPrefix(value: string): string {
  return value.trim().replace(/^scm:[a-z0-9]+[:|]/i, '');
}

/**
 * Maven appends the child's artifactId to inherited SCM URLs, producing `https://github.com/o/r.git/child` or
 * `https://github.com/o/r/child`, which are not pages. On GitHub and Bitbucket a path below the repository is only
 * meaningful as `/tree/...`, `/blob/...` or `/src/...`, so anything else is cut back to the repository.
 */
function trimHostedPath(url: string): string {
  const match = /^(https?:\/\/(?:www\.)?(?:github\.com|bitbucket\.org)\/[^/]+\/[^/]+?)(?:\.git)?(\/.*)?$/i.exec(url.trim());
  if (!match) return url;
  const rest = match[2] ?? '';
  return /^\/(tree|blob|src)\//.test(rest) ? `${match[1]}${rest}` : match[1]!;
}

/**
 * scm.url (browsable), else the connection URLs. A web-viewer URL whose repository is in the query
 * (gitweb's `/view/?p=repo.git`) would lose it in normalization, so the connection is preferred then.
 */
function repositoryOf(pom: EffectivePom): RepositoryLinks | null {
  const candidates = [pom.scm.url, pom.scm.connection, pom.scm.developerConnection]
    .filter((candidate): candidate is string => candidate !== undefined && !candidate.includes('${'))
    .map((candidate) => trimHostedPath(stripScmPrefix(candidate)));
  for (const candidate of candidates) {
    if (candidate.includes('?')) continue;
    const links = normalizeRepositoryUrl(candidate);
    if (links) return links;
  }
  const browsable = candidates.map(concreteUrl).find((url) => url !== null);
  return browsable ? { url: browsable, issues: null } : null;
}

/** An http(s) URL with every property resolved (an unresolved `${...}` is no link). */
function concreteUrl(value: string | undefined): string | null {
  return value === undefined || value.includes('${') ? null : normalizeHttpUrl(value);
}

function linksOf(pom: EffectivePom): Links {
  const repository = repositoryOf(pom);
  return {
    repository: repository?.url ?? null,
    homepage: concreteUrl(pom.url),
    documentation: null,
    changelog: null,
    issues: concreteUrl(pom.issueManagement.url) ?? repository?.issues ?? null,
  };
}

function maintainersOf(pom: EffectivePom): Person[] {
  const out: Person[] = [];
  for (const developer of pom.developers) {
    const person = parsePerson({ name: developer.name ?? developer.id, email: developer.email, url: developer.url });
    if (person) out.push(person);
  }
  return out;
}

/**
 * Maven scope -> kind. compile (the default) and runtime are needed at run time; test only to build and test the
 * artifact; provided and system are expected from the environment (a container, the JDK), i.e. peers the
 * consumer supplies. `<optional>true</optional>` keeps a compile/runtime dependency out of consumers' graphs
 * unless they declare it: the same contract as an optional feature dependency, so it is OPTIONAL.
 */
export function dependencyKindOf(scope: string | undefined, optional: boolean): DependencyKind | null {
  switch ((scope ?? 'compile').toLowerCase()) {
    case 'test':
      return 'DEVELOPMENT';
    case 'provided':
    case 'system':
      return 'PEER';
    case 'import':
      return null; // only meaningful in dependencyManagement
    default:
      return optional ? 'OPTIONAL' : 'RUNTIME';
  }
}

function dependencyRecords(dependencies: readonly ResolvedDependency[]): DependencyRecord[] {
  const out: DependencyRecord[] = [];
  for (const dependency of dependencies) {
    const kind = dependencyKindOf(dependency.scope, dependency.optional);
    if (kind === null) continue;
    const name = `${dependency.groupId}:${dependency.artifactId}`;
    out.push({ name, packageName: name, constraint: dependency.version ?? '', kind, optional: dependency.optional, bundled: false, scope: dependency.scope ?? 'compile', ...(dependency.exclusions.length > 0 ? { exclusions: dependency.exclusions } : {}) });
  }
  return out;
}

const HEX_LENGTH: Record<string, number> = { sha1: 40, sha256: 64 };

/** `.sha1` files hold the digest alone or `digest  filename` (older tools): the first token, if it is a digest. */
export function checksumFromFile(text: string | undefined, algorithm: 'sha1' | 'sha256'): Checksum | null {
  const token = text?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!token || token.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(token)) return null;
  return { algorithm, value: token };
}

function checksumsOf(artifact: MavenVersionDetails['artifact']): Checksum[] {
  if (!artifact) return [];
  const out: Checksum[] = [];
  const sha1 = checksumFromFile(artifact.sha1?.text, 'sha1');
  const sha256 = checksumFromFile(artifact.sha256?.text, 'sha256');
  if (sha1) out.push(sha1);
  if (sha256) out.push(sha256);
  return out;
}

function emptyLinks(): Links {
  return { repository: null, homepage: null, documentation: null, changelog: null, issues: null };
}

/** Parsed related POMs shared by all versions of one normalize call (they repeat the same parents). */
type ParseCache = Map<string, PomProject>;

function storedSource(details: MavenVersionDetails, name: string, cache: ParseCache): PomSource {
  return (key) => {
    const related: RelatedPom | undefined = details.related[key];
    if (related?.status !== 'ok' || related.text === undefined) return null;
    let project = cache.get(related.text);
    if (!project) {
      project = parsePomText(related.text, name, related.url);
      cache.set(related.text, project);
    }
    return project;
  };
}

function versionRecord(name: string, version: string, raw: RawMavenVersion | undefined, cache: ParseCache): VersionRecord {
  const record: VersionRecord = {
    ecosystem: 'maven',
    name,
    version,
    license: null,
    releaseDate: null,
    status: 'ACTIVE',
    prerelease: mavenVersioning.isPrerelease(version),
    deprecatedMessage: null,
    maintainers: [],
    author: null,
    dependencies: [],
    links: emptyLinks(),
    checksums: [],
    sizeBytes: null,
    keywords: [],
    description: null,
    engines: {},
    artifactUrl: null,
  };
  const details = raw?.details;
  if (!details) return { ...record, detailsPending: true };
  if (!details.pom) return record; // the POM is missing upstream: nothing more to learn

  const project = parsePomText(details.pom.text, name, details.pom.url);
  const { pom } = resolvePom(project, `${name}:${version}`, storedSource(details, name, cache));
  const relocation = pom.relocation;
  const relocatedTo = relocation
    ? [relocation.groupId ?? pom.groupId, relocation.artifactId ?? pom.artifactId, relocation.version ?? version].join(':')
    : null;
  record.license = pomLicenseInfo(pom.licenses, `${pom.licensesFrom ?? 'pom'}#licenses`);
  record.releaseDate = isoTime(details.pom.lastModified);
  record.maintainers = maintainersOf(pom);
  // A POM has no author field; the first listed developer is the one other ecosystems' "author" corresponds to.
  record.author = record.maintainers[0] ?? null;
  record.dependencies = dependencyRecords(pom.dependencies);
  record.links = linksOf(pom);
  record.checksums = checksumsOf(details.artifact);
  record.description = cleanDescription(pom.description);
  record.artifactUrl = details.artifact?.url ?? null;
  if (relocatedTo) {
    record.status = 'DEPRECATED';
    record.deprecatedMessage = `Relocated to ${relocatedTo}${relocation?.message ? `: ${relocation.message}` : ''}`;
  }
  return record;
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

/** Pure: the stored raw document (see `fetch`) -> normalized records. `raw.versions` may hold only some versions. */
export function normalizeMavenPackage(name: string, raw: RawDocument): NormalizedPackage {
  const pkg: RawMavenPackage = parseStored(rawPackageSchema, raw.package, name, 'the stored package part');
  const metadata = parseMetadataText(pkg.metadata, name, pkg.metadataUrl);
  const versions = metadataVersions(metadata);
  const cache: ParseCache = new Map();
  const records = new Map<string, VersionRecord>();
  for (const version of versions) {
    const stored = raw.versions?.[version];
    const rawVersion = stored === undefined ? undefined : parseStored(rawVersionSchema, stored, name, `version ${quoted(version)}`);
    records.set(version, versionRecord(name, version, rawVersion, cache));
  }

  const latestVersion = pickLatestMavenVersion(versions);
  const latestPrerelease = pickLatestPrerelease(latestVersion, versions);
  const latest = latestVersion === null ? undefined : records.get(latestVersion);
  const distTags: Record<string, string> = {};
  if (metadata.versioning?.latest) distTags.latest = metadata.versioning.latest;
  if (metadata.versioning?.release) distTags.release = metadata.versioning.release;

  const record: PackageRecord = {
    ecosystem: 'maven',
    name,
    description: latest?.description ?? null,
    homepage: latest?.links.homepage ?? null,
    repositoryUrl: latest?.links.repository ?? null,
    license: latest?.license ?? null,
    keywords: [],
    maintainers: latest?.maintainers ?? [],
    deprecated: latest?.status === 'DEPRECATED',
    deprecationMessage: latest?.status === 'DEPRECATED' ? latest.deprecatedMessage : null,
    latestVersion,
    latestPrerelease,
    distTags,
    versionCount: versions.length,
    createdAt: null,
    modifiedAt: lastUpdatedTime(metadata.versioning?.lastUpdated),
  };
  return { package: record, versions: sortNewestFirst([...records.values()]) };
}

// ---------------------------------------------------------------------------------------------------------------
// Fetching

/** packaging -> file extension of the main artifact (Maven's artifact handlers and the common plugin ones). */
const JAR_PACKAGINGS = new Set([
  'jar', 'bundle', 'maven-plugin', 'ejb', 'ejb-client', 'test-jar', 'javadoc', 'java-source', 'eclipse-plugin',
  'eclipse-test-plugin', 'hk2-jar', 'orbit', 'maven-archetype', 'takari-jar', 'takari-maven-plugin', 'jenkins-module',
]);

export function mainArtifactExtension(packaging: string | undefined): string {
  const value = (packaging ?? 'jar').trim().toLowerCase();
  if (JAR_PACKAGINGS.has(value) || value === '' || value.includes('${')) return 'jar';
  return /^[a-z0-9][a-z0-9._-]*$/.test(value) ? value : 'jar';
}

/** A bounded cache (least recently used out) of parent/BOM POM texts by URL: released POMs never change. */
class PomTextCache {
  private readonly entries = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxEntries: number, private readonly maxChars: number) {}

  get(url: string): string | undefined {
    const text = this.entries.get(url);
    if (text !== undefined) {
      this.entries.delete(url);
      this.entries.set(url, text);
    }
    return text;
  }

  set(url: string, text: string): void {
    if (text.length > this.maxChars / 4) return;
    const previous = this.entries.get(url);
    if (previous !== undefined) {
      this.entries.delete(url);
      this.chars -= previous.length;
    }
    this.entries.set(url, text);
    this.chars += text.length;
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= value.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface MavenAdapterOptions {
  /** Repository base URL (`https://repo1.maven.org/maven2`, a mirror, an Artifactory/Nexus/Gitea Maven repository). */
  baseUrl: string;
  /** Parent/BOM POMs kept in memory (default 500 entries, 32 MiB of text). */
  pomCacheEntries?: number;
  pomCacheChars?: number;
}

export interface MavenAdapter extends EcosystemAdapter {
  readonly versionDetails: NonNullable<EcosystemAdapter['versionDetails']>;
  /** Entries in the parent/BOM POM cache (for tests and metrics). */
  pomCacheSize(): number;
}

export function createMavenAdapter(options: MavenAdapterOptions): MavenAdapter {
  const repository = options.baseUrl.replace(/\/+$/, '');
  const pomCache = new PomTextCache(options.pomCacheEntries ?? 500, options.pomCacheChars ?? 32 * 1024 * 1024);

  async function getText(http: UpstreamClient, url: string): Promise<{ text: string } | null> {
    const response = await http.get('maven', url, { accept: TEXT_ACCEPT });
    if (response.kind === 'not-found') return null;
    if (response.kind === 'not-modified') return null;
    return { text: response.body.subarray(0, MAX_CHECKSUM_TEXT).toString('latin1').trim() };
  }

  /** The main artifact and its checksum files; an unknown packaging whose file is missing falls back to the jar. */
  async function fetchArtifact(paths: MavenPaths, version: string, packaging: string | undefined, http: UpstreamClient): Promise<NonNullable<MavenVersionDetails['artifact']>> {
    const extension = mainArtifactExtension(packaging);
    const candidates = extension === 'jar' || extension === 'pom' ? [extension] : [extension, 'jar'];
    for (const candidate of candidates) {
      const url = paths.file(version, candidate);
      const [sha1, sha256] = await Promise.all([getText(http, `${url}.sha1`), getText(http, `${url}.sha256`)]);
      if (sha1 || sha256) {
        return { extension: candidate, url, sha1: sha1 ? { url: `${url}.sha1`, text: sha1.text } : null, sha256: sha256 ? { url: `${url}.sha256`, text: sha256.text } : null };
      }
    }
    return { extension, url: paths.file(version, extension), sha1: null, sha256: null };
  }

  /** One parent/BOM POM: from the cache, else one request (validated before it is cached). */
  async function fetchRelated(key: string, name: string, http: UpstreamClient): Promise<RelatedPom> {
    const parts = key.split(':');
    const [groupId = '', artifactId = '', version = ''] = parts;
    const url = new MavenPaths(repository, groupId, artifactId).pom(version);
    const pathSafe = (id: string) => ID_PATTERN.test(id) && !id.includes('..') && !id.startsWith('.');
    if (parts.length !== 3 || !pathSafe(groupId) || !pathSafe(artifactId) || !isUsableVersion(version)) {
      return { url, status: 'skipped', reason: 'coordinates are not a repository path' };
    }
    const cached = pomCache.get(url);
    if (cached !== undefined) return { url, status: 'ok', text: cached };
    const response = await http.get('maven', url, { accept: XML_ACCEPT });
    if (response.kind !== 'ok') return { url, status: 'not-found' };
    try {
      const text = decodeBody(response.body, name, `POM ${key}`, url);
      parsePomText(text, name, url);
      pomCache.set(url, text);
      return { url, status: 'ok', text };
    } catch (error) {
      // A broken ancestor or BOM costs only what it would have supplied (as a missing one does), not the version.
      if (error instanceof UpstreamError && error.code === 'UPSTREAM_INVALID') return { url, status: 'invalid', reason: error.message };
      throw error;
    }
  }

  async function fetchDetails(name: string, version: string, http: UpstreamClient): Promise<DetailsResult> {
    const { groupId, artifactId } = splitName(name);
    if (!isUsableVersion(version)) throw new InvalidInputError(`Invalid Maven version ${quoted(version)}`, 'version');
    const paths = new MavenPaths(repository, groupId, artifactId);
    const pomUrl = paths.pom(version);
    const response = await http.get('maven', pomUrl, { accept: XML_ACCEPT });
    if (response.kind === 'not-found') return { kind: 'not-found' };
    if (response.kind === 'not-modified') throw invalid(name, `POM ${version} answered 304 to an unconditional request`, { url: pomUrl });
    const text = decodeBody(response.body, name, `POM ${version}`, pomUrl);
    const project = parsePomText(text, name, pomUrl);

    // The checksum requests need only the packaging, so they run while the parent chain loads.
    const packaging = project.packaging?.includes('${') ? undefined : project.packaging;
    const artifact = fetchArtifact(paths, version, packaging, http);
    artifact.catch(() => undefined); // awaited below; avoid an unhandled rejection while the chain loads

    const related: Record<string, RelatedPom> = {};
    const parsed = new Map<string, PomProject | null>();
    const source: PomSource = (key) => {
      if (!(key in related)) return undefined;
      const cached = parsed.get(key);
      if (cached !== undefined) return cached;
      const entry = related[key]!;
      const value = entry.status === 'ok' && entry.text !== undefined ? parsePomText(entry.text, name, entry.url) : null;
      parsed.set(key, value);
      return value;
    };
    const rootKey = `${name}:${version}`;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const needed = resolvePom(project, rootKey, source).needed.filter((key) => !(key in related));
      if (needed.length === 0) break;
      const budget = Math.max(0, MAX_RELATED_POMS - Object.keys(related).length);
      for (const key of needed.slice(budget)) related[key] = { url: key, status: 'skipped', reason: `more than ${MAX_RELATED_POMS} parent/BOM POMs` };
      const loaded = await Promise.all(needed.slice(0, budget).map((key) => fetchRelated(key, name, http)));
      needed.slice(0, budget).forEach((key, i) => (related[key] = loaded[i]!));
    }

    const details: MavenVersionDetails = {
      pom: { url: pomUrl, text, lastModified: response.validators.lastModified },
      related,
      artifact: await artifact,
    };
    return { kind: 'ok', raw: details };
  }

  function versionStub(paths: MavenPaths, version: string): RawMavenVersion {
    return { version, pomUrl: paths.pom(version), sourcesUrl: paths.sources(version) };
  }

  async function fetchPackage(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizeMavenName(requested);
    const { groupId, artifactId } = splitName(name);
    const paths = new MavenPaths(repository, groupId, artifactId);
    const url = paths.metadata;
    const response = await context.http.get('maven', url, { accept: XML_ACCEPT, conditional: context.conditional });
    if (response.kind === 'not-found') return { kind: 'not-found' };
    if (response.kind === 'not-modified') return { kind: 'not-modified', validators: response.validators };

    const text = decodeBody(response.body, name, 'maven-metadata.xml', url);
    const metadata = parseMetadataText(text, name, url);
    // A mirror answering with another artifact's metadata must not be stored under this name.
    if ((metadata.groupId !== undefined && metadata.groupId !== groupId) || (metadata.artifactId !== undefined && metadata.artifactId !== artifactId)) {
      throw invalid(name, `maven-metadata.xml is for ${metadata.groupId ?? '?'}:${metadata.artifactId ?? '?'}`, { url, status: response.status });
    }
    const versions = metadataVersions(metadata);
    const rawVersions: Record<string, RawMavenVersion> = Object.fromEntries(versions.map((version) => [version, versionStub(paths, version)]));

    // The latest version's POM carries the package-level description, license and links, so it is read now.
    const latest = pickLatestMavenVersion(versions);
    if (latest !== null) {
      try {
        const details = await fetchDetails(name, latest, context.http);
        rawVersions[latest] = attachDetails(rawVersions[latest], details.kind === 'ok' ? details.raw : null) as RawMavenVersion;
      } catch (error) {
        // A broken latest POM does not spoil the version list: that version stays pending and fails on its own.
        // Transient trouble fails the fetch instead: a stored copy without the package-level fields would be
        // kept by every later 304 on maven-metadata.xml.
        if (!(error instanceof UpstreamError) || error.code !== 'UPSTREAM_INVALID') throw error;
      }
    }
    const rawPackage: RawMavenPackage = { repository, groupId, artifactId, metadataUrl: url, metadata: text };
    return { kind: 'ok', raw: { package: rawPackage, versions: rawVersions }, validators: response.validators };
  }

  return {
    id: 'maven',
    purlType: 'maven',
    versioning: mavenVersioning,
    normalizeName: normalizeMavenName,
    fetch: fetchPackage,
    normalize: normalizeMavenPackage,
    toPurlParts(name) {
      const { groupId, artifactId } = splitName(name);
      return { namespace: groupId, name: artifactId };
    },
    fromPurlParts(namespace, name) {
      return namespace ? `${namespace}:${name}` : name;
    },
    versionDetails: {
      fetch: (name, version, context) => fetchDetails(name, version, context.http),
      attach: attachDetails,
    },
    pomCacheSize: () => pomCache.size,
  };
}

/** The stored version part with the details merged in; null details (POM 404) are recorded as such. */
function attachDetails(rawVersion: unknown, details: unknown): unknown {
  const base = rawVersion && typeof rawVersion === 'object' && !Array.isArray(rawVersion) ? (rawVersion as Record<string, unknown>) : {};
  const parsed = details === null ? null : versionDetailsSchema.safeParse(details);
  const value: MavenVersionDetails = parsed?.success ? parsed.data : { pom: null, related: {}, artifact: null };
  return { ...base, details: value };
}
