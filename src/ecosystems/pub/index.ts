import spdxIds from 'spdx-license-list/simple.js';
import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import { pubVersioning } from '../../versioning/pub.js';
import { normalizeLicense, toSpdxExpression } from '../common/license.js';
import { parsePeople, parsePerson } from '../common/person.js';
import { normalizeHttpUrl, normalizeRepositoryUrl, type RepositoryLinks } from '../common/repository.js';
import type {
  Checksum,
  DependencyKind,
  DependencyRecord,
  EcosystemAdapter,
  FetchContext,
  FetchResult,
  LicenseInfo,
  Links,
  NormalizedPackage,
  PackageRecord,
  Person,
  RawDocument,
  VersionRecord,
} from '../types.js';
import {
  dependencySourceSchema,
  listedVersionSchema,
  listingEnvelopeSchema,
  optionsSchema,
  scoreSchema,
  storedPackageSchema,
  versionEntrySchema,
  type PubStoredPackage,
  type Pubspec,
  type PubVersionEntry,
} from './schema.js';
import { describeIssues, isoTime, text } from '../common/fields.js';

/** pub.dev's own name limit (pub_package_reader validatePackageName). */
const MAX_NAME_LENGTH = 64;
/** Packages published before names had to be lower-case (pub-dev knownMixedCasePackages). */
const KNOWN_MIXED_CASE = ['Autolinker', 'Babylon', 'DartDemoCLI', 'FileTeCouch', 'Flutter_Nectar', 'Google_Search_v2', 'LoadingBox', 'PolymerIntro', 'Pong', 'RAL', 'Transmission_RPC', 'ViAuthClient'];
/** `babylon` exists too (knownGoodLowerCasePackages); the other lower-cased spellings are blocked and mean the old name. */
const MIXED_CASE_BY_LOWER = new Map(KNOWN_MIXED_CASE.filter((name) => name !== 'Babylon').map((name) => [name.toLowerCase(), name]));
/** Hosted dependencies without a `url`, or with one of these, come from pub.dev itself. */
const DEFAULT_HOSTS = new Set(['pub.dev', 'pub.dartlang.org']);
/** pana's license tags that describe the license rather than name it. */
const LICENSE_META_TAGS = new Set(['osi-approved', 'fsf-libre', 'unknown']);
const SPDX_BY_LOWER = new Map([...spdxIds].map((id) => [id.toLowerCase(), id]));
const LICENSE_SOURCE = 'pub.dev score tags (pana, latest version)';

function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/**
 * pub's rules: letters, digits and `_`, starting with a letter or `_`, at most 64 characters, lower-case
 * (the canonical form) except the twelve packages published before that rule.
 */
export function normalizePubName(input: string): string {
  const name = input.trim();
  const fail = (reason: string) => new InvalidInputError(`Invalid pub package name ${quoted(input)}: ${reason}`, 'name');
  if (!name) throw fail('name is empty');
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw fail('may contain only letters, digits and underscores');
  if (!/^[A-Za-z_]/.test(name)) throw fail('must begin with a letter or underscore');
  if (name.length > MAX_NAME_LENGTH) throw fail(`must not exceed ${MAX_NAME_LENGTH} characters`);
  if (KNOWN_MIXED_CASE.includes(name)) return name;
  const lower = name.toLowerCase();
  return MIXED_CASE_BY_LOWER.get(lower) ?? lower;
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `pub.dev answer for ${quoted(name)}: ${message}`, { ecosystem: 'pub', ...details }, cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers (pure)

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/** How a dependency is written in a pubspec, as one record: the constraint says where non-hosted ones come from. */
export function pubDependency(name: string, spec: unknown, kind: DependencyKind): DependencyRecord | null {
  const record = (packageName: string, constraint: string): DependencyRecord => ({ name, packageName, constraint, kind, optional: false, bundled: false });
  // `foo:` (YAML null) and `foo: any` both mean any version from pub.dev.
  if (spec === null || spec === undefined) return record(name, 'any');
  if (typeof spec === 'string') return record(name, spec.trim() || 'any');
  if (!isObject(spec)) return null;
  const source = dependencySourceSchema.parse(spec);
  const version = text(source.version);
  const withVersion = (parts: string[]) => (version ? [...parts, `version: ${version}`] : parts);
  const describe = (head: string, parts: string[]) => (parts.length > 0 ? `${head} (${parts.join(', ')})` : head);

  if (source.sdk !== undefined) return record(name, describe(`sdk: ${source.sdk}`, withVersion([])));
  if (source.git !== undefined) {
    const git = typeof source.git === 'string' ? { url: source.git, ref: undefined, path: undefined } : source.git;
    const parts = [...(git.ref ? [`ref: ${git.ref}`] : []), ...(git.path ? [`path: ${git.path}`] : [])];
    return record(name, describe(`git: ${git.url ?? '?'}`, withVersion(parts)));
  }
  if (source.path !== undefined) return record(name, describe(`path: ${source.path}`, withVersion([])));
  if (source.hosted === undefined && !('version' in spec)) return null;

  // Hosted: `hosted: <url>` (Dart >= 2.15), `hosted: <name>` (older pub) or `hosted: {name, url}`.
  const hosted = source.hosted;
  const hostedUrl = typeof hosted === 'string' ? (/^[a-z][a-z0-9+.-]*:\/\//i.test(hosted) ? hosted : undefined) : hosted?.url;
  const hostedName = typeof hosted === 'string' ? (hostedUrl === undefined ? text(hosted) : null) : text(hosted?.name);
  const packageName = hostedName ?? name;
  const host = hostedUrl ? hostOf(hostedUrl) : null;
  if (hostedUrl && (host === null || !DEFAULT_HOSTS.has(host))) return record(packageName, describe(`hosted: ${hostedUrl}`, [`version: ${version ?? 'any'}`]));
  return record(packageName, version ?? 'any');
}

/** `dependencies` -> RUNTIME, `dev_dependencies` -> DEVELOPMENT; `dependency_overrides` never affect dependents. */
function dependenciesOf(pubspec: Pubspec): DependencyRecord[] {
  const out: DependencyRecord[] = [];
  const add = (map: Record<string, unknown> | undefined, kind: DependencyKind) => {
    for (const [name, spec] of Object.entries(map ?? {})) {
      const dependency = name ? pubDependency(name, spec, kind) : null;
      if (dependency) out.push(dependency);
    }
  };
  add(pubspec.dependencies, 'RUNTIME');
  add(pubspec.dev_dependencies, 'DEVELOPMENT');
  return out;
}

/** `environment: {sdk, flutter}` constraints. */
function enginesOf(pubspec: Pubspec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(pubspec.environment ?? {})) {
    const constraint = text(value);
    if (key && constraint) out[key] = constraint;
  }
  return out;
}

const GIT_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org']);

/** `repository`, else a homepage on a git host (pub.dev itself infers the repository that way). */
function repositoryOf(pubspec: Pubspec): RepositoryLinks | null {
  const declared = text(pubspec.repository);
  if (declared) return normalizeRepositoryUrl(declared);
  const homepage = normalizeHttpUrl(pubspec.homepage);
  const host = homepage ? hostOf(homepage) : null;
  return homepage && host && GIT_HOSTS.has(host.replace(/^www\./, '')) ? normalizeRepositoryUrl(homepage) : null;
}

function linksOf(pubspec: Pubspec): Links {
  const repository = repositoryOf(pubspec);
  return {
    repository: repository?.url ?? null,
    homepage: normalizeHttpUrl(pubspec.homepage),
    documentation: normalizeHttpUrl(pubspec.documentation),
    changelog: null,
    issues: normalizeHttpUrl(pubspec.issue_tracker) ?? repository?.issues ?? null,
  };
}

/** The deprecated `author` (one person) and `authors` (a list), both in `Name <email>` form. */
function peopleOf(pubspec: Pubspec): Person[] {
  const people = parsePeople(pubspec.authors);
  const single = parsePerson(pubspec.author);
  return single ? [single, ...people.filter((person) => person.name !== single.name || person.email !== single.email)] : people;
}

function keywordsOf(pubspec: Pubspec): string[] {
  const out: string[] = [];
  for (const topic of pubspec.topics ?? []) {
    const value = topic.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

function checksumsOf(entry: PubVersionEntry): Checksum[] {
  const sha256 = entry.archive_sha256?.trim();
  return sha256 && /^[0-9a-f]{64}$/i.test(sha256) ? [{ algorithm: 'sha256', value: sha256.toLowerCase() }] : [];
}

/**
 * pana's `license:<id>` tags (lower-cased SPDX ids) from the score endpoint, for the latest version. Several ids
 * mean the license files contain several licenses: read conservatively as all of them (AND).
 */
export function scoreLicense(tags: readonly string[] | null | undefined): LicenseInfo | null {
  const ids: string[] = [];
  for (const tag of tags ?? []) {
    if (!tag.startsWith('license:')) continue;
    const id = tag.slice('license:'.length).trim();
    if (!id || LICENSE_META_TAGS.has(id)) continue;
    const canonical = SPDX_BY_LOWER.get(id.toLowerCase()) ?? id;
    if (!ids.includes(canonical)) ids.push(canonical);
  }
  if (ids.length === 0) return null;
  const expressions = ids.map((id) => (SPDX_BY_LOWER.has(id.toLowerCase()) ? id : toSpdxExpression(id)));
  const spdx = expressions.every((expression): expression is string => expression !== null) ? expressions.join(' AND ') : null;
  return { spdx, name: ids.join(', '), source: LICENSE_SOURCE };
}

function discontinuation(stored: PubStoredPackage): string | null {
  const discontinued = stored.options?.isDiscontinued ?? stored.listing.isDiscontinued ?? false;
  if (!discontinued) return null;
  const replacedBy = text(stored.options?.replacedBy) ?? text(stored.listing.replacedBy);
  return replacedBy ? `discontinued; use ${replacedBy}` : 'discontinued';
}

function versionRecord(name: string, version: string, entry: PubVersionEntry, deprecatedMessage: string | null): VersionRecord {
  const pubspec: Pubspec = entry.pubspec ?? {};
  const people = peopleOf(pubspec);
  const declaredLicense = text(pubspec.license);
  return {
    ecosystem: 'pub',
    name,
    version,
    license: declaredLicense ? normalizeLicense(declaredLicense, 'pubspec.yaml#license') : null,
    releaseDate: isoTime(entry.published),
    status: entry.retracted === true ? 'RETRACTED' : deprecatedMessage ? 'DEPRECATED' : 'ACTIVE',
    prerelease: pubVersioning.isPrerelease(version),
    deprecatedMessage,
    maintainers: people,
    author: people[0] ?? null,
    dependencies: dependenciesOf(pubspec),
    links: linksOf(pubspec),
    checksums: checksumsOf(entry),
    sizeBytes: null,
    keywords: keywordsOf(pubspec),
    description: text(pubspec.description),
    engines: enginesOf(pubspec),
    artifactUrl: normalizeHttpUrl(entry.archive_url),
  };
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

/** Pure: the stored raw document (listing top level + options + score, one entry per version) -> records. */
export function normalizePub(name: string, raw: RawDocument): NormalizedPackage {
  const stored = parseStored(storedPackageSchema, raw.package, name, 'the package document');
  const deprecationMessage = discontinuation(stored);
  const records: VersionRecord[] = [];
  for (const [version, value] of Object.entries(raw.versions ?? {})) {
    records.push(versionRecord(name, version, parseStored(versionEntrySchema, value, name, `version ${quoted(version)}`), deprecationMessage));
  }
  const sorted = records.sort((a, b) => pubVersioning.compare(b.version, a.version));

  const available = sorted.filter((record) => record.status !== 'RETRACTED');
  const tagged = stored.listing.latest?.version;
  // pub.dev's `latest` (it skips retracted versions), else the highest release that is not retracted.
  const latest = available.find((record) => record.version === tagged) ?? available.find((record) => !record.prerelease) ?? null;
  const latestIndex = latest ? sorted.indexOf(latest) : sorted.length;
  const latestPrerelease = sorted.slice(0, latestIndex).find((record) => record.prerelease && record.status !== 'RETRACTED') ?? null;

  // pana analyses pub.dev's latest version: the tags belong to that one (never to a fallback) and describe the package.
  const license = scoreLicense(stored.score?.tags);
  const analysed = records.find((record) => record.version === tagged);
  if (analysed && license && !analysed.license) analysed.license = license;
  const head = latest ?? sorted[0] ?? null;
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();

  const pkg: PackageRecord = {
    ecosystem: 'pub',
    name,
    description: head?.description ?? null,
    homepage: head?.links.homepage ?? null,
    repositoryUrl: head?.links.repository ?? null,
    license: license ?? head?.license ?? null,
    keywords: head?.keywords ?? [],
    maintainers: head?.maintainers ?? [],
    deprecated: deprecationMessage !== null,
    deprecationMessage,
    latestVersion: latest?.version ?? null,
    latestPrerelease: latestPrerelease?.version ?? null,
    distTags: latest && latest.version === tagged ? { latest: tagged } : {},
    versionCount: sorted.length,
    createdAt: dates[0] ?? null,
    modifiedAt: dates.at(-1) ?? null,
  };
  return { package: pkg, versions: sorted };
}

export interface PubAdapterOptions {
  /** Hosted pub repository URL (`https://pub.dev`, or a mirror / self-hosted repository). */
  baseUrl: string;
}

export function createPubAdapter(options: PubAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  /** A side document (options, score): any failure leaves it out, the listing alone is enough. */
  async function sideDocument(context: FetchContext, url: string, schema: z.ZodType): Promise<unknown> {
    try {
      const response = await context.http.get('pub', url, { accept: 'application/json' });
      if (response.kind !== 'ok') return null;
      const json: unknown = JSON.parse(response.body.toString('utf8'));
      return schema.safeParse(json).success ? json : null;
    } catch {
      return null;
    }
  }

  async function fetchPackage(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizePubName(requested);
    const url = `${baseUrl}/api/packages/${encodeURIComponent(name)}`;
    // The three requests are independent: the limiter paces them.
    const [listing, options, score] = await Promise.all([
      context.http.get('pub', url, { accept: 'application/vnd.pub.v2+json', conditional: context.conditional }),
      sideDocument(context, `${url}/options`, optionsSchema),
      sideDocument(context, `${url}/score`, scoreSchema),
    ]);
    if (listing.kind === 'not-found') return { kind: 'not-found' };
    if (listing.kind === 'not-modified') return { kind: 'not-modified', validators: listing.validators };

    const details = { url, status: listing.status };
    let json: unknown;
    try {
      json = JSON.parse(listing.body.toString('utf8'));
    } catch (error) {
      throw invalid(name, 'body is not valid JSON', details, error);
    }
    const parsed = listingEnvelopeSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, `not a package listing (${describeIssues(parsed.error)})`, details);
    if (parsed.data.name !== name) throw invalid(name, `the listing is for ${quoted(parsed.data.name)}`, details);

    const { versions: entries, ...rest } = json as { versions: unknown[] };
    const versions: Record<string, unknown> = {};
    for (const entry of entries) {
      // An entry without a version string is left out; it must not cost the package its other versions.
      const listed = listedVersionSchema.safeParse(entry);
      if (listed.success && !Object.hasOwn(versions, listed.data.version)) versions[listed.data.version] = entry;
    }
    if (entries.length > 0 && Object.keys(versions).length === 0) throw invalid(name, 'no entry of the listing has a version', details);
    return { kind: 'ok', raw: { package: { listing: rest, options, score }, versions }, validators: listing.validators };
  }

  return {
    id: 'pub',
    purlType: 'pub',
    versioning: pubVersioning,
    normalizeName: normalizePubName,
    fetch: fetchPackage,
    normalize: normalizePub,
    toPurlParts: (name) => ({ namespace: null, name }),
    fromPurlParts: (namespace, name) => (namespace ? `${namespace}/${name}` : name),
    // Archives live on the repository host; older listings point at the pre-2021 host.
    sourceHosts: ['pub.dev', 'pub.dartlang.org'],
    // pub.dev has answered archive URLs with a redirect to its Cloud Storage bucket; keep following it if it does again.
    redirectHosts: ['storage.googleapis.com'],
  };
}
