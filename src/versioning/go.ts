import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/*
 * Go module versions, as golang.org/x/mod/semver and golang.org/x/mod/module read them:
 * semver 2.0 with a mandatory `v`, `vMAJOR` and `vMAJOR.MINOR` shorthands, build metadata ignored for
 * precedence (only `+incompatible` means something), and pseudo-versions, which are prereleases:
 *   vX.0.0-yyyymmddhhmmss-abcdefabcdef         no earlier tag
 *   vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef   after release vX.Y.Z
 *   vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef   after prerelease vX.Y.Z-pre
 * each optionally `+incompatible`.
 * https://go.dev/ref/mod#versions, https://go.dev/ref/mod#pseudo-versions
 */

export interface GoSemver {
  major: string;
  minor: string;
  patch: string;
  /** `.0.0` / `.0` when written as a shorthand (`v1`, `v1.2`), else empty. */
  short: string;
  /** Including the leading `-`, or empty. */
  prerelease: string;
  /** Including the leading `+`, or empty. */
  build: string;
}

function parseInt(text: string, at: number): number {
  if (at >= text.length || text[at]! < '0' || text[at]! > '9') return -1;
  let end = at + 1;
  while (end < text.length && text[end]! >= '0' && text[end]! <= '9') end++;
  // No leading zeros ("v01.0.0" is invalid).
  if (text[at] === '0' && end !== at + 1) return -1;
  return end;
}

const IDENT = /^[0-9A-Za-z-]+$/;

function badNumber(ident: string): boolean {
  return /^[0-9]+$/.test(ident) && ident.length > 1 && ident.startsWith('0');
}

/** golang.org/x/mod/semver's parse: null when `v` is not a valid Go semantic version. */
export function parseGoSemver(v: string): GoSemver | null {
  if (!v.startsWith('v')) return null;
  let at = 1;
  let end = parseInt(v, at);
  if (end < 0) return null;
  const major = v.slice(at, end);
  if (end === v.length) return { major, minor: '0', patch: '0', short: '.0.0', prerelease: '', build: '' };
  if (v[end] !== '.') return null;
  at = end + 1;
  end = parseInt(v, at);
  if (end < 0) return null;
  const minor = v.slice(at, end);
  if (end === v.length) return { major, minor, patch: '0', short: '.0', prerelease: '', build: '' };
  if (v[end] !== '.') return null;
  at = end + 1;
  end = parseInt(v, at);
  if (end < 0) return null;
  const patch = v.slice(at, end);
  let rest = v.slice(end);
  let prerelease = '';
  let build = '';
  if (rest.startsWith('-')) {
    const plus = rest.indexOf('+');
    prerelease = plus < 0 ? rest : rest.slice(0, plus);
    rest = plus < 0 ? '' : rest.slice(plus);
    const idents = prerelease.slice(1).split('.');
    if (idents.some((ident) => !IDENT.test(ident) || badNumber(ident))) return null;
  }
  if (rest.startsWith('+')) {
    build = rest;
    rest = '';
    if (build.slice(1).split('.').some((ident) => !IDENT.test(ident))) return null;
  }
  if (rest !== '') return null;
  return { major, minor, patch, short: '', prerelease, build };
}

export function isValidGoVersion(v: string): boolean {
  return parseGoSemver(v) !== null;
}

/** semver.Canonical: shorthands filled in, build metadata dropped; '' when invalid. */
export function goCanonical(v: string): string {
  const p = parseGoSemver(v);
  if (!p) return '';
  if (p.build) return v.slice(0, v.length - p.build.length);
  return p.short ? v + p.short : v;
}

/** module.CanonicalVersion: like goCanonical but keeps `+incompatible`. */
export function goModuleCanonical(v: string): string {
  const canonical = goCanonical(v);
  return canonical && goBuild(v) === '+incompatible' ? `${canonical}+incompatible` : canonical;
}

/** A version as it may appear in a module's version list: canonical, `+incompatible` the only build suffix. */
export function isCanonicalModuleVersion(v: string): boolean {
  return goModuleCanonical(v) === v;
}

export function goMajor(v: string): string {
  const p = parseGoSemver(v);
  return p ? `v${p.major}` : '';
}

export function goPrerelease(v: string): string {
  return parseGoSemver(v)?.prerelease ?? '';
}

export function goBuild(v: string): string {
  return parseGoSemver(v)?.build ?? '';
}

export function isIncompatible(v: string): boolean {
  return goBuild(v) === '+incompatible';
}

function compareNumber(x: string, y: string): number {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

const NUMERIC = /^[0-9]+$/;

function comparePrerelease(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const dx = xs[i]!;
    const dy = ys[i]!;
    if (dx === dy) continue;
    const nx = NUMERIC.test(dx);
    const ny = NUMERIC.test(dy);
    if (nx !== ny) return nx ? -1 : 1;
    if (nx) return compareNumber(dx, dy);
    return dx < dy ? -1 : 1;
  }
  return xs.length === ys.length ? 0 : xs.length < ys.length ? -1 : 1;
}

/** semver.Compare: precedence only (build metadata ignored); invalid < valid; invalid == invalid. */
export function compareGoSemver(a: string, b: string): number {
  const pa = parseGoSemver(a);
  const pb = parseGoSemver(b);
  if (!pa && !pb) return 0;
  if (!pa) return -1;
  if (!pb) return 1;
  return (
    compareNumber(pa.major, pb.major) ||
    compareNumber(pa.minor, pb.minor) ||
    compareNumber(pa.patch, pb.patch) ||
    comparePrerelease(pa.prerelease, pb.prerelease)
  );
}

// module.pseudoVersionRE
const PSEUDO = /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** module.IsPseudoVersion: one of the three pseudo-version forms (with or without `+incompatible`). */
export function isPseudoVersion(v: string): boolean {
  return (v.match(/-/g)?.length ?? 0) >= 2 && isValidGoVersion(v) && PSEUDO.test(v);
}

export interface PseudoVersionParts {
  /** The tag the pseudo-version builds on (`v1.2.3`, `v1.2.3-pre`), or '' for the `vX.0.0-` form. */
  base: string;
  /** yyyymmddhhmmss (UTC commit time). */
  timestamp: string;
  /** The commit hash prefix (12 hex digits for pseudo-versions made by the go command). */
  revision: string;
  build: string;
}

/** module.PseudoVersionBase / Time / Rev in one pass; null when `v` is not a pseudo-version. */
export function parsePseudoVersion(v: string): PseudoVersionParts | null {
  if (!isPseudoVersion(v)) return null;
  const build = goBuild(v);
  const body = v.slice(0, v.length - build.length);
  // As module.parsePseudoVersion / PseudoVersionBase do it.
  const lastDash = body.lastIndexOf('-');
  const revision = body.slice(lastDash + 1);
  const head = body.slice(0, lastDash);
  const dash = head.lastIndexOf('-');
  const dot = head.lastIndexOf('.');
  const stem = dot > dash ? head.slice(0, dot) : head.slice(0, dash); // "vX.Y.Z-pre.0", "vX.Y.(Z+1)-0" or "vX.0.0"
  const timestamp = head.slice(Math.max(dot, dash) + 1);
  const pre = goPrerelease(stem);
  let base = '';
  if (pre === '-0') {
    // vX.Y.(Z+1)-0.yyyymmddhhmmss-rev builds on vX.Y.Z.
    const release = stem.slice(0, -pre.length);
    const i = release.lastIndexOf('.');
    const patch = BigInt(release.slice(i + 1));
    if (patch > 0n) base = `${release.slice(0, i + 1)}${patch - 1n}${build}`;
  } else if (pre !== '' && stem.endsWith('.0')) {
    base = stem.slice(0, -2) + build; // vX.Y.Z-pre.0.yyyymmddhhmmss-rev builds on vX.Y.Z-pre
  }
  return { base, timestamp, revision, build };
}

/** The commit time a pseudo-version encodes, as ISO-8601, or null. */
export function pseudoVersionTime(v: string): string | null {
  const parts = parsePseudoVersion(v);
  if (!parts) return null;
  const t = parts.timestamp;
  const iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}.000Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || new Date(ms).toISOString() !== iso ? null : iso;
}

/** Go's scheme: golang.org/x/mod/semver ordering; pseudo-versions are prereleases. */
export const goVersioning: Versioning = {
  id: 'go',
  isValid: isValidGoVersion,
  isPrerelease: (version) => goPrerelease(version) !== '',
  compare(a, b) {
    // Equal precedence (v1.0.0 vs v1.0.0+meta, or two invalid strings) falls back to the string, as semver.Sort does.
    const c = compareGoSemver(a, b);
    if (c !== 0) return c;
    return a < b ? -1 : a > b ? 1 : 0;
  },
  parseConstraint: (constraint) => parseGoConstraint(constraint),
};

/**
 * Which module path a version belongs to, by major: v0, v1 and `+incompatible` versions live at the path without a
 * major suffix (''), vN (N >= 2) at `/vN` (https://go.dev/ref/mod#major-version-suffixes).
 */
export function goPathMajor(v: string): string {
  const p = parseGoSemver(v);
  if (!p || p.major === '0' || p.major === '1' || isIncompatible(v)) return '';
  return `/v${p.major}`;
}

/**
 * A go.mod requirement (`require example.com/m v1.2.3`): a minimum version, canonicalized as modfile does
 * (`v1.2` -> `v1.2.0`, build metadata other than `+incompatible` dropped). Pseudo-versions and `+incompatible` are
 * accepted. `matches(v)`: v is at least the minimum and of the same major module path. `exact` is the minimum.
 * Go has no ranges: minimal version selection (https://go.dev/ref/mod#minimal-version-selection) builds with the
 * highest minimum that any module in the graph requires, never a newer release, and ignores retractions; that is
 * the graph's rule, not a property of one requirement.
 */
export function parseGoConstraint(constraint: string): VersionConstraint {
  const written = constraint.trim();
  const minimum = goModuleCanonical(written);
  if (!minimum) {
    throw new InvalidInputError(`not a Go module version: ${JSON.stringify(constraint.slice(0, 100))} (go.mod requires a semantic version such as v1.2.3, or a pseudo-version)`, 'constraint');
  }
  const major = parseGoSemver(minimum)!.major;
  if (isIncompatible(minimum) && (major === '0' || major === '1')) {
    throw new InvalidInputError(`not a Go module version: ${JSON.stringify(constraint.slice(0, 100))} (+incompatible is only for v2 and above)`, 'constraint');
  }
  const path = goPathMajor(minimum);
  return {
    raw: constraint,
    matches: (version) => isValidGoVersion(version) && goPathMajor(version) === path && compareGoSemver(version, minimum) >= 0,
    exact: minimum,
  };
}
