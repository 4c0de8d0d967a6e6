/**
 * Whether a version is affected, exactly as the OSV schema's evaluation pseudocode says
 * (https://ossf.github.io/osv-schema/#evaluation): listed in `versions`, or inside a SEMVER range (SemVer
 * 2.0 precedence) or an ECOSYSTEM range (the ecosystem's own ordering). GIT ranges need a commit graph
 * and are skipped; their records list the tags in `versions`, which still count.
 */
import semver from 'semver';
import type { EcosystemId } from '../ecosystems/ids.js';
import { pep440Equal } from '../versioning/pep440.js';
import { ecosystemOrdering, nativeVersion, osvVersion, packageNameKey, ecosystemFromOsv } from './ecosystems.js';
import type { OsvAffected, OsvRange, OsvRecord } from './schema.js';

/** A total order over the versions `valid` accepts. */
interface Ordering {
  valid(version: string): boolean;
  compare(a: string, b: string): number;
}

const LENIENT_SEMVER = /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * SemVer 2.0 as OSV databases write it: an optional `v` and missing minor/patch (`1.2`) are padded, as
 * osv.dev's own semver normalization does; build metadata is ignored in precedence (SemVer §10).
 */
export function normalizeSemver(version: string): string | null {
  const match = LENIENT_SEMVER.exec(version.trim());
  if (!match) return null;
  const [, major, minor = '0', patch = '0', pre = ''] = match;
  const text = `${major}.${minor}.${patch}${pre}`;
  return semver.valid(text);
}

const SEMVER_ORDERING: Ordering = {
  valid: (version) => normalizeSemver(version) !== null,
  compare: (a, b) => semver.compare(normalizeSemver(a)!, normalizeSemver(b)!),
};

function ecosystemOrder(ecosystem: EcosystemId): Ordering {
  const versioning = ecosystemOrdering(ecosystem);
  return {
    valid: (version) => versioning.isValid(nativeVersion(ecosystem, version)),
    compare: (a, b) => versioning.compare(nativeVersion(ecosystem, a), nativeVersion(ecosystem, b)),
  };
}

type Bound = { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; value: string; rank: -1 | 0 | 1 };

/** Events as (kind, version); `introduced: "0"` sorts before everything and `limit: "*"` after. */
function eventsOf(range: OsvRange): Bound[] {
  const bounds: Bound[] = [];
  for (const event of range.events) {
    if (event.introduced !== undefined) bounds.push({ kind: 'introduced', value: event.introduced, rank: event.introduced === '0' ? -1 : 0 });
    else if (event.fixed !== undefined) bounds.push({ kind: 'fixed', value: event.fixed, rank: 0 });
    else if (event.last_affected !== undefined) bounds.push({ kind: 'last_affected', value: event.last_affected, rank: 0 });
    else if (event.limit !== undefined) bounds.push({ kind: 'limit', value: event.limit, rank: event.limit.includes('*') ? 1 : 0 });
  }
  return bounds;
}

/** `v` against one bound: the special values compare as minus/plus infinity. */
function versusBound(version: string, bound: Bound, order: Ordering): number {
  if (bound.rank !== 0) return -bound.rank;
  return order.compare(version, bound.value);
}

/** IncludedInRanges for one range (the spec's pseudocode, with BeforeLimits). */
export function rangeIncludes(range: OsvRange, version: string, order: Ordering): boolean {
  if (!order.valid(version)) return false;
  // An event whose version this ordering cannot read says nothing usable: it is left out.
  const bounds = eventsOf(range).filter((bound) => bound.rank !== 0 || order.valid(bound.value));
  const limits = bounds.filter((bound) => bound.kind === 'limit');
  if (limits.length > 0 && !limits.some((limit) => versusBound(version, limit, order) < 0)) return false;
  const sorted = bounds
    .filter((bound) => bound.kind !== 'limit')
    .sort((a, b) => (a.rank !== b.rank ? a.rank - b.rank : a.rank !== 0 ? 0 : order.compare(a.value, b.value)));
  let vulnerable = false;
  for (const bound of sorted) {
    const c = versusBound(version, bound, order);
    if (bound.kind === 'introduced' && c >= 0) vulnerable = true;
    else if (bound.kind === 'fixed' && c >= 0) vulnerable = false;
    else if (bound.kind === 'last_affected' && c > 0) vulnerable = false;
  }
  return vulnerable;
}

function sameVersion(ecosystem: EcosystemId, a: string, b: string): boolean {
  if (a === b) return true;
  // PEP 440 spellings of one version (`1.0` == `1.0.0`, `1.0RC1` == `1.0rc1`); NuGet versions ignore case.
  if (ecosystem === 'pypi') return pep440Equal(a, b);
  if (ecosystem === 'nuget') return a.toLowerCase() === b.toLowerCase();
  return false;
}

/** Whether one `affected` entry (of this package) includes `version` (our registry's spelling). */
export function affectedIncludes(affected: OsvAffected, ecosystem: EcosystemId, version: string): boolean {
  const wanted = osvVersion(ecosystem, version);
  if ((affected.versions ?? []).some((listed) => sameVersion(ecosystem, listed, wanted))) return true;
  for (const range of affected.ranges ?? []) {
    if (range.type === 'SEMVER' && rangeIncludes(range, wanted, SEMVER_ORDERING)) return true;
    if (range.type === 'ECOSYSTEM' && rangeIncludes(range, wanted, ecosystemOrder(ecosystem))) return true;
  }
  return false;
}

/** The record's `affected` entries that name this package (same bare ecosystem, same name key). */
export function affectedEntriesFor(record: OsvRecord, ecosystem: EcosystemId, name: string): OsvAffected[] {
  const key = packageNameKey(ecosystem, name);
  return (record.affected ?? []).filter((affected) => {
    const pkg = affected.package;
    return pkg !== undefined && ecosystemFromOsv(pkg.ecosystem) === ecosystem && packageNameKey(ecosystem, pkg.name) === key;
  });
}

/** IsVulnerable: some entry of this package includes the version. Withdrawal is the caller's business. */
export function recordAffects(record: OsvRecord, ecosystem: EcosystemId, name: string, version: string): boolean {
  return affectedEntriesFor(record, ecosystem, name).some((affected) => affectedIncludes(affected, ecosystem, version));
}

/** Ordering used to sort a package's fixed versions for display: the range's own where it is readable. */
export function compareForDisplay(ecosystem: EcosystemId, type: string, a: string, b: string): number {
  const order = type === 'SEMVER' ? SEMVER_ORDERING : ecosystemOrder(ecosystem);
  const va = order.valid(a);
  const vb = order.valid(b);
  if (va && vb) return order.compare(a, b);
  if (va !== vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
