import type { DependencyRecord } from '../types.js';
import { isValidPep508Name, normalizeExtra, pep503Normalize } from './names.js';

/**
 * One `Requires-Dist` entry (PEP 508) as parsed. DependencyRecord carries `marker` and `extras`; `url` and
 * `forExtras` (the dependent's extras, also readable from the marker) stay here.
 */
export interface PypiRequirement {
  /** The name as written (`PyYAML`). */
  name: string;
  /** The PyPI project it installs, PEP 503-normalized (`pyyaml`). */
  packageName: string;
  /** Extras requested of the dependency (`requests[socks,security]` -> `['socks', 'security']`), PEP 685-normalized. */
  extras: string[];
  /** Version specifiers without the legacy parentheses and blanks (`>=1.0,<2`); `@ <url>` for a direct reference; `` = any. */
  constraint: string;
  /** Direct reference (`name @ https://...`), else null. */
  url: string | null;
  /** The environment marker after `;`, as written (trimmed), else null. */
  marker: string | null;
  /** The dependent's extras that pull it in (`extra == "docs"` in the marker), PEP 685-normalized; empty = always. */
  forExtras: string[];
}

const NAME_AT_START = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
/** One specifier clause: `op version` (PEP 440), `===anything`, or a bare version (pre-PEP 440 metadata). */
const CLAUSE = /^(?:(?:~=|==|!=|<=|>=|<|>)v?\d[A-Za-z0-9.*+!_-]*|===[^\s,;]+|v?\d[A-Za-z0-9.*+!_-]*)$/;
/** Marker tokens: quoted strings, operators, variable names, parentheses. */
const MARKER_TOKEN = /"[^"]*"|'[^']*'|===|==|!=|<=|>=|~=|<|>|[A-Za-z_][A-Za-z0-9_.]*|[()]/g;

/** Extras named by `extra == "x"` (either side) in a marker, PEP 685-normalized. */
function extrasInMarker(marker: string): string[] {
  const tokens = marker.match(MARKER_TOKEN) ?? [];
  const literal = (token: string | undefined) => (token && /^["']/.test(token) ? token.slice(1, -1) : null);
  const out: string[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i + 1] !== '==') continue;
    const value = tokens[i] === 'extra' ? literal(tokens[i + 2]) : tokens[i + 2] === 'extra' ? literal(tokens[i]) : null;
    const extra = value === null ? '' : normalizeExtra(value);
    if (extra && !out.includes(extra)) out.push(extra);
  }
  return out;
}

function parseSpecifier(text: string): string | null {
  let spec = text.trim();
  // Metadata 1.2 style: `name (>=1.0)`; PEP 508 still accepts the parentheses.
  if (spec.startsWith('(')) {
    if (!spec.endsWith(')')) return null;
    spec = spec.slice(1, -1);
  }
  spec = spec.replace(/\s+/g, '');
  if (!spec) return '';
  return spec.split(',').every((clause) => CLAUSE.test(clause)) ? spec : null;
}

/**
 * Parses `name [extras] (specifier | @ url) ; marker` in both the current (`name==x; extra == "y"`) and the
 * Metadata 1.2 (`name (==x) ; extra == 'y'`) spellings. Returns null for an entry that is not PEP 508.
 */
export function parseRequirement(text: string): PypiRequirement | null {
  const head = NAME_AT_START.exec(text);
  if (!head) return null;
  const name = head[1]!;
  let rest = text.slice(head[0].length).trimStart();

  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return null;
    const listed = rest.slice(1, close).split(',').map((extra) => extra.trim()).filter(Boolean);
    if (!listed.every(isValidPep508Name)) return null;
    extras = [...new Set(listed.map(normalizeExtra))];
    rest = rest.slice(close + 1).trimStart();
  }

  let constraint: string;
  let url: string | null = null;
  let marker: string | null;
  if (rest.startsWith('@')) {
    // A URL may itself contain `;`: PEP 508 requires a blank before the marker's `;`.
    const match = /^@\s*(\S+)(?:\s+;(.*))?$/s.exec(rest);
    if (!match) return null;
    url = match[1]!;
    constraint = `@ ${url}`;
    marker = match[2]?.trim() || null;
  } else {
    const semicolon = rest.indexOf(';');
    const spec = parseSpecifier(semicolon < 0 ? rest : rest.slice(0, semicolon));
    if (spec === null) return null;
    constraint = spec;
    marker = semicolon < 0 ? null : rest.slice(semicolon + 1).trim() || null;
  }
  return { name, packageName: pep503Normalize(name), extras, constraint, url, marker, forExtras: marker ? extrasInMarker(marker) : [] };
}

/** A requirement as the cross-ecosystem edge: gated by an extra = OPTIONAL, else RUNTIME; marker and extras kept. */
export function toDependencyRecord(requirement: PypiRequirement): DependencyRecord {
  const optional = requirement.forExtras.length > 0;
  return {
    name: requirement.name,
    packageName: requirement.packageName,
    constraint: requirement.constraint,
    kind: optional ? 'OPTIONAL' : 'RUNTIME',
    optional,
    bundled: false,
    marker: requirement.marker,
    extras: requirement.extras,
  };
}

/** `requires_dist` -> parsed requirements; entries that are not PEP 508 are skipped. */
export function parseRequirements(entries: readonly string[] | undefined): PypiRequirement[] {
  const out: PypiRequirement[] = [];
  for (const entry of entries ?? []) {
    const parsed = parseRequirement(entry);
    if (parsed) out.push(parsed);
  }
  return out;
}
