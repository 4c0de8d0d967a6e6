import validateNpmPackageName from 'validate-npm-package-name';
import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import { npmVersioning } from '../../versioning/npm.js';
import { normalizeLicense } from '../common/license.js';
import { parsePeople, parsePerson } from '../common/person.js';
import { normalizeHttpUrl, normalizeRepositoryUrl, type RepositoryLinks } from '../common/repository.js';
import type {
  Checksum,
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
  packumentEnvelopeSchema,
  packumentMetaSchema,
  unpublishedSchema,
  versionManifestSchema,
  type NpmPackumentMeta,
  type NpmVersionManifest,
} from './schema.js';
import { describeIssues, isoTime, text } from '../common/fields.js';

/** The registry's own limit (validate-npm-package-name only warns about it, as older names may exceed it). */
const MAX_NAME_LENGTH = 214;
/** `time` keys that are not versions. */
const TIME_META_KEYS = new Set(['created', 'modified', 'unpublished']);

function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** Validates a client-given npm name; accepts `@scope%2fname` (the registry's path form) and decodes it. */
export function normalizeNpmName(input: string): string {
  let name = input.trim();
  if (/^(@|%40)/i.test(name)) name = name.replace(/^%40/i, '@').replace(/%2f/i, '/');
  // validate-npm-package-name calls encodeURIComponent, which throws a URIError on these.
  if (/\p{Surrogate}/u.test(name)) throw new InvalidInputError(`Invalid npm package name ${quoted(input)}: name contains an unpaired UTF-16 surrogate`, 'name');
  const result = validateNpmPackageName(name);
  if (!result.validForOldPackages) {
    const reasons = result.errors?.length ? result.errors.join('; ') : 'not a valid package name';
    throw new InvalidInputError(`Invalid npm package name ${quoted(input)}: ${reasons}`, 'name');
  }
  // Old packages may keep capitals or `~'!()*`, so legacy warnings are accepted; the length limit is not.
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidInputError(`Invalid npm package name ${quoted(input)}: name can no longer contain more than ${MAX_NAME_LENGTH} characters`, 'name');
  }
  return name;
}

/** Request path of a packument: the scope's slash is sent as `%2f` (`@babel%2fcore`), as npm itself does. */
export function npmPackagePath(name: string): string {
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    return `@${encodeURIComponent(name.slice(1, slash))}%2f${encodeURIComponent(name.slice(slash + 1))}`;
  }
  return encodeURIComponent(name);
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `npm registry answer for ${quoted(name)}: ${message}`, { ecosystem: 'npm', ...details }, cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers (pure)

function stringEntries(map: Record<string, unknown> | undefined): Array<[string, string]> {
  if (!map) return [];
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(map)) {
    if (key && typeof value === 'string') out.push([key, value.trim()]);
  }
  return out;
}

type LicenseFields = Pick<NpmVersionManifest, 'license' | 'licenses' | 'licence'>;

function licenseName(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const record = entry as { type?: unknown; name?: unknown };
    return text(record.type) ?? text(record.name);
  }
  return null;
}

function licenseList(entries: readonly unknown[], source: string): LicenseInfo | null {
  const names = entries.map(licenseName).filter((entry): entry is string => entry !== null);
  return normalizeLicense(names, source);
}

/**
 * `license` (string, the old `{type, url}` object, or the legacy list written under the singular key) wins over
 * the legacy `licenses` list.
 */
function licenseOf(doc: LicenseFields): LicenseInfo | null {
  if (Array.isArray(doc.license)) {
    const info = licenseList(doc.license, 'package.json#license');
    if (info) return info;
  } else {
    const declared = licenseName(doc.license);
    if (declared !== null) {
      const info = normalizeLicense(declared, 'package.json#license');
      if (info) return info;
    }
  }
  if (doc.licenses !== undefined) {
    const info = licenseList(Array.isArray(doc.licenses) ? doc.licenses : [doc.licenses], 'package.json#licenses');
    if (info) return info;
  }
  const british = licenseName(doc.licence);
  return british === null ? null : normalizeLicense(british, 'package.json#licence');
}

function keywordsOf(value: NpmVersionManifest['keywords']): string[] {
  const list = typeof value === 'string' ? value.split(/[\s,]+/) : (value ?? []);
  const out: string[] = [];
  for (const entry of list) {
    const keyword = entry.trim();
    if (keyword && !out.includes(keyword)) out.push(keyword);
  }
  return out;
}

function enginesOf(value: NpmVersionManifest['engines']): Record<string, string> {
  if (!value) return {};
  if (typeof value !== 'string' && !Array.isArray(value)) return Object.fromEntries(stringEntries(value));
  // Legacy `"node >= 0.3.0"` / `["node >=0.4"]`: a name, then its range; a bare name (`["node"]`) says nothing.
  const out: Record<string, string> = {};
  for (const entry of typeof value === 'string' ? [value] : value) {
    const match = typeof entry === 'string' ? /^\s*([a-z][\w.-]*)\s*([^a-z\s].*?)\s*$/i.exec(entry) : null;
    if (match && !(match[1]! in out)) out[match[1]!] = match[2]!;
  }
  return out;
}

/** A URL, or the first http(s) URL of the list some early publishes have. */
function homepageOf(value: NpmVersionManifest['homepage']): string | null {
  if (!Array.isArray(value)) return normalizeHttpUrl(value);
  for (const entry of value) {
    const url = normalizeHttpUrl(entry);
    if (url) return url;
  }
  return null;
}

function bugsUrl(bugs: NpmVersionManifest['bugs']): string | null {
  return normalizeHttpUrl(typeof bugs === 'string' ? bugs : bugs?.url);
}

/** `repository`, else the first of the CommonJS `repositories` list (as npm's normalize-package-data does). */
function repositoryOf(doc: Pick<NpmVersionManifest, 'repository' | 'repositories'>): RepositoryLinks | null {
  if (doc.repository !== undefined) return normalizeRepositoryUrl(doc.repository);
  const first = doc.repositories?.[0];
  return first === undefined ? null : normalizeRepositoryUrl(first);
}

/** The version's own links, each falling back to the packument's top level. */
function linksOf(manifest: NpmVersionManifest, meta: NpmPackumentMeta): Links {
  const ownRepo = repositoryOf(manifest);
  const topRepo = ownRepo ? null : repositoryOf(meta);
  return {
    repository: ownRepo?.url ?? topRepo?.url ?? null,
    homepage: homepageOf(manifest.homepage) ?? homepageOf(meta.homepage),
    documentation: null,
    changelog: null,
    issues: bugsUrl(manifest.bugs) ?? ownRepo?.issues ?? bugsUrl(meta.bugs) ?? topRepo?.issues ?? null,
  };
}

const DIGEST_BYTES: Record<string, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** `dist.integrity` (SRI, possibly several) and `dist.shasum` as lower-case hex, deduplicated. */
function checksumsOf(dist: NpmVersionManifest['dist']): Checksum[] {
  const out: Checksum[] = [];
  const add = (algorithm: string, value: string) => {
    if (!out.some((entry) => entry.algorithm === algorithm && entry.value === value)) out.push({ algorithm, value });
  };
  for (const token of dist?.integrity?.trim().split(/\s+/) ?? []) {
    const match = /^([a-z0-9]+)-([A-Za-z0-9+/_-]+={0,2})(?:\?.*)?$/i.exec(token);
    if (!match) continue;
    const algorithm = match[1]!.toLowerCase();
    const bytes = Buffer.from(match[2]!, 'base64');
    const expected = DIGEST_BYTES[algorithm];
    if (bytes.length === 0 || (expected !== undefined && bytes.length !== expected)) continue;
    add(algorithm, bytes.toString('hex'));
  }
  const shasum = dist?.shasum?.trim();
  if (shasum && /^[0-9a-f]{40}$/i.test(shasum)) add('sha1', shasum.toLowerCase());
  return out;
}

/**
 * npm copies optionalDependencies into dependencies at publish, so those are listed once, as OPTIONAL.
 * `bundleDependencies: true` bundles every runtime dependency.
 */
/** `"alias": "npm:real-name@^1"` installs `real-name`; any other spec installs the key's own name. */
function aliasTarget(name: string, constraint: string): string {
  const match = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)(?:@.*)?$/.exec(constraint.trim());
  return match ? match[1]! : name;
}

/**
 * `[name, range]` pairs of a dependency field. The legacy list / string forms are read as npm's normalize-package-data
 * reads them: `"a"` -> any version, `"a@1.2"` / `"a >=1"` -> that range.
 */
function dependencyEntries(value: NpmVersionManifest['dependencies']): Array<[string, string]> {
  if (value === undefined) return [];
  if (typeof value !== 'string' && !Array.isArray(value)) return stringEntries(value);
  const items = typeof value === 'string' ? value.trim().split(/[\s,]+/) : value.filter((entry): entry is string => typeof entry === 'string');
  const out: Array<[string, string]> = [];
  for (const item of items) {
    const match = /^(@?[^@\s><=]+)(.*)$/.exec(item.trim());
    if (!match) continue;
    const [, name = '', rest = ''] = match;
    const range = rest.trim().replace(/^@/, '').trim();
    if (!out.some(([seen]) => seen === name)) out.push([name, range || '*']);
  }
  return out;
}

function dependenciesOf(manifest: NpmVersionManifest): DependencyRecord[] {
  const bundleFields = [manifest.bundleDependencies, manifest.bundledDependencies];
  const bundleAll = bundleFields.includes(true);
  const bundledNames = new Set(bundleFields.flatMap((field) => (Array.isArray(field) ? field : [])));
  const isBundled = (name: string) => bundleAll || bundledNames.has(name);

  const out: DependencyRecord[] = [];
  const optional = dependencyEntries(manifest.optionalDependencies);
  const optionalNames = new Set(optional.map(([name]) => name));
  for (const [name, constraint] of dependencyEntries(manifest.dependencies)) {
    if (!optionalNames.has(name)) out.push({ name, packageName: aliasTarget(name, constraint), constraint, kind: 'RUNTIME', optional: false, bundled: isBundled(name) });
  }
  for (const [name, constraint] of optional) {
    out.push({ name, packageName: aliasTarget(name, constraint), constraint, kind: 'OPTIONAL', optional: true, bundled: isBundled(name) });
  }
  const peerMeta = manifest.peerDependenciesMeta ?? {};
  const peers = stringEntries(manifest.peerDependencies);
  const peerNames = new Set(peers.map(([name]) => name));
  for (const [name, constraint] of peers) {
    out.push({ name, packageName: aliasTarget(name, constraint), constraint, kind: 'PEER', optional: peerMeta[name]?.optional === true, bundled: false });
  }
  // A meta entry without a range declares an optional peer of any version.
  for (const [name, meta] of Object.entries(peerMeta)) {
    if (name && !peerNames.has(name) && meta.optional === true) out.push({ name, packageName: name, constraint: '*', kind: 'PEER', optional: true, bundled: false });
  }
  for (const [name, constraint] of dependencyEntries(manifest.devDependencies)) {
    out.push({ name, packageName: aliasTarget(name, constraint), constraint, kind: 'DEVELOPMENT', optional: false, bundled: false });
  }
  return out;
}

function sizeOf(dist: NpmVersionManifest['dist']): number | null {
  const size = dist?.unpackedSize;
  return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null;
}

function maintainersOf(manifest: NpmVersionManifest, meta: NpmPackumentMeta): Person[] {
  const own = parsePeople(manifest.maintainers);
  return own.length > 0 ? own : parsePeople(meta.maintainers);
}

function versionRecord(name: string, version: string, manifest: NpmVersionManifest, meta: NpmPackumentMeta, time: Map<string, string>): VersionRecord {
  const deprecatedMessage = typeof manifest.deprecated === 'string' && manifest.deprecated.trim() ? manifest.deprecated : null;
  return {
    ecosystem: 'npm',
    name,
    version,
    license: licenseOf(manifest),
    releaseDate: isoTime(time.get(version)),
    status: deprecatedMessage ? 'DEPRECATED' : 'ACTIVE',
    prerelease: npmVersioning.isPrerelease(version),
    deprecatedMessage,
    maintainers: maintainersOf(manifest, meta),
    author: parsePerson(manifest.author),
    dependencies: dependenciesOf(manifest),
    links: linksOf(manifest, meta),
    checksums: checksumsOf(manifest.dist),
    sizeBytes: sizeOf(manifest.dist),
    keywords: keywordsOf(manifest.keywords),
    description: text(manifest.description),
    engines: enginesOf(manifest.engines),
    artifactUrl: normalizeHttpUrl(manifest.dist?.tarball),
  };
}

function unpublishedRecord(name: string, version: string, time: Map<string, string>): VersionRecord {
  return {
    ecosystem: 'npm',
    name,
    version,
    license: null,
    releaseDate: isoTime(time.get(version)),
    status: 'UNPUBLISHED',
    prerelease: npmVersioning.isPrerelease(version),
    deprecatedMessage: null,
    maintainers: [],
    author: null,
    dependencies: [],
    links: { repository: null, homepage: null, documentation: null, changelog: null, issues: null },
    checksums: [],
    sizeBytes: null,
    keywords: [],
    description: null,
    engines: {},
    artifactUrl: null,
  };
}

/** Newest first: publish time descending (undated last), then version precedence descending. */
function sortNewestFirst(records: VersionRecord[]): VersionRecord[] {
  // Decorate once: parsing dates inside the comparator costs n log n parses on big packuments.
  const decorated = records.map((record) => ({ record, time: record.releaseDate ? Date.parse(record.releaseDate) : Number.NEGATIVE_INFINITY }));
  decorated.sort((a, b) => (a.time !== b.time ? (b.time > a.time ? 1 : -1) : npmVersioning.compare(b.record.version, a.record.version)));
  return decorated.map((entry) => entry.record);
}

function highest(versions: string[]): string | null {
  let best: string | null = null;
  for (const version of versions) if (best === null || npmVersioning.compare(version, best) > 0) best = version;
  return best;
}

/** dist-tags.latest when it names a published version, else the highest valid non-prerelease. */
function pickLatest(distTags: Record<string, string>, published: string[]): string | null {
  const tagged = distTags.latest;
  if (tagged !== undefined && published.includes(tagged)) return tagged;
  return highest(published.filter((version) => npmVersioning.isValid(version) && !npmVersioning.isPrerelease(version)));
}

function pickLatestPrerelease(latest: string | null, published: string[]): string | null {
  const candidates = published.filter(
    (version) => npmVersioning.isValid(version) && npmVersioning.isPrerelease(version) && (latest === null || npmVersioning.compare(version, latest) > 0),
  );
  return highest(candidates);
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

/** Pure: the split packument (see `fetch`) -> normalized records. */
export function normalizeNpmPackument(name: string, raw: RawDocument): NormalizedPackage {
  const meta = parseStored(packumentMetaSchema, raw.package, name, 'the packument');
  const manifests = new Map<string, NpmVersionManifest>();
  for (const [version, value] of Object.entries(raw.versions ?? {})) {
    // An empty key is no version (and has no blob or document key): upstream noise, dropped.
    if (version === '') continue;
    manifests.set(version, parseStored(versionManifestSchema, value, name, `version ${quoted(version)}`));
  }

  const time = new Map(stringEntries(meta.time));
  const unpublishedInfo = unpublishedSchema.safeParse(meta.time?.unpublished);
  const unpublished = unpublishedInfo.success ? unpublishedInfo.data : null;
  // A fully unpublished package is reported without versions (its `time` may still list the old ones).
  const fullyUnpublished = manifests.size === 0 && unpublished !== null;

  const records: VersionRecord[] = [];
  for (const [version, manifest] of manifests) records.push(versionRecord(name, version, manifest, meta, time));
  if (!fullyUnpublished) {
    for (const version of time.keys()) {
      if (!TIME_META_KEYS.has(version) && !manifests.has(version)) records.push(unpublishedRecord(name, version, time));
    }
  }
  const sorted = sortNewestFirst(records);

  const distTags = Object.fromEntries(stringEntries(meta['dist-tags']));
  const published = [...manifests.keys()];
  const latestVersion = pickLatest(distTags, published);
  const latestPrerelease = pickLatestPrerelease(latestVersion, published);
  const latestRecord = records.find((record) => record.version === latestVersion) ?? null;
  // Package-level fields come from the top level (public registry) or, on mirrors that drop it, from the latest manifest.
  const fallbackVersion = latestVersion ?? records.find((record) => record.status !== 'UNPUBLISHED')?.version ?? null;
  const fallback: NpmVersionManifest = (fallbackVersion !== null ? manifests.get(fallbackVersion) : undefined) ?? {};

  const topKeywords = keywordsOf(meta.keywords);
  const topMaintainers = parsePeople(meta.maintainers);
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();

  const pkg: PackageRecord = {
    ecosystem: 'npm',
    name,
    description: text(meta.description) ?? text(fallback.description) ?? text(unpublished?.description),
    homepage: homepageOf(meta.homepage) ?? homepageOf(fallback.homepage),
    repositoryUrl: repositoryOf(meta)?.url ?? repositoryOf(fallback)?.url ?? null,
    license: licenseOf(meta) ?? licenseOf(fallback),
    keywords: topKeywords.length > 0 ? topKeywords : keywordsOf(fallback.keywords),
    maintainers: topMaintainers.length > 0 ? topMaintainers : (latestRecord?.maintainers ?? parsePeople(unpublished?.maintainers)),
    deprecated: latestRecord?.status === 'DEPRECATED',
    deprecationMessage: latestRecord?.status === 'DEPRECATED' ? latestRecord.deprecatedMessage : null,
    latestVersion,
    latestPrerelease,
    distTags,
    versionCount: records.length,
    createdAt: isoTime(time.get('created')) ?? dates[0] ?? null,
    modifiedAt: isoTime(time.get('modified')) ?? isoTime(unpublished?.time) ?? dates.at(-1) ?? null,
  };
  return { package: pkg, versions: sorted };
}

export interface NpmAdapterOptions {
  /** Registry base URL, with or without a trailing slash (a path prefix is kept). */
  baseUrl: string;
}

export function createNpmAdapter(options: NpmAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function fetchPackument(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizeNpmName(requested);
    const url = `${baseUrl}/${npmPackagePath(name)}`;
    // Full packument on purpose: the abbreviated `application/vnd.npm.install-v1+json` form has no
    // time, license, repository or description, which the normalized records need.
    const response = await context.http.get('npm', url, { accept: 'application/json', conditional: context.conditional });
    if (response.kind === 'not-found') return { kind: 'not-found' };
    if (response.kind === 'not-modified') return { kind: 'not-modified', validators: response.validators };

    const details = { url, status: response.status };
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw invalid(name, 'body is not valid JSON', details, error);
    }
    const parsed = packumentEnvelopeSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, `not a packument (${describeIssues(parsed.error)})`, details);
    // A mirror answering with another package's document must not be stored under this name.
    if (parsed.data.name !== name) throw invalid(name, `packument is for ${quoted(parsed.data.name)}`, details);

    // Keep the document as sent (unknown keys, readme...), split so each version can be stored on its own.
    const { versions, ...rest } = json as Record<string, unknown>;
    const raw: RawDocument = { package: rest, versions: (versions ?? {}) as Record<string, unknown> };
    return { kind: 'ok', raw, validators: response.validators };
  }

  return {
    id: 'npm',
    purlType: 'npm',
    versioning: npmVersioning,
    normalizeName: normalizeNpmName,
    fetch: fetchPackument,
    normalize: normalizeNpmPackument,
    toPurlParts(name) {
      if (name.startsWith('@') && name.includes('/')) {
        const slash = name.indexOf('/');
        return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
      }
      return { namespace: null, name };
    },
    fromPurlParts(namespace, name) {
      if (!namespace) return name;
      return `${namespace.startsWith('@') ? namespace : `@${namespace}`}/${name}`;
    },
  };
}
