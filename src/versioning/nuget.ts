import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/**
 * NuGet versions as NuGet.Versioning's `NuGetVersion.TryParse` reads them: 1 to 4 numeric parts (leading
 * zeros allowed, missing parts are 0), optional release labels after `-` (dot-separated, `[0-9A-Za-z-]`, no
 * leading zeros in numeric labels), optional build metadata after `+`.
 * https://learn.microsoft.com/nuget/concepts/package-versioning
 * https://github.com/NuGet/NuGet.Client/blob/dev/src/NuGet.Core/NuGet.Versioning/NuGetVersionFactory.cs
 */
export interface NuGetVersion {
  major: number;
  minor: number;
  patch: number;
  /** The fourth part (System.Version's Revision), 0 when absent. */
  revision: number;
  /** Release labels, case preserved. Empty for a stable version. */
  releaseLabels: string[];
  /** Build metadata (ignored by precedence), or null. */
  metadata: string | null;
}

const INT32_MAX = 2_147_483_647;
const LABEL_PART = /^[0-9A-Za-z-]+$/;

function validPart(part: string, allowLeadingZeros: boolean): boolean {
  if (!LABEL_PART.test(part)) return false;
  return allowLeadingZeros || !(part.length > 1 && /^0\d+$/.test(part));
}

export function parseNuGetVersion(input: string): NuGetVersion | null {
  const value = input.trim();
  if (!value) return null;
  const dash = value.search(/[-+]/);
  const versionPart = dash < 0 ? value : value.slice(0, dash);
  let labels: string | null = null;
  let metadata: string | null = null;
  if (dash >= 0) {
    const rest = value.slice(dash);
    const plus = rest.indexOf('+');
    if (rest.startsWith('+')) metadata = rest.slice(1);
    else if (plus < 0) labels = rest.slice(1);
    else {
      labels = rest.slice(1, plus);
      metadata = rest.slice(plus + 1);
    }
  }
  const parts = versionPart.split('.');
  if (parts.length > 4 || parts.some((part) => !/^\d+$/.test(part))) return null;
  const numbers = parts.map(Number);
  if (numbers.some((n) => n > INT32_MAX)) return null;
  const releaseLabels = labels === null ? [] : labels.split('.');
  if (labels !== null && !releaseLabels.every((label) => validPart(label, false))) return null;
  if (metadata !== null && !metadata.split('.').every((part) => validPart(part, true))) return null;
  return { major: numbers[0]!, minor: numbers[1] ?? 0, patch: numbers[2] ?? 0, revision: numbers[3] ?? 0, releaseLabels, metadata };
}

/**
 * NuGet's normalized form (`ToNormalizedString`): leading zeros dropped, a zero fourth part omitted, build
 * metadata dropped, release labels as written. `1.01.0.0-Beta+abc` -> `1.1.0-Beta`.
 */
export function formatNuGetVersion(version: NuGetVersion): string {
  const core = `${version.major}.${version.minor}.${version.patch}${version.revision > 0 ? `.${version.revision}` : ''}`;
  return version.releaseLabels.length > 0 ? `${core}-${version.releaseLabels.join('.')}` : core;
}

/** The normalized form of a version string, or null when NuGet would not parse it. */
export function normalizeNuGetVersion(input: string): string | null {
  const parsed = parseNuGetVersion(input);
  return parsed ? formatNuGetVersion(parsed) : null;
}

/** `int.TryParse` on a label: an optional minus sign and digits within Int32. */
function numericLabel(label: string): number | null {
  if (!/^-?\d+$/.test(label)) return null;
  const n = Number(label);
  return n >= -INT32_MAX - 1 && n <= INT32_MAX ? n : null;
}

function compareLabel(a: string, b: string): number {
  const na = numericLabel(a);
  const nb = numericLabel(b);
  if (na !== null && nb !== null) return Math.sign(na - nb);
  if (na !== null) return -1;
  if (nb !== null) return 1;
  // StringComparer.OrdinalIgnoreCase: compare upper-cased UTF-16 code units.
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** `VersionComparer.Default`: numbers (with revision), then release labels (case-insensitive); metadata ignored. */
export function compareNuGetVersions(a: NuGetVersion, b: NuGetVersion): number {
  for (const key of ['major', 'minor', 'patch', 'revision'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  const la = a.releaseLabels;
  const lb = b.releaseLabels;
  if (la.length === 0 || lb.length === 0) return (la.length === 0 ? 1 : 0) - (lb.length === 0 ? 1 : 0);
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (i >= la.length) return -1;
    if (i >= lb.length) return 1;
    const result = compareLabel(la[i]!, lb[i]!);
    if (result !== 0) return result;
  }
  return 0;
}

const cache = new Map<string, NuGetVersion | null>();
function parsed(version: string): NuGetVersion | null {
  let result = cache.get(version);
  if (result === undefined) {
    if (cache.size >= 10_000) cache.clear();
    result = parseNuGetVersion(version);
    cache.set(version, result);
  }
  return result;
}

export const nugetVersioning: Versioning = {
  id: 'nuget',
  isValid: (version) => parsed(version) !== null,
  isPrerelease: (version) => (parsed(version)?.releaseLabels.length ?? 0) > 0,
  compare(a, b) {
    const va = parsed(a);
    const vb = parsed(b);
    if (va && vb) {
      const result = compareNuGetVersions(va, vb);
      if (result !== 0) return result;
      // Equal for NuGet (`1.0.0-Beta` vs `1.0.0-beta`, or differing metadata): keep the order deterministic.
      return a < b ? -1 : a > b ? 1 : 0;
    }
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
  parseConstraint: (constraint) => parseNuGetConstraint(constraint),
};

// ---------------------------------------------------------------------------------------------------------------
// Version ranges, as NuGet.Versioning's VersionRange.TryParse, FloatRange and VersionRange.IsBetter read them.
// https://learn.microsoft.com/nuget/concepts/package-versioning#version-ranges
// https://learn.microsoft.com/nuget/concepts/dependency-resolution
// https://github.com/NuGet/NuGet.Client/blob/dev/src/NuGet.Core/NuGet.Versioning/VersionRangeFactory.cs

/** NuGetVersionFloatBehavior. */
export type NuGetFloatBehavior =
  | 'None' | 'Prerelease' | 'Revision' | 'Patch' | 'Minor' | 'Major' | 'AbsoluteLatest'
  | 'PrereleaseRevision' | 'PrereleasePatch' | 'PrereleaseMinor' | 'PrereleaseMajor';

export interface NuGetFloatRange {
  readonly behavior: NuGetFloatBehavior;
  readonly min: NuGetVersion;
  /** The release label prefix floated on (`beta` in `1.0.0-beta*`), '' for `-*`; null for stable floats. */
  readonly releasePrefix: string | null;
}

export interface NuGetVersionRange {
  readonly min: NuGetVersion | null;
  readonly minInclusive: boolean;
  readonly max: NuGetVersion | null;
  readonly maxInclusive: boolean;
  /** The floating part (`1.*`, `1.0.0-*`); null or behavior None for a plain range. */
  readonly float: NuGetFloatRange | null;
}

const PRERELEASE_FLOATS: ReadonlySet<NuGetFloatBehavior> = new Set([
  'Prerelease', 'PrereleaseMajor', 'PrereleaseMinor', 'PrereleasePatch', 'PrereleaseRevision', 'AbsoluteLatest',
]);

const release = (v: NuGetVersion) => v.releaseLabels.join('.');
const dots = (s: string) => s.split('.').length;

function floatRange(behavior: NuGetFloatBehavior, min: NuGetVersion, releasePrefix: string | null): NuGetFloatRange {
  // Without a given prefix the min version's own label is floated on.
  return { behavior, min, releasePrefix: releasePrefix === null && min.releaseLabels.length > 0 ? release(min) : releasePrefix };
}

/** FloatRange.TryParse: `*`, `*-*`, `1.*`, `1.0.*`, `1.0.0.*`, `1.0.0-beta*`, `1.*-*`, `1.0.*-rc.*` ... */
export function parseNuGetFloatRange(text: string): NuGetFloatRange | null {
  if (text.trim() === '') return null;
  const first = text.indexOf('*');
  const last = text.lastIndexOf('*');
  if (text === '*') return floatRange('Major', parseNuGetVersion('0.0.0')!, null);
  if (text === '*-*') return floatRange('AbsoluteLatest', parseNuGetVersion('0.0.0-0')!, '');
  if (first !== last && last !== -1 && !text.includes('+')) {
    // Two stars: a floating stable part followed by a floating label (`1.*-*`, `1.0.*-beta*`).
    const dash = text.indexOf('-');
    if (dash === -1 || last !== text.length - 1 || first !== dash - 1) return null;
    const stable = `${text.slice(0, dash - 1)}0`;
    const behavior = (['', 'PrereleaseMajor', 'PrereleaseMinor', 'PrereleasePatch', 'PrereleaseRevision'] as const)[dots(stable)];
    const prefix = text.slice(dash + 1, -1);
    // `-*` and `-rc.*` float from the lowest label: 0.
    const label = prefix === '' || prefix.endsWith('.') ? `${prefix}0` : prefix;
    const min = parseNuGetVersion(`${stable}-${label}`);
    return min ? floatRange(behavior || 'None', min, prefix) : null;
  }
  if (last === text.length - 1 && !text.includes('+')) {
    let version = text.slice(0, -1);
    let behavior: NuGetFloatBehavior = 'None';
    let prefix: string | null = null;
    if (!text.includes('-')) {
      version += '0';
      behavior = (['None', 'None', 'Minor', 'Patch', 'Revision'] as const)[dots(version)] ?? 'None';
    } else {
      behavior = 'Prerelease';
      if (text.indexOf('-') === text.lastIndexOf('-')) {
        prefix = version.slice(text.lastIndexOf('-') + 1);
        if (prefix === '' || version.endsWith('.')) version += '0';
        else if (version.endsWith('-')) version += '-';
      }
    }
    const min = parseNuGetVersion(version);
    return min ? floatRange(behavior, min, prefix) : null;
  }
  const min = parseNuGetVersion(text);
  return min ? floatRange('None', min, null) : null;
}

/** VersionRange.TryParse (floating allowed); null where NuGet cannot read the range. */
export function parseNuGetRange(value: string): NuGetVersionRange | null {
  let text = value.trim();
  if (text === '') return null;
  if (text === '*') return { min: parseNuGetVersion('0.0.0'), minInclusive: true, max: null, maxInclusive: true, float: parseNuGetFloatRange('*') };
  let minText: string;
  let maxText: string | null = null;
  let minInclusive = true;
  let maxInclusive = false;
  if (text.startsWith('(') || text.startsWith('[')) {
    minInclusive = text.startsWith('[');
    const close = text[text.length - 1];
    if (close !== ']' && close !== ')') return null;
    maxInclusive = close === ']';
    text = text.slice(1, -1);
    const parts = text.split(',');
    // `(,)` names no bound at all and is invalid; `(, )` (what nuget.org lists for "any version") is not.
    if (parts.length > 2 || parts.every((part) => part === '')) return null;
    // `(1.0)`, `[1.0)` and `(1.0]` are invalid: a single version must be `[1.0]`.
    if (parts.length === 1 && !(minInclusive && maxInclusive)) return null;
    minText = parts[0]!;
    maxText = parts.length === 2 ? parts[1]! : parts[0]!;
  } else {
    // A bare version is a minimum, inclusive.
    minText = text;
  }
  let min: NuGetVersion | null = null;
  let max: NuGetVersion | null = null;
  let float: NuGetFloatRange | null = null;
  if (minText.trim() !== '') {
    if (minText.includes('*')) {
      float = parseNuGetFloatRange(minText);
      if (!float) return null;
      min = float.min;
    } else {
      min = parseNuGetVersion(minText);
      if (!min) return null;
    }
  }
  // The upper bound cannot float.
  if (maxText !== null && maxText.trim() !== '') {
    max = parseNuGetVersion(maxText);
    if (!max) return null;
  }
  if (min && max) {
    const order = compareNuGetVersions(min, max);
    if (order > 0 || (order === 0 && minInclusive !== maxInclusive)) return null;
  }
  return { min, minInclusive, max, maxInclusive, float };
}

function isFloating(range: NuGetVersionRange): boolean {
  return range.float !== null && range.float.behavior !== 'None';
}

/** VersionRangeBase.Satisfies: the bounds only (metadata ignored, labels case-insensitive). */
export function nugetRangeSatisfies(range: NuGetVersionRange, version: NuGetVersion): boolean {
  if (range.min) {
    const order = compareNuGetVersions(range.min, version);
    if (order > 0 || (order === 0 && !range.minInclusive)) return false;
  }
  if (range.max) {
    const order = compareNuGetVersions(range.max, version);
    if (order < 0 || (order === 0 && !range.maxInclusive)) return false;
  }
  return true;
}

/** FloatRange.Satisfies: is the version inside the floating part (`1.*` -> any stable 1.x)? */
export function nugetFloatSatisfies(float: NuGetFloatRange, version: NuGetVersion): boolean {
  const stable = version.releaseLabels.length === 0;
  const labelOk = stable || release(version).toUpperCase().startsWith((float.releasePrefix ?? '').toUpperCase());
  const { min } = float;
  switch (float.behavior) {
    case 'AbsoluteLatest':
      return true;
    case 'Major':
      return stable;
    case 'PrereleaseRevision':
      return min.major === version.major && min.minor === version.minor && min.patch === version.patch && labelOk;
    case 'PrereleasePatch':
      return min.major === version.major && min.minor === version.minor && labelOk;
    case 'PrereleaseMinor':
      return min.major === version.major && labelOk;
    case 'PrereleaseMajor':
      return labelOk;
    case 'Prerelease':
      return min.major === version.major && min.minor === version.minor && min.patch === version.patch && min.revision === version.revision && labelOk;
    case 'Revision':
      return min.major === version.major && min.minor === version.minor && min.patch === version.patch && stable;
    case 'Patch':
      return min.major === version.major && min.minor === version.minor && stable;
    case 'Minor':
      return min.major === version.major && stable;
    case 'None':
      return false;
  }
}

/** IsBetter's first test: prereleases count only when a bound has a label or the range floats on labels. */
function prereleaseAllowed(range: NuGetVersionRange, version: NuGetVersion): boolean {
  if (version.releaseLabels.length === 0) return true;
  if ((range.min?.releaseLabels.length ?? 0) > 0 || (range.max?.releaseLabels.length ?? 0) > 0) return true;
  return range.float !== null && PRERELEASE_FLOATS.has(range.float.behavior);
}

/** VersionRange.IsBetter: may `considering` replace `current` as the best match? */
function isBetter(range: NuGetVersionRange, current: NuGetVersion | null, considering: NuGetVersion): boolean {
  if (!prereleaseAllowed(range, considering) || !nugetRangeSatisfies(range, considering)) return false;
  if (current === null) return true;
  if (isFloating(range)) {
    const float = range.float!;
    const currentIn = nugetFloatSatisfies(float, current);
    const consideringIn = nugetFloatSatisfies(float, considering);
    if (currentIn !== consideringIn) return consideringIn;
    // Both inside the float: the highest. Both outside: the lowest above the float's minimum.
    if (currentIn) return compareNuGetVersions(current, considering) < 0;
    const currentBelow = compareNuGetVersions(current, float.min) < 0;
    const consideringBelow = compareNuGetVersions(considering, float.min) < 0;
    if (currentBelow !== consideringBelow) return currentBelow;
    return currentBelow ? compareNuGetVersions(current, considering) < 0 : compareNuGetVersions(current, considering) > 0;
  }
  // A plain range: the lowest applicable version.
  return compareNuGetVersions(current, considering) > 0;
}

function readRange(constraint: string): NuGetVersionRange {
  const range = parseNuGetRange(constraint);
  if (!range) throw new InvalidInputError(`not a NuGet version range: ${JSON.stringify(constraint.slice(0, 100))}`, 'constraint');
  return range;
}

/**
 * VersionRange.FindBestMatch: the version NuGet restore picks from `versions` (strings NuGet cannot parse are
 * skipped): for a plain range the lowest applicable one; for a floating range the highest inside the float, else
 * the lowest above it. Null when none applies.
 */
export function nugetFindBestMatch(constraint: string, versions: readonly string[]): string | null {
  const range = readRange(constraint);
  let best: { text: string; version: NuGetVersion } | null = null;
  for (const text of versions) {
    const version = parseNuGetVersion(text);
    if (version && isBetter(range, best?.version ?? null, version)) best = { text, version };
  }
  return best?.text ?? null;
}

/**
 * True when NuGet resolves `constraint` to the LOWEST applicable version (every non-floating range: `1.0`,
 * `[1.0,2.0)`, `(,1.0]`); false for floating ranges (`1.*`, `1.0.0-*`, `*`), which take the highest.
 */
export function nugetPrefersLowest(constraint: string | VersionConstraint): boolean {
  return !isFloating(readRange(typeof constraint === 'string' ? constraint : constraint.raw));
}

function formatFloat(float: NuGetFloatRange): string {
  const { min } = float;
  const prefix = float.releasePrefix ?? '';
  switch (float.behavior) {
    case 'None':
      return formatNuGetVersion(min);
    case 'Prerelease':
      return `${formatNuGetVersion({ ...min, releaseLabels: [] })}-${prefix}*`;
    case 'Revision':
      return `${min.major}.${min.minor}.${min.patch}.*`;
    case 'Patch':
      return `${min.major}.${min.minor}.*`;
    case 'Minor':
      return `${min.major}.*`;
    case 'Major':
      return '*';
    case 'PrereleaseRevision':
      return `${min.major}.${min.minor}.${min.patch}.*-${prefix}*`;
    case 'PrereleasePatch':
      return `${min.major}.${min.minor}.*-${prefix}*`;
    case 'PrereleaseMinor':
      return `${min.major}.*-${prefix}*`;
    case 'PrereleaseMajor':
      return `*-${prefix}*`;
    case 'AbsoluteLatest':
      return '*-*';
  }
}

/** VersionRange.ToNormalizedString: `1.0` -> `[1.0.0, )`, `(,1.0]` -> `(, 1.0.0]`, `1.*` -> `[1.*, )`. */
export function normalizeNuGetRange(constraint: string): string {
  const range = readRange(constraint);
  const open = range.min && range.minInclusive ? '[' : '(';
  const low = range.min ? (isFloating(range) ? formatFloat(range.float!) : formatNuGetVersion(range.min)) : '';
  const high = range.max ? formatNuGetVersion(range.max) : '';
  return `${open}${low}, ${high}${range.max && range.maxInclusive ? ']' : ')'}`;
}

/**
 * A NuGet dependency range. `matches(v)`: v is within the bounds, is a prerelease only when a bound has a label or
 * the range floats on labels (`1.0.0-*`, `*-*`, `1.*-rc*`), and, for a floating range, is inside the float
 * (`1.*` -> stable 1.x), the versions NuGet prefers there. What a single predicate cannot say is the choice: NuGet
 * takes the LOWEST applicable version of a plain range and the highest of a float (falling back to the lowest above
 * it); see {@link nugetPrefersLowest} and {@link nugetFindBestMatch}. `exact` for `[1.0]` (normalized: `1.0.0`).
 */
export function parseNuGetConstraint(constraint: string): VersionConstraint {
  const range = readRange(constraint);
  const floating = isFloating(range);
  const pinned = !floating && range.min && range.max && range.minInclusive && range.maxInclusive && compareNuGetVersions(range.min, range.max) === 0;
  return {
    raw: constraint,
    matches(text) {
      const version = parsed(text);
      if (!version || !prereleaseAllowed(range, version) || !nugetRangeSatisfies(range, version)) return false;
      return !floating || nugetFloatSatisfies(range.float!, version);
    },
    exact: pinned ? formatNuGetVersion(range.min!) : null,
  };
}
