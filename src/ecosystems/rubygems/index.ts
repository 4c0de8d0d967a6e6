import type { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../errors.js';
import type { GetResult } from '../../http/client.js';
import { rubygemsVersioning } from '../../versioning/rubygems.js';
import { normalizeLicense } from '../common/license.js';
import { parsePersonString } from '../common/person.js';
import { normalizeHttpUrl, normalizeRepositoryUrl, type RepositoryLinks } from '../common/repository.js';
import type {
  Checksum,
  DependencyRecord,
  EcosystemAdapter,
  FetchContext,
  FetchResult,
  Links,
  NormalizedPackage,
  PackageRecord,
  Person,
  RawDocument,
  SourceArchiveSpec,
  VersionRecord,
} from '../types.js';
import {
  gemEnvelopeSchema,
  rawPackageSchema,
  rawVersionSchema,
  versionDetailsSchema,
  versionEnvelopeSchema,
  versionsEnvelopeSchema,
  type GemInfo,
  type GemRawVersion,
  type GemVersionEntry,
} from './schema.js';
import { describeIssues, isoTime, text } from '../common/fields.js';

/** RubyGems.org's `Gemcutter::MAX_FIELD_LENGTH`, which also bounds gem names. */
const MAX_NAME_LENGTH = 255;
const RUBY_PLATFORM = 'ruby';
/** Versions imported from the old gem server all carry this creation date; `built_at` is the real one then. */
const IMPORT_DATE = '2009-07-25';
const SHA256_HEX = /^[0-9a-f]{64}$/i;

function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/**
 * Validates a client-given gem name (RubyGems.org: `[A-Za-z0-9._-]+`, at most 255 characters) and returns it
 * unchanged: gem names are case-sensitive on the wire (`/info/{name}`). The stricter rules for new names (a
 * letter somewhere, no leading `.`, `-`, `_`) are not applied: older gems predate them.
 */
export function normalizeRubygemsName(input: string): string {
  const name = input.trim();
  const fail = (reason: string) => new InvalidInputError(`Invalid gem name ${quoted(input)}: ${reason}`, 'name');
  if (!name) throw fail('name is empty');
  if (name.length > MAX_NAME_LENGTH) throw fail(`name can have at most ${MAX_NAME_LENGTH} characters`);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw fail('name can only contain ASCII letters, digits, `.`, `-` and `_`');
  if (/^\.+$/.test(name)) throw fail('name cannot be only dots');
  return name;
}

function invalid(name: string, message: string, details: { url?: string; status?: number } = {}, cause?: unknown): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID', `RubyGems answer for ${quoted(name)}: ${message}`, { ecosystem: 'rubygems', ...details }, cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------------------------
// Compact index (pure)

/** `1.3.1-x86-mswin32` -> version `1.3.1`, platform `x86-mswin32`: the first `-` splits, as RubyGems' GemParser does (gem versions never keep a `-`). */
export function splitVersionPlatform(token: string): { version: string; platform: string } {
  const dash = token.indexOf('-');
  return dash < 0 ? { version: token, platform: RUBY_PLATFORM } : { version: token.slice(0, dash), platform: token.slice(dash + 1) };
}

export interface CompactInfoLine {
  /** `[name, "req, req"]`: runtime dependencies only (the compact index lists nothing else). */
  dependencies: Array<[string, string]>;
  checksum: string | null;
  /** Required Ruby / RubyGems versions, as `">= 2.4, < 2.8.dev"`. */
  ruby: string | null;
  rubygems: string | null;
  /** Publish time (compact index v2, 2026: `created_at:2024-05-01T12:00:00Z` among the requirements), ISO. */
  createdAt: string | null;
}

/** `name:req&req` -> `[name, "req, req"]` (`&` joins several requirements; RubyGems writes them comma-separated). */
function pair(entry: string): [string, string] | null {
  const colon = entry.indexOf(':');
  if (colon <= 0) return null;
  const requirements = entry
    .slice(colon + 1)
    .split('&')
    .map((req) => req.trim())
    .filter(Boolean);
  return [entry.slice(0, colon).trim(), requirements.join(', ')];
}

/** One line after the `---` header: `VERSION[-PLATFORM] dep:req&req,dep2:req|checksum:hex,ruby:req,rubygems:req`. */
export function parseCompactInfoLine(line: string): CompactInfoLine {
  const space = line.indexOf(' ');
  const rest = space < 0 ? '' : line.slice(space + 1);
  const bar = rest.indexOf('|');
  const depsPart = bar < 0 ? rest : rest.slice(0, bar);
  const reqsPart = bar < 0 ? '' : rest.slice(bar + 1);
  const dependencies: Array<[string, string]> = [];
  for (const entry of depsPart.split(',')) {
    const parsed = pair(entry);
    if (parsed) dependencies.push(parsed);
  }
  const requirements = new Map<string, string>();
  for (const entry of reqsPart.split(',')) {
    const parsed = pair(entry);
    if (parsed) requirements.set(parsed[0], parsed[1]);
  }
  const checksum = requirements.get('checksum') ?? null;
  return {
    dependencies,
    checksum: checksum && SHA256_HEX.test(checksum) ? checksum.toLowerCase() : null,
    ruby: requirements.get('ruby') || null,
    rubygems: requirements.get('rubygems') || null,
    createdAt: isoTime(requirements.get('created_at')),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Field helpers (pure)

/** RubyGems.org's `authored_at`: gems imported on 2009-07-25 show their gemspec date (`built_at`) instead. */
function authoredAt(entry: GemVersionEntry): string | null {
  const created = isoTime(entry.created_at);
  const built = isoTime(entry.built_at);
  if (created?.startsWith(IMPORT_DATE) && built && built.slice(0, 10) <= IMPORT_DATE) return built;
  return created;
}

/** `>= 0` is the default "any" requirement (the compact index leaves it out); it is not an engine constraint. */
function requirement(value: string | null | undefined): string | null {
  const req = text(value);
  return req && !/^>=\s*0$/.test(req) ? req : null;
}

/** `authors` is the gemspec list joined with `, ` by RubyGems.org. */
function peopleOf(authors: string | null | undefined): Person[] {
  const out: Person[] = [];
  for (const part of (text(authors) ?? '').split(/\s*,\s*/)) {
    const person = part ? parsePersonString(part) : null;
    if (person) out.push(person);
  }
  return out;
}

function metadataLink(metadata: Record<string, unknown> | null | undefined, key: string): string | null {
  return normalizeHttpUrl(metadata?.[key]);
}

const CODE_HOSTS = /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[^/]+\/[^/]+/i;

/** `source_code_uri`, else a homepage that is itself a repository on a known code host. */
function repositoryOf(sourceCode: string | null, homepage: string | null): RepositoryLinks | null {
  const declared = sourceCode ? normalizeRepositoryUrl(sourceCode) : null;
  if (declared) return declared;
  return homepage && CODE_HOSTS.test(homepage) ? normalizeRepositoryUrl(homepage) : null;
}

/** The gem-level links of the gems API (metadata URIs of the most recent version, else its gemspec homepage). */
function gemLinks(gem: GemInfo | null): Links {
  const homepage = normalizeHttpUrl(gem?.homepage_uri);
  const repository = repositoryOf(normalizeHttpUrl(gem?.source_code_uri), homepage);
  return {
    repository: repository?.url ?? null,
    homepage,
    documentation: normalizeHttpUrl(gem?.documentation_uri),
    changelog: normalizeHttpUrl(gem?.changelog_uri),
    issues: normalizeHttpUrl(gem?.bug_tracker_uri) ?? repository?.issues ?? null,
  };
}

/** A version's own metadata URIs, each falling back to the gem-level link. */
function linksOf(metadata: Record<string, unknown> | null | undefined, fallback: Links): Links {
  const homepage = metadataLink(metadata, 'homepage_uri') ?? fallback.homepage;
  const own = repositoryOf(metadataLink(metadata, 'source_code_uri'), metadataLink(metadata, 'homepage_uri'));
  return {
    repository: own?.url ?? fallback.repository,
    homepage,
    documentation: metadataLink(metadata, 'documentation_uri') ?? fallback.documentation,
    changelog: metadataLink(metadata, 'changelog_uri') ?? fallback.changelog,
    issues: metadataLink(metadata, 'bug_tracker_uri') ?? own?.issues ?? fallback.issues,
  };
}

/** Platforms of a version: `ruby` (the source gem) first, then the binary ones alphabetically. */
export function platformsOf(part: GemRawVersion): string[] {
  const all = new Set<string>([...(part.info ?? []).map((entry) => entry.platform), ...part.api.map((entry) => text(entry.platform) ?? RUBY_PLATFORM)]);
  return [...all].sort((a, b) => (a === RUBY_PLATFORM ? -1 : b === RUBY_PLATFORM ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(name, `${what} does not have the expected shape (${describeIssues(parsed.error)})`);
  return parsed.data;
}

function versionRecord(name: string, version: string, part: GemRawVersion, gem: GemInfo | null, baseUrl: string): VersionRecord {
  const platforms = platformsOf(part);
  // The source gem (`ruby`) stands for the version; a binary-only version uses its first platform.
  const platform = platforms[0] ?? text(gem?.platform) ?? RUBY_PLATFORM;
  const infoLine = part.info?.find((entry) => entry.platform === platform) ?? part.info?.[0];
  const info = infoLine ? parseCompactInfoLine(infoLine.line) : null;
  const entry = part.api.find((candidate) => (text(candidate.platform) ?? RUBY_PLATFORM) === platform) ?? part.api[0] ?? null;
  // The gems API describes the most recent version only (and, unlike the other two, also a yanked one).
  const gemVersion = gem && text(gem.version) === version ? gem : null;
  // Not in the compact index = not installable: RubyGems.org drops yanked versions from it.
  const yanked = part.info !== null && part.info.length === 0;
  // Without a compact index (a server that has none) dependencies come from the per-version API, on demand.
  const detailsPending = part.info === null && !part.details && !gemVersion;

  const dependencies: DependencyRecord[] = [];
  const listed = part.details ?? gemVersion?.dependencies;
  const runtime: Array<[string, string]> = info ? info.dependencies : (listed?.runtime ?? []).map((dep) => [dep.name, dep.requirements]);
  for (const [depName, constraint] of runtime) dependencies.push({ name: depName, packageName: depName, constraint, kind: 'RUNTIME', optional: false, bundled: false });
  for (const dep of listed?.development ?? []) {
    dependencies.push({ name: dep.name, packageName: dep.name, constraint: dep.requirements, kind: 'DEVELOPMENT', optional: false, bundled: false });
  }

  const dates = part.api.map(authoredAt).filter((date): date is string => date !== null).sort();
  // The compact index's own publish time (v2 lines) when the versions API has no entry (a mirror, a push in between).
  const indexDates = (part.info ?? []).map((entry) => parseCompactInfoLine(entry.line).createdAt).filter((date): date is string => date !== null).sort();
  const checksum = info?.checksum ?? [entry?.sha, gemVersion?.sha].map((sha) => text(sha)).find((sha): sha is string => sha !== null && SHA256_HEX.test(sha))?.toLowerCase() ?? null;
  const checksums: Checksum[] = checksum ? [{ algorithm: 'sha256', value: checksum }] : [];
  const ruby = requirement(info?.ruby) ?? requirement(entry?.ruby_version);
  const rubygems = requirement(info?.rubygems) ?? requirement(entry?.rubygems_version);
  const engines: Record<string, string> = {};
  if (ruby) engines.ruby = ruby;
  if (rubygems) engines.rubygems = rubygems;
  const licenses = entry?.licenses ?? gemVersion?.licenses ?? null;
  const people = peopleOf(entry?.authors ?? gemVersion?.authors);
  const file = platform === RUBY_PLATFORM ? `${name}-${version}.gem` : `${name}-${version}-${platform}.gem`;

  const record: VersionRecord = {
    ecosystem: 'rubygems',
    name,
    version,
    license: licenses && licenses.length > 0 ? normalizeLicense(licenses, 'gemspec#licenses') : null,
    releaseDate: dates[0] ?? indexDates[0] ?? (gemVersion ? isoTime(gemVersion.version_created_at) : null),
    status: yanked ? 'YANKED' : 'ACTIVE',
    prerelease: rubygemsVersioning.isPrerelease(version),
    deprecatedMessage: null,
    maintainers: people,
    author: people[0] ?? null,
    dependencies,
    links: linksOf(entry?.metadata ?? gemVersion?.metadata, gemLinks(gem)),
    checksums,
    sizeBytes: null,
    keywords: [],
    description: text(entry?.description) ?? text(entry?.summary) ?? (gemVersion ? text(gemVersion.info) : null),
    engines,
    artifactUrl: `${baseUrl}/gems/${encodeURIComponent(file)}`,
    platforms,
  };
  if (detailsPending) record.detailsPending = true;
  return record;
}

function highest(records: VersionRecord[]): VersionRecord | null {
  let best: VersionRecord | null = null;
  for (const record of records) if (best === null || rubygemsVersioning.compare(record.version, best.version) > 0) best = record;
  return best;
}

export interface RubygemsNormalizeOptions {
  /** Registry base URL, for artifact URLs (`{baseUrl}/gems/{name}-{version}[-{platform}].gem`). */
  baseUrl?: string;
}

/** Pure: the raw document `fetch` builds (or the stored one) -> normalized records. */
export function normalizeRubygem(name: string, raw: RawDocument, options: RubygemsNormalizeOptions = {}): NormalizedPackage {
  const baseUrl = (options.baseUrl ?? 'https://rubygems.org').replace(/\/+$/, '');
  const { gem } = parseStored(rawPackageSchema, raw.package, name, 'the gem document');
  const records: VersionRecord[] = [];
  for (const [version, value] of Object.entries(raw.versions ?? {})) {
    records.push(versionRecord(name, version, parseStored(rawVersionSchema, value, name, `version ${quoted(version)}`), gem, baseUrl));
  }
  records.sort((a, b) => rubygemsVersioning.compare(b.version, a.version));

  const eligible = records.filter((record) => record.status === 'ACTIVE' && !record.prerelease && rubygemsVersioning.isValid(record.version));
  // The gems API's version is RubyGems.org's "most recent" (highest indexed release, `ruby` platform preferred).
  const latest = eligible.find((record) => record.version === text(gem?.version)) ?? highest(eligible);
  const latestPrerelease = highest(
    records.filter((record) => record.status === 'ACTIVE' && record.prerelease && rubygemsVersioning.isValid(record.version) && (latest === null || rubygemsVersioning.compare(record.version, latest.version) > 0)),
  );
  const reference = latest ?? records[0] ?? null;
  const links = gemLinks(gem);
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();
  const gemLicenses = gem?.licenses ?? [];

  const pkg: PackageRecord = {
    ecosystem: 'rubygems',
    name,
    description: text(gem?.info) ?? reference?.description ?? null,
    homepage: links.homepage ?? reference?.links.homepage ?? null,
    repositoryUrl: links.repository ?? reference?.links.repository ?? null,
    license: (gemLicenses.length > 0 ? normalizeLicense(gemLicenses, 'gemspec#licenses') : null) ?? reference?.license ?? null,
    keywords: [],
    maintainers: reference?.maintainers ?? [],
    // RubyGems has no deprecation; yanking is per version.
    deprecated: false,
    deprecationMessage: null,
    latestVersion: latest?.version ?? null,
    latestPrerelease: latestPrerelease?.version ?? null,
    distTags: {},
    versionCount: records.length,
    createdAt: dates[0] ?? null,
    modifiedAt: dates.at(-1) ?? null,
    // The gems API's total over all versions.
    downloads: gem?.downloads ?? null,
  };
  return { package: pkg, versions: records };
}

export interface RubygemsAdapterOptions {
  /** RubyGems.org or a compatible server (compact index + API v1), with or without a trailing slash. */
  baseUrl: string;
}

type Ok = Extract<GetResult, { kind: 'ok' }>;

export function createRubygemsAdapter(options: RubygemsAdapterOptions): EcosystemAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  /**
   * The compact index file -> its lines grouped by version, each with its platform. A line without a valid
   * version is skipped (one odd line must not hide the other versions); a file whose every line is such is
   * UPSTREAM_INVALID.
   */
  function parseInfo(name: string, response: Ok, url: string): Map<string, Array<{ platform: string; line: string }>> {
    const details = { url, status: response.status };
    const lines = response.body.toString('utf8').split('\n').map((line) => line.replace(/\r$/, ''));
    const start = lines.findIndex((line) => line.trim() !== '');
    if (start < 0) return new Map();
    if (lines[start]!.trim() !== '---') throw invalid(name, 'compact index file does not start with `---`', details);
    const byVersion = new Map<string, Array<{ platform: string; line: string }>>();
    let firstBad: string | null = null;
    for (let i = start + 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line.trim()) continue;
      const token = line.split(' ', 1)[0]!;
      const { version, platform } = splitVersionPlatform(token);
      if (!rubygemsVersioning.isValid(version) || !platform) {
        firstBad ??= `compact index line ${i + 1} has no valid version (${quoted(token)})`;
        continue;
      }
      const list = byVersion.get(version) ?? [];
      list.push({ platform, line });
      byVersion.set(version, list);
    }
    if (byVersion.size === 0 && firstBad !== null) throw invalid(name, firstBad, details);
    return byVersion;
  }

  function parseJsonBody<T extends z.ZodType>(name: string, response: Ok, url: string, schema: T, what: string): unknown {
    const details = { url, status: response.status };
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8')) as unknown;
    } catch (error) {
      throw invalid(name, `${what} is not valid JSON`, details, error);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw invalid(name, `${what} has an unexpected shape (${describeIssues(parsed.error)})`, details);
    return json;
  }

  /** The versions API list; an entry without a usable `number` is left out, a list of nothing but such is UPSTREAM_INVALID. */
  function readVersions(name: string, response: Ok, url: string): Array<Record<string, unknown>> {
    const list = parseJsonBody(name, response, url, versionsEnvelopeSchema, 'the versions API answer') as unknown[];
    const usable = list.filter((entry): entry is Record<string, unknown> => versionEnvelopeSchema.safeParse(entry).success);
    if (usable.length === 0 && list.length > 0) {
      const issue = versionEnvelopeSchema.safeParse(list[0]);
      throw invalid(name, `the versions API answer has an unexpected shape (${issue.success ? 'no usable entry' : describeIssues(issue.error)})`, { url, status: response.status });
    }
    return usable;
  }

  async function fetchGem(requested: string, context: FetchContext): Promise<FetchResult> {
    const name = normalizeRubygemsName(requested);
    const encoded = encodeURIComponent(name);
    const infoUrl = `${baseUrl}/info/${encoded}`;
    const gemUrl = `${baseUrl}/api/v1/gems/${encoded}.json`;
    const versionsUrl = `${baseUrl}/api/v1/versions/${encoded}.json`;
    const getInfo = () => context.http.get('rubygems', infoUrl, { accept: 'text/plain, */*;q=0.1', conditional: context.conditional });
    const getApis = () =>
      Promise.all([context.http.get('rubygems', gemUrl, { accept: 'application/json' }), context.http.get('rubygems', versionsUrl, { accept: 'application/json' })]);

    let infoAnswer: GetResult;
    let gemAnswer: GetResult;
    let versionsAnswer: GetResult;
    if (context.conditional?.etag || context.conditional?.lastModified) {
      // Every push and yank rewrites the info file: unchanged, the gem is unchanged (bar download counts).
      infoAnswer = await getInfo();
      if (infoAnswer.kind === 'not-modified') return { kind: 'not-modified', validators: infoAnswer.validators };
      [gemAnswer, versionsAnswer] = await getApis();
    } else {
      [infoAnswer, [gemAnswer, versionsAnswer]] = await Promise.all([getInfo(), getApis()]);
      if (infoAnswer.kind === 'not-modified') return { kind: 'not-modified', validators: infoAnswer.validators };
    }

    const info = infoAnswer.kind === 'ok' ? parseInfo(name, infoAnswer, infoUrl) : new Map<string, Array<{ platform: string; line: string }>>();
    const noCompactIndex = infoAnswer.kind === 'not-found';
    const gem = gemAnswer.kind === 'ok' ? (parseJsonBody(name, gemAnswer, gemUrl, gemEnvelopeSchema, 'the gems API answer') as Record<string, unknown>) : null;
    const entries = versionsAnswer.kind === 'ok' ? readVersions(name, versionsAnswer, versionsUrl) : [];
    // The API also finds `Rails` for `rails`: another spelling is not this gem, and must not become a second copy.
    if (gem && gem.name !== name) return { kind: 'not-found' };

    const versions: Record<string, { info: Array<{ platform: string; line: string }> | null; api: Array<Record<string, unknown>> }> = {};
    if (info.size > 0) {
      for (const [version, lines] of info) versions[version] = { info: lines, api: [] };
      // Versions API entries of versions the compact index does not list (a push between the two reads) are left out.
      for (const entry of entries) versions[String(entry.number)]?.api.push(entry);
    } else if (noCompactIndex && entries.length > 0) {
      // A server without the compact index (some mirrors): the versions API, which also lists installable versions only.
      for (const entry of entries) (versions[String(entry.number)] ??= { info: null, api: [] }).api.push(entry);
    } else {
      // Nothing installable. The gems API still describes a yanked most-recent version: that one is reported.
      const yankedVersion = gem?.yanked === true ? text(gem.version) : null;
      if (!yankedVersion) return { kind: 'not-found' };
      versions[yankedVersion] = { info: [], api: [] };
    }
    const validators = infoAnswer.kind === 'ok' ? infoAnswer.validators : { etag: null, lastModified: null };
    return { kind: 'ok', raw: { package: { gem }, versions }, validators };
  }

  return {
    id: 'rubygems',
    purlType: 'gem',
    versioning: rubygemsVersioning,
    normalizeName: normalizeRubygemsName,
    fetch: fetchGem,
    normalize: (name, raw) => normalizeRubygem(name, raw, { baseUrl }),
    toPurlParts: (name) => ({ namespace: null, name }),
    fromPurlParts: (_namespace, name) => name,
    versionDetails: {
      async fetch(name, version, context) {
        const url = `${baseUrl}/api/v2/rubygems/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}.json`;
        const response = await context.http.get('rubygems', url, { accept: 'application/json' });
        if (response.kind !== 'ok') return { kind: 'not-found' };
        const json = parseJsonBody(name, response, url, versionDetailsSchema, `the version API answer for ${quoted(version)}`) as { dependencies: unknown };
        return { kind: 'ok', raw: json.dependencies };
      },
      // No answer still settles the version: it then has no dependencies we can know.
      attach: (rawVersion, details) => ({ ...(rawVersion as Record<string, unknown>), details: details ?? { development: [], runtime: [] } }),
    },
    sourceArchive(record): SourceArchiveSpec | null {
      if (!record.artifactUrl) return null;
      return { url: record.artifactUrl, extension: 'gem', digest: record.checksums.find((c) => c.algorithm === 'sha256') ?? null };
    },
  };
}
