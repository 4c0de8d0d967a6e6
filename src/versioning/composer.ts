import type { Versioning } from './types.js';

/*
 * Composer's version scheme, ported from composer/semver's VersionParser (normalize, normalizeBranch,
 * parseStability) and PHP's version_compare(), which Composer applies to normalized versions.
 * https://github.com/composer/semver/blob/main/src/VersionParser.php
 * https://github.com/php/php-src/blob/master/ext/standard/versioning.c
 */

export type ComposerStability = 'stable' | 'RC' | 'beta' | 'alpha' | 'dev';

/** composer/semver's `$modifierRegex` (possessive quantifiers dropped: JS has none, the matches are the same). */
const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const STABILITY_FLAG = /@(?:stable|RC|beta|alpha|dev)$/i;
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE_BASED = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}$`, 'i');
const STABILITY_SUFFIX = new RegExp(`${MODIFIER}(?:\\+.*)?$`, 'i');
const NUMERIC_BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

/** VersionParser::parseStability: `dev-*` and `*-dev` are dev; `-patch`/`-p`/`-pl` releases are stable. */
export function parseStability(version: string): ComposerStability {
  const value = version.replace(/#.+$/, '');
  if (value.startsWith('dev-') || value.endsWith('-dev')) return 'dev';
  const match = STABILITY_SUFFIX.exec(value.toLowerCase());
  if (match?.[3]) return 'dev';
  switch (match?.[1]) {
    case 'beta':
    case 'b':
      return 'beta';
    case 'alpha':
    case 'a':
      return 'alpha';
    case 'rc':
      return 'RC';
    default:
      return 'stable';
  }
}

function expandStability(stability: string): string {
  const lower = stability.toLowerCase();
  if (lower === 'a') return 'alpha';
  if (lower === 'b') return 'beta';
  if (lower === 'p' || lower === 'pl') return 'patch';
  if (lower === 'rc') return 'RC';
  return lower;
}

/** VersionParser::normalizeBranch: `2.1.x` -> `2.1.9999999.9999999-dev`, anything else -> `dev-<name>`. */
export function normalizeBranch(name: string): string {
  const trimmed = name.trim();
  const match = NUMERIC_BRANCH.exec(trimmed);
  if (match) {
    let version = '';
    for (let i = 1; i < 5; i++) version += match[i] !== undefined ? match[i]!.replace(/[*X]/g, 'x') : '.x';
    return `${version.replace(/x/g, '9999999')}-dev`;
  }
  return `dev-${trimmed}`;
}

/**
 * VersionParser::normalize for a package version (`v2.5` -> `2.5.0.0`, `1.0.0-beta2` -> `1.0.0.0-beta2`,
 * `2.x-dev` -> `2.9999999.9999999.9999999-dev`, `dev-main` kept); null where Composer throws "Invalid version string".
 */
export function normalizeComposerVersion(input: string): string | null {
  let version = input.trim();
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(version);
  if (alias) version = alias[1]!;
  const flag = STABILITY_FLAG.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.toLowerCase().startsWith('dev-')) return `dev-${version.slice(4)}`;
  const build = /^([^,\s+]+)\+\S+$/.exec(version);
  if (build) version = build[1]!;

  let matches = CLASSICAL.exec(version);
  let index = 5;
  if (matches) {
    version = matches[1]! + (matches[2] || '.0') + (matches[3] || '.0') + (matches[4] || '.0');
  } else {
    matches = DATE_BASED.exec(version);
    index = 2;
    if (matches) version = matches[1]!.replace(/\D/g, '.');
  }
  if (matches) {
    const stability = matches[index];
    if (stability) {
      if (stability === 'stable') return version;
      const number = matches[index + 1];
      version += `-${expandStability(stability)}${number ? number.replace(/^[.-]+/, '') : ''}`;
    }
    if (matches[index + 2]) version += '-dev';
    return version;
  }

  const devBranch = /^(.*?)[.-]?dev$/i.exec(version);
  if (devBranch) {
    const normalized = normalizeBranch(devBranch[1]!);
    // A `-dev` suffix is only a version when the branch is numeric (`2.1.x-dev`).
    if (!normalized.includes('dev-')) return normalized;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// PHP's version_compare()

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isAlnum(char: string): boolean {
  return /^[A-Za-z0-9]$/.test(char);
}

/** php_canonicalize_version: `-`, `_`, `+` and other non-alphanumerics become `.`; digit/letter borders get a `.`. */
function canonicalize(version: string): string {
  if (version.length === 0) return '';
  let out = version[0]!;
  let previous = version[0]!;
  for (let i = 1; i < version.length; i++) {
    const char = version[i]!;
    const last = out[out.length - 1];
    const isSpecial = char === '-' || char === '_' || char === '+';
    const digitNow = isDigit(char);
    const digitBefore = isDigit(previous);
    const border = (previous !== '.' && !digitBefore && digitNow) || (digitBefore && char !== '.' && !digitNow);
    if (isSpecial) {
      if (last !== '.') out += '.';
    } else if (border) {
      if (last !== '.') out += '.';
      out += char;
    } else if (!isAlnum(char)) {
      if (last !== '.') out += '.';
    } else {
      out += char;
    }
    previous = char;
  }
  return out;
}

/** Order of PHP's special forms, matched as prefixes in this order (`#` stands for a number). */
const SPECIAL_FORMS: ReadonlyArray<[string, number]> = [
  ['dev', 0], ['alpha', 1], ['a', 1], ['beta', 2], ['b', 2], ['RC', 3], ['rc', 3], ['#', 4], ['pl', 5], ['p', 5],
];

function specialOrder(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) if (form.startsWith(name)) return order;
  return -1;
}

function compareSpecial(a: string, b: string): number {
  return Math.sign(specialOrder(a) - specialOrder(b));
}

/** Numeric parts compare as integers (PHP uses strtol; digit strings compare exactly here, whatever their length). */
function compareDigits(a: string, b: string): number {
  const x = /^\d+/.exec(a)![0].replace(/^0+(?=\d)/, '');
  const y = /^\d+/.exec(b)![0].replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** php_version_compare: -1, 0 or 1 (walks the parts as the C code does, including its handling of stray dots). */
export function phpVersionCompare(a: string, b: string): number {
  if (!a || !b) return !a && !b ? 0 : a ? 1 : -1;
  const v1 = a.startsWith('#') ? a : canonicalize(a);
  const v2 = b.startsWith('#') ? b : canonicalize(b);
  let p1 = 0;
  let p2 = 0;
  let n1: number | null = 0;
  let n2: number | null = 0;
  let compare = 0;
  while (p1 < v1.length && p2 < v2.length && n1 !== null && n2 !== null) {
    const dot1 = v1.indexOf('.', p1);
    const dot2 = v2.indexOf('.', p2);
    n1 = dot1 === -1 ? null : dot1;
    n2 = dot2 === -1 ? null : dot2;
    const part1 = v1.slice(p1, n1 ?? v1.length);
    const part2 = v2.slice(p2, n2 ?? v2.length);
    if (isDigit(part1[0]) && isDigit(part2[0])) compare = compareDigits(part1, part2);
    else if (!isDigit(part1[0]) && !isDigit(part2[0])) compare = compareSpecial(part1, part2);
    else compare = isDigit(part1[0]) ? compareSpecial('#N#', part2) : compareSpecial(part1, '#N#');
    if (compare !== 0) return compare;
    if (n1 !== null) p1 = n1 + 1;
    if (n2 !== null) p2 = n2 + 1;
  }
  // One side has parts left: a number there makes it bigger, a special form is compared with "a number".
  if (n1 !== null) return isDigit(v1[p1]) ? 1 : phpVersionCompare(v1.slice(p1), '#N#');
  if (n2 !== null) return isDigit(v2[p2]) ? -1 : phpVersionCompare('#N#', v2.slice(p2));
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------

export function isBranch(normalized: string): boolean {
  return normalized.startsWith('dev-');
}

/**
 * Orders normalized versions (`version_normalized`): numbered versions by version_compare; `dev-*` branches,
 * which Composer never compares with versions, sort below every numbered version and among themselves by name.
 */
export function compareNormalized(a: string, b: string): number {
  const branchA = isBranch(a);
  const branchB = isBranch(b);
  if (branchA || branchB) {
    if (branchA && branchB) return a < b ? -1 : a > b ? 1 : 0;
    return branchA ? -1 : 1;
  }
  return phpVersionCompare(a, b);
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Composer (Packagist): `v` prefixes, 4-part versions, `-beta2`/`-RC1`/`-patch1`/`-dev`, `dev-<branch>`. */
export const composerVersioning: Versioning = {
  id: 'composer',
  isValid: (version) => normalizeComposerVersion(version) !== null,
  isPrerelease: (version) => parseStability(version) !== 'stable',
  compare(a, b) {
    const na = normalizeComposerVersion(a);
    const nb = normalizeComposerVersion(b);
    if (na === null || nb === null) {
      if (na !== null) return 1;
      if (nb !== null) return -1;
      return byString(a, b);
    }
    // Equal precedence (`v1.0` and `1.0.0`) still needs a stable order.
    return compareNormalized(na, nb) || byString(a, b);
  },
};
