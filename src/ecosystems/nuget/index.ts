import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import type { UpstreamClient } from '../../http/client.js';
import { normalizeNuGetVersion, nugetVersioning } from '../../versioning/nuget.js';
import { normalizeLicense, toSpdxExpression } from '../common/license.js';
import { normalizeHttpUrl, normalizeRepositoryUrl } from '../common/repository.js';
import type {
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
  catalogEntrySchema,
  fetchedPageSchema,
  registrationIndexSchema,
  registrationLeafSchema,
  serviceIndexSchema,
  storedIndexSchema,
  type CatalogEntry,
  type NuGetDeprecation,
  type RegistrationLeaf,
} from './schema.js';
import { describeIssues, text } from '../common/fields.js';

/** NuGet's PackageIdValidator (ASCII here) and its 100-character limit. */
const ID = /^\w+(?:[_.-]\w+)*$/;
const MAX_ID_LENGTH = 100;

/**
 * Registration hives, preferred first: 3.6.0 includes SemVer 2.0.0 packages (gzip); 3.4.0 and the initial
 * release exclude them (https://learn.microsoft.com/nuget/api/registration-base-url-resource#versioning).
 */
const REGISTRATION_TYPES = ['RegistrationsBaseUrl/3.6.0', 'RegistrationsBaseUrl/3.4.0', 'RegistrationsBaseUrl/3.0.0-rc', 'RegistrationsBaseUrl/3.0.0-beta', 'RegistrationsBaseUrl'];
const FLAT_CONTAINER_TYPE = 'PackageBaseAddress/3.0.0';
/** The NuGet client keeps a service index for 40 minutes (NuGet.Protocol ServiceIndexResourceV3Provider). */
export const SERVICE_INDEX_TTL_MS = 40 * 60 * 1000;
/** Our own key in the stored index (not an upstream field): the flat container base, for leaves without packageContent. */
const FLAT_CONTAINER_KEY = 'scout:packageBaseAddress';
/** nuget.org writes this publish date on unlisted versions. */
const UNLISTED_YEAR = 1900;

function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

export function normalizeNuGetName(input: string): string {
  const id = input.trim();
  if (!id) throw new InvalidInputError('Invalid NuGet package id "": the id is empty', 'name');
  if (id.length > MAX_ID_LENGTH) throw new InvalidInputError(`Invalid NuGet package id ${quoted(input)}: longer than ${MAX_ID_LENGTH} characters`, 'name');
  if (!ID.test(id)) {
    throw new InvalidInputError(
      `Invalid NuGet package id ${quoted(input)}: only letters, digits and underscores, in parts joined by single dots, hyphens or underscores`,
      'name',
    );
  }
  // Ids are case-insensitive; the lower-case form is the one in registration and flat-container URLs.
  return id.toLowerCase();
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `NuGet answer for ${quoted(name)}: ${message}`, { ecosystem: 'nuget', ...details }, cause === undefined ? undefined : { cause });
}

function parseJson(body: Buffer, name: string, details: { url: string; status: number }): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalid(name, 'body is not valid JSON', details, error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers (pure)

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function publishedDate(value: string | undefined): { iso: string | null; unlistedMarker: boolean } {
  if (!value) return { iso: null, unlistedMarker: false };
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return { iso: null, unlistedMarker: false };
  const date = new Date(ms);
  return date.getUTCFullYear() <= UNLISTED_YEAR ? { iso: null, unlistedMarker: true } : { iso: date.toISOString(), unlistedMarker: false };
}

/** Licenses whose text lives at a well-known URL (packages from before license expressions used these). */
function spdxFromLicenseUrl(url: string): string | null {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^www\./i, '').toLowerCase();
  const path = parsed.pathname.replace(/\/+$/, '');
  if (host === 'apache.org' && /^\/licenses\/LICENSE-2\.0(\.(html|txt))?$/i.test(path)) return 'Apache-2.0';
  const id = host === 'opensource.org' || host === 'choosealicense.com' ? /^\/licenses\/([A-Za-z0-9.+-]+?)(?:-license)?(?:\.(?:php|html))?$/i.exec(path)?.[1] : undefined;
  return id ? toSpdxExpression(id) : null;
}

/**
 * `licenseExpression` (SPDX-based) wins; else `licenseUrl`, where licenses.nuget.org/<expression> (what
 * nuget.org writes for expression-licensed packages) carries the expression itself.
 */
function licenseOf(entry: CatalogEntry): LicenseInfo | null {
  const expression = text(entry.licenseExpression);
  if (expression) return normalizeLicense(expression, 'catalogEntry.licenseExpression');
  const url = normalizeHttpUrl(entry.licenseUrl);
  if (!url) return null;
  const wellKnown = /^https?:\/\/licenses\.nuget\.org\/([^?#]+)/i.exec(url);
  if (wellKnown) {
    let decoded: string | null = null;
    try {
      decoded = decodeURIComponent(wellKnown[1]!).replace(/\/+$/, '').trim();
    } catch {
      decoded = null;
    }
    if (decoded) return normalizeLicense(decoded, 'catalogEntry.licenseUrl');
  }
  return { spdx: spdxFromLicenseUrl(url), name: url, source: 'catalogEntry.licenseUrl' };
}

/** `authors` is free text, comma-separated on nuget.org (or an array); each name becomes a person. */
function authorsOf(entry: CatalogEntry): Person[] {
  const list = typeof entry.authors === 'string' ? entry.authors.split(',') : (entry.authors ?? []);
  const out: Person[] = [];
  for (const raw of list) {
    const name = raw.trim();
    if (name && !out.some((person) => person.name === name)) out.push({ name, email: null, url: null });
  }
  return out;
}

/** Tags: an array (nuget.org, sometimes `[""]`) or one space-separated string (nuspec style). */
function tagsOf(entry: CatalogEntry): string[] {
  const list = typeof entry.tags === 'string' ? entry.tags.split(/[\s,;]+/) : (entry.tags ?? []);
  const out: string[] = [];
  for (const raw of list) {
    const tag = raw.trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

const CODE_HOSTS = /^(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|dev\.azure\.com)$/i;

function linksOf(entry: CatalogEntry): Links {
  const declared = typeof entry.repository === 'string' ? entry.repository : entry.repository?.url;
  const project = normalizeHttpUrl(entry.projectUrl);
  let repo = text(declared) ? normalizeRepositoryUrl(text(declared)) : null;
  // Most packages name no repository; a project URL on a code host is one.
  if (!repo && project && CODE_HOSTS.test(new URL(project).hostname)) repo = normalizeRepositoryUrl(project);
  return {
    repository: repo?.url ?? null,
    homepage: project,
    // nuget.org's rendered README (readmeUrl) is the closest thing NuGet has to a documentation link.
    documentation: normalizeHttpUrl(entry.readmeUrl),
    changelog: null,
    issues: repo?.issues ?? null,
  };
}

/**
 * One record per (target-framework group, dependency): the group is not on DependencyRecord yet, so a
 * dependency listed for several frameworks appears once per framework.
 */
function dependenciesOf(entry: CatalogEntry): DependencyRecord[] {
  const out: DependencyRecord[] = [];
  for (const group of entry.dependencyGroups ?? []) {
    for (const dependency of group.dependencies ?? []) {
      out.push({
        name: dependency.id,
        packageName: dependency.id,
        // "If the range is excluded or an empty string, the client should default to the version range (, )."
        constraint: text(dependency.range) ?? '(, )',
        kind: 'RUNTIME',
        optional: false,
        bundled: false,
        targetFramework: text(group.targetFramework) ?? null,
      });
    }
  }
  return out;
}

/** nuget.org's deprecation as one line: `Deprecated (Legacy, CriticalBugs): <message>. Alternative package: <id> <range>`. */
export function deprecationMessage(deprecation: NuGetDeprecation): string {
  const reasons = deprecation.reasons ?? [];
  let message = reasons.length > 0 ? `Deprecated (${reasons.join(', ')})` : 'Deprecated';
  const custom = text(deprecation.message);
  if (custom) message += `: ${custom}`;
  const alternate = deprecation.alternatePackage;
  if (alternate) {
    // `*` is nuget.org's "any version" of the alternative.
    const range = text(alternate.range);
    message += `${/[.!?]$/.test(message) ? '' : '.'} Alternative package: ${alternate.id}${range && range !== '*' ? ` ${range}` : ''}`;
  }
  return message;
}

/** The flat container's download URL (`{base}/{id}/{version}/{id}.{version}.nupkg`, all lower-case). */
function flatContainerUrl(base: string | null, name: string, version: string): string | null {
  if (!base) return null;
  const id = encodeURIComponent(name);
  const v = encodeURIComponent(version.toLowerCase());
  return normalizeHttpUrl(`${withSlash(base)}${id}/${v}/${id}.${v}.nupkg`);
}

function versionRecord(name: string, version: string, leaf: RegistrationLeaf, flatContainer: string | null): VersionRecord {
  const entry = leaf.catalogEntry;
  const published = publishedDate(entry.published);
  const unlisted = entry.listed === false || published.unlistedMarker;
  const deprecatedMessage = entry.deprecation ? deprecationMessage(entry.deprecation) : null;
  const authors = authorsOf(entry);
  const minClientVersion = text(entry.minClientVersion);
  return {
    ecosystem: 'nuget',
    name,
    version,
    license: licenseOf(entry),
    releaseDate: published.iso,
    // Unlisted is the stronger state (hidden from resolution); a deprecation stays readable in deprecatedMessage.
    status: unlisted ? 'UNLISTED' : deprecatedMessage ? 'DEPRECATED' : 'ACTIVE',
    prerelease: nugetVersioning.isPrerelease(version),
    deprecatedMessage,
    maintainers: authors,
    author: authors[0] ?? null,
    dependencies: dependenciesOf(entry),
    frameworkGroups: (entry.dependencyGroups ?? []).map((group) => text(group.targetFramework) ?? null),
    links: linksOf(entry),
    // The package hash (SHA512) is only in the catalog leaf: one more request per version, made when the archive is.
    checksums: [],
    sizeBytes: null,
    keywords: tagsOf(entry),
    description: text(entry.description) ?? text(entry.summary),
    // minClientVersion is a bare version, which in NuGet range syntax means "this or newer".
    engines: minClientVersion ? { nuget: minClientVersion } : {},
    artifactUrl: normalizeHttpUrl(leaf.packageContent) ?? normalizeHttpUrl(entry.packageContent) ?? flatContainerUrl(flatContainer, name, version),
  };
}

function highest(versions: string[]): string | null {
  let best: string | null = null;
  for (const version of versions) if (best === null || nugetVersioning.compare(version, best) > 0) best = version;
  return best;
}

/** Pure: the split registration (see `fetch`) -> normalized records. */
export function normalizeNuGetRegistration(name: string, raw: RawDocument): NormalizedPackage {
  const index = storedIndexSchema.safeParse(raw.package);
  if (!index.success) throw invalid(name, `the registration index does not have the expected shape (${describeIssues(index.error)})`);
  const records: VersionRecord[] = [];
  // The id as the package's author spells it (`Newtonsoft.Json`); OSV and people use that form.
  let displayName: string | null = null;
  for (const [version, value] of Object.entries(raw.versions ?? {})) {
    const leaf = registrationLeafSchema.safeParse(value);
    if (!leaf.success) throw invalid(name, `version ${quoted(version)} does not have the expected shape (${describeIssues(leaf.error)})`);
    const id = (leaf.data.catalogEntry as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && id.toLowerCase() === name) displayName = id;
    records.push(versionRecord(name, version, leaf.data, index.data[FLAT_CONTAINER_KEY] ?? null));
  }
  records.sort((a, b) => nugetVersioning.compare(b.version, a.version));

  const listed = records.filter((record) => record.status !== 'UNLISTED').map((record) => record.version);
  const all = records.map((record) => record.version);
  const stable = (versions: string[]) => versions.filter((version) => nugetVersioning.isValid(version) && !nugetVersioning.isPrerelease(version));
  // nuget.org's latest: the highest listed stable version; a fully unlisted package still shows its highest.
  const latestVersion = highest(stable(listed)) ?? highest(stable(all));
  const newerPrerelease = (versions: string[]) =>
    highest(versions.filter((version) => nugetVersioning.isPrerelease(version) && (latestVersion === null || nugetVersioning.compare(version, latestVersion) > 0)));
  const latestPrerelease = newerPrerelease(listed) ?? newerPrerelease(all);
  // Package-level metadata is the latest version's (NuGet keeps metadata per version only).
  const latest = records.find((record) => record.version === latestVersion) ?? records[0] ?? null;
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();
  const modified = index.data.commitTimeStamp ? Date.parse(index.data.commitTimeStamp) : Number.NaN;

  const pkg: PackageRecord = {
    ecosystem: 'nuget',
    name,
    description: latest?.description ?? null,
    homepage: latest?.links.homepage ?? null,
    repositoryUrl: latest?.links.repository ?? null,
    license: latest?.license ?? null,
    keywords: latest?.keywords ?? [],
    maintainers: latest?.maintainers ?? [],
    deprecated: latest?.deprecatedMessage != null,
    deprecationMessage: latest?.deprecatedMessage ?? null,
    latestVersion,
    latestPrerelease,
    distTags: {},
    versionCount: records.length,
    createdAt: dates[0] ?? null,
    modifiedAt: Number.isNaN(modified) ? (dates.at(-1) ?? null) : new Date(modified).toISOString(),
    displayName,
  };
  return { package: pkg, versions: records };
}

// ---------------------------------------------------------------------------------------------------------------
// Fetch

export interface ServiceResources {
  /** Registration base URL, ending in `/`. */
  registrationBaseUrl: string;
  /** Flat container base URL (PackageBaseAddress/3.0.0), ending in `/`, when the server has one. */
  packageBaseAddress: string | null;
}

function typesOf(resource: { '@type': string | string[] }): string[] {
  return Array.isArray(resource['@type']) ? resource['@type'] : [resource['@type']];
}

export interface NuGetAdapterOptions {
  /** V3 base; the service index is `{baseUrl}/index.json` (nuget.org: https://api.nuget.org/v3). */
  baseUrl: string;
  /** How long the service index is reused (default 40 minutes, as the NuGet client does). */
  serviceIndexTtlMs?: number;
  now?: () => number;
}

export function createNuGetAdapter(options: NuGetAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const serviceIndexUrl = `${baseUrl}/index.json`;
  const ttl = options.serviceIndexTtlMs ?? SERVICE_INDEX_TTL_MS;
  const now = options.now ?? Date.now;
  let cached: { resources: ServiceResources; expiresAt: number } | null = null;
  let loading: Promise<ServiceResources> | null = null;

  async function loadServiceIndex(http: UpstreamClient, name: string): Promise<ServiceResources> {
    const response = await http.get('nuget', serviceIndexUrl, { accept: 'application/json' });
    if (response.kind === 'not-found') {
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', `NuGet service index not found at ${serviceIndexUrl} (check SCOUT_REGISTRY_NUGET_URL)`, { ecosystem: 'nuget', url: serviceIndexUrl, status: response.status });
    }
    if (response.kind === 'not-modified') throw invalid(name, 'service index answered 304 to an unconditional request', { url: serviceIndexUrl });
    const details = { url: serviceIndexUrl, status: response.status };
    const parsed = serviceIndexSchema.safeParse(parseJson(response.body, name, details));
    if (!parsed.success) throw invalid(name, `not a service index (${describeIssues(parsed.error)})`, details);
    const resources = parsed.data.resources;
    const find = (type: string) => resources.find((resource) => typesOf(resource).includes(type) && normalizeHttpUrl(resource['@id']));
    for (const type of REGISTRATION_TYPES) {
      const resource = find(type);
      if (resource) {
        const flat = find(FLAT_CONTAINER_TYPE);
        return { registrationBaseUrl: withSlash(resource['@id']), packageBaseAddress: flat ? withSlash(flat['@id']) : null };
      }
    }
    throw invalid(name, `the service index lists no ${REGISTRATION_TYPES.join(' / ')} resource`, details);
  }

  /**
   * The service index changes only when the server's layout does, and every package fetch needs it:
   * it is kept in memory for the TTL and concurrent first fetches share one request.
   */
  function serviceResources(http: UpstreamClient, name: string): Promise<ServiceResources> {
    if (cached && cached.expiresAt > now()) return Promise.resolve(cached.resources);
    loading ??= loadServiceIndex(http, name)
      .then((resources) => {
        cached = { resources, expiresAt: now() + ttl };
        return resources;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function fetchPage(http: UpstreamClient, name: string, pageUrl: string, indexUrl: string): Promise<unknown[]> {
    // Page URLs come from the upstream document: only the registration's own origin is followed.
    let target: URL;
    try {
      target = new URL(pageUrl);
    } catch {
      throw invalid(name, `registration page URL ${quoted(pageUrl)} is not a URL`, { url: indexUrl });
    }
    if (target.origin !== new URL(indexUrl).origin) throw invalid(name, `registration page ${quoted(pageUrl)} is not on the registration's host`, { url: indexUrl });
    const response = await http.get('nuget', target.toString(), { accept: 'application/json' });
    if (response.kind !== 'ok') throw invalid(name, `registration page ${quoted(pageUrl)} answered ${response.kind}`, { url: pageUrl });
    const details = { url: pageUrl, status: response.status };
    const parsed = fetchedPageSchema.safeParse(parseJson(response.body, name, details));
    if (!parsed.success) throw invalid(name, `not a registration page (${describeIssues(parsed.error)})`, details);
    return parsed.data.items;
  }

  async function fetchRegistration(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizeNuGetName(requested);
    const resources = await serviceResources(context.http, name);
    const url = `${resources.registrationBaseUrl}${encodeURIComponent(name)}/index.json`;
    const response = await context.http.get('nuget', url, { accept: 'application/json', conditional: context.conditional });
    if (response.kind === 'not-found') return { kind: 'not-found' };
    // A page changes only with a new index (each page entry carries its commitId), so a 304 covers them all.
    if (response.kind === 'not-modified') return { kind: 'not-modified', validators: response.validators };
    const details = { url, status: response.status };
    const json = parseJson(response.body, name, details);
    const index = registrationIndexSchema.safeParse(json);
    if (!index.success) throw invalid(name, `not a registration index (${describeIssues(index.error)})`, details);

    // Every page that is not inlined, requested at once: the limiter paces them, the latency is paid once.
    const pages = await Promise.all(
      index.data.items.map((page) => {
        if (page.items) return page.items;
        if (!page['@id']) throw invalid(name, 'a registration page has neither leaves nor an @id', details);
        return fetchPage(context.http, name, page['@id'], url);
      }),
    );

    // A Map, so no version string (`__proto__`, `constructor`) can collide with Object's own keys.
    const versions = new Map<string, unknown>();
    const leaves = pages.flat();
    let firstIssue: string | null = null;
    for (const leaf of leaves) {
      const entry = catalogEntrySchema.safeParse((leaf as { catalogEntry?: unknown } | null)?.catalogEntry);
      // One leaf without a usable catalog entry is left out; it must not cost the package its other versions.
      if (!entry.success) {
        firstIssue ??= describeIssues(entry.error);
        continue;
      }
      // A server answering with another package's registration must not be stored under this id.
      if (entry.data.id !== undefined && entry.data.id.toLowerCase() !== name) throw invalid(name, `registration lists package ${quoted(entry.data.id)}`, details);
      const version = normalizeNuGetVersion(entry.data.version) ?? entry.data.version.trim();
      if (!versions.has(version)) versions.set(version, leaf);
    }
    if (leaves.length > 0 && versions.size === 0) throw invalid(name, `no registration leaf has a usable catalog entry (${firstIssue ?? 'none'})`, details);
    const { items, ...rest } = json as Record<string, unknown>;
    const pageSummaries = (items as unknown[]).map((page) => {
      const { items: _leaves, ...summary } = page as Record<string, unknown>;
      return summary;
    });
    const pkg = { ...rest, items: pageSummaries, [FLAT_CONTAINER_KEY]: resources.packageBaseAddress };
    return { kind: 'ok', raw: { package: pkg, versions: Object.fromEntries(versions) }, validators: response.validators };
  }

  return {
    id: 'nuget',
    purlType: 'nuget',
    versioning: nugetVersioning,
    normalizeName: normalizeNuGetName,
    // Versions are stored in NuGet's normalized form: `1.0.0.0`, `1.00.0` and `2.0.0+build.7` find them too.
    normalizeVersion: (version) => normalizeNuGetVersion(version) ?? version,
    fetch: fetchRegistration,
    normalize: normalizeNuGetRegistration,
    toPurlParts: (name) => ({ namespace: null, name }),
    fromPurlParts(namespace, name) {
      if (namespace) throw new InvalidInputError(`NuGet purls have no namespace (got ${quoted(namespace)})`, 'purl');
      return name;
    },
  };
}
