import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/*
 * pub's scheme (package:pub_semver): semver 2.0 syntax, but build metadata takes part in the order
 * (`1.0.0 < 1.0.0+1 < 1.0.0+2`), as Version.compareTo does.
 * https://github.com/dart-lang/pub_semver/blob/master/lib/src/version.dart
 */

const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export interface PubVersion {
  major: string;
  minor: string;
  patch: string;
  /** Dot-separated identifiers; empty when none. */
  preRelease: string[];
  build: string[];
}

export function parsePubVersion(version: string): PubVersion | null {
  const match = VERSION.exec(version);
  if (!match) return null;
  return {
    major: match[1]!,
    minor: match[2]!,
    patch: match[3]!,
    preRelease: match[4] ? match[4].split('.') : [],
    build: match[5] ? match[5].split('.') : [],
  };
}

/** Digit strings as integers, whatever their length (pub parses `01` as 1). */
function compareIntegers(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

const NUMERIC = /^\d+$/;

/** pub_semver's _compareLists: numbers before strings, numbers numerically, a missing part before a present one. */
function compareLists(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xNumeric = NUMERIC.test(x);
    const yNumeric = NUMERIC.test(y);
    if (xNumeric && yNumeric) {
      const compared = compareIntegers(x, y);
      if (compared !== 0) return compared;
      continue;
    }
    if (xNumeric) return -1;
    if (yNumeric) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Version.compareTo: prereleases before their release; a build after no build, then builds compared as lists. */
export function comparePubVersions(a: PubVersion, b: PubVersion): number {
  const core = compareIntegers(a.major, b.major) || compareIntegers(a.minor, b.minor) || compareIntegers(a.patch, b.patch);
  if (core !== 0) return core;
  const preA = a.preRelease.length > 0;
  const preB = b.preRelease.length > 0;
  if (!preA && preB) return 1;
  if (preA && !preB) return -1;
  const pre = compareLists(a.preRelease, b.preRelease);
  if (pre !== 0) return pre;
  if (a.build.length === 0 && b.build.length > 0) return -1;
  if (b.build.length === 0 && a.build.length > 0) return 1;
  return compareLists(a.build, b.build);
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Constraints: package:pub_semver's `VersionConstraint.parse` and `allows`.
// https://dart.dev/tools/pub/dependencies#version-constraints,
// https://github.com/dart-lang/pub_semver/blob/master/lib/src/version_constraint.dart

/** A version range; `null` bounds are open. A single version is `min == max`, both included. */
export interface PubRange {
  min: PubVersion | null;
  max: PubVersion | null;
  includeMin: boolean;
  includeMax: boolean;
}

// Escaped dots as in pub_semver > 2.1.0 (older releases matched any character there, e.g. `1x2x3`).
const START_VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?/;
const START_COMPARISON = /^[<>]=?/;
const INT64_MAX = 2n ** 63n - 1n;

class ConstraintSyntaxError extends Error {}

const isPre = (v: PubVersion) => v.preRelease.length > 0;
const sameRelease = (a: PubVersion, b: PubVersion) => compareIntegers(a.major, b.major) === 0 && compareIntegers(a.minor, b.minor) === 0 && compareIntegers(a.patch, b.patch) === 0;
const release = (major: bigint, minor: bigint, patch: bigint, pre: string[] = []): PubVersion => ({ major: String(major), minor: String(minor), patch: String(patch), preRelease: pre, build: [] });

/** `VersionRange(...)`: an exclusive upper bound that is a release excludes its own prereleases (`<2.0.0` is `<2.0.0-0`) unless the lower bound is a prerelease of it. */
function versionRange(min: PubVersion | null, includeMin: boolean, max: PubVersion | null, includeMax: boolean): PubRange {
  if (!includeMax && max && !isPre(max) && max.build.length === 0 && (!min || !isPre(min) || !sameRelease(min, max))) {
    max = release(BigInt(max.major), BigInt(max.minor), BigInt(max.patch), ['0']);
  }
  return { min, max, includeMin, includeMax };
}

/** `^v`: from v up to the next breaking version (the next major, or the next minor below 1.0.0), its prereleases excluded. */
function compatibleWith(v: PubVersion): PubRange {
  const [major, minor] = [BigInt(v.major), BigInt(v.minor)];
  const next = major === 0n ? release(0n, minor + 1n, 0n, ['0']) : release(major + 1n, 0n, 0n, ['0']);
  return { min: v, max: next, includeMin: true, includeMax: false };
}

/** Parses a pub constraint: `any` is a range without bounds, `'empty'` a constraint nothing satisfies (`>2.0.0 <1.0.0`). */
export function parsePubRange(source: string): PubRange | 'empty' {
  let text = source.trim();
  if (text === 'any') return { min: null, max: null, includeMin: false, includeMax: false };

  const matchVersion = (): PubVersion | null => {
    const match = START_VERSION.exec(text);
    if (!match) return null;
    // Dart ints are 64-bit: larger numbers fail Version.parse.
    if ([match[1], match[2], match[3]].some((n) => BigInt(n!) > INT64_MAX)) throw new ConstraintSyntaxError(`${JSON.stringify(match[0])} has a number too large`);
    text = text.slice(match[0].length);
    return parsePubVersion(match[0]);
  };
  const matchComparison = (): PubRange | null => {
    const match = START_COMPARISON.exec(text);
    if (!match) return null;
    const op = match[0];
    text = text.slice(op.length).trim();
    const version = matchVersion();
    if (!version) throw new ConstraintSyntaxError(`expected a version after "${op}"`);
    switch (op) {
      case '<=':
        return { min: null, max: version, includeMin: false, includeMax: true };
      case '<':
        // alwaysIncludeMaxPreRelease: the final range decides about the bound's prereleases.
        return { min: null, max: version, includeMin: false, includeMax: false };
      case '>=':
        return { min: version, max: null, includeMin: true, includeMax: false };
      default:
        return { min: version, max: null, includeMin: false, includeMax: false };
    }
  };

  if (text.startsWith('^')) {
    text = text.slice(1).trim();
    const version = matchVersion();
    if (!version) throw new ConstraintSyntaxError('expected a version after "^"');
    if (text !== '') throw new ConstraintSyntaxError('"^" cannot be combined with other constraints');
    return compatibleWith(version);
  }

  let min: PubVersion | null = null;
  let max: PubVersion | null = null;
  let includeMin = false;
  let includeMax = false;
  for (;;) {
    text = text.trim();
    if (text === '') break;
    const single = matchVersion();
    const next = single ? { min: single, max: single, includeMin: true, includeMax: true } : matchComparison();
    if (!next) throw new ConstraintSyntaxError(`unknown text at ${JSON.stringify(text.slice(0, 40))}`);
    // The tightest bounds win; on a tie an exclusive bound beats an inclusive one.
    if (next.min) {
      if (min === null || comparePubVersions(next.min, min) > 0) [min, includeMin] = [next.min, next.includeMin];
      else if (comparePubVersions(next.min, min) === 0 && !next.includeMin) includeMin = false;
    }
    if (next.max) {
      if (max === null || comparePubVersions(next.max, max) < 0) [max, includeMax] = [next.max, next.includeMax];
      else if (comparePubVersions(next.max, max) === 0 && !next.includeMax) includeMax = false;
    }
  }
  if (min === null && max === null) throw new ConstraintSyntaxError('it is empty');
  if (min && max) {
    const order = comparePubVersions(min, max);
    if (order > 0) return 'empty';
    // A single version (`1.2.3`, `>=1.2.3 <=1.2.3`): the same object at both ends.
    if (order === 0) return includeMin && includeMax ? { min, max: min, includeMin, includeMax } : 'empty';
  }
  return versionRange(min, includeMin, max, includeMax);
}

export function formatPubVersion(v: PubVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.preRelease.length > 0 ? `-${v.preRelease.join('.')}` : ''}${v.build.length > 0 ? `+${v.build.join('.')}` : ''}`;
}

/** `VersionRange.allows`. */
export function pubRangeAllows(range: PubRange, v: PubVersion): boolean {
  if (range.min) {
    const order = comparePubVersions(v, range.min);
    if (order < 0 || (order === 0 && !range.includeMin)) return false;
  }
  if (range.max) {
    const order = comparePubVersions(v, range.max);
    if (order > 0 || (order === 0 && !range.includeMax)) return false;
  }
  return true;
}

/** What the pub adapter writes for git, path, SDK and other-host dependencies (`git: <url> (ref: main)`). */
const NON_HOSTED = /^(?:git|path|sdk|hosted):/;

/**
 * A pub dependency constraint (`^1.2.3`, `>=1.0.0 <2.0.0`, `1.2.3`, `any`). `matches` is pub_semver's `allows`:
 * a prerelease inside the range matches (`^1.0.0` allows `1.5.0-beta`), except prereleases of an exclusive
 * release upper bound. pub's solver then prefers the highest release and takes a prerelease only when no
 * release is allowed (PackageLister.bestVersion): that choice belongs to the caller, not to a version test.
 */
export function parsePubConstraint(constraint: string): VersionConstraint {
  if (NON_HOSTED.test(constraint.trim())) {
    throw new InvalidInputError(`not a registry dependency: ${JSON.stringify(constraint.slice(0, 100))} (git, path, SDK and other-host dependencies are not resolved)`, 'constraint');
  }
  let range: PubRange | 'empty';
  try {
    range = parsePubRange(constraint);
  } catch (error) {
    if (!(error instanceof ConstraintSyntaxError)) throw error;
    throw new InvalidInputError(`not a pub version constraint: ${JSON.stringify(constraint.slice(0, 100))} (${error.message})`, 'constraint');
  }
  const single = range !== 'empty' && range.min !== null && range.max === range.min ? range.min : null;
  return {
    raw: constraint,
    matches(version) {
      const v = parsePubVersion(version);
      return v !== null && range !== 'empty' && pubRangeAllows(range, v);
    },
    exact: single ? formatPubVersion(single) : null,
  };
}

export const pubVersioning: Versioning = {
  id: 'pub',
  isValid: (version) => parsePubVersion(version) !== null,
  isPrerelease: (version) => (parsePubVersion(version)?.preRelease.length ?? 0) > 0,
  compare(a, b) {
    const va = parsePubVersion(a);
    const vb = parsePubVersion(b);
    if (va && vb) return comparePubVersions(va, vb) || byString(a, b);
    if (va) return 1;
    if (vb) return -1;
    return byString(a, b);
  },
  parseConstraint: parsePubConstraint,
};
