import type { Versioning } from './types.js';

/**
 * Hex versions are Elixir `Version`s: Semantic Versioning 2.0.0, strictly (three numeric parts, no leading
 * zeros, no `v` prefix). https://hexdocs.pm/elixir/Version.html
 */
export interface HexVersion {
  major: number;
  minor: number;
  patch: number;
  /** Prerelease identifiers; numeric ones as numbers (they compare numerically). Empty for a release. */
  pre: Array<string | number>;
  /** Build metadata, ignored for precedence. */
  build: string | null;
}

// semver.org's reference grammar (numeric identifiers without leading zeros).
const NUMERIC = '0|[1-9]\\d*';
const PRE_ID = `(?:${NUMERIC}|\\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const VERSION = new RegExp(`^(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$`);

export function parseHexVersion(version: string): HexVersion | null {
  const match = VERSION.exec(version);
  if (!match) return null;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor) || !Number.isSafeInteger(patch)) return null;
  const pre = match[4] ? match[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major, minor, patch, pre, build: match[5] ?? null };
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Numeric identifiers have lower precedence than alphanumeric ones (SemVer 2.0.0 §11.4.3).
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer precedence (build metadata ignored), as `Version.compare/2` does. */
export function compareHexVersions(a: HexVersion, b: HexVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.pre.length === 0 || b.pre.length === 0) return (a.pre.length === 0 ? 1 : 0) - (b.pre.length === 0 ? 1 : 0);
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const result = compareIdentifiers(a.pre[i]!, b.pre[i]!);
    if (result !== 0) return Math.sign(result);
  }
  return a.pre.length - b.pre.length;
}

const cache = new Map<string, HexVersion | null>();
function parsed(version: string): HexVersion | null {
  let result = cache.get(version);
  if (result === undefined) {
    if (cache.size >= 10_000) cache.clear();
    result = parseHexVersion(version);
    cache.set(version, result);
  }
  return result;
}

export const hexVersioning: Versioning = {
  id: 'hex',
  isValid: (version) => parsed(version) !== null,
  isPrerelease: (version) => (parsed(version)?.pre.length ?? 0) > 0,
  compare(a, b) {
    const va = parsed(a);
    const vb = parsed(b);
    if (va && vb) {
      const result = Math.sign(compareHexVersions(va, vb));
      if (result !== 0) return result;
      // Equal precedence (`1.0.0+a` vs `1.0.0+b`): order by build so sorting stays deterministic.
      const ba = va.build ?? '';
      const bb = vb.build ?? '';
      return ba < bb ? -1 : ba > bb ? 1 : 0;
    }
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
};
