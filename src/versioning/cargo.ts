import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/**
 * Cargo's scheme: Semantic Versioning 2.0.0 as the Rust `semver` crate reads it (what Cargo and crates.io
 * use): exactly three numeric parts (u64), no leading zeros, no `v` prefix, optional `-pre` and `+build`.
 * https://doc.rust-lang.org/cargo/reference/semver.html, https://docs.rs/semver/latest/semver/struct.Version.html
 */
export interface CargoVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  /** Prerelease identifiers; numeric ones as bigint (they compare numerically). Empty for a release. */
  pre: Array<string | bigint>;
  /** Build metadata identifiers (empty when none). */
  build: Array<string | bigint>;
}

// semver.org's reference grammar; numbers are u64 in Rust, hence bigint.
const NUMERIC = '0|[1-9]\\d*';
const PRE_ID = `(?:${NUMERIC}|\\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const BUILD_ID = '[0-9a-zA-Z-]+';
const VERSION = new RegExp(`^(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`);
const U64_MAX = 2n ** 64n - 1n;

function identifiers(value: string | undefined): Array<string | bigint> {
  if (!value) return [];
  return value.split('.').map((id) => (/^\d+$/.test(id) ? BigInt(id) : id));
}

export function parseCargoVersion(version: string): CargoVersion | null {
  const match = VERSION.exec(version);
  if (!match) return null;
  const [major, minor, patch] = [BigInt(match[1]!), BigInt(match[2]!), BigInt(match[3]!)];
  if (major > U64_MAX || minor > U64_MAX || patch > U64_MAX) return null;
  return { major, minor, patch, pre: identifiers(match[4]), build: identifiers(match[5]) };
}

function compareIdentifiers(a: string | bigint, b: string | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  // Numeric identifiers have lower precedence than alphanumeric ones (SemVer 2.0.0 §11.4.3).
  if (typeof a === 'bigint') return -1;
  if (typeof b === 'bigint') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLists(a: Array<string | bigint>, b: Array<string | bigint>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const result = compareIdentifiers(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

/**
 * SemVer precedence, then build metadata as a tie-breaker (the Rust `semver` crate's `Ord`: a total order,
 * although crates.io refuses two versions that differ only in build metadata).
 */
export function compareCargoVersions(a: CargoVersion, b: CargoVersion): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  if (a.pre.length === 0 || b.pre.length === 0) {
    const byPre = (a.pre.length === 0 ? 1 : 0) - (b.pre.length === 0 ? 1 : 0);
    if (byPre !== 0) return byPre;
  } else {
    const byPre = compareLists(a.pre, b.pre);
    if (byPre !== 0) return byPre;
  }
  return compareLists(a.build, b.build);
}

const cache = new Map<string, CargoVersion | null>();
function parsed(version: string): CargoVersion | null {
  let result = cache.get(version);
  if (result === undefined) {
    if (cache.size >= 10_000) cache.clear();
    result = parseCargoVersion(version);
    cache.set(version, result);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Requirements: a port of the Rust `semver` crate's VersionReq parser and matcher (what Cargo and crates.io use).
// https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html, https://docs.rs/semver/latest/semver/struct.VersionReq.html

export type CargoOp = 'exact' | 'greater' | 'greaterEq' | 'less' | 'lessEq' | 'tilde' | 'caret' | 'wildcard';

/** One comparator of a requirement; a missing minor/patch is a partial version (`^1`, `~1.2`, `1.*`). */
export interface CargoComparator {
  op: CargoOp;
  major: bigint;
  minor: bigint | null;
  patch: bigint | null;
  pre: Array<string | bigint>;
}

class ReqSyntaxError extends Error {}

/** The crate's limit on comparators in one requirement. */
const MAX_COMPARATORS = 32;

function isWildcard(ch: string | undefined): boolean {
  return ch === '*' || ch === 'x' || ch === 'X';
}

function skipSpaces(text: string, at: number): number {
  while (text[at] === ' ') at++; // the crate trims spaces only, not tabs or newlines
  return at;
}

/** A u64 without leading zeros, as `numeric_identifier`. */
function numeric(text: string, at: number, what: string): [bigint, number] {
  let end = at;
  while (end < text.length && text[end]! >= '0' && text[end]! <= '9') end++;
  if (end === at) throw new ReqSyntaxError(end < text.length ? `unexpected ${JSON.stringify(text[end])} where the ${what} number belongs` : `the ${what} number is missing`);
  const digits = text.slice(at, end);
  if (digits.length > 1 && digits.startsWith('0')) throw new ReqSyntaxError(`the ${what} number has a leading zero`);
  const value = BigInt(digits);
  if (value > U64_MAX) throw new ReqSyntaxError(`the ${what} number does not fit in 64 bits`);
  return [value, end];
}

/** Dot-separated [0-9A-Za-z-] identifiers (prerelease or build); numeric prerelease ones without leading zeros. */
function identifierList(text: string, at: number, what: 'prerelease' | 'build'): [string, number] {
  let end = at;
  for (;;) {
    const start = end;
    while (end < text.length && /[0-9A-Za-z-]/.test(text[end]!)) end++;
    const segment = text.slice(start, end);
    if (segment === '') throw new ReqSyntaxError(`empty ${what} identifier`);
    if (what === 'prerelease' && /^\d{2,}$/.test(segment) && segment.startsWith('0')) throw new ReqSyntaxError('a numeric prerelease identifier has a leading zero');
    if (text[end] !== '.') return [text.slice(at, end), end];
    end++;
  }
}

/** One comparator from `at`, as the crate's `comparator`: returns it, the version text as written, and where it ends. */
function comparator(text: string, at: number): [CargoComparator, string, number] {
  let op: CargoOp = 'caret'; // a bare version is a caret requirement
  let defaultOp = false;
  if (text.startsWith('>=', at)) [op, at] = ['greaterEq', at + 2];
  else if (text.startsWith('<=', at)) [op, at] = ['lessEq', at + 2];
  else if (text[at] === '=') [op, at] = ['exact', at + 1];
  else if (text[at] === '>') [op, at] = ['greater', at + 1];
  else if (text[at] === '<') [op, at] = ['less', at + 1];
  else if (text[at] === '~') [op, at] = ['tilde', at + 1];
  else if (text[at] === '^') [op, at] = ['caret', at + 1];
  else defaultOp = true;
  at = skipSpaces(text, at);
  const start = at;

  let major: bigint;
  [major, at] = numeric(text, at, 'major');
  let minor: bigint | null = null;
  let patch: bigint | null = null;
  let wildcard = false;
  if (text[at] === '.') {
    at++;
    if (isWildcard(text[at])) {
      wildcard = true;
      at++;
      if (defaultOp) op = 'wildcard';
    } else [minor, at] = numeric(text, at, 'minor');
  }
  if (text[at] === '.') {
    at++;
    if (isWildcard(text[at])) {
      at++;
      if (defaultOp) op = 'wildcard';
    } else if (wildcard) throw new ReqSyntaxError('a number after a wildcard');
    else [patch, at] = numeric(text, at, 'patch');
  }
  let pre: Array<string | bigint> = [];
  if (patch !== null && text[at] === '-') {
    let list: string;
    [list, at] = identifierList(text, at + 1, 'prerelease');
    pre = identifiers(list);
  }
  // Build metadata is read and ignored, as in the crate.
  if (patch !== null && text[at] === '+') [, at] = identifierList(text, at + 1, 'build');
  const written = text.slice(start, at);
  return [{ op, major, minor, patch, pre }, written, skipSpaces(text, at)];
}

/** Parses a requirement (`^1.2`, `>= 1.2, < 1.5`, `=0.4.2`, `1.*`, `*`) as `VersionReq::from_str`; throws ReqSyntaxError. */
export function parseCargoRequirement(text: string): { comparators: CargoComparator[]; exact: string | null } {
  let at = skipSpaces(text, 0);
  // `*` (or `x`, `X`) stands alone: it cannot be combined with other comparators.
  if (isWildcard(text[at])) {
    const rest = skipSpaces(text, at + 1);
    if (rest === text.length) return { comparators: [], exact: null };
    throw new ReqSyntaxError(text[rest] === ',' ? 'a wildcard must be the only comparator' : 'unexpected text after the wildcard');
  }
  const comparators: CargoComparator[] = [];
  let single: string | null = null;
  for (;;) {
    const [cmp, written, end] = comparator(text, at);
    comparators.push(cmp);
    single = written;
    if (end === text.length) break;
    if (text[end] !== ',') throw new ReqSyntaxError(`expected a comma, found ${JSON.stringify(text[end])}`);
    if (comparators.length === MAX_COMPARATORS) throw new ReqSyntaxError(`more than ${MAX_COMPARATORS} comparators`);
    at = skipSpaces(text, end + 1);
  }
  const only = comparators.length === 1 ? comparators[0]! : null;
  return { comparators, exact: only && only.op === 'exact' && only.patch !== null ? single : null };
}

/** Prerelease order where an empty prerelease (a release) is greater than any prerelease, as the crate's `Prerelease`. */
function comparePre(a: Array<string | bigint>, b: Array<string | bigint>): number {
  if (a.length === 0 || b.length === 0) return (a.length === 0 ? 1 : 0) - (b.length === 0 ? 1 : 0);
  return compareLists(a, b);
}

function matchesExact(cmp: CargoComparator, ver: CargoVersion): boolean {
  if (ver.major !== cmp.major) return false;
  if (cmp.minor !== null && ver.minor !== cmp.minor) return false;
  if (cmp.patch !== null && ver.patch !== cmp.patch) return false;
  return comparePre(ver.pre, cmp.pre) === 0;
}

function matchesGreater(cmp: CargoComparator, ver: CargoVersion): boolean {
  if (ver.major !== cmp.major) return ver.major > cmp.major;
  if (cmp.minor === null) return false;
  if (ver.minor !== cmp.minor) return ver.minor > cmp.minor;
  if (cmp.patch === null) return false;
  if (ver.patch !== cmp.patch) return ver.patch > cmp.patch;
  return comparePre(ver.pre, cmp.pre) > 0;
}

function matchesLess(cmp: CargoComparator, ver: CargoVersion): boolean {
  if (ver.major !== cmp.major) return ver.major < cmp.major;
  if (cmp.minor === null) return false;
  if (ver.minor !== cmp.minor) return ver.minor < cmp.minor;
  if (cmp.patch === null) return false;
  if (ver.patch !== cmp.patch) return ver.patch < cmp.patch;
  return comparePre(ver.pre, cmp.pre) < 0;
}

function matchesTilde(cmp: CargoComparator, ver: CargoVersion): boolean {
  if (ver.major !== cmp.major) return false;
  if (cmp.minor !== null && ver.minor !== cmp.minor) return false;
  if (cmp.patch !== null && ver.patch !== cmp.patch) return ver.patch > cmp.patch;
  return comparePre(ver.pre, cmp.pre) >= 0;
}

function matchesCaret(cmp: CargoComparator, ver: CargoVersion): boolean {
  if (ver.major !== cmp.major) return false;
  if (cmp.minor === null) return true;
  if (cmp.patch === null) return cmp.major > 0n ? ver.minor >= cmp.minor : ver.minor === cmp.minor;
  if (cmp.major > 0n) {
    if (ver.minor !== cmp.minor) return ver.minor > cmp.minor;
    if (ver.patch !== cmp.patch) return ver.patch > cmp.patch;
  } else if (cmp.minor > 0n) {
    if (ver.minor !== cmp.minor) return false;
    if (ver.patch !== cmp.patch) return ver.patch > cmp.patch;
  } else if (ver.minor !== cmp.minor || ver.patch !== cmp.patch) return false;
  return comparePre(ver.pre, cmp.pre) >= 0;
}

function matchesComparator(cmp: CargoComparator, ver: CargoVersion): boolean {
  switch (cmp.op) {
    case 'exact':
    case 'wildcard':
      return matchesExact(cmp, ver);
    case 'greater':
      return matchesGreater(cmp, ver);
    case 'greaterEq':
      return matchesExact(cmp, ver) || matchesGreater(cmp, ver);
    case 'less':
      return matchesLess(cmp, ver);
    case 'lessEq':
      return matchesExact(cmp, ver) || matchesLess(cmp, ver);
    case 'tilde':
      return matchesTilde(cmp, ver);
    case 'caret':
      return matchesCaret(cmp, ver);
  }
}

/**
 * `VersionReq::matches`: every comparator matches, and a prerelease only when some comparator names a
 * prerelease of the same major.minor.patch (`>=1.0.0-beta.2` admits `1.0.0-rc.1`, never `1.1.0-alpha`).
 */
export function cargoRequirementMatches(comparators: readonly CargoComparator[], ver: CargoVersion): boolean {
  if (!comparators.every((cmp) => matchesComparator(cmp, ver))) return false;
  if (ver.pre.length === 0) return true;
  return comparators.some((cmp) => cmp.major === ver.major && cmp.minor === ver.minor && cmp.patch === ver.patch && cmp.pre.length > 0);
}

/** A Cargo dependency requirement as the index stores it (`req`); throws InvalidInputError naming what is wrong. */
export function parseCargoConstraint(constraint: string): VersionConstraint {
  let requirement: ReturnType<typeof parseCargoRequirement>;
  try {
    requirement = parseCargoRequirement(constraint);
  } catch (error) {
    if (!(error instanceof ReqSyntaxError)) throw error;
    throw new InvalidInputError(`not a Cargo version requirement: ${JSON.stringify(constraint.slice(0, 100))} (${error.message})`, 'constraint');
  }
  const { comparators, exact } = requirement;
  return {
    raw: constraint,
    matches(version) {
      const ver = parsed(version);
      return ver !== null && cargoRequirementMatches(comparators, ver);
    },
    exact,
  };
}

export const cargoVersioning: Versioning = {
  id: 'cargo',
  isValid: (version) => parsed(version) !== null,
  isPrerelease: (version) => (parsed(version)?.pre.length ?? 0) > 0,
  compare(a, b) {
    const va = parsed(a);
    const vb = parsed(b);
    if (va && vb) return compareCargoVersions(va, vb);
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
  parseConstraint: parseCargoConstraint,
};
