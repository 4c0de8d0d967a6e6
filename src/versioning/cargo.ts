import type { Versioning } from './types.js';

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
};
