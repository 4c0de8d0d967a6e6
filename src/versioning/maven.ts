import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/*
 * Maven's version order: a port of org.apache.maven.artifact.versioning.ComparableVersion (maven-artifact,
 * the current master with the CombinationItem model of MNG-7714 and the 2026 transitivity fixes:
 * `1-ga1 > 1`, list-vs-qualifier comparison element by element, the 256-character bound).
 * Spec: https://maven.apache.org/pom.html#version-order-specification
 *
 * A version is a list of items: numbers, qualifiers (strings) and "combinations" (a qualifier glued to a
 * number, `rc1`, `sp-2`), with `-` and letter/digit transitions opening nested sub-lists. Qualifier order:
 * alpha (a) < beta (b) < milestone (m) < rc (cr) < snapshot < "" (ga, final, release) < sp < unknown
 * qualifiers, which compare lexically (case-insensitive). Trailing zeros and release qualifiers are
 * dropped, so `1 == 1.0 == 1-0`.
 */

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_QUALIFIERS = new Set(['ga', 'final', 'release']);
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));
/** Maven rejects longer strings (deep `-` nesting and huge numbers cost recursion and time). */
export const MAX_MAVEN_VERSION_LENGTH = 256;

interface NumberItem {
  readonly type: 'number';
  /** Decimal digits without leading zeros ("0" for zero): comparing by (length, text) is numeric order. */
  readonly digits: string;
}
interface StringItem {
  readonly type: 'string';
  readonly value: string;
}
interface CombinationItem {
  readonly type: 'combination';
  readonly stringPart: StringItem;
  readonly digitPart: NumberItem;
}
interface ListItem {
  readonly type: 'list';
  readonly items: Item[];
}
type Item = NumberItem | StringItem | CombinationItem | ListItem;

const ZERO: NumberItem = { type: 'number', digits: '0' };

function numberItem(digits: string): NumberItem {
  const stripped = digits.replace(/^0+/, '');
  return { type: 'number', digits: stripped === '' ? '0' : stripped };
}

function stringItem(raw: string, followedByDigit: boolean): StringItem {
  let value = raw;
  // a1 = alpha-1, b1 = beta-1, m1 = milestone-1
  if (followedByDigit && value.length === 1) value = value === 'a' ? 'alpha' : value === 'b' ? 'beta' : value === 'm' ? 'milestone' : value;
  return { type: 'string', value: value === 'cr' ? 'rc' : value };
}

function isDigitChar(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function combinationItem(raw: string): CombinationItem {
  let index = 0;
  for (let i = 0; i < raw.length; i++) {
    if (isDigitChar(raw[i])) {
      index = i;
      break;
    }
  }
  return { type: 'combination', stringPart: stringItem(raw.slice(0, index), true), digitPart: numberItem(raw.slice(index)) };
}

function parseItem(isCombination: boolean, isDigit: boolean, buf: string): Item {
  if (isCombination) return combinationItem(buf.replace(/-/g, ''));
  if (isDigit) return numberItem(buf);
  return stringItem(buf, false);
}

function isNull(item: Item): boolean {
  switch (item.type) {
    case 'number':
      return item.digits === '0';
    case 'string':
      return item.value === '';
    case 'combination':
      return false;
    case 'list':
      return item.items.length === 0;
  }
}

/** Java's String.compareTo sign (UTF-16 code units, as JS `<` compares). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareDigits(a: string, b: string): number {
  return a.length !== b.length ? (a.length < b.length ? -1 : 1) : compareText(a, b);
}

function comparableQualifier(qualifier: string): string {
  if (RELEASE_QUALIFIERS.has(qualifier)) return RELEASE_INDEX;
  const index = QUALIFIERS.indexOf(qualifier);
  return index === -1 ? `${QUALIFIERS.length}-${qualifier}` : String(index);
}

function compareItem(left: Item, right: Item | null): number {
  switch (left.type) {
    case 'number':
      return compareNumber(left, right);
    case 'string':
      return compareString(left, right);
    case 'combination':
      return compareCombination(left, right);
    case 'list':
      return compareList(left, right);
  }
}

function compareNumber(left: NumberItem, right: Item | null): number {
  if (right === null) return left.digits === '0' ? 0 : 1; // 1.0 == 1, 1.1 > 1
  return right.type === 'number' ? compareDigits(left.digits, right.digits) : 1; // 1.1 > 1-sp, 1.1 > 1-1
}

function compareString(left: StringItem, right: Item | null): number {
  if (right === null) return compareText(comparableQualifier(left.value), RELEASE_INDEX); // 1-rc < 1, 1-ga == 1
  switch (right.type) {
    case 'number':
      return -1;
    case 'string':
      return compareText(comparableQualifier(left.value), comparableQualifier(right.value));
    case 'combination': {
      const result = compareString(left, right.stringPart);
      if (result !== 0) return result;
      return compareString(left, null) === 0 ? -compareNumber(right.digitPart, null) : -1;
    }
    case 'list':
      return -compareList(right, left);
  }
}

function compareCombination(left: CombinationItem, right: Item | null): number {
  if (right === null) {
    // 1-rc1 < 1; a release qualifier leaves the number to decide: 1-ga1 > 1
    const result = compareString(left.stringPart, null);
    return result === 0 ? compareNumber(left.digitPart, null) : result;
  }
  switch (right.type) {
    case 'number':
      return -1;
    case 'string': {
      const result = compareString(left.stringPart, right);
      if (result !== 0) return result;
      return compareString(left.stringPart, null) === 0 ? compareNumber(left.digitPart, null) : 1; // X1 > X
    }
    case 'list':
      return -compareList(right, left);
    case 'combination': {
      const result = compareString(left.stringPart, right.stringPart);
      return result === 0 ? compareNumber(left.digitPart, right.digitPart) : result;
    }
  }
}

function compareList(left: ListItem, right: Item | null): number {
  const items = left.items;
  if (right === null) {
    // The whole list against "nothing", not only its first item (MNG-6964).
    for (const item of items) {
      const result = compareItem(item, null);
      if (result !== 0) return result;
    }
    return 0;
  }
  switch (right.type) {
    case 'number':
      return -1; // 1-1 < 1.0.x
    case 'string':
    case 'combination': {
      let result = items.length === 0 ? -compareItem(right, null) : compareItem(items[0]!, right);
      for (let i = 1; result === 0 && i < items.length; i++) result = compareItem(items[i]!, null);
      return result;
    }
    case 'list': {
      const other = right.items;
      for (let i = 0; i < Math.max(items.length, other.length); i++) {
        const l = items[i] ?? null;
        const r = other[i] ?? null;
        // The shorter side compares as null: invert the other side's comparison.
        const result = l === null ? (r === null ? 0 : -compareItem(r, null)) : compareItem(l, r);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

/** Drops null items (0, "", empty lists) where they do not change the order, as ListItem.normalize does. */
function normalizeList(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    if (!isNull(items[i]!)) continue;
    const next = items[i + 1];
    if (next === undefined || next.type === 'string') {
      items.splice(i, 1);
    } else if (next.type === 'list') {
      const first = next.items[0];
      if (first !== undefined && (first.type === 'combination' || first.type === 'string')) items.splice(i, 1);
    }
  }
  // Removing a zero prefix must not leave an extra qualifier nesting level.
  const only = items.length === 1 ? items[0] : undefined;
  if (only?.type === 'list') {
    items.length = 0;
    items.push(...only.items);
  }
}

function parseItems(input: string): ListItem {
  const version = input.toLowerCase();
  const root: ListItem = { type: 'list', items: [] };
  let list = root;
  const stack: ListItem[] = [root];
  const openList = () => {
    const child: ListItem = { type: 'list', items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };
  let isDigit = false;
  let isCombination = false;
  let startIndex = 0;

  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.') {
      list.items.push(i === startIndex ? ZERO : parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      isCombination = false;
      startIndex = i + 1;
    } else if (c === '-') {
      if (i === startIndex) {
        list.items.push(ZERO);
      } else {
        // X-1 is read as X1 (a combination). Maven's lookahead also takes non-ASCII digits here; only ASCII
        // digits are numbers anywhere else, so they are the only ones that can start one.
        if (!isDigit && i !== version.length - 1 && isDigitChar(version[i + 1])) {
          isCombination = true;
          continue;
        }
        list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex, i)));
      }
      startIndex = i + 1;
      if (list.items.length > 0) openList();
      isCombination = false;
    } else if (isDigitChar(c)) {
      if (!isDigit && i > startIndex) {
        // X1
        isCombination = true;
        if (list.items.length > 0) openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > startIndex) {
        list.items.push(parseItem(isCombination, true, version.slice(startIndex, i)));
        startIndex = i;
        openList();
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (version.length > startIndex) {
    // 1.0.0.X1 < 1.0.0-X2: a trailing `.X` is read as `-X`.
    if (!isDigit && list.items.length > 0) openList();
    list.items.push(parseItem(isCombination, isDigit, version.slice(startIndex)));
  }
  while (stack.length > 0) normalizeList(stack.pop()!);
  return root;
}

/** A parsed version; parse once and compare many times when sorting long version lists. */
export interface MavenVersion {
  readonly value: string;
  readonly items: ListItem;
}

const cache = new Map<string, MavenVersion | null>();
const CACHE_LIMIT = 20_000;

/** Parses with Maven's rules (the empty string is the empty version, as in Maven); null over the 256-character bound. */
export function parseMavenVersion(value: string): MavenVersion | null {
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const parsed = value.length > MAX_MAVEN_VERSION_LENGTH ? null : { value, items: parseItems(value) };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(value, parsed);
  return parsed;
}

/** ComparableVersion.compareTo: 0 for equivalent spellings (`1.0` and `1`, `1-final` and `1`). */
export function compareMavenVersions(a: MavenVersion, b: MavenVersion): number {
  return Math.sign(compareList(a.items, b.items));
}

/** ComparableVersion.getCanonical(): `1.0.0` -> `1`, `1.0-alpha-1` -> `1-alpha-1`. */
export function canonicalMavenVersion(version: MavenVersion): string {
  const render = (item: Item): string => {
    switch (item.type) {
      case 'number':
        return item.digits;
      case 'string':
        return item.value;
      case 'combination':
        return `${item.stringPart.value}${item.digitPart.digits}`;
      case 'list':
        return item.items.map((child, i) => (i === 0 ? '' : child.type === 'list' ? '-' : '.') + render(child)).join('');
    }
  };
  return render(version.items);
}

/** True when some qualifier ranks below a release (alpha, beta, milestone, rc/cr, snapshot, with a1/b1/m1). */
function hasPreReleaseQualifier(item: Item): boolean {
  switch (item.type) {
    case 'number':
      return false;
    case 'string':
      return comparableQualifier(item.value) < RELEASE_INDEX;
    case 'combination':
      return comparableQualifier(item.stringPart.value) < RELEASE_INDEX;
    case 'list':
      return item.items.some(hasPreReleaseQualifier);
  }
}

/** `1.0-SNAPSHOT`, or a deployed snapshot's timestamped form `1.0-20221018.091616-21`. */
export function isMavenSnapshot(version: string): boolean {
  return /-SNAPSHOT$/i.test(version) || /-\d{8}\.\d{6}-\d+$/.test(version);
}

/**
 * Old artifacts republished with a date as version (`20040616`, `20030418.083655`) outrank every real
 * release under Maven's order. Year-style CalVer (`2023.0.3`) is not date-like.
 */
export function isDateLikeMavenVersion(version: string): boolean {
  return /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[.-]?\d{4,6})?(?:$|[.-])/.test(version);
}

export const mavenVersioning: Versioning = {
  id: 'maven',
  /** Maven accepts any string as a version; repository paths rule out blanks, slashes and control characters. */
  isValid: (version) => version.length > 0 && !/[\s/\\\u0000-\u001f]/.test(version) && parseMavenVersion(version) !== null,
  isPrerelease(version) {
    const parsed = parseMavenVersion(version);
    return parsed !== null && hasPreReleaseQualifier(parsed.items);
  },
  compare(a, b) {
    const va = parseMavenVersion(a);
    const vb = parseMavenVersion(b);
    if (va && vb) return compareMavenVersions(va, vb);
    if (va) return 1;
    if (vb) return -1;
    return compareText(a, b);
  },
  parseConstraint: (constraint) => parseMavenConstraint(constraint),
};

// ---------------------------------------------------------------------------------------------------------------
// Dependency version requirements, as Maven 3's resolver reads them (maven-resolver GenericVersionScheme
// .parseVersionConstraint / GenericVersionRange), ordered by ComparableVersion above.
// https://maven.apache.org/pom.html#dependency-version-requirement-specification

interface MavenBound {
  readonly version: MavenVersion;
  readonly inclusive: boolean;
}

/** One `[low,high)` restriction; a null bound is unbounded. `prefix` is the resolver's `[1.2.*]` wildcard. */
export interface MavenRange {
  readonly lower: MavenBound | null;
  readonly upper: MavenBound | null;
  readonly prefix: string | null;
}

/** A Maven requirement: `preferred` is the soft requirement's version (`1.0`), null for ranges and meta-versions. */
export interface MavenVersionConstraint extends VersionConstraint {
  readonly preferred: string | null;
}

function invalidRequirement(constraint: string, why: string): InvalidInputError {
  return new InvalidInputError(`not a Maven version requirement: ${JSON.stringify(constraint.slice(0, 100))} (${why})`, 'constraint');
}

function boundVersion(constraint: string, text: string): MavenVersion {
  const parsed = mavenVersioning.isValid(text) ? parseMavenVersion(text) : null;
  if (!parsed) throw invalidRequirement(constraint, `${JSON.stringify(text.slice(0, 100))} is not a version`);
  return parsed;
}

/** GenericVersionRange: `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, `[1.2.*]`. */
function parseRange(constraint: string, range: string): MavenRange {
  const lowerInclusive = range.startsWith('[');
  const upperInclusive = range.endsWith(']');
  const inner = range.slice(1, -1);
  const comma = inner.indexOf(',');
  if (comma < 0) {
    if (!lowerInclusive || !upperInclusive) throw invalidRequirement(constraint, `single version must be surrounded by []: ${range}`);
    const version = inner.trim();
    if (version.endsWith('.*')) {
      // The resolver reads `[1.2.*]` as 1.2.min..1.2.max: every version whose leading parts are 1.2.
      const prefix = version.slice(0, -2);
      boundVersion(constraint, prefix);
      return { lower: null, upper: null, prefix };
    }
    const parsed = boundVersion(constraint, version);
    return { lower: { version: parsed, inclusive: true }, upper: { version: parsed, inclusive: true }, prefix: null };
  }
  const low = inner.slice(0, comma).trim();
  const high = inner.slice(comma + 1).trim();
  if (high.includes(',')) throw invalidRequirement(constraint, `bounds may not contain additional ',': ${range}`);
  const lower = low === '' ? null : { version: boundVersion(constraint, low), inclusive: lowerInclusive };
  const upper = high === '' ? null : { version: boundVersion(constraint, high), inclusive: upperInclusive };
  if (lower && upper && compareMavenVersions(upper.version, lower.version) < 0) {
    throw invalidRequirement(constraint, `lower bound must not be greater than upper bound: ${range}`);
  }
  return { lower, upper, prefix: null };
}

/** GenericVersionScheme.parseVersionConstraint: a union of ranges, or one plain (soft) version. */
export function parseMavenRanges(constraint: string): MavenRange[] | null {
  const ranges: MavenRange[] = [];
  let rest = constraint.trim();
  while (rest.startsWith('[') || rest.startsWith('(')) {
    const paren = rest.indexOf(')');
    const bracket = rest.indexOf(']');
    const end = bracket < 0 || (paren >= 0 && paren < bracket) ? paren : bracket;
    if (end < 0) throw invalidRequirement(constraint, 'unbounded version range');
    ranges.push(parseRange(constraint, rest.slice(0, end + 1)));
    rest = rest.slice(end + 1).trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
  }
  if (rest !== '' && ranges.length > 0) throw invalidRequirement(constraint, `expected [ or ( but got ${JSON.stringify(rest.slice(0, 50))}`);
  return ranges.length > 0 ? ranges : null;
}

/** Version parts as the resolver's wildcard compares them: numbers without leading zeros, words lower-cased. */
function leadingParts(version: string): string[] {
  return (version.toLowerCase().match(/\d+|[^\d.\-_]+/g) ?? []).map((part) => (/^\d/.test(part) ? part.replace(/^0+(?=\d)/, '') : part));
}

function inRange(range: MavenRange, version: MavenVersion): boolean {
  if (range.prefix !== null) {
    const want = leadingParts(range.prefix);
    const have = leadingParts(version.value);
    // Missing trailing numbers count as 0 (`1` is in `[1.0.*]`), as padding does in the resolver's order.
    return want.every((part, i) => (have[i] ?? (/^\d/.test(part) ? '0' : undefined)) === part);
  }
  if (range.lower) {
    const order = compareMavenVersions(version, range.lower.version);
    if (order < 0 || (order === 0 && !range.lower.inclusive)) return false;
  }
  if (range.upper) {
    const order = compareMavenVersions(version, range.upper.version);
    if (order > 0 || (order === 0 && !range.upper.inclusive)) return false;
  }
  return true;
}

/**
 * A Maven dependency version requirement. Ranges (`[1.0,2.0)`, unions `(,1.0],[1.2,)`) match by ComparableVersion
 * and, as in Maven, include qualifiers and snapshots inside the bounds (`[1.0,2.0)` contains `2.0-alpha-1` and
 * `2.0-SNAPSHOT`, both below 2.0); `[1.0]` is `exact`. A plain `1.0` is a soft requirement: Maven resolves it to 1.0
 * itself (the resolver's constraint contains only that version) unless mediation picks another version nearer the
 * root, so `matches` is equality (`1.0` == `1` == `1.0.0`) and `preferred` says it is soft. `RELEASE` and `LATEST`
 * (meta-versions Maven 3 still resolves from metadata) match any non-snapshot / any version, whose highest is the
 * metadata's usual answer. A missing version (left to an unreadable dependencyManagement) and `${...}` throw.
 */
export function parseMavenConstraint(constraint: string): MavenVersionConstraint {
  const spec = constraint.trim();
  if (spec === '') throw invalidRequirement(constraint, 'no version: it comes from a dependencyManagement or BOM that could not be read');
  if (spec.includes('${')) throw invalidRequirement(constraint, 'an unresolved property');
  if (spec === 'RELEASE' || spec === 'LATEST') {
    return { raw: constraint, matches: (v) => parseMavenVersion(v) !== null && (spec === 'LATEST' || !isMavenSnapshot(v)), exact: null, preferred: null };
  }
  const ranges = parseMavenRanges(spec);
  if (ranges === null) {
    const soft = boundVersion(constraint, spec);
    return {
      raw: constraint,
      matches(v) {
        const parsed = parseMavenVersion(v);
        return parsed !== null && compareMavenVersions(parsed, soft) === 0;
      },
      exact: null,
      preferred: spec,
    };
  }
  const only = ranges.length === 1 ? ranges[0]! : null;
  const pinned = only?.lower && only.upper && only.lower.inclusive && only.upper.inclusive && compareMavenVersions(only.lower.version, only.upper.version) === 0;
  return {
    raw: constraint,
    matches(v) {
      const parsed = parseMavenVersion(v);
      return parsed !== null && ranges.some((range) => inRange(range, parsed));
    },
    exact: pinned ? only!.lower!.version.value : null,
    preferred: null,
  };
}
