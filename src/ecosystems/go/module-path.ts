import { InvalidInputError } from '../../errors.js';
import { goMajor, goBuild } from '../../versioning/go.js';

/*
 * Module paths as golang.org/x/mod/module checks and escapes them (CheckPath, SplitPathVersion,
 * CheckPathMajor, EscapePath, EscapeVersion). https://go.dev/ref/mod#module-path
 */

const BAD_WINDOWS_NAMES = new Set(['con', 'prn', 'aux', 'nul', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`])]);

/** module.modPathOK: ASCII letters, digits and `- . _ ~` (no `+`, unlike import paths). */
const MODULE_PATH_CHAR = /^[A-Za-z0-9._~-]$/;
/** module.firstPathOK: the first element is a lower-case LDH domain name. */
const FIRST_ELEMENT_CHAR = /^[a-z0-9.-]$/;

function checkElement(elem: string): string | null {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element ${JSON.stringify(elem)}`;
  if (elem.startsWith('.')) return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  for (const char of elem) {
    if (!MODULE_PATH_CHAR.test(char)) return `invalid char ${JSON.stringify(char)}`;
  }
  const dot = elem.indexOf('.');
  const short = dot < 0 ? elem : elem.slice(0, dot);
  if (BAD_WINDOWS_NAMES.has(short.toLowerCase())) return `${JSON.stringify(short)} disallowed as path element component on Windows`;
  // Windows short names ("PROGRA~1").
  const tilde = short.lastIndexOf('~');
  if (tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1))) return 'trailing tilde and digits in path element';
  return null;
}

/** module.SplitPathVersion: `example.com/m/v2` -> [`example.com/m`, `/v2`]; gopkg.in uses `.vN`. Null when malformed. */
export function splitPathVersion(path: string): { prefix: string; pathMajor: string } | null {
  if (path.startsWith('gopkg.in/')) {
    let i = path.length;
    if (path.endsWith('-unstable')) i -= '-unstable'.length;
    while (i > 0 && path[i - 1]! >= '0' && path[i - 1]! <= '9') i--;
    if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.') return null;
    const pathMajor = path.slice(i - 2);
    // ".v0" is allowed, ".v01" is not.
    if (pathMajor.length <= 2 || (pathMajor[2] === '0' && pathMajor !== '.v0')) return null;
    return { prefix: path.slice(0, i - 2), pathMajor };
  }
  let i = path.length;
  let dot = false;
  while (i > 0 && ((path[i - 1]! >= '0' && path[i - 1]! <= '9') || path[i - 1] === '.')) {
    if (path[i - 1] === '.') dot = true;
    i--;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/') return { prefix: path, pathMajor: '' };
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === '0' || pathMajor === '/v1') return null;
  return { prefix: path.slice(0, i - 2), pathMajor };
}

/** module.CheckPath's reason, or null when `path` is a valid module path. */
export function modulePathProblem(path: string): string | null {
  if (path === '') return 'empty string';
  if (path.startsWith('/')) return 'leading slash';
  if (path.startsWith('-')) return 'leading dash';
  if (path.includes('@')) return 'a module path has no "@" (ask for a version separately)';
  if (path.includes('..')) return 'double dot';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  for (const elem of path.split('/')) {
    const problem = checkElement(elem);
    if (problem) return problem;
  }
  const first = path.split('/')[0]!;
  if (!first.includes('.')) return 'missing dot in first path element';
  for (const char of first) {
    if (!FIRST_ELEMENT_CHAR.test(char)) return `invalid char ${JSON.stringify(char)} in first path element`;
  }
  if (splitPathVersion(path) === null) return 'invalid version';
  return null;
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}

/**
 * Validates a client-given module path and returns it (module paths are case-sensitive, so the case is kept).
 * The proxy's case-encoded form (`github.com/!azure/go-autorest`) is accepted and decoded.
 */
export function normalizeModulePath(input: string): string {
  let path = input.trim();
  if (path.includes('!')) {
    const decoded = unescapeModuleString(path);
    if (decoded === null) throw new InvalidInputError(`Invalid Go module path ${quoted(input)}: "!" must be followed by a lower-case letter (case-encoded form)`, 'name');
    path = decoded;
  }
  const problem = modulePathProblem(path);
  if (problem) throw new InvalidInputError(`Invalid Go module path ${quoted(input)}: ${problem}`, 'name');
  return path;
}

/** module.escapeString: every upper-case letter becomes `!` + its lower-case form. */
function escapeString(value: string): string {
  return value.replace(/[A-Z]/g, (char) => `!${char.toLowerCase()}`);
}

function unescapeModuleString(escaped: string): string | null {
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const char = escaped[i]!;
    if (char === '!') {
      const next = escaped[i + 1];
      if (next === undefined || next < 'a' || next > 'z') return null;
      out += next.toUpperCase();
      i++;
    } else if (char >= 'A' && char <= 'Z') {
      return null;
    } else {
      out += char;
    }
  }
  return out;
}

/** module.EscapePath for an already validated path. */
export function escapeModulePath(path: string): string {
  return escapeString(path);
}

/**
 * module.EscapeVersion, restricted to the characters of semantic versions (the only versions this adapter asks
 * for): upper-case letters are case-encoded like paths (`v1.0.0-RC1` -> `v1.0.0-!r!c1`); `+` stays literal.
 */
export function escapeModuleVersion(version: string): string {
  if (!/^[0-9A-Za-z.+-]+$/.test(version) || version.startsWith('.') || version.endsWith('.')) {
    throw new InvalidInputError(`Invalid Go module version ${quoted(version)}`, 'version');
  }
  return escapeString(version);
}

/** module.CheckPathMajor: does `version` belong to the module at `path` (`/v2` paths take v2.x.x only)? */
export function matchesPathMajor(path: string, version: string): boolean {
  let pathMajor = splitPathVersion(path)?.pathMajor ?? '';
  if (pathMajor.startsWith('.v') && pathMajor.endsWith('-unstable')) pathMajor = pathMajor.slice(0, -'-unstable'.length);
  // An old bug made v0.0.0- pseudo-versions for gopkg.in .v1 paths; Go accepts them.
  if (version.startsWith('v0.0.0-') && pathMajor === '.v1') return true;
  const major = goMajor(version);
  if (pathMajor === '') return major === 'v0' || major === 'v1' || goBuild(version) === '+incompatible';
  return major === pathMajor.slice(1);
}
