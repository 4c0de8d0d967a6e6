import type { z } from 'zod';
import { UpstreamError } from '../../errors.js';
import { pep440Versioning } from '../../versioning/pep440.js';
import { normalizeHttpUrl } from '../common/repository.js';
import type { Links, NormalizedPackage, PackageRecord, Person, RawDocument, VersionRecord } from '../types.js';
import { checksumsOf, mergeFiles, pickSdist, type PypiFile } from './files.js';
import { isUnknown, pypiLicense } from './license.js';
import { pypiKeywords, pypiLinks } from './links.js';
import { parsePypiPeople } from './people.js';
import { parseRequirements, toDependencyRecord } from './requirements.js';
import {
  packagePartSchema,
  versionDocumentSchema,
  versionPartSchema,
  type PackagePart,
  type ProjectStatus,
  type PypiInfo,
} from './schema.js';
import { describeIssues } from '../common/fields.js';

const EMPTY_LINKS: Links = { repository: null, homepage: null, documentation: null, changelog: null, issues: null };

function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

function parseStored<T extends z.ZodType>(schema: T, value: unknown, name: string, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new UpstreamError('UPSTREAM_INVALID', `PyPI data for ${quoted(name)}: ${what} does not have the expected shape (${describeIssues(parsed.error)})`, { ecosystem: 'pypi' });
  }
  return parsed.data;
}

function text(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && !isUnknown(trimmed) ? trimmed : null;
}

interface Details {
  /** The version's core metadata, or null when not known (yet). */
  info: PypiInfo | null;
  /** True when the per-version document has not been fetched yet. */
  pending: boolean;
}

/**
 * Where a version's metadata comes from: its fetched per-version document (`details`, null when PyPI had none),
 * else the project document's `info` when that describes this version (the latest: no extra request), else
 * pending. Without the JSON API (simple-only indexes) nothing can complete it, so nothing is pending.
 */
function detailsOf(rawVersion: unknown, version: string, project: PackagePart['project']): Details {
  if (rawVersion && typeof rawVersion === 'object' && Object.hasOwn(rawVersion, 'details')) {
    const parsed = versionDocumentSchema.safeParse((rawVersion as { details: unknown }).details);
    return { info: parsed.success ? parsed.data.info : null, pending: false };
  }
  // Exact: `info.version` and the release keys are the same column on PyPI (`1.0` and `1.0.0` may both exist on old projects).
  if (project && project.info.version === version) return { info: project.info, pending: false };
  return { info: null, pending: project !== null };
}

function authorAndMaintainers(info: PypiInfo | null): { author: Person | null; maintainers: Person[] } {
  if (!info) return { author: null, maintainers: [] };
  const authors = parsePypiPeople(info.author, info.author_email);
  const maintainers = parsePypiPeople(info.maintainer, info.maintainer_email);
  // Without a Maintainer field the authors maintain the project.
  return { author: authors[0] ?? null, maintainers: maintainers.length > 0 ? maintainers : authors };
}

function yankReason(files: readonly PypiFile[], sdist: PypiFile | null, info: PypiInfo | null): string | null {
  const reasons = [sdist?.yanked, ...files.map((file) => file.yanked)].filter((reason): reason is string => typeof reason === 'string' && reason !== '');
  return reasons[0] ?? text(info?.yanked_reason);
}

function versionRecord(name: string, version: string, files: PypiFile[], details: Details): VersionRecord {
  const { info } = details;
  const sdist = pickSdist(files);
  // PEP 592 yanks a file; a version is yanked when every file is (installers then skip it unless pinned).
  const yanked = files.every((file) => file.yanked !== false);
  const requiresPython = sdist?.requiresPython ?? files.find((file) => file.requiresPython)?.requiresPython ?? text(info?.requires_python);
  const uploads = files.map((file) => file.uploadTime).filter((time): time is string => time !== null).sort();
  const people = authorAndMaintainers(info);
  const record: VersionRecord = {
    ecosystem: 'pypi',
    name,
    version,
    license: info ? pypiLicense(info) : null,
    releaseDate: uploads[0] ?? null,
    status: yanked ? 'YANKED' : 'ACTIVE',
    prerelease: pep440Versioning.isPrerelease(version),
    deprecatedMessage: yanked ? yankReason(files, sdist, info) : null,
    maintainers: people.maintainers,
    author: people.author,
    dependencies: info ? parseRequirements(info.requires_dist).map(toDependencyRecord) : [],
    links: info ? pypiLinks(info) : EMPTY_LINKS,
    checksums: checksumsOf(sdist),
    sizeBytes: sdist?.size ?? null,
    keywords: pypiKeywords(info?.keywords),
    description: text(info?.summary),
    engines: requiresPython ? { python: requiresPython } : {},
    artifactUrl: sdist ? normalizeHttpUrl(sdist.url) : null,
  };
  if (details.pending) record.detailsPending = true;
  return record;
}

function highest(versions: readonly string[]): string | null {
  let best: string | null = null;
  for (const version of versions) if (best === null || pep440Versioning.compare(version, best) > 0) best = version;
  return best;
}

/**
 * PyPI's latest is the highest non-yanked final release (`info.version` of the project document). The two APIs
 * are cached apart, so a simple API page may list a newer release than a stale project document: the higher
 * of `info.version` and the highest listed non-yanked final release wins (a legacy, non-PEP 440 `info.version`
 * only when no valid final release is listed).
 */
function pickLatest(declared: string | null, records: readonly VersionRecord[]): string | null {
  const usable = records.filter((record) => record.status !== 'YANKED' && !record.prerelease);
  const computed = highest(usable.filter((record) => pep440Versioning.isValid(record.version)).map((record) => record.version));
  const tagged = declared === null ? undefined : usable.find((record) => record.version === declared);
  if (!tagged || computed === null) return tagged?.version ?? computed;
  // Legacy versions sort below every valid one (as on PyPI).
  return !pep440Versioning.isValid(tagged.version) || pep440Versioning.compare(computed, tagged.version) > 0 ? computed : tagged.version;
}

function pickLatestPrerelease(latest: string | null, records: readonly VersionRecord[]): string | null {
  const candidates = records
    .filter((record) => record.status !== 'YANKED' && record.prerelease && pep440Versioning.isValid(record.version))
    .map((record) => record.version)
    .filter((version) => latest === null || pep440Versioning.compare(version, latest) > 0);
  return highest(candidates);
}

/** PEP 792: `deprecated` and `quarantined` projects are reported deprecated; `archived` ones are not. */
function deprecationOf(status: ProjectStatus | undefined): { deprecated: boolean; message: string | null } {
  const value = status?.status?.trim().toLowerCase();
  if (value === 'deprecated') return { deprecated: true, message: text(status?.reason) ?? 'The project is deprecated on PyPI.' };
  if (value === 'quarantined') return { deprecated: true, message: text(status?.reason) ?? 'The project is quarantined on PyPI (suspected malware); its files are not served.' };
  return { deprecated: false, message: null };
}

/** The project's accounts (`ownership.roles`, newer JSON API answers), else the latest version's maintainers. */
function packageMaintainers(pkg: PackagePart, latest: VersionRecord | null): Person[] {
  const users = (pkg.project?.ownership?.roles ?? [])
    .map((role) => role.user?.trim())
    .filter((user): user is string => Boolean(user));
  if (users.length > 0) return [...new Set(users)].map((user) => ({ name: user, email: null, url: null }));
  if (latest) return latest.maintainers;
  return authorAndMaintainers(pkg.project?.info ?? null).maintainers;
}

/** Pure: the raw document as the adapter's fetch splits it (see schema.ts) -> normalized records. */
export function normalizePypiProject(name: string, raw: RawDocument): NormalizedPackage {
  const pkg = parseStored(packagePartSchema, raw.package, name, 'the package document');
  const records: VersionRecord[] = [];
  for (const [version, value] of Object.entries(raw.versions ?? {})) {
    if (!version) continue;
    const part = parseStored(versionPartSchema, value, name, `version ${quoted(version)}`);
    const files = mergeFiles(part.files ?? [], part.releaseFiles ?? []);
    // A release without files (registered but never uploaded, or every file deleted) cannot be installed.
    if (files.length === 0) continue;
    records.push(versionRecord(name, version, files, detailsOf(value, version, pkg.project)));
  }
  records.sort((a, b) => pep440Versioning.compare(b.version, a.version));

  const info = pkg.project?.info ?? null;
  const latestVersion = pickLatest(info?.version ?? null, records);
  const latestPrerelease = pickLatestPrerelease(latestVersion, records);
  const latestRecord = records.find((record) => record.version === latestVersion) ?? null;
  const links = info ? pypiLinks(info) : EMPTY_LINKS;
  const deprecation = deprecationOf(pkg.project?.['project-status'] ?? pkg.simple?.['project-status']);
  const dates = records.map((record) => record.releaseDate).filter((date): date is string => date !== null).sort();

  const record: PackageRecord = {
    ecosystem: 'pypi',
    name,
    description: text(info?.summary) ?? latestRecord?.description ?? null,
    homepage: links.homepage,
    repositoryUrl: links.repository,
    license: info ? pypiLicense(info) : (latestRecord?.license ?? null),
    keywords: pypiKeywords(info?.keywords),
    maintainers: packageMaintainers(pkg, latestRecord),
    deprecated: deprecation.deprecated,
    deprecationMessage: deprecation.message,
    latestVersion,
    latestPrerelease,
    distTags: {},
    versionCount: records.length,
    createdAt: dates[0] ?? null,
    modifiedAt: dates.at(-1) ?? null,
  };
  return { package: record, versions: records };
}
