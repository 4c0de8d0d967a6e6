import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import type { GetResult } from '../../http/client.js';
import { cargoVersioning } from '../../versioning/cargo.js';
import { normalizeLicense } from '../common/license.js';
import { normalizeHttpUrl, normalizeRepositoryUrl } from '../common/repository.js';
import type {
  Checksum,
  DependencyKind,
  DependencyRecord,
  EcosystemAdapter,
  FetchContext,
  FetchResult,
  LicenseInfo,
  NormalizedPackage,
  PackageRecord,
  Person,
  RawDocument,
  SourceArchiveSpec,
  VersionRecord,
} from '../types.js';
import {
  apiCrateEnvelopeSchema,
  apiDependenciesSchema,
  apiVersionEnvelopeSchema,
  indexEntrySchema,
  rawPackageSchema,
  rawVersionSchema,
  type CargoApiCrateMeta,
  type CargoApiDependency,
  type CargoApiVersion,
  type CargoIndexDependency,
  type CargoRawVersion,
} from './schema.js';
import { describeIssues, isoTime, text } from '../common/fields.js';

/** crates.io's limit (`MAX_NAME_LENGTH`). */
const MAX_NAME_LENGTH = 64;
/** What the crates.io index's config.json says as `dl` (Cargo appends `/{crate}/{version}/download`). */
export const CRATES_IO_DOWNLOAD = 'https://static.crates.io/crates';
const DOWNLOAD_MARKERS = /\{(crate|version|prefix|lowerprefix|sha256-checksum)\}/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/**
 * Validates a client-given crate name with crates.io's rules (ASCII letters, digits, `-`, `_`; starts with a
 * letter; at most 64 characters) and returns it lower-cased: crates.io and the index treat names
 * case-insensitively, so `Serde` and `serde` are one stored package. `-` and `_` are kept as given (see README).
 */
export function normalizeCargoName(input: string): string {
  const name = input.trim();
  const fail = (reason: string) => new InvalidInputError(`Invalid crate name ${quoted(input)}: ${reason}`, 'name');
  if (!name) throw fail('name is empty');
  if (name.length > MAX_NAME_LENGTH) throw fail(`name can have at most ${MAX_NAME_LENGTH} characters`);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw fail('name can only contain ASCII letters, digits, `-` and `_`');
  if (!/^[A-Za-z]/.test(name)) throw fail('name must start with an ASCII letter');
  return name.toLowerCase();
}

/** The index directory of a name (Cargo's rule): `1/`, `2/`, `3/{c}/`, `{ab}/{cd}/`. */
export function cargoIndexPrefix(name: string): string {
  if (name.length <= 2) return String(name.length);
  if (name.length === 3) return `3/${name[0]}`;
  return `${name.slice(0, 2)}/${name.slice(2, 4)}`;
}

/** The index file of a crate, relative to the index base: the lower-cased name under its prefix. */
export function cargoIndexPath(name: string): string {
  const lower = name.toLowerCase();
  return `${cargoIndexPrefix(lower)}/${lower}`;
}

/**
 * The `.crate` URL from the index config's `dl` value: markers are replaced, and without markers Cargo appends
 * `/{crate}/{version}/download`. `+` (build metadata) is percent-encoded: S3-backed hosts read a raw `+` as a space.
 */
export function cargoDownloadUrl(template: string, crate: string, version: string, checksum: string | null): string | null {
  const encodedVersion = version.replace(/\+/g, '%2B');
  if (!DOWNLOAD_MARKERS.test(template)) return `${template.replace(/\/+$/, '')}/${crate}/${encodedVersion}/download`;
  if (template.includes('{sha256-checksum}') && !checksum) return null;
  return template
    .replaceAll('{crate}', crate)
    .replaceAll('{version}', encodedVersion)
    .replaceAll('{prefix}', cargoIndexPrefix(crate))
    .replaceAll('{lowerprefix}', cargoIndexPrefix(crate.toLowerCase()))
    .replaceAll('{sha256-checksum}', checksum ?? '');
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `crates.io answer for ${quoted(name)}: ${message}`, { ecosystem: 'cargo', ...details }, cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers (pure)

function sha256(value: unknown): string | null {
  const hex = text(value);
  return hex && SHA256_HEX.test(hex) ? hex.toLowerCase() : null;
}

/**
 * Cargo.toml `license` is an SPDX expression, but crates.io long accepted `/` for OR (`MIT/Apache-2.0`, still
 * on many old versions): it is read as OR; the declared value is kept as written.
 */
export function cargoLicense(value: unknown): LicenseInfo | null {
  const declared = text(value);
  if (!declared) return null;
  // Each `a/b` run is one choice: `MIT/Apache-2.0 AND BSD-2-Clause` is `(MIT OR Apache-2.0) AND BSD-2-Clause`.
  const runs = /[A-Za-z0-9.+-]+(?:\s*\/\s*[A-Za-z0-9.+-]+)+/g;
  const alone = new RegExp(`^${runs.source}$`);
  const expression = alone.test(declared)
    ? declared.split(/\s*\/\s*/).join(' OR ')
    : declared.replace(runs, (run) => `(${run.split(/\s*\/\s*/).join(' OR ')})`);
  const info = normalizeLicense(expression, 'Cargo.toml#license');
  return info ? { ...info, name: declared } : null;
}

const KINDS: Record<string, DependencyKind> = { normal: 'RUNTIME', dev: 'DEVELOPMENT', build: 'BUILD' };

/** `kind` absent or null means normal (index entries before 2017 omit it). */
function dependencyKind(kind: string | null | undefined): DependencyKind {
  return KINDS[kind ?? 'normal'] ?? 'RUNTIME';
}

/** Index dependency: `name` is the key the crate uses; a renamed one names the real crate in `package`. */
function fromIndexDependency(dep: CargoIndexDependency): DependencyRecord {
  return {
    name: dep.name, packageName: text(dep.package) ?? dep.name, constraint: dep.req, kind: dependencyKind(dep.kind), optional: dep.optional === true, bundled: false,
    target: text(dep.target) ?? null, features: dep.features ?? [], defaultFeatures: dep.default_features !== false,
  };
}

/** API dependency (API-only versions): only the real crate is known, so both names are `crate_id`. */
function fromApiDependency(dep: CargoApiDependency): DependencyRecord {
  return { name: dep.crate_id, packageName: dep.crate_id, constraint: dep.req, kind: dependencyKind(dep.kind), optional: dep.optional === true, bundled: false };
}

/**
 * Merged feature map of an index entry: `features` plus the v2 `features2` (`dep:x`, `x?/feat` syntax). A name in
 * both keeps the values of both, as Cargo merges them (`entry().or_default().extend()`), not only `features2`'s.
 */
export function cargoFeatures(entry: Pick<NonNullable<CargoRawVersion['index']>, 'features' | 'features2'>): Record<string, string[]> {
  const merged = new Map<string, string[]>();
  for (const map of [entry.features ?? {}, entry.features2 ?? {}]) {
    for (const [feature, values] of Object.entries(map)) merged.set(feature, [...(merged.get(feature) ?? []), ...values]);
  }
  return Object.fromEntries(merged);
}

function publisher(user: CargoApiVersion['published_by']): Person[] {
  if (!user) return [];
  const name = text(user.name) ?? text(user.login);
  const url = normalizeHttpUrl(user.url);
  return name || url ? [{ name, email: null, url }] : [];
}

function keywordsOf(api: CargoApiCrateMeta | null): string[] {
  const out: string[] = [];
  const add = (value: unknown) => {
    const keyword = text(value);
    if (keyword && !out.includes(keyword)) out.push(keyword);
  };
  // The crate's own keyword ids; the top-level `keywords` objects when the crate object has none.
  for (const id of api?.crate.keywords ?? []) add(id);
  if (out.length === 0) for (const entry of api?.keywords ?? []) add(entry.keyword ?? entry.id);
  return out;
}

function sizeOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

function versionRecord(name: string, version: string, part: CargoRawVersion, api: CargoApiCrateMeta | null, keywords: string[], downloadTemplate: string): VersionRecord {
  const { index, api: apiVersion } = part;
  const crate = api?.crate ?? null;
  const yanked = index ? index.yanked === true : apiVersion?.yanked === true;
  const checksum = sha256(index?.cksum) ?? sha256(apiVersion?.checksum);
  // Index versions carry their dependencies; API-only ones get them from versionDetails (once attached).
  const apiDependencies = part.dependencies?.filter((dep): dep is CargoApiDependency => dep !== null);
  const dependencies = index ? index.deps.map(fromIndexDependency) : (apiDependencies?.map(fromApiDependency) ?? []);
  const rustVersion = text(index?.rust_version) ?? text(apiVersion?.rust_version);
  const repository = normalizeRepositoryUrl(text(apiVersion?.repository) ?? text(crate?.repository));
  // The download URL uses the crate's real spelling (`Inflector`, not the lower-cased key).
  const realName = text(index?.name) ?? text(apiVersion?.crate) ?? text(crate?.name) ?? name;
  const checksums: Checksum[] = checksum ? [{ algorithm: 'sha256', value: checksum }] : [];
  const record: VersionRecord = {
    ecosystem: 'cargo',
    name,
    version,
    license: cargoLicense(apiVersion?.license),
    releaseDate: isoTime(index?.pubtime) ?? isoTime(apiVersion?.created_at),
    status: yanked ? 'YANKED' : 'ACTIVE',
    prerelease: cargoVersioning.isPrerelease(version),
    // crates.io's yank message is the only withdrawal note it has.
    deprecatedMessage: yanked ? text(apiVersion?.yank_message) : null,
    maintainers: publisher(apiVersion?.published_by),
    author: null,
    dependencies,
    links: {
      repository: repository?.url ?? null,
      homepage: normalizeHttpUrl(apiVersion?.homepage) ?? normalizeHttpUrl(crate?.homepage),
      documentation: normalizeHttpUrl(apiVersion?.documentation) ?? normalizeHttpUrl(crate?.documentation),
      changelog: null,
      issues: repository?.issues ?? null,
    },
    checksums,
    sizeBytes: sizeOf(apiVersion?.crate_size),
    keywords,
    description: text(apiVersion?.description) ?? text(crate?.description),
    engines: rustVersion ? { rust: rustVersion } : {},
    artifactUrl: cargoDownloadUrl(downloadTemplate, realName, version, checksum),
    ...(index ? { features: cargoFeatures(index) } : {}),
  };
  if (!index && apiDependencies === undefined) record.detailsPending = true;
  return record;
}

function highest(records: VersionRecord[]): VersionRecord | null {
  let best: VersionRecord | null = null;
  for (const record of records) if (best === null || cargoVersioning.compare(record.version, best.version) > 0) best = record;
  return best;
}

/** crates.io's `default_version` when it is a stable, unyanked version here; else the highest such version. */
function pickLatest(records: VersionRecord[], crate: CargoApiCrateMeta['crate'] | null): VersionRecord | null {
  const eligible = records.filter((record) => record.status === 'ACTIVE' && !record.prerelease && cargoVersioning.isValid(record.version));
  const preferred = text(crate?.default_version) ?? text(crate?.max_stable_version);
  return eligible.find((record) => record.version === preferred) ?? highest(eligible);
}

export interface CargoNormalizeOptions {
  /** The index config's `dl` value (see cargoDownloadUrl). */
  downloadUrl?: string;
}

/** Pure: the raw document `fetch` builds (or the stored one) -> normalized records. */
export function normalizeCargoCrate(name: string, raw: RawDocument, options: CargoNormalizeOptions = {}): NormalizedPackage {
  const template = options.downloadUrl ?? CRATES_IO_DOWNLOAD;
  const { api } = parseStored(rawPackageSchema, raw.package, name, 'the crate document');
  const crate = api?.crate ?? null;
  const keywords = keywordsOf(api);
  const records: VersionRecord[] = [];
  for (const [version, value] of Object.entries(raw.versions ?? {})) {
    records.push(versionRecord(name, version, parseStored(rawVersionSchema, value, name, `version ${quoted(version)}`), api, keywords, template));
  }
  records.sort((a, b) => cargoVersioning.compare(b.version, a.version));

  const latest = pickLatest(records, crate);
  const prereleases = records.filter(
    (record) => record.status === 'ACTIVE' && record.prerelease && cargoVersioning.isValid(record.version) && (latest === null || cargoVersioning.compare(record.version, latest.version) > 0),
  );
  const latestPrerelease = highest(prereleases);
  // Package-level fields the API does not give come from the latest version (else the newest one).
  const reference = latest ?? records[0] ?? null;
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();

  const pkg: PackageRecord = {
    ecosystem: 'cargo',
    name,
    description: text(crate?.description) ?? reference?.description ?? null,
    homepage: normalizeHttpUrl(crate?.homepage) ?? reference?.links.homepage ?? null,
    repositoryUrl: normalizeRepositoryUrl(text(crate?.repository))?.url ?? reference?.links.repository ?? null,
    license: reference?.license ?? null,
    keywords,
    maintainers: reference?.maintainers ?? [],
    // crates.io has no deprecation; yanking is per version.
    deprecated: false,
    deprecationMessage: null,
    latestVersion: latest?.version ?? null,
    latestPrerelease: latestPrerelease?.version ?? null,
    distTags: {},
    versionCount: records.length,
    createdAt: isoTime(crate?.created_at) ?? dates[0] ?? null,
    modifiedAt: isoTime(crate?.updated_at) ?? dates.at(-1) ?? null,
    // The crate's own spelling (`Inflector`): OSV matches crate names case-sensitively.
    displayName: text(crate?.name) ?? null,
    // All-time count from the API (null when only the index answered).
    downloads: crate?.downloads ?? null,
  };
  return { package: pkg, versions: records };
}

export interface CargoAdapterOptions {
  /** crates.io web API base URL (`config.upstreams.cargo.baseUrl`). */
  baseUrl: string;
  /** Sparse index base URL (`config.extraUpstreams.cargoIndex.baseUrl`). */
  indexUrl: string;
  /** The index config's `dl` value; defaults to crates.io's (see README: why config.json is not read). */
  downloadUrl?: string;
}

function parseJson(body: Buffer): unknown {
  return JSON.parse(body.toString('utf8')) as unknown;
}

export function createCargoAdapter(options: CargoAdapterOptions): EcosystemAdapter {
  const apiBase = options.baseUrl.replace(/\/+$/, '');
  const indexBase = options.indexUrl.replace(/\/+$/, '');
  const downloadTemplate = options.downloadUrl ?? CRATES_IO_DOWNLOAD;
  const downloadHost = new URL(downloadTemplate.replace(/\{[^}]*\}/g, 'x')).host;

  /**
   * Index file -> its entries as sent. A line that is not a JSON entry of this crate is skipped, as Cargo skips
   * index lines it cannot parse (one odd version must not hide the others); a non-empty file with no usable
   * line at all is not an index file (an error page, another crate's file) and is UPSTREAM_INVALID.
   */
  function parseIndex(name: string, response: Extract<GetResult, { kind: 'ok' }>, url: string): Record<string, unknown>[] {
    const details = { url, status: response.status };
    const entries: Record<string, unknown>[] = [];
    let firstProblem: string | null = null;
    const lines = response.body.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        firstProblem ??= `index line ${i + 1} is not JSON`;
        continue;
      }
      const parsed = indexEntrySchema.safeParse(json);
      if (!parsed.success) {
        firstProblem ??= `index line ${i + 1} is not an index entry (${describeIssues(parsed.error)})`;
        continue;
      }
      if (parsed.data.name.toLowerCase() !== name) {
        firstProblem ??= `index file lists ${quoted(parsed.data.name)}`;
        continue;
      }
      entries.push(json as Record<string, unknown>);
    }
    if (entries.length === 0 && firstProblem !== null) throw invalid(name, firstProblem, details);
    return entries;
  }

  function parseApi(name: string, response: Extract<GetResult, { kind: 'ok' }>, url: string): { meta: Record<string, unknown>; crateName: string; versions: Record<string, unknown>[] } {
    const details = { url, status: response.status };
    let json: unknown;
    try {
      json = parseJson(response.body);
    } catch (error) {
      throw invalid(name, 'API body is not valid JSON', details, error);
    }
    const parsed = apiCrateEnvelopeSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, `not a crate answer (${describeIssues(parsed.error)})`, details);
    const { versions, ...meta } = json as Record<string, unknown>;
    // A version entry without a usable `num` is left out rather than failing the crate.
    const usable = (Array.isArray(versions) ? versions : []).filter((entry): entry is Record<string, unknown> => apiVersionEnvelopeSchema.safeParse(entry).success);
    return { meta, crateName: parsed.data.crate.name, versions: usable };
  }

  async function fetchCrate(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizeCargoName(requested);
    const indexUrl = `${indexBase}/${cargoIndexPath(name)}`;
    // versions (license, dates, sizes, publisher per version) and keywords; not categories, badges or downloads.
    const apiUrl = `${apiBase}/api/v1/crates/${encodeURIComponent(name)}?include=versions,keywords`;
    const getIndex = () => context.http.get('cargo-index', indexUrl, { accept: 'text/plain, application/json;q=0.9, */*;q=0.1', conditional: context.conditional });
    const getApi = () => context.http.get('cargo', apiUrl, { accept: 'application/json' });

    let indexAnswer: GetResult;
    let apiAnswer: GetResult;
    if (context.conditional?.etag || context.conditional?.lastModified) {
      // Revalidation: every publish and yank rewrites the index file, so an unchanged index means an unchanged
      // crate (bar download counts) and the API, rate-limited to 1 request/s, is not asked at all.
      indexAnswer = await getIndex();
      if (indexAnswer.kind === 'not-modified') return { kind: 'not-modified', validators: indexAnswer.validators };
      apiAnswer = await getApi();
    } else {
      [indexAnswer, apiAnswer] = await Promise.all([getIndex(), getApi()]);
      if (indexAnswer.kind === 'not-modified') return { kind: 'not-modified', validators: indexAnswer.validators };
    }

    const entries = indexAnswer.kind === 'ok' ? parseIndex(name, indexAnswer, indexUrl) : [];
    const api = apiAnswer.kind === 'ok' ? parseApi(name, apiAnswer, apiUrl) : null;
    const apiByNum = new Map(api?.versions.map((version) => [String(version.num), version]));

    if (entries.length > 0) {
      if (api && api.crateName.toLowerCase() !== name) throw invalid(name, `the API answered for ${quoted(api.crateName)}`, { url: apiUrl });
      const versions: Record<string, unknown> = {};
      for (const entry of entries) {
        const vers = String(entry.vers);
        versions[vers] = { index: entry, api: apiByNum.get(vers) ?? null };
      }
      const validators = indexAnswer.kind === 'ok' ? indexAnswer.validators : { etag: null, lastModified: null };
      return { kind: 'ok', raw: { package: { api: api?.meta ?? null }, versions }, validators };
    }
    // Not in the index. The API resolves `-`/`_` and case variants to the real crate: such a variant is not
    // this crate's name (Cargo would not find it either), so it is not-found rather than a second copy.
    if (!api || api.crateName.toLowerCase() !== name || api.versions.length === 0) return { kind: 'not-found' };
    // Known to the API only (published seconds ago, or an index mirror that lags): versions from the API,
    // dependencies fetched per version on demand (versionDetails).
    const versions: Record<string, unknown> = {};
    for (const [num, version] of apiByNum) versions[num] = { index: null, api: version };
    return { kind: 'ok', raw: { package: { api: api.meta }, versions }, validators: { etag: null, lastModified: null } };
  }

  return {
    id: 'cargo',
    purlType: 'cargo',
    versioning: cargoVersioning,
    normalizeName: normalizeCargoName,
    fetch: fetchCrate,
    normalize: (name, raw) => normalizeCargoCrate(name, raw, { downloadUrl: downloadTemplate }),
    toPurlParts: (name) => ({ namespace: null, name }),
    fromPurlParts: (_namespace, name) => name,
    versionDetails: {
      async fetch(name, version, context) {
        const url = `${apiBase}/api/v1/crates/${encodeURIComponent(name)}/${encodeURIComponent(version)}/dependencies`;
        const response = await context.http.get('cargo', url, { accept: 'application/json' });
        if (response.kind !== 'ok') return { kind: 'not-found' };
        let json: unknown;
        try {
          json = parseJson(response.body);
        } catch (error) {
          throw invalid(name, `dependencies of ${quoted(version)}: body is not valid JSON`, { url, status: response.status }, error);
        }
        const parsed = apiDependenciesSchema.safeParse(json);
        if (!parsed.success) throw invalid(name, `dependencies of ${quoted(version)}: unexpected shape (${describeIssues(parsed.error)})`, { url, status: response.status });
        return { kind: 'ok', raw: (json as { dependencies: unknown[] }).dependencies };
      },
      // No answer (404) still settles the version: it then has no dependencies we can know.
      attach: (rawVersion, details) => ({ ...(rawVersion as Record<string, unknown>), dependencies: Array.isArray(details) ? details : [] }),
    },
    sourceArchive(record): SourceArchiveSpec | null {
      if (!record.artifactUrl) return null;
      return { url: record.artifactUrl, extension: 'crate', digest: record.checksums.find((c) => c.algorithm === 'sha256') ?? null };
    },
    sourceHosts: [downloadHost],
    // static.crates.io is a CDN outside the crawler policy: downloads share the sparse index's limiter, not the API's 1 req/s.
    sourceUpstream: 'cargo-index',
  };
}
