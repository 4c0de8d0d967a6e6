import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

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

// ---------------------------------------------------------------------------------------------------------------
// Requirements: Elixir's `Version.parse_requirement/1` and `Version.match?(version, requirement, allow_pre: false)`,
// the setting Hex uses. https://hexdocs.pm/elixir/Version.html#module-requirements

export type HexOp = '==' | '!=' | '>' | '>=' | '<' | '<=' | '~>';
export type HexConnective = 'and' | 'or';
type HexToken = HexOp | HexConnective | { text: string };

/** Elixir's lexer table, in its order: `>=` before `>`, `!=` before `!` (a synonym), ` or `/` and ` with their spaces. */
const LEXEMES: ReadonlyArray<[string, HexOp | HexConnective]> = [
  ['>=', '>='], ['<=', '<='], ['~>', '~>'], ['>', '>'], ['<', '<'], ['==', '=='], ['!=', '!='], ['!', '!='], [' or ', 'or'], [' and ', 'and'],
];

/** `Version.Parser.lexer/2`: operators anywhere, spaces skipped, a version without an operator reads as `==`. */
function lexRequirement(source: string): HexToken[] {
  const tokens: HexToken[] = [];
  let at = 0;
  outer: while (at < source.length) {
    for (const [lexeme, token] of LEXEMES) {
      if (source.startsWith(lexeme, at)) {
        tokens.push(token);
        at += lexeme.length;
        continue outer;
      }
    }
    if (source[at] === ' ') {
      at++;
      continue;
    }
    const char = String.fromCodePoint(source.codePointAt(at)!);
    at += char.length;
    const head = tokens.at(-1);
    if (typeof head === 'object') head.text += char;
    else {
      if (head === undefined || head === 'and' || head === 'or') tokens.push('==');
      tokens.push({ text: char });
    }
  }
  return tokens;
}

/** A requirement operand: a version, or for `~>` one that may leave out the patch (`~> 2.1`, `~> 2.1-dev`). */
export interface HexOperand {
  version: HexVersion;
  /** Null when left out (`~> 2.1`). */
  patch: number | null;
  text: string;
}

const DIGITS = /^(?:0|[1-9]\d*)$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;

/** `Version.Parser.parse_version(string, true)`: split at the first `+`, then the first `-`, then the dots. */
function parseOperand(text: string): HexOperand | null {
  const plus = text.indexOf('+');
  const withPre = plus < 0 ? text : text.slice(0, plus);
  const build = plus < 0 ? null : text.slice(plus + 1);
  const dash = withPre.indexOf('-');
  const core = dash < 0 ? withPre : withPre.slice(0, dash);
  const preText = dash < 0 ? null : withPre.slice(dash + 1);
  const numbers = core.split('.');
  if (numbers.length < 2 || numbers.length > 3 || !numbers.every((part) => DIGITS.test(part))) return null;
  const [major, minor, patch] = numbers.map(Number);
  if (![major, minor, patch ?? 0].every(Number.isSafeInteger)) return null;
  const pre: Array<string | number> = [];
  for (const part of preText === null ? [] : preText.split('.')) {
    if (!IDENTIFIER.test(part)) return null;
    if (/^\d+$/.test(part)) {
      if (!DIGITS.test(part)) return null; // numeric identifiers without leading zeros
      pre.push(Number(part));
    } else pre.push(part);
  }
  if (build !== null && !build.split('.').every((part) => IDENTIFIER.test(part))) return null;
  return { version: { major: major!, minor: minor!, patch: patch ?? 0, pre, build }, patch: patch ?? null, text };
}

export interface HexClause {
  op: HexOp;
  operand: HexOperand;
}

/** Clauses joined by `and`/`or`; Elixir folds them from the right with no precedence: `a and b or c` is `a and (b or c)`. */
export interface HexRequirement {
  clauses: HexClause[];
  connectives: HexConnective[];
}

class RequirementSyntaxError extends Error {}

export function parseHexRequirement(source: string): HexRequirement {
  const tokens = lexRequirement(source);
  if (tokens.length === 0) throw new RequirementSyntaxError('it is empty');
  const clauses: HexClause[] = [];
  const connectives: HexConnective[] = [];
  let at = 0;
  // `op version (connective op version)*`: the shapes Elixir can also evaluate (its parser lets a leading or a
  // doubled `and`/`or` through, which `Version.match?/3` then cannot match).
  for (;;) {
    const op = tokens[at];
    const operand = tokens[at + 1];
    if (typeof op !== 'string' || op === 'and' || op === 'or') throw new RequirementSyntaxError('an operator or a version is missing');
    if (typeof operand !== 'object') throw new RequirementSyntaxError(`a version must follow ${op}`);
    const parsedOperand = parseOperand(operand.text);
    if (!parsedOperand) throw new RequirementSyntaxError(`${JSON.stringify(operand.text.slice(0, 40))} is not a version`);
    if (parsedOperand.patch === null && op !== '~>') throw new RequirementSyntaxError(`${JSON.stringify(operand.text)} needs a patch number (only ~> may leave it out)`);
    clauses.push({ op, operand: parsedOperand });
    at += 2;
    if (at === tokens.length) break;
    const connective = tokens[at];
    if (connective !== 'and' && connective !== 'or') throw new RequirementSyntaxError('clauses must be joined with " and " or " or "');
    connectives.push(connective);
    at++;
  }
  return { clauses, connectives };
}

const atLeast = (ver: HexVersion, bound: HexVersion) => compareHexVersions(ver, bound) >= 0;

/** `Version.Requirement.match_op?/3` with `allow_pre: false`: `>`, `>=` and `~>` take a prerelease only when their operand has one. */
function matchesClause({ op, operand }: HexClause, ver: HexVersion): boolean {
  const req = operand.version;
  const preAllowed = req.pre.length > 0 || ver.pre.length === 0;
  const order = compareHexVersions(ver, req);
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>':
      return order > 0 && preAllowed;
    case '>=':
      return order >= 0 && preAllowed;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '~>': {
      // The upper bound excludes its own prereleases (`~> 2.0` is `< 3.0.0-0`).
      const upper: HexVersion = operand.patch === null ? { major: req.major + 1, minor: 0, patch: 0, pre: [0], build: null } : { major: req.major, minor: req.minor + 1, patch: 0, pre: [0], build: null };
      return atLeast(ver, req) && compareHexVersions(ver, upper) < 0 && preAllowed;
    }
  }
}

export function hexRequirementMatches({ clauses, connectives }: HexRequirement, ver: HexVersion): boolean {
  let result = matchesClause(clauses.at(-1)!, ver);
  for (let i = clauses.length - 2; i >= 0; i--) {
    const here = matchesClause(clauses[i]!, ver);
    result = connectives[i] === 'and' ? here && result : here || result;
  }
  return result;
}

/** A Hex requirement (`~> 1.2`, `>= 0.4.0 and < 2.0.0`, `~> 1.0 or ~> 2.0`, `== 1.0.0`, `1.0.0`). */
export function parseHexConstraint(constraint: string): VersionConstraint {
  let requirement: HexRequirement;
  try {
    requirement = parseHexRequirement(constraint);
  } catch (error) {
    if (!(error instanceof RequirementSyntaxError)) throw error;
    throw new InvalidInputError(`not an Elixir version requirement: ${JSON.stringify(constraint.slice(0, 100))} (${error.message})`, 'constraint');
  }
  const only = requirement.clauses.length === 1 ? requirement.clauses[0]! : null;
  return {
    raw: constraint,
    matches(version) {
      const ver = parsed(version);
      return ver !== null && hexRequirementMatches(requirement, ver);
    },
    exact: only && only.op === '==' ? only.operand.text : null,
  };
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
  parseConstraint: parseHexConstraint,
};
