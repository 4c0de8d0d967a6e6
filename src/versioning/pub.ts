import type { Versioning } from './types.js';

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
};
