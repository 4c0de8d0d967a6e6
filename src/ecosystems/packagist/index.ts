import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import type { GetResult } from '../../http/client.js';
import { compareNormalized, composerVersioning, normalizeComposerVersion, parseStability } from '../../versioning/composer.js';
import { normalizeLicense } from '../common/license.js';
import { parsePerson } from '../common/person.js';
import { normalizeHttpUrl, normalizeRepositoryUrl } from '../common/repository.js';
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
  SourceArchiveSpec,
  VersionRecord,
} from '../types.js';
import { expandComposerMetadata } from './minifier.js';
import { p2DocumentSchema, p2MetaSchema, versionEntrySchema, type PackagistVersionEntry } from './schema.js';
import { describeIssues, isoTime, text } from '../common/fields.js';

/*
 * Composer's package name rule (ValidatingArrayLoader::hasPackageNamingError), written without the nested
 * optional separators so a long invalid name cannot make the regex backtrack exponentially (PHP uses
 * possessive quantifiers for that); the accepted language is the same.
 */
const VENDOR = /^[a-z0-9]+(?:[_.-][a-z0-9]+)*$/;
const PROJECT = /^[a-z0-9]+(?:(?:[_.]|--?)[a-z0-9]+)*$/;

/**
 * Composer's PlatformRepository::PLATFORM_PACKAGE_REGEX (requirements on the PHP runtime, not on packages), with
 * the same unambiguous rewrite of the `ext-`/`lib-` name part.
 */
const PLATFORM_PACKAGE = /^(?:php(?:-64bit|-ipv6|-zts|-debug)?|hhvm|(?:ext|lib)-[a-z0-9]+(?:[_.-][a-z0-9]+)*|composer(?:-(?:plugin|runtime)-api)?)$/i;

/** Packagist only builds zip dists (GitHub/GitLab/Bitbucket archives); the `/zipball/` URLs carry no extension. */
const ARCHIVE_HOSTS = ['api.github.com', 'codeload.github.com', 'gitlab.com', 'bitbucket.org'] as const;

function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** Validates `vendor/package` (case-insensitive on Packagist, canonical in lower case). */
export function normalizePackagistName(input: string): string {
  const name = input.trim().toLowerCase();
  const fail = (reason: string) => new InvalidInputError(`Invalid Packagist package name ${quoted(input)}: ${reason}`, 'name');
  if (!name) throw fail('name is empty');
  const parts = name.split('/');
  if (parts.length !== 2) throw fail('expected "vendor/package" (exactly one slash)');
  const [vendor, project] = parts as [string, string];
  if (!VENDOR.test(vendor)) {
    throw fail('the vendor may contain only a-z, 0-9 and single "_", "." or "-" between them, and must start and end with a letter or digit');
  }
  if (!PROJECT.test(project)) {
    throw fail('the package may contain only a-z, 0-9 and single "_" or ".", or "-"/"--", between them, and must start and end with a letter or digit');
  }
  return name;
}

export function isPlatformPackage(name: string): boolean {
  return PLATFORM_PACKAGE.test(name);
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `Packagist answer for ${quoted(name)}: ${message}`, { ecosystem: 'packagist', ...details }, cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers (pure)

function stringEntries(map: Record<string, unknown> | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(map ?? {})) {
    if (key && typeof value === 'string') out.push([key, value.trim()]);
  }
  return out;
}

/** Composer allows lower-case `or`/`and` in license expressions; SPDX wants them upper-case. */
function spdxOperators(value: string): string {
  return value.replace(/\s+(or|and|with)\s+/gi, (_match, op: string) => ` ${op.toUpperCase()} `);
}

/** composer.json `license`: a string, or an array read as a choice ("or"), as Composer's schema documents. */
function licenseOf(entry: PackagistVersionEntry): LicenseInfo | null {
  const declared = entry.license;
  if (declared === undefined) return null;
  const values = (typeof declared === 'string' ? [declared] : declared).map((value) => value.trim()).filter(Boolean);
  const info = normalizeLicense(values.map(spdxOperators), 'composer.json#license');
  // `name` keeps the values as declared (the operators were only upper-cased for the SPDX parse).
  return info ? { ...info, name: [...new Set(values)].join(' OR ') } : null;
}

/** composer.json `authors`: `{name, email, homepage, role}`. */
function authorsOf(entry: PackagistVersionEntry): Person[] {
  const out: Person[] = [];
  for (const author of entry.authors ?? []) {
    const person = parsePerson({ name: author.name, email: author.email, url: author.homepage });
    if (person) out.push(person);
  }
  return out;
}

function keywordsOf(entry: PackagistVersionEntry): string[] {
  const out: string[] = [];
  for (const keyword of entry.keywords ?? []) {
    const value = keyword.trim();
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

function linksOf(entry: PackagistVersionEntry): Links {
  // `source.url` is the VCS clone URL; `support.source` (a browsable tree URL of this version) when there is none.
  const declared = text(entry.source?.url) ?? normalizeHttpUrl(entry.support?.source);
  const repository = declared ? normalizeRepositoryUrl(declared) : null;
  return {
    repository: repository?.url ?? null,
    homepage: normalizeHttpUrl(entry.homepage),
    documentation: normalizeHttpUrl(entry.support?.docs),
    changelog: null,
    issues: normalizeHttpUrl(entry.support?.issues) ?? repository?.issues ?? null,
  };
}

function checksumsOf(entry: PackagistVersionEntry): Checksum[] {
  const shasum = entry.dist?.shasum?.trim();
  return shasum && /^[0-9a-f]{40}$/i.test(shasum) ? [{ algorithm: 'sha1', value: shasum.toLowerCase() }] : [];
}

/** `require` -> RUNTIME, `require-dev` -> DEVELOPMENT; `suggest` lists no dependencies. Platform packages stay in. */
function dependenciesOf(entry: PackagistVersionEntry): DependencyRecord[] {
  const out: DependencyRecord[] = [];
  const add = (map: Record<string, unknown> | undefined, kind: DependencyKind) => {
    for (const [name, constraint] of stringEntries(map)) {
      out.push({ name, packageName: name.toLowerCase(), constraint, kind, optional: false, bundled: false, platform: isPlatformPackage(name) });
    }
  };
  add(entry.require, 'RUNTIME');
  add(entry['require-dev'], 'DEVELOPMENT');
  return out;
}

/** The runtime's platform requirements (`php`, `ext-*`, `lib-*`...) from `require`, as engines. */
function enginesOf(entry: PackagistVersionEntry): Record<string, string> {
  return Object.fromEntries(stringEntries(entry.require).filter(([name]) => isPlatformPackage(name)).map(([name, constraint]) => [name.toLowerCase(), constraint]));
}

/** `abandoned: true` or `"vendor/replacement"` (Packagist never sends an empty string, but treat it as `true`). */
export function abandonedMessage(value: PackagistVersionEntry['abandoned']): string | null {
  if (value === undefined || value === false) return null;
  const replacement = typeof value === 'string' ? value.trim() : '';
  return replacement ? `abandoned; use ${replacement}` : 'abandoned';
}

function versionRecord(name: string, version: string, entry: PackagistVersionEntry): VersionRecord {
  const authors = authorsOf(entry);
  const deprecatedMessage = abandonedMessage(entry.abandoned);
  return {
    ecosystem: 'packagist',
    name,
    version,
    license: licenseOf(entry),
    releaseDate: isoTime(entry.time),
    status: deprecatedMessage ? 'DEPRECATED' : 'ACTIVE',
    prerelease: composerVersioning.isPrerelease(version),
    deprecatedMessage,
    maintainers: authors,
    author: authors[0] ?? null,
    dependencies: dependenciesOf(entry),
    links: linksOf(entry),
    checksums: checksumsOf(entry),
    sizeBytes: null,
    keywords: keywordsOf(entry),
    description: text(entry.description),
    engines: enginesOf(entry),
    artifactUrl: normalizeHttpUrl(entry.dist?.url),
  };
}

interface Decorated {
  record: VersionRecord;
  entry: PackagistVersionEntry;
  /** `version_normalized` from the payload, else Composer's normalization of the version; null when invalid. */
  normalized: string | null;
  time: number;
}

function compareDecorated(a: Decorated, b: Decorated): number {
  if (a.normalized === null || b.normalized === null) {
    if (a.normalized !== b.normalized) return a.normalized === null ? -1 : 1;
  } else {
    const byVersion = compareNormalized(a.normalized, b.normalized);
    if (byVersion !== 0) return byVersion;
  }
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return a.record.version < b.record.version ? -1 : a.record.version > b.record.version ? 1 : 0;
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

/** Pure: the stored raw document (top level of the p2 file + one expanded entry per version) -> records. */
export function normalizePackagist(name: string, raw: RawDocument): NormalizedPackage {
  parseStored(p2MetaSchema, raw.package ?? {}, name, 'the metadata document');
  const decorated: Decorated[] = [];
  for (const [version, value] of Object.entries(raw.versions ?? {})) {
    const entry = parseStored(versionEntrySchema, value, name, `version ${quoted(version)}`);
    const time = isoTime(entry.time);
    decorated.push({
      record: versionRecord(name, version, entry),
      entry,
      normalized: entry.version_normalized?.trim() || normalizeComposerVersion(version),
      time: time === null ? Number.NEGATIVE_INFINITY : Date.parse(time),
    });
  }
  const sorted = decorated.sort(compareDecorated).reverse();

  // Composer has no "latest" marker: the highest stable release, and the highest non-branch prerelease above it.
  const latest = sorted.find((item) => parseStability(item.record.version) === 'stable') ?? null;
  const latestIndex = latest ? sorted.indexOf(latest) : sorted.length;
  const latestPrerelease = sorted.slice(0, latestIndex).find((item) => parseStability(item.record.version) !== 'dev') ?? null;
  // Package-level fields describe the latest release (else the newest entry, e.g. a package with only prereleases).
  const head = latest ?? sorted[0] ?? null;
  const deprecationMessage = head ? abandonedMessage(head.entry.abandoned) : null;
  const dates = decorated.map((item) => item.record.releaseDate).filter((date): date is string => date !== null).sort();

  const pkg: PackageRecord = {
    ecosystem: 'packagist',
    name,
    description: head?.record.description ?? null,
    homepage: head?.record.links.homepage ?? null,
    repositoryUrl: head?.record.links.repository ?? null,
    license: head?.record.license ?? null,
    keywords: head?.record.keywords ?? [],
    maintainers: head?.record.maintainers ?? [],
    deprecated: deprecationMessage !== null,
    deprecationMessage,
    latestVersion: latest?.record.version ?? null,
    latestPrerelease: latestPrerelease?.record.version ?? null,
    distTags: {},
    versionCount: sorted.length,
    createdAt: dates[0] ?? null,
    modifiedAt: dates.at(-1) ?? null,
  };
  return { package: pkg, versions: sorted.map((item) => item.record) };
}

export interface PackagistAdapterOptions {
  /** Composer repository base URL (`https://repo.packagist.org`, or a mirror), with or without a trailing slash. */
  baseUrl: string;
  /**
   * Also read `~dev.json` (branches: `dev-main`, `2.x-dev`...). Off by default: tagged releases only. With it on,
   * both files are fetched concurrently and conditional revalidation is not used (one set of validators cannot
   * describe two files).
   */
  devVersions?: boolean;
}

export function createPackagistAdapter(options: PackagistAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const devVersions = options.devVersions === true;

  function metadataUrl(name: string, dev: boolean): string {
    const [vendor, project] = name.split('/') as [string, string];
    return `${baseUrl}/p2/${encodeURIComponent(vendor)}/${encodeURIComponent(project)}${dev ? '~dev' : ''}.json`;
  }

  /** Parses one p2 file and expands this package's entries; the rest of the document is returned as `meta`. */
  function readFile(name: string, url: string, response: Extract<GetResult, { kind: 'ok' }>) {
    const details = { url, status: response.status };
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw invalid(name, 'body is not valid JSON', details, error);
    }
    const parsed = p2DocumentSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, `not Composer v2 metadata (${describeIssues(parsed.error)})`, details);
    // The document as sent (validated above) is kept, not zod's copy of it.
    const { packages, ...meta } = json as { packages: Record<string, Array<Record<string, unknown>>> };
    const entries = Object.hasOwn(packages, name) ? packages[name] : undefined;
    // A mirror answering with another package's file must not be stored under this name.
    if (!entries) throw invalid(name, `the file lists ${Object.keys(packages).map(quoted).join(', ') || 'no package'}`, details);
    // Composer expands only documents marked minified; others list complete entries.
    const expanded = parsed.data.minified === 'composer/2.0' ? expandComposerMetadata(entries) : entries;
    return { meta, expanded, details };
  }

  function addVersions(target: Record<string, unknown>, name: string, file: ReturnType<typeof readFile>): void {
    let skipped = 0;
    for (const entry of file.expanded) {
      const version = typeof entry.version === 'string' ? entry.version.trim() : '';
      // An entry without a usable version is left out; it must not cost the package its other versions.
      if (!version) {
        skipped++;
        continue;
      }
      // Newest first: a repeated version keeps its first (newest) entry.
      if (!Object.hasOwn(target, version)) target[version] = entry;
    }
    if (skipped > 0 && skipped === file.expanded.length) throw invalid(name, 'no version entry has a "version"', file.details);
  }

  async function fetchPackage(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizePackagistName(requested);
    const url = metadataUrl(name, false);
    const accept = 'application/json';
    const [tagged, dev] = await Promise.all([
      context.http.get('packagist', url, { accept, conditional: devVersions ? null : context.conditional }),
      devVersions ? context.http.get('packagist', metadataUrl(name, true), { accept }) : Promise.resolve(null),
    ]);
    if (tagged.kind === 'not-found') return { kind: 'not-found' };
    if (tagged.kind === 'not-modified') return { kind: 'not-modified', validators: tagged.validators };

    const file = readFile(name, url, tagged);
    const versions: Record<string, unknown> = {};
    addVersions(versions, name, file);
    if (dev?.kind === 'ok') addVersions(versions, name, readFile(name, metadataUrl(name, true), dev));
    // `security-advisories` (tagged file only) and any other top-level key stay in the package part.
    return { kind: 'ok', raw: { package: file.meta, versions }, validators: tagged.validators };
  }

  return {
    id: 'packagist',
    purlType: 'composer',
    versioning: composerVersioning,
    normalizeName: normalizePackagistName,
    fetch: fetchPackage,
    normalize: normalizePackagist,
    toPurlParts(name) {
      const slash = name.indexOf('/');
      return slash === -1 ? { namespace: null, name } : { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
    },
    fromPurlParts(namespace, name) {
      // purl-spec: composer namespace = vendor, both case-insensitive (lower-cased).
      return (namespace ? `${namespace}/${name}` : name).toLowerCase();
    },
    sourceArchive(record): SourceArchiveSpec | null {
      if (!record.artifactUrl) return null;
      const path = new URL(record.artifactUrl).pathname.toLowerCase();
      const extension = path.endsWith('.tar.gz') || path.includes('/tarball/') ? 'tar.gz' : path.endsWith('.tar') ? 'tar' : 'zip';
      return { url: record.artifactUrl, extension, digest: record.checksums.find((c) => c.algorithm === 'sha1') ?? null };
    },
    sourceHosts: ARCHIVE_HOSTS,
  };
}
