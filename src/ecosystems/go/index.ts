import type { z } from 'zod';
import { UpstreamError } from '../../errors.js';
import type { GetResult } from '../../http/client.js';
import { goModuleCanonical, goVersioning, isCanonicalModuleVersion, pseudoVersionTime } from '../../versioning/go.js';
import { normalizeLicense } from '../common/license.js';
import type {
  Checksum,
  DependencyRecord,
  DetailsResult,
  EcosystemAdapter,
  FetchContext,
  FetchResult,
  LicenseInfo,
  NormalizedPackage,
  PackageRecord,
  RawDocument,
  VersionDetailsSupport,
  VersionRecord,
} from '../types.js';
import { detectLicense } from './license-text.js';
import { parseGoMod, type GoModFile } from './modfile.js';
import { escapeModulePath, escapeModuleVersion, matchesPathMajor, normalizeModulePath } from './module-path.js';
import { readmeDescription } from './readme.js';
import { moduleLinks } from './repository.js';
import {
  infoSchema,
  packageRawSchema,
  versionRawSchema,
  zipSummarySchema,
  type GoInfo,
  type GoPackageRaw,
  type GoVersionRaw,
  type ZipSummary,
} from './schema.js';
import { isSynthesizedGoMod, parseVersionList, queryLatest, retractionOf } from './versions.js';
import { summarizeModuleZip, ZipError } from './zip.js';
import { describeIssues } from '../common/fields.js';

export { normalizeModulePath } from './module-path.js';

function quoted(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `Go module proxy answer for ${quoted(name)}: ${message}`, { ecosystem: 'go', ...details }, cause === undefined ? undefined : { cause });
}

function isoTime(value: string | undefined | null): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Text payloads are UTF-8; a NUL byte means the proxy sent something else (an archive, an error page image...). */
function textBody(name: string, body: Buffer, url: string, what: string): string {
  const text = body.toString('utf8');
  if (text.includes('\u0000')) throw invalid(name, `${what} is not text`, { url, status: 200 });
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalization (pure)

const modCache = new Map<string, GoModFile>();

/** go.mod texts repeat across versions and renormalizations: parse each distinct text once. */
function parsedMod(text: string): GoModFile {
  let parsed = modCache.get(text);
  if (!parsed) {
    if (modCache.size >= 1_000) modCache.clear();
    parsed = parseGoMod(text);
    modCache.set(text, parsed);
  }
  return parsed;
}

/** One record per required module; a path listed twice keeps the higher version (what MVS would select). */
function dependenciesOf(mod: GoModFile | null): DependencyRecord[] {
  if (!mod) return [];
  const byPath = new Map<string, { version: string; indirect: boolean }>();
  for (const require of mod.require) {
    const seen = byPath.get(require.path);
    if (!seen) byPath.set(require.path, { version: require.version, indirect: require.indirect });
    else byPath.set(require.path, { version: goVersioning.compare(require.version, seen.version) > 0 ? require.version : seen.version, indirect: seen.indirect && require.indirect });
  }
  // `// indirect` requirements are requirements too (module graph pruning lists them since go 1.17): RUNTIME, marked.
  return [...byPath].map(([path, { version, indirect }]) => ({ name: path, packageName: path, constraint: version, kind: 'RUNTIME', optional: false, bundled: false, indirect }));
}

function enginesOf(mod: GoModFile | null): Record<string, string> {
  const engines: Record<string, string> = {};
  if (mod?.go) engines.go = mod.go;
  if (mod?.toolchain) engines.toolchain = mod.toolchain;
  return engines;
}

function firstLine(text: string): string | null {
  const line = text.split(/\r?\n/).map((entry) => entry.trim()).find((entry) => entry !== '');
  return line ? line.slice(0, 120) : null;
}

function wrap(id: string): string {
  return /\s(AND|OR)\s/.test(id) ? `(${id})` : id;
}

/**
 * The license files of the module root, classified by text. Several recognized licenses all apply (AND),
 * except the `LICENSE-MIT` + `LICENSE-APACHE` convention, which offers a choice (OR). COPYING (GPL) next to
 * COPYING.LESSER (LGPL) is the LGPL, which incorporates the GPL's text.
 */
export function licenseOfFiles(files: Array<{ name: string; text: string }>): LicenseInfo | null {
  if (files.length === 0) return null;
  const source = `module zip: ${files.map((file) => file.name).join(', ')}`;
  const detected = files.map((file) => ({ name: file.name, id: detectLicense(file.text) }));
  let ids = [...new Set(detected.map((entry) => entry.id).filter((id): id is string => id !== null))];
  if (ids.some((id) => id.startsWith('LGPL-'))) ids = ids.filter((id) => !id.startsWith('GPL-'));
  if (ids.length === 0) return { spdx: null, name: firstLine(files[0]!.text), source };
  const recognized = detected.filter((entry) => entry.id !== null);
  const choice = ids.length > 1 && recognized.every((entry) => /^LICEN[CS]E[-_]/i.test(entry.name));
  return normalizeLicense(ids.map(wrap).join(choice ? ' OR ' : ' AND '), source);
}

function zipSummary(raw: GoVersionRaw): ZipSummary | null {
  const parsed = zipSummarySchema.safeParse(raw.zip);
  return parsed.success ? parsed.data : null;
}

function checksumsOf(zip: ZipSummary | null): Checksum[] {
  if (!zip) return [];
  const out: Checksum[] = [];
  if (/^[0-9a-f]{64}$/.test(zip.sha256)) out.push({ algorithm: 'sha256', value: zip.sha256 });
  if (zip.h1 && /^[0-9a-f]{64}$/.test(zip.h1)) out.push({ algorithm: 'h1', value: zip.h1 });
  return out;
}

interface ModuleContext {
  path: string;
  baseUrl: string;
  pkg: GoPackageRaw;
  sourceMod: GoModFile | null;
  /** Origin URL of the source version (repository for vanity paths before a version's own .info is known). */
  sourceOrigin: string | null;
}

function versionRecord(ctx: ModuleContext, version: string, raw: GoVersionRaw): VersionRecord {
  const { path, pkg, sourceMod } = ctx;
  const info: GoInfo | null = raw.info ?? pkg.infos[version] ?? (pkg.latest?.Version === version ? pkg.latest : null);
  // The details' own answers first; the package fetch's when the details had none (or are not fetched yet).
  const modText = raw.mod ?? pkg.mods[version];
  const mod = typeof modText === 'string' ? parsedMod(modText) : null;
  const zip = zipSummary(raw);
  const retraction = sourceMod ? retractionOf(version, sourceMod.retract) : null;
  // An empty "Deprecated:" paragraph does not deprecate (the go command checks for a message).
  const deprecation = sourceMod?.deprecated || null;
  const links = moduleLinks(path, info?.Origin?.URL ?? ctx.sourceOrigin);
  const detailsFetched = raw.zip !== undefined || raw.missing === true;
  const record: VersionRecord = {
    ecosystem: 'go',
    name: path,
    version,
    license: zip ? licenseOfFiles(zip.licenseFiles) : null,
    releaseDate: isoTime(info?.Time) ?? pseudoVersionTime(version),
    status: retraction ? 'RETRACTED' : deprecation !== null ? 'DEPRECATED' : 'ACTIVE',
    prerelease: goVersioning.isPrerelease(version),
    deprecatedMessage: retraction ? retraction.rationale || null : deprecation,
    maintainers: [],
    author: null,
    dependencies: dependenciesOf(mod),
    links: {
      repository: links.repository,
      homepage: links.mirror,
      documentation: `https://pkg.go.dev/${path}@${version}`,
      changelog: null,
      issues: links.issues,
    },
    checksums: checksumsOf(zip),
    sizeBytes: zip ? zip.unpackedSize : null,
    keywords: [],
    description: zip?.readme ? readmeDescription(zip.readme.text) : null,
    engines: enginesOf(mod),
    artifactUrl: `${ctx.baseUrl}/${escapeModulePath(path)}/@v/${escapeModuleVersion(version)}.zip`,
  };
  if (!detailsFetched) record.detailsPending = true;
  return record;
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

/** Does the go.mod of `version` (when fetched) contain more than the proxy's synthesized `module` line? */
function goModPresence(path: string, mods: Record<string, string | null>) {
  return (version: string): boolean | null => {
    if (!(version in mods)) return null;
    const text = mods[version];
    return typeof text === 'string' && !isSynthesizedGoMod(path, text);
  };
}

/** Pure: the stored raw document (see `fetch`) -> normalized records. */
export function normalizeGoModule(name: string, raw: RawDocument, baseUrl: string): NormalizedPackage {
  const pkg = parseStored(packageRawSchema, raw.package, name, 'the stored module document');
  const path = pkg.module;
  const list = parseVersionList(path, pkg.list);
  const sourceModText = pkg.source !== null ? pkg.mods[pkg.source] : undefined;
  const sourceMod = typeof sourceModText === 'string' ? parsedMod(sourceModText) : null;
  const sourceInfo = pkg.source !== null ? (pkg.infos[pkg.source] ?? (pkg.latest?.Version === pkg.source ? pkg.latest : null)) : null;
  const ctx: ModuleContext = { path, baseUrl, pkg, sourceMod, sourceOrigin: sourceInfo?.Origin?.URL ?? null };

  const all = new Set([...list.tagged, ...list.pseudo]);
  const latestAnswer = pkg.latest?.Version;
  if (latestAnswer && isCanonicalModuleVersion(latestAnswer) && matchesPathMajor(path, latestAnswer)) all.add(latestAnswer);
  const versions = [...all].sort((a, b) => goVersioning.compare(b, a));

  const records = versions.map((version) => {
    const value = raw.versions?.[version] ?? { version };
    return versionRecord(ctx, version, parseStored(versionRawSchema, value, name, `version ${quoted(version)}`));
  });

  // Go's @latest with retractions applied; a go.mod probe the fetch did not need counts as "has go.mod".
  const retracts = sourceMod?.retract ?? [];
  const notRetracted = (version: string) => retractionOf(version, retracts) === null;
  const presence = goModPresence(path, pkg.mods);
  const query = queryLatest(list.tagged, notRetracted, (version) => presence(version) ?? true);
  let latestVersion = query.latest;
  if (latestVersion === null && list.tagged.length === 0 && latestAnswer && all.has(latestAnswer) && notRetracted(latestAnswer)) latestVersion = latestAnswer;
  const latestRecord = records.find((record) => record.version === latestVersion) ?? null;
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();
  const oldest = records.at(-1);
  const deprecation = sourceMod?.deprecated || null;

  const record: PackageRecord = {
    ecosystem: 'go',
    name: path,
    description: latestRecord?.description ?? null,
    homepage: latestRecord?.links.homepage ?? moduleLinks(path, ctx.sourceOrigin).mirror,
    repositoryUrl: latestRecord?.links.repository ?? moduleLinks(path, ctx.sourceOrigin).repository,
    license: latestRecord?.license ?? null,
    keywords: [],
    maintainers: [],
    deprecated: deprecation !== null,
    deprecationMessage: deprecation,
    latestVersion,
    latestPrerelease: query.latestPrerelease,
    distTags: latestVersion ? { latest: latestVersion } : {},
    versionCount: records.length,
    createdAt: oldest?.releaseDate ?? null,
    modifiedAt: dates.at(-1) ?? null,
  };
  return { package: record, versions: records };
}

/**
 * The details part of a stored raw version (for carrying it over a package refetch: module versions are
 * immutable, so their .info/.mod/zip never need a second download). `{details: null}` = the proxy had none.
 */
export function storedGoDetails(rawVersion: unknown): { details: unknown } | null {
  const parsed = versionRawSchema.safeParse(rawVersion);
  if (!parsed.success) return null;
  if (parsed.data.missing === true) return { details: null };
  if (parsed.data.zip === undefined) return null;
  return { details: { info: parsed.data.info ?? null, mod: parsed.data.mod ?? null, zip: parsed.data.zip } };
}

/** A client-given version in the module's canonical spelling: `1.2.3` -> `v1.2.3`, `v1.2` -> `v1.2.0`; else as given. */
export function normalizeGoVersion(input: string): string {
  const version = input.trim();
  const prefixed = /^\d/.test(version) ? `v${version}` : version;
  return goModuleCanonical(prefixed) || version;
}

// ---------------------------------------------------------------------------------------------------------------
// Fetch

export interface GoAdapterOptions {
  /** Module proxy base URL (GOPROXY form), with or without a trailing slash (a path prefix is kept). */
  baseUrl: string;
}

/** Sent back when the stored copy must not be revalidated with a conditional request. */
const NO_VALIDATORS = { etag: null, lastModified: null };

export function createGoAdapter(options: GoAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const moduleUrl = (path: string) => `${baseUrl}/${escapeModulePath(path)}`;
  const fileUrl = (path: string, version: string, ext: 'info' | 'mod' | 'zip') => `${moduleUrl(path)}/@v/${escapeModuleVersion(version)}.${ext}`;

  function parseInfo(name: string, response: Extract<GetResult, { kind: 'ok' }>, url: string, expected: string | null): GoInfo {
    const details = { url, status: response.status };
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw invalid(name, 'version info is not valid JSON', details, error);
    }
    const parsed = infoSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, `not a version info (${describeIssues(parsed.error)})`, details);
    // The protocol: for a canonical version the answer's Version must be the same.
    if (expected !== null && parsed.data.Version !== expected) throw invalid(name, `info for ${quoted(expected)} names version ${quoted(parsed.data.Version)}`, details);
    return parsed.data;
  }

  async function getInfo(path: string, version: string, context: FetchContext): Promise<GoInfo | null> {
    const url = fileUrl(path, version, 'info');
    const response = await context.http.get('go', url, { accept: 'application/json' });
    if (response.kind !== 'ok') return null;
    return parseInfo(path, response, url, version);
  }

  /** The `.mod` text, or null on 404/410; a body that is not a go.mod at all is UPSTREAM_INVALID. */
  async function getMod(path: string, version: string, context: FetchContext): Promise<string | null> {
    const url = fileUrl(path, version, 'mod');
    const response = await context.http.get('go', url, { accept: 'text/plain' });
    if (response.kind !== 'ok') return null;
    const text = textBody(path, response.body, url, 'go.mod');
    const parsed = parseGoMod(text);
    if (parsed.module === null) throw invalid(path, `go.mod of ${version} has no module directive${parsed.errors[0] ? ` (${parsed.errors[0]})` : ''}`, { url, status: response.status });
    return text;
  }

  /** Module zip summary; a lasting problem (over the size cap, not a zip) is kept as `{error}` instead of failing. */
  async function getZip(path: string, version: string, context: FetchContext): Promise<ZipSummary | { error: string } | null> {
    const url = fileUrl(path, version, 'zip');
    let response: GetResult;
    try {
      response = await context.http.get('go', url, { accept: 'application/zip' });
    } catch (error) {
      if (error instanceof UpstreamError && error.code === 'UPSTREAM_INVALID') return { error: error.message };
      throw error;
    }
    if (response.kind !== 'ok') return null;
    try {
      return summarizeModuleZip(path, version, response.body);
    } catch (error) {
      if (error instanceof ZipError) return { error: error.message };
      throw error;
    }
  }

  async function fetchModule(requested: string, context: FetchContext): Promise<FetchResult> {
    const path = normalizeModulePath(requested);
    const listUrl = `${moduleUrl(path)}/@v/list`;
    const listed = await context.http.get('go', listUrl, { accept: 'text/plain', conditional: context.conditional });
    if (listed.kind === 'not-found') return { kind: 'not-found' };
    if (listed.kind === 'not-modified') return { kind: 'not-modified', validators: listed.validators };
    const listText = textBody(path, listed.body, listUrl, 'version list');
    const list = parseVersionList(path, listText);
    // Lines that are no versions at all, and nothing else: an error page served with 200, not a version list.
    if (list.tagged.length === 0 && list.pseudo.length === 0 && list.ignored === 0 && list.garbage > 0) {
      throw invalid(path, `version list has ${list.garbage} line(s) and none is a version`, { url: listUrl, status: listed.status });
    }

    const infos: Record<string, GoInfo> = {};
    const mods: Record<string, string | null> = {};
    let latest: GoInfo | null = null;
    let source: string | null = null;

    if (list.tagged.length > 0) {
      // Go's latest ignoring retractions: its go.mod lists the retractions. +incompatible versions may need
      // one more go.mod (the highest compatible version's) to decide whether they count.
      const presence = goModPresence(path, mods);
      let query = queryLatest(list.tagged, () => true, presence);
      if (query.needsGoModOf !== null) {
        mods[query.needsGoModOf] = await getMod(path, query.needsGoModOf, context);
        query = queryLatest(list.tagged, () => true, presence);
      }
      source = query.latest;
    } else {
      // No tags: the proxy's @latest names the newest commit's pseudo-version (https://go.dev/ref/mod#goproxy-protocol).
      const url = `${moduleUrl(path)}/@latest`;
      const answer = await context.http.get('go', url, { accept: 'application/json' });
      if (answer.kind === 'ok') {
        latest = parseInfo(path, answer, url, null);
        if (!isCanonicalModuleVersion(latest.Version) || !matchesPathMajor(path, latest.Version)) {
          throw invalid(path, `@latest names ${quoted(latest.Version)}, not a version of this module`, { url, status: answer.status });
        }
        source = latest.Version;
      } else if (list.pseudo.length === 0) {
        return { kind: 'not-found' };
      } else {
        source = list.pseudo.at(-1)!;
      }
    }

    if (source !== null) {
      const [info, mod] = await Promise.all([
        latest?.Version === source ? Promise.resolve(null) : getInfo(path, source, context),
        source in mods ? Promise.resolve(mods[source] ?? null) : getMod(path, source, context),
      ]);
      if (info) infos[source] = info;
      mods[source] = mod;
    }

    const pkg: GoPackageRaw = { module: path, list: listText, latest, source, infos, mods };
    const versions: Record<string, unknown> = {};
    for (const version of [...list.tagged, ...list.pseudo]) versions[version] = { version };
    if (latest) versions[latest.Version] = { version: latest.Version };
    // With no tags the list stays empty while new commits move @latest: never let a 304 on the list hide that.
    const validators = list.tagged.length > 0 ? listed.validators : NO_VALIDATORS;
    return { kind: 'ok', raw: { package: pkg, versions }, validators };
  }

  const versionDetails: VersionDetailsSupport = {
    async fetch(name, version, context): Promise<DetailsResult> {
      const path = normalizeModulePath(name);
      const [info, mod, zip] = await Promise.all([getInfo(path, version, context), getMod(path, version, context), getZip(path, version, context)]);
      if (info === null && mod === null && zip === null) return { kind: 'not-found' };
      return { kind: 'ok', raw: { info, mod, zip } };
    },
    attach(rawVersion, details) {
      const base = rawVersion !== null && typeof rawVersion === 'object' ? (rawVersion as Record<string, unknown>) : {};
      if (details === null || typeof details !== 'object') return { ...base, missing: true };
      return { ...base, ...(details as Record<string, unknown>) };
    },
    // A version's .info/.mod/.zip never change: a refetch of the module keeps them.
    kept: storedGoDetails,
  };

  return {
    id: 'go',
    purlType: 'golang',
    versioning: goVersioning,
    normalizeName: normalizeModulePath,
    normalizeVersion: normalizeGoVersion,
    fetch: fetchModule,
    normalize: (name, raw) => normalizeGoModule(name, raw, baseUrl),
    // proxy.golang.org answers `.zip` with a 302 to a signed Cloud Storage URL (golang/go#52908).
    redirectHosts: ['storage.googleapis.com'],
    toPurlParts(name) {
      const slash = name.lastIndexOf('/');
      return slash < 0 ? { namespace: null, name } : { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
    },
    fromPurlParts(namespace, name) {
      return namespace ? `${namespace.replace(/\/+$/, '')}/${name}` : name;
    },
    versionDetails,
  };
}
