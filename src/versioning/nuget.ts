import type { Versioning } from './types.js';

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
};
