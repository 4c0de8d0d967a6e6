import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

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
  parseConstraint: (constraint) => parseComposerConstraint(constraint),
};

// ---------------------------------------------------------------------------------------------------------------
// Constraints: a port of composer/semver's VersionParser::parseConstraints and Constraint::matchSpecific, with the
// stability rule of Composer's RootPackageLoader::extractStabilityFlags and the pool's minimum-stability filter.
// https://getcomposer.org/doc/articles/versions.md
// https://github.com/composer/semver/blob/main/src/VersionParser.php
// https://github.com/composer/composer/blob/main/src/Composer/Package/Loader/RootPackageLoader.php

type ComposerOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** One comparison against a normalized version (`>= 1.2.0.0-dev`). */
export interface ComposerComparison {
  readonly operator: ComposerOperator;
  readonly version: string;
}

/** OR of AND-groups; an empty group matches everything (`*`). */
export type ComposerConstraintGroups = ComposerComparison[][];

/** BasePackage::STABILITIES: a smaller number is more stable. */
export const COMPOSER_STABILITY_RANK: Readonly<Record<ComposerStability, number>> = { stable: 0, RC: 5, beta: 10, alpha: 15, dev: 20 };

const STABILITY_NAMES = 'stable|RC|beta|alpha|dev';
const OR_SPLIT = /\s*\|\|?\s*/;
// A space or comma separates AND parts, except around operators, `as` aliases and hyphen ranges.
const AND_SPLIT = /(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)/;
const VERSION_PATTERN = `v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:${MODIFIER}|\\.([xX*][.-]?dev))(?:\\+[^\\s]+)?`;
const TILDE = new RegExp(`^~>?${VERSION_PATTERN}$`, 'i');
const CARET = new RegExp(`^\\^${VERSION_PATTERN}($)`, 'i');
const X_RANGE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+$/;
const HYPHEN = new RegExp(`^(${VERSION_PATTERN}) +- +(${VERSION_PATTERN})($)`, 'i');
const BASIC = /^(<>|!=|>=?|<=?|==?)?\s*(.*)/;
// Deliberately without the `i` flag, as in VersionParser: an `-RC1` bound written in any case is read as lower-case
// here, does not match `RC`, and so gets the `-dev` suffix too.
const TRAILING_MODIFIER = new RegExp(`-${MODIFIER}$`);

/** PHP's empty(): '', '0' and unmatched groups. */
function phpEmpty(value: string | undefined): boolean {
  return value === undefined || value === '' || value === '0';
}

/** VersionParser::manipulateVersionString: zero the parts after `position`, bump the one at it. */
function bumpVersion(parts: ReadonlyArray<string | undefined>, position: number, increment: 0 | 1 = 0): string {
  const out = [...parts];
  for (let i = 4; i > 0; i--) {
    if (i > position) out[i] = '0';
    else if (i === position && increment) out[i] = (BigInt(out[i] || '0') + 1n).toString();
  }
  return `${out[1] ?? ''}.${out[2] ?? ''}.${out[3] ?? ''}.${out[4] ?? ''}`;
}

class ConstraintSyntaxError extends Error {}

function normalizeOrThrow(version: string): string {
  const normalized = normalizeComposerVersion(version);
  if (normalized === null) throw new ConstraintSyntaxError(`invalid version string ${JSON.stringify(version)}`);
  return normalized;
}

function comparison(operator: string, version: string): ComposerComparison {
  const op = operator === '' || operator === '=' ? '==' : operator === '<>' ? '!=' : operator;
  return { operator: op as ComposerOperator, version };
}

/** VersionParser::parseConstraint for one AND part; `[]` is MatchAllConstraint. */
function parseSingle(input: string): ComposerComparison[] {
  let constraint = input;
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(constraint);
  if (alias) constraint = alias[1]!;
  let stabilityModifier: string | null = null;
  const flag = new RegExp(`^([^,\\s]*?)@(${STABILITY_NAMES})$`, 'i').exec(constraint);
  if (flag) {
    constraint = flag[1] !== '' ? flag[1]! : '*';
    if (flag[2] !== 'stable') stabilityModifier = flag[2]!;
  }
  const ref = /^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$/i.exec(constraint);
  if (ref) constraint = ref[1]!;

  const any = /^(v)?[xX*](\.[xX*])*$/i.exec(constraint);
  if (any) return any[1] || any[2] ? [{ operator: '>=', version: '0.0.0.0-dev' }] : [];

  let m = TILDE.exec(constraint);
  if (m) {
    if (constraint.startsWith('~>')) throw new ConstraintSyntaxError('invalid operator "~>", you probably meant to use the "~" operator');
    let position = m[4] ? 4 : m[3] ? 3 : m[2] ? 2 : 1;
    // `~2.x-dev` / `~3.0.x-dev` shift to the next number although no number matched there.
    if (!phpEmpty(m[8])) position++;
    const suffix = phpEmpty(m[5]) && phpEmpty(m[7]) && phpEmpty(m[8]) ? '-dev' : '';
    const low = normalizeOrThrow((constraint + suffix).slice(1));
    return [{ operator: '>=', version: low }, { operator: '<', version: `${bumpVersion(m, Math.max(1, position - 1), 1)}-dev` }];
  }

  m = CARET.exec(constraint);
  if (m) {
    const position = m[1] !== '0' || !m[2] ? 1 : m[2] !== '0' || !m[3] ? 2 : 3;
    const suffix = phpEmpty(m[5]) && phpEmpty(m[7]) && phpEmpty(m[8]) ? '-dev' : '';
    const low = normalizeOrThrow((constraint + suffix).slice(1));
    return [{ operator: '>=', version: low }, { operator: '<', version: `${bumpVersion(m, position, 1)}-dev` }];
  }

  m = X_RANGE.exec(constraint);
  if (m) {
    const position = m[3] ? 3 : m[2] ? 2 : 1;
    const low = `${bumpVersion(m, position)}-dev`;
    const high = { operator: '<' as const, version: `${bumpVersion(m, position, 1)}-dev` };
    return low === '0.0.0.0-dev' ? [high] : [{ operator: '>=', version: low }, high];
  }

  m = HYPHEN.exec(constraint);
  if (m) {
    const lowSuffix = phpEmpty(m[6]) && phpEmpty(m[8]) && phpEmpty(m[9]) ? '-dev' : '';
    const lower: ComposerComparison = { operator: '>=', version: normalizeOrThrow(m[1]!) + lowSuffix };
    // A full right-hand version is inclusive; a partial one (`2.0`) means "up to 2.0.*".
    const numberGiven = (value: string | undefined) => value !== undefined && value !== '';
    if ((numberGiven(m[12]) && numberGiven(m[13])) || !phpEmpty(m[15]) || !phpEmpty(m[17]) || !phpEmpty(m[18])) {
      return [lower, { operator: '<=', version: normalizeOrThrow(m[10]!) }];
    }
    normalizeOrThrow(m[10]!);
    const high = bumpVersion(['', m[11], m[12], m[13], m[14]], numberGiven(m[12]) ? 2 : 1, 1);
    return [lower, { operator: '<', version: `${high}-dev` }];
  }

  const basic = BASIC.exec(constraint)!;
  const written = basic[2]!;
  let version = normalizeComposerVersion(written);
  // `foobar-dev` is read as the branch `dev-foobar`.
  if (version === null && written.endsWith('-dev') && /^[0-9a-zA-Z-./]+$/.test(written)) version = normalizeComposerVersion(`dev-${written.slice(0, -4)}`);
  if (version === null) throw new ConstraintSyntaxError(`invalid version string ${JSON.stringify(written)}`);
  const operator = basic[1] ?? '';
  if (operator !== '==' && operator !== '=' && operator !== '' && stabilityModifier !== null && parseStability(version) === 'stable') {
    version += `-${stabilityModifier}`;
  } else if ((operator === '<' || operator === '>=') && !TRAILING_MODIFIER.test(written.toLowerCase()) && !written.startsWith('dev-')) {
    // `>=1.2` starts at 1.2's dev releases; `<1.3` ends before 1.3's.
    version += '-dev';
  }
  return [comparison(operator, version)];
}

function splitConstraint(constraint: string): string[][] {
  return constraint.trim().split(OR_SPLIT).map((or) => or.split(AND_SPLIT));
}

/** VersionParser::parseConstraints: OR (`||`, `|`) of AND groups (space or comma). Throws InvalidInputError. */
export function parseComposerConstraintGroups(constraint: string): ComposerConstraintGroups {
  try {
    return splitConstraint(constraint).map((and) => and.flatMap(parseSingle));
  } catch (error) {
    if (!(error instanceof ConstraintSyntaxError)) throw error;
    throw new InvalidInputError(`not a Composer version constraint: ${JSON.stringify(constraint.slice(0, 100))} (${error.message})`, 'constraint');
  }
}

/**
 * The least stable release the requirement accepts with the default `minimum-stability: stable`, as
 * RootPackageLoader::extractStabilityFlags reads it: the most unstable explicit `@flag` of any part, else the
 * stability of any part written as a bare version (`1.0.0-beta2`, `^2.1-RC1`, `dev-main`, `2.x-dev`).
 */
export function composerAllowedStability(constraint: string): ComposerStability {
  const parts = splitConstraint(constraint).flat();
  let explicit: ComposerStability | null = null;
  for (const part of parts) {
    const flag = new RegExp(`^[^@]*?@(${STABILITY_NAMES})$`, 'i').exec(part);
    if (!flag) continue;
    const stability = (flag[1]!.toLowerCase() === 'rc' ? 'RC' : flag[1]!.toLowerCase()) as ComposerStability;
    if (explicit === null || COMPOSER_STABILITY_RANK[stability] > COMPOSER_STABILITY_RANK[explicit]) explicit = stability;
  }
  if (explicit !== null) return explicit;
  let inferred: ComposerStability = 'stable';
  for (const part of parts) {
    const written = part.replace(/^([^,\s@]+) as .+$/, '$1');
    if (!/^[^,\s@]+$/.test(written)) continue;
    const stability = parseStability(written);
    if (COMPOSER_STABILITY_RANK[stability] > COMPOSER_STABILITY_RANK[inferred]) inferred = stability;
  }
  return inferred;
}

/**
 * Constraint::matchSpecific against a package version (`== normalized`): `dev-*` branches equal only themselves
 * and are never above or below a numbered version; everything else is PHP's version_compare.
 */
export function composerComparisonMatches(c: ComposerComparison, normalized: string): boolean {
  const branch = isBranch(normalized) || isBranch(c.version);
  if (c.operator === '!=') return branch ? normalized !== c.version : phpVersionCompare(normalized, c.version) !== 0;
  if (branch) return c.operator === '==' && normalized === c.version;
  const order = phpVersionCompare(normalized, c.version);
  switch (c.operator) {
    case '==':
      return order === 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/**
 * A Composer requirement (`^1.2`, `~1.2.3`, `1.0.*`, `>=1.0 <2.0 || ^3`, `1.0 - 2.0`, `dev-main`, `^2.0@beta`).
 * A version matches when the constraint accepts its normalized form and its stability is allowed: stable only,
 * unless the requirement carries a stability flag or names an unstable version ({@link composerAllowedStability}).
 * Composer honours those flags in the root composer.json only (a dependency's `@dev` does not widen anything; its
 * unstable requirement then fails unless the root allows it); a single constraint cannot know the root, so they are
 * read here as if the requirement were the root's. `self.version` (the requiring package's own version) throws.
 */
export function parseComposerConstraint(constraint: string): VersionConstraint {
  if (/\bself\.version\b/.test(constraint)) {
    throw new InvalidInputError(`${JSON.stringify(constraint.slice(0, 100))} is "self.version": the requiring package's own version, not resolvable from the constraint alone`, 'constraint');
  }
  const groups = parseComposerConstraintGroups(constraint);
  const allowed = COMPOSER_STABILITY_RANK[composerAllowedStability(constraint)];
  const only = groups.length === 1 && groups[0]!.length === 1 ? groups[0]![0]! : null;
  let exact: string | null = null;
  if (only?.operator === '==') {
    // The version as written (`v1.0.2`, `dev-main`), without operator, alias, flag or `#ref`.
    exact = constraint.trim().replace(/^==?\s*/, '').replace(/ +as +.*$/, '').replace(/@\w+$/, '').replace(/#.*$/, '');
  }
  return {
    raw: constraint,
    matches(version) {
      const normalized = normalizeComposerVersion(version);
      if (normalized === null || COMPOSER_STABILITY_RANK[parseStability(normalized)] > allowed) return false;
      return groups.some((group) => group.every((c) => composerComparisonMatches(c, normalized)));
    },
    exact,
  };
}
