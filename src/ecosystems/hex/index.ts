import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import { hexVersioning } from '../../versioning/hex.js';
import { normalizeLicense } from '../common/license.js';
import { normalizeHttpUrl, normalizeRepositoryUrl } from '../common/repository.js';
import type {
  Checksum,
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
  VersionDetailsSupport,
  VersionRecord,
  VersionStatus,
} from '../types.js';
import {
  packageDocumentSchema,
  packageEnvelopeSchema,
  rawVersionSchema,
  releaseDocumentSchema,
  releaseEntrySchema,
  type HexPackageDocument,
  type HexRawVersion,
  type HexReleaseDocument,
  type HexRetirement,
  type HexUser,
} from './schema.js';
import { describeIssues, isoTime, text } from '../common/fields.js';

/** hexpm's own rule is `^[a-z]\w*$` (ASCII); names are lower-case on the wire and in `mix.exs`. */
const NAME = /^[a-z][a-z0-9_]*$/;
/** The public repository's name; a requirement from any other repository is an organization's private package. */
const PUBLIC_REPOSITORY = 'hexpm';
export const DEFAULT_HEX_REPO_URL = 'https://repo.hex.pm';

function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

export function normalizeHexName(input: string): string {
  const name = input.trim();
  if (!name) throw new InvalidInputError('Invalid hex package name "": the name is empty', 'name');
  if (!NAME.test(name)) {
    const reason = /^[A-Za-z][A-Za-z0-9_]*$/.test(name)
      ? 'names are lower-case'
      : /^[a-z]/i.test(name)
        ? 'only lower-case letters, digits and underscores are allowed'
        : 'a name starts with a lower-case letter';
    throw new InvalidInputError(`Invalid hex package name ${quoted(input)}: ${reason}`, 'name');
  }
  return name;
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `hex.pm answer for ${quoted(name)}: ${message}`, { ecosystem: 'hex', ...details }, cause === undefined ? undefined : { cause });
}

function parseJson(body: Buffer, name: string, details: { url: string; status: number }): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalid(name, 'body is not valid JSON', details, error);
  }
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers (pure)

/** The API's user URL (`https://hex.pm/api/users/x`) as the browsable profile (`https://hex.pm/users/x`). */
function personOf(user: HexUser | null | undefined): Person | null {
  if (!user) return null;
  const name = text(user.username);
  const email = text(user.email);
  const apiUrl = normalizeHttpUrl(user.url);
  const url = apiUrl ? apiUrl.replace(/^(https?:\/\/[^/]+)\/api\/users\//i, '$1/users/') : null;
  return name || email || url ? { name, email, url } : null;
}

function maintainersOf(doc: HexPackageDocument): Person[] {
  const owners = (doc.owners ?? []).map(personOf).filter((person): person is Person => person !== null);
  if (owners.length > 0) return owners;
  // Before owners were exposed, packages listed maintainer names in their metadata.
  return (doc.meta?.maintainers ?? []).flatMap((entry) => {
    const name = text(entry);
    return name ? [{ name, email: null, url: null }] : [];
  });
}

type LinkKind = keyof Links;

/** Hex links are free-form names ("GitHub", "Changelog", "Docs"...): classify by name, then by host. */
const LINK_NAMES: Array<[LinkKind, RegExp]> = [
  ['changelog', /change\s*log|changes|release\s*notes|^releases$|history|^news$/i],
  ['issues', /issue|bug|tracker/i],
  ['documentation', /doc|manual|guide|hexdocs/i],
  ['repository', /^(github|gitlab|bitbucket|codeberg|sourcehut|sr\.ht|gitea|forgejo|source|source\s*code|sources|repo|repository|code|git)$/i],
  ['homepage', /^(home\s*page|home|website|web\s*site|site|web|project|official\s*site)$/i],
];
const REPOSITORY_HOSTS = /^(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|git\.sr\.ht|sr\.ht)$/i;

function linksOf(doc: HexPackageDocument, release: HexReleaseDocument | null | undefined): Links {
  const found: Partial<Record<LinkKind, string>> = {};
  const unclassified: string[] = [];
  for (const [label, value] of Object.entries(doc.meta?.links ?? {})) {
    const url = normalizeHttpUrl(value);
    if (!url) continue;
    const kind = LINK_NAMES.find(([, pattern]) => pattern.test(label.trim()))?.[0];
    if (kind) {
      found[kind] ??= url;
    } else {
      unclassified.push(url);
    }
  }
  // A link under an unusual name that points at a code host is still the repository.
  found.repository ??= unclassified.find((url) => REPOSITORY_HOSTS.test(new URL(url).hostname));
  const repo = found.repository ? normalizeRepositoryUrl(found.repository) : null;
  const releaseDocs = release?.has_docs !== false ? normalizeHttpUrl(release?.docs_html_url) : null;
  return {
    repository: repo?.url ?? found.repository ?? null,
    homepage: found.homepage ?? null,
    documentation: found.documentation ?? releaseDocs,
    changelog: found.changelog ?? null,
    issues: found.issues ?? repo?.issues ?? null,
  };
}

function retirementMessage(retirement: HexRetirement): string {
  const reason = text(retirement.reason) ?? 'other';
  const message = text(retirement.message);
  return message ? `Retired (${reason}): ${message}` : `Retired (${reason})`;
}

/**
 * Hex requirements: the key is the package; `app` is the OTP application name the dependent refers to.
 * An optional requirement is only resolved when the project higher up asks for that package too, i.e. the
 * consumer provides it: an optional PEER (npm's optional peer dependency), not a best-effort install.
 */
function dependenciesOf(release: HexReleaseDocument): DependencyRecord[] {
  const out: DependencyRecord[] = [];
  for (const [key, requirement] of Object.entries(release.requirements ?? {})) {
    if (!key) continue;
    const repository = text(requirement.repository);
    // A private organization's package is not the same-named public one: `org/name` never resolves publicly.
    const packageName = repository && repository !== PUBLIC_REPOSITORY ? `${repository}/${key}` : key;
    const optional = requirement.optional === true;
    out.push({
      name: text(requirement.app) ?? key,
      packageName,
      // A missing requirement accepts any version; `>= 0.0.0` is how Elixir writes that.
      constraint: text(requirement.requirement) ?? '>= 0.0.0',
      kind: optional ? 'PEER' : 'RUNTIME',
      optional,
      bundled: false,
    });
  }
  return out;
}

function checksumsOf(release: HexReleaseDocument): Checksum[] {
  const value = release.checksum?.trim();
  return value && /^[0-9a-f]{64}$/i.test(value) ? [{ algorithm: 'sha256', value: value.toLowerCase() }] : [];
}

function enginesOf(release: HexReleaseDocument): Record<string, string> {
  const elixir = text(release.meta?.elixir);
  return elixir ? { elixir } : {};
}

interface Context {
  name: string;
  doc: HexPackageDocument;
  repoUrl: string;
  maintainers: Person[];
}

function versionRecord(ctx: Context, raw: HexRawVersion): VersionRecord {
  const { name, doc } = ctx;
  const version = raw.version;
  const release = raw.release;
  // The release document is fetched after the package document, so its retirement is the newer word.
  const retirement = release ? (release.retirement ?? null) : (doc.retirements?.[version] ?? null);
  // Retired releases still resolve like any other (hexpm/specifications dependency_resolution.md): a warning, not a yank.
  const status: VersionStatus = retirement ? 'DEPRECATED' : 'ACTIVE';
  const record: VersionRecord = {
    ecosystem: 'hex',
    name,
    version,
    // Hex keeps license, description and links per package (the latest publish's metadata), not per release.
    license: normalizeLicense(doc.meta?.licenses ?? null, 'meta.licenses'),
    releaseDate: isoTime(raw.inserted_at) ?? isoTime(release?.inserted_at),
    status,
    prerelease: hexVersioning.isPrerelease(version),
    deprecatedMessage: retirement ? retirementMessage(retirement) : null,
    maintainers: ctx.maintainers,
    author: personOf(release?.publisher),
    dependencies: release ? dependenciesOf(release) : [],
    links: linksOf(doc, release),
    checksums: release ? checksumsOf(release) : [],
    sizeBytes: null,
    keywords: [],
    description: text(doc.meta?.description),
    engines: release ? enginesOf(release) : {},
    artifactUrl: `${ctx.repoUrl}/tarballs/${encodeURIComponent(name)}-${encodeURIComponent(version)}.tar`,
  };
  if (release === undefined) record.detailsPending = true;
  return record;
}

function highest(versions: string[]): string | null {
  let best: string | null = null;
  for (const version of versions) if (best === null || hexVersioning.compare(version, best) > 0) best = version;
  return best;
}

/** Pure: the split package document (see `fetch`) -> normalized records. */
export function normalizeHexPackage(name: string, raw: RawDocument, repoUrl = DEFAULT_HEX_REPO_URL): NormalizedPackage {
  const doc = parseStored(packageDocumentSchema, raw.package, name, 'the package document');
  const ctx: Context = { name, doc, repoUrl: repoUrl.replace(/\/+$/, ''), maintainers: maintainersOf(doc) };
  const records: VersionRecord[] = [];
  for (const [key, value] of Object.entries(raw.versions ?? {})) {
    const entry = parseStored(rawVersionSchema, value, name, `release ${quoted(key)}`);
    records.push(versionRecord(ctx, { ...entry, version: key }));
  }
  records.sort((a, b) => hexVersioning.compare(b.version, a.version));

  const published = records.map((record) => record.version);
  const stable = published.filter((version) => hexVersioning.isValid(version) && !hexVersioning.isPrerelease(version));
  // hex.pm's latest_stable_version is the highest non-prerelease (retired or not), the same rule as below.
  const declared = doc.latest_stable_version ?? null;
  const latestVersion = declared !== null && stable.includes(declared) ? declared : highest(stable);
  const latestPrerelease = highest(
    published.filter((version) => hexVersioning.isPrerelease(version) && (latestVersion === null || hexVersioning.compare(version, latestVersion) > 0)),
  );
  const latest = records.find((record) => record.version === latestVersion) ?? records[0] ?? null;
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();
  const links = linksOf(doc, null);

  const pkg: PackageRecord = {
    ecosystem: 'hex',
    name,
    description: text(doc.meta?.description),
    homepage: links.homepage,
    repositoryUrl: links.repository,
    license: normalizeLicense(doc.meta?.licenses ?? null, 'meta.licenses'),
    keywords: [],
    maintainers: ctx.maintainers,
    deprecated: latest?.status === 'DEPRECATED',
    deprecationMessage: latest?.status === 'DEPRECATED' ? latest.deprecatedMessage : null,
    latestVersion,
    latestPrerelease,
    distTags: {},
    versionCount: records.length,
    createdAt: isoTime(doc.inserted_at) ?? dates[0] ?? null,
    modifiedAt: isoTime(doc.updated_at) ?? dates.at(-1) ?? null,
    downloads: doc.downloads?.all ?? null,
  };
  return { package: pkg, versions: records };
}

export interface HexAdapterOptions {
  /** hex.pm-compatible server; the HTTP API lives under `{baseUrl}/api`. */
  baseUrl: string;
  /** Repository (tarballs) host; hex.pm serves them from https://repo.hex.pm. */
  repoUrl?: string;
}

export function createHexAdapter(options: HexAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const repoUrl = (options.repoUrl ?? DEFAULT_HEX_REPO_URL).replace(/\/+$/, '');
  const packageUrl = (name: string) => `${baseUrl}/api/packages/${encodeURIComponent(name)}`;

  async function fetchPackage(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizeHexName(requested);
    const url = packageUrl(name);
    const response = await context.http.get('hex', url, { accept: 'application/json', conditional: context.conditional });
    if (response.kind === 'not-found') return { kind: 'not-found' };
    if (response.kind === 'not-modified') return { kind: 'not-modified', validators: response.validators };
    const details = { url, status: response.status };
    const json = parseJson(response.body, name, details);
    const parsed = packageEnvelopeSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, `not a package document (${describeIssues(parsed.error)})`, details);
    if (parsed.data.name !== name) throw invalid(name, `document is for ${quoted(parsed.data.name)}`, details);
    const meta = packageDocumentSchema.safeParse(json);
    if (!meta.success) throw invalid(name, `not a package document (${describeIssues(meta.error)})`, details);

    const { releases, ...rest } = json as Record<string, unknown>;
    // A Map, so no version string can collide with Object's own keys; the first entry of a duplicate wins.
    const versions = new Map<string, unknown>();
    for (const entry of parsed.data.releases) {
      // A release entry without a version is left out; it must not cost the package its other releases.
      const release = releaseEntrySchema.safeParse(entry);
      if (release.success && !versions.has(release.data.version)) versions.set(release.data.version, entry);
    }
    if (parsed.data.releases.length > 0 && versions.size === 0) throw invalid(name, 'no entry of `releases` has a version', details);
    return { kind: 'ok', raw: { package: rest, versions: Object.fromEntries(versions) }, validators: response.validators };
  }

  /** One release request; Hex allows 100 API requests a minute, so this runs only when a query needs it. */
  async function fetchRelease(requested: string, version: string, context: FetchContext): Promise<DetailsResult> {
    const name = normalizeHexName(requested);
    const url = `${packageUrl(name)}/releases/${encodeURIComponent(version)}`;
    const response = await context.http.get('hex', url, { accept: 'application/json' });
    if (response.kind === 'not-found') return { kind: 'not-found' };
    if (response.kind === 'not-modified') throw invalid(name, `304 to an unconditional release request for ${quoted(version)}`, { url });
    const details = { url, status: response.status };
    const json = parseJson(response.body, name, details);
    const parsed = releaseDocumentSchema.safeParse(json);
    if (!parsed.success) throw invalid(name, `not a release document (${describeIssues(parsed.error)})`, details);
    if (parsed.data.version !== version) throw invalid(name, `release document is for version ${quoted(parsed.data.version)}, not ${quoted(version)}`, details);
    // Stored as sent (configs, downloads, html_url ... kept) so normalization can be redone offline.
    return { kind: 'ok', raw: json };
  }

  const versionDetails: VersionDetailsSupport = {
    fetch: fetchRelease,
    attach(rawVersion, details) {
      const base = rawVersion && typeof rawVersion === 'object' ? (rawVersion as Record<string, unknown>) : {};
      return { ...base, release: details ?? null };
    },
  };

  return {
    id: 'hex',
    purlType: 'hex',
    versioning: hexVersioning,
    normalizeName: normalizeHexName,
    fetch: fetchPackage,
    normalize: (name, raw) => normalizeHexPackage(name, raw, repoUrl),
    versionDetails,
    sourceHosts: [new URL(repoUrl).host],
    // The purl namespace is a private organization (pkg:hex/acme/foo); only public packages are served.
    toPurlParts: (name) => ({ namespace: null, name }),
    fromPurlParts(namespace, name) {
      if (namespace && namespace.toLowerCase() !== PUBLIC_REPOSITORY) {
        throw new InvalidInputError(`hex organization packages (${quoted(`${namespace}/${name}`)}) are private and not served`, 'purl');
      }
      return name.toLowerCase();
    },
  };
}
