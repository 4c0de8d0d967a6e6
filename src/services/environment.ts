import { normalizeExtra } from '../ecosystems/pypi/names.js';
import { InvalidInputError } from '../errors.js';
import { parsePep440Constraint } from '../versioning/pep440.js';

/*
 * Where dependencies would be installed, and the evaluators of each ecosystem's install conditions against it:
 * PEP 508 environment markers (PyPI), Cargo `target` cfg expressions and triples, NuGet target-framework groups,
 * npm `os`/`cpu`. Every evaluator is three-valued: `null` means the environment does not say (that part of it
 * was not given), so the condition is reported but not used to filter.
 */

/** Node's `process.platform` spelling is the canonical one (`linux`, `darwin`, `win32` ...). */
export function canonicalOs(os: string | null | undefined): string | null {
  if (!os) return null;
  const value = os.trim().toLowerCase();
  if (['win32', 'windows', 'win', 'win64', 'nt'].includes(value)) return 'win32';
  if (['darwin', 'macos', 'mac', 'osx', 'macosx'].includes(value)) return 'darwin';
  return value || null;
}

/** Node's `process.arch` spelling is the canonical one (`x64`, `arm64`, `ia32`, `arm` ...). */
export function canonicalArch(arch: string | null | undefined): string | null {
  if (!arch) return null;
  const value = arch.trim().toLowerCase();
  if (['x64', 'x86_64', 'amd64', 'x86-64'].includes(value)) return 'x64';
  if (['arm64', 'aarch64'].includes(value)) return 'arm64';
  if (['ia32', 'x86', 'i386', 'i486', 'i586', 'i686'].includes(value)) return 'ia32';
  if (['arm', 'armv7', 'armv7l', 'armhf'].includes(value)) return 'arm';
  return value || null;
}

// ---------------------------------------------------------------------------------------------------------------
// PEP 508 environment markers (https://packaging.python.org/en/latest/specifications/dependency-specifiers/)

export interface MarkerEnvironment {
  /** `3.8` or `3.12.1`; null when not given. */
  pythonVersion: string | null;
  os: string | null;
  arch: string | null;
  /** The extras asked of the package whose requirements are evaluated (PEP 685-normalized). */
  extras: ReadonlySet<string>;
}

/** python_full_version from what was given: `3.8` is read as `3.8.0` (what installers assume for a bare X.Y). */
function fullPythonVersion(version: string): string {
  const parts = version.split('.');
  return parts.length >= 3 ? version : [...parts, '0', '0'].slice(0, 3).join('.');
}

/** platform.machine() differs per OS for one architecture (Windows says AMD64, Linux aarch64, macOS arm64). */
function platformMachine(os: string | null, arch: string): string {
  if (os === 'win32') return ({ x64: 'AMD64', arm64: 'ARM64', ia32: 'x86' } as Record<string, string>)[arch] ?? arch;
  if (os === 'darwin') return ({ x64: 'x86_64', arm64: 'arm64' } as Record<string, string>)[arch] ?? arch;
  return ({ x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', arm: 'armv7l' } as Record<string, string>)[arch] ?? arch;
}

const PLATFORM_SYSTEM: Record<string, string> = { linux: 'Linux', darwin: 'Darwin', win32: 'Windows', freebsd: 'FreeBSD', openbsd: 'OpenBSD', aix: 'AIX', sunos: 'SunOS' };

/** The value of a marker variable in `env`; null when the environment does not say. */
function markerVariable(name: string, env: MarkerEnvironment): string | null {
  const os = canonicalOs(env.os);
  const arch = canonicalArch(env.arch);
  const python = env.pythonVersion?.trim() || null;
  switch (name) {
    case 'python_version':
      return python ? python.split('.').slice(0, 2).join('.') : null;
    case 'python_full_version':
      return python ? fullPythonVersion(python) : null;
    // Assumed CPython (what nearly every installation runs) once a Python version is given.
    case 'implementation_name':
      return python ? 'cpython' : null;
    case 'platform_python_implementation':
      return python ? 'CPython' : null;
    case 'implementation_version':
      return python ? fullPythonVersion(python) : null;
    case 'sys_platform':
      return os;
    case 'platform_system':
      return os ? (PLATFORM_SYSTEM[os] ?? os.charAt(0).toUpperCase() + os.slice(1)) : null;
    case 'os_name':
      return os ? (os === 'win32' ? 'nt' : 'posix') : null;
    case 'platform_machine':
      return arch ? platformMachine(os, arch) : null;
    default:
      return null; // platform_release, platform_version ...: not part of the environment input
  }
}

/** PEP 508 variables, and the legacy dotted spellings older metadata still carries. */
const MARKER_VARIABLES = new Set([
  'python_version', 'python_full_version', 'implementation_name', 'implementation_version', 'platform_python_implementation',
  'sys_platform', 'platform_system', 'os_name', 'platform_machine', 'platform_release', 'platform_version', 'extra',
]);
const LEGACY_VARIABLES: Record<string, string> = {
  'os.name': 'os_name', 'sys.platform': 'sys_platform', 'platform.version': 'platform_version', 'platform.machine': 'platform_machine',
  'platform.python_implementation': 'platform_python_implementation', python_implementation: 'platform_python_implementation',
};

type MarkerToken = { kind: 'string'; value: string } | { kind: 'name'; value: string } | { kind: 'op'; value: string } | { kind: 'paren'; value: '(' | ')' };

const MARKER_TOKEN = /\s*(?:("[^"]*"|'[^']*')|(===|==|!=|<=|>=|~=|<|>)|([()])|([A-Za-z_][A-Za-z0-9_.]*))/y;

function tokenizeMarker(marker: string): MarkerToken[] {
  const tokens: MarkerToken[] = [];
  MARKER_TOKEN.lastIndex = 0;
  let at = 0;
  while (at < marker.length) {
    if (/^\s*$/.test(marker.slice(at))) break;
    MARKER_TOKEN.lastIndex = at;
    const match = MARKER_TOKEN.exec(marker);
    if (!match) throw new InvalidInputError(`cannot read the marker ${JSON.stringify(marker)} at ${at}`, 'marker');
    at = MARKER_TOKEN.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'string', value: match[1].slice(1, -1) });
    else if (match[2] !== undefined) tokens.push({ kind: 'op', value: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'paren', value: match[3] as '(' | ')' });
    else tokens.push({ kind: 'name', value: match[4]! });
  }
  return tokens;
}

/** Kleene logic: false dominates `and`, true dominates `or`, otherwise unknown stays unknown. */
function and3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}
function or3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

type MarkerOperand = { variable: string } | { literal: string };

/** One `lhs op rhs` comparison, as `packaging.markers` evaluates it. */
function compareMarker(lhs: MarkerOperand, op: string, rhs: MarkerOperand, env: MarkerEnvironment): boolean | null {
  // `extra` is matched by name (PEP 685 normalization), against the extras asked of this package.
  if ('variable' in lhs && lhs.variable === 'extra' && 'literal' in rhs) return extraComparison(rhs.literal, op, env);
  if ('variable' in rhs && rhs.variable === 'extra' && 'literal' in lhs) return extraComparison(lhs.literal, op, env);
  const left = 'literal' in lhs ? lhs.literal : markerVariable(lhs.variable, env);
  const right = 'literal' in rhs ? rhs.literal : markerVariable(rhs.variable, env);
  if (left === null || right === null) return null;
  if (op === 'in') return right.includes(left);
  if (op === 'not in') return !right.includes(left);
  // A version comparison when the right side makes a PEP 440 specifier; otherwise plain string comparison.
  let specifier = null;
  try {
    specifier = parsePep440Constraint(`${op}${right}`);
  } catch {
    specifier = null;
  }
  if (specifier) return specifier.matches(left);
  if (op === '==' || op === '===') return left === right;
  if (op === '!=') return left !== right;
  return null; // `<` on two non-versions is undefined in PEP 508
}

function extraComparison(value: string, op: string, env: MarkerEnvironment): boolean | null {
  const asked = env.extras.has(normalizeExtra(value));
  if (op === '==' || op === '===') return asked;
  if (op === '!=') return !asked;
  return false;
}

/**
 * Evaluates a PEP 508 environment marker (`python_version < "3.11" and sys_platform == "win32"`,
 * `extra == "socks"`). True/false when the environment decides it, null when a variable it needs was not given.
 * Throws InvalidInputError when the marker cannot be read.
 */
export function evaluateMarker(marker: string, env: MarkerEnvironment): boolean | null {
  const tokens = tokenizeMarker(marker);
  let at = 0;
  const fail = (what: string): never => {
    throw new InvalidInputError(`cannot read the marker ${JSON.stringify(marker)}: ${what}`, 'marker');
  };
  const operand = (): MarkerOperand => {
    const token = tokens[at++];
    if (token?.kind === 'string') return { literal: token.value };
    if (token?.kind === 'name') {
      const name = LEGACY_VARIABLES[token.value] ?? token.value;
      if (!MARKER_VARIABLES.has(name)) fail(`unknown variable ${token.value}`);
      return { variable: name };
    }
    return fail('a variable or a quoted string was expected');
  };
  const operator = (): string => {
    const token = tokens[at++];
    if (token?.kind === 'op') return token.value;
    if (token?.kind === 'name' && token.value === 'in') return 'in';
    if (token?.kind === 'name' && token.value === 'not' && tokens[at]?.kind === 'name' && tokens[at]?.value === 'in') {
      at++;
      return 'not in';
    }
    return fail('a comparison operator was expected');
  };
  const keyword = (word: string) => tokens[at]?.kind === 'name' && tokens[at]?.value === word;
  const atom = (): boolean | null => {
    if (tokens[at]?.kind === 'paren' && tokens[at]?.value === '(') {
      at++;
      const value = disjunction();
      if (!(tokens[at]?.kind === 'paren' && tokens[at]?.value === ')')) fail('a closing parenthesis was expected');
      at++;
      return value;
    }
    const lhs = operand();
    const op = operator();
    return compareMarker(lhs, op, operand(), env);
  };
  const conjunction = (): boolean | null => {
    let value = atom();
    while (keyword('and')) {
      at++;
      value = and3(value, atom());
    }
    return value;
  };
  const disjunction = (): boolean | null => {
    let value = conjunction();
    while (keyword('or')) {
      at++;
      value = or3(value, conjunction());
    }
    return value;
  };
  const value = disjunction();
  if (at !== tokens.length) fail('unexpected text after the expression');
  return value;
}

/** Whether `requiresPython` (a PEP 440 specifier, PyPI's Requires-Python) admits the Python version; null when unknown. */
export function pythonSatisfies(requiresPython: string | undefined, pythonVersion: string | null): boolean | null {
  if (!requiresPython || !pythonVersion) return null;
  try {
    return parsePep440Constraint(requiresPython).matches(fullPythonVersion(pythonVersion.trim()));
  } catch {
    return null; // an unreadable Requires-Python does not stop pip either
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cargo `target` (https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html#platform-specific-dependencies)

export interface TargetEnvironment {
  os: string | null;
  arch: string | null;
}

const RUST_OS: Record<string, string> = { win32: 'windows', darwin: 'macos' };
const RUST_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'x86', arm: 'arm' };
const UNIX = new Set(['linux', 'macos', 'freebsd', 'openbsd', 'netbsd', 'android', 'ios', 'solaris', 'illumos', 'aix', 'dragonfly']);

function rustOs(env: TargetEnvironment): string | null {
  const os = canonicalOs(env.os);
  return os ? (RUST_OS[os] ?? os) : null;
}

function rustArch(env: TargetEnvironment): string | null {
  const arch = canonicalArch(env.arch);
  return arch ? (RUST_ARCH[arch] ?? arch) : null;
}

/** What rustc's `--print cfg` says for the environment's target; null where the environment does not say. */
function cfgValue(key: string, env: TargetEnvironment): string | null | undefined {
  const os = rustOs(env);
  const arch = rustArch(env);
  switch (key) {
    case 'target_os':
      return os;
    case 'target_family':
      return os === null ? null : os === 'windows' ? 'windows' : UNIX.has(os) ? 'unix' : os === 'wasi' || os === 'unknown' ? 'wasm' : null;
    case 'target_arch':
      return arch;
    case 'target_pointer_width':
      return arch === null ? null : ['x86_64', 'aarch64', 'powerpc64', 'riscv64gc', 's390x'].includes(arch) ? '64' : '32';
    case 'target_endian':
      return arch === null ? null : arch === 's390x' ? 'big' : 'little';
    case 'target_vendor':
      return os === null ? null : os === 'macos' || os === 'ios' ? 'apple' : os === 'windows' ? 'pc' : 'unknown';
    case 'target_env':
      return os === null ? null : os === 'windows' ? 'msvc' : os === 'linux' ? 'gnu' : '';
    default:
      return undefined; // not a cfg rustc sets from the target
  }
}

/** The OS part of a target triple (`x86_64-pc-windows-msvc` -> windows). */
function tripleOs(triple: string): string | null {
  const parts = triple.toLowerCase().split('-');
  if (parts.includes('windows')) return 'windows';
  if (parts.some((part) => part.startsWith('darwin'))) return 'macos';
  for (const os of ['linux', 'android', 'ios', 'freebsd', 'netbsd', 'openbsd', 'wasi', 'illumos', 'solaris']) if (parts.some((part) => part.startsWith(os))) return os === 'linux' && parts.includes('android') ? 'android' : os;
  return null;
}

function tripleArch(triple: string): string {
  const arch = triple.toLowerCase().split('-')[0] ?? '';
  if (/^i[3-6]86$/.test(arch)) return 'x86';
  if (/^(arm|thumb)v?\d/.test(arch) || arch === 'arm') return 'arm';
  return arch;
}

/**
 * Evaluates a Cargo dependency target: a `cfg(...)` expression (`cfg(windows)`, `cfg(target_os = "linux")`,
 * `cfg(any(unix, target_arch = "wasm32"))`, `all`, `not`) or a target triple. Cfgs rustc does not set from the
 * target (custom `--cfg` flags, `feature`) are false, as Cargo sees them. Null when the environment does not say.
 */
export function evaluateCargoTarget(target: string, env: TargetEnvironment): boolean | null {
  const text = target.trim();
  if (!text.startsWith('cfg(')) {
    const os = rustOs(env);
    const arch = rustArch(env);
    const wantedOs = tripleOs(text);
    const osMatch = os === null ? null : wantedOs === null ? false : wantedOs === os;
    const archMatch = arch === null ? null : tripleArch(text) === arch;
    return and3(osMatch, archMatch);
  }
  const tokens = text.match(/"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|[(),=]|\S/g) ?? [];
  let at = 0;
  const fail = (what: string): never => {
    throw new InvalidInputError(`cannot read the Cargo target ${JSON.stringify(target)}: ${what}`, 'target');
  };
  const expect = (token: string) => {
    if (tokens[at] !== token) fail(`${JSON.stringify(token)} was expected`);
    at++;
  };
  const list = (): (boolean | null)[] => {
    expect('(');
    const values: (boolean | null)[] = [];
    while (tokens[at] !== ')') {
      values.push(predicate());
      if (tokens[at] === ',') at++;
      else if (tokens[at] !== ')') fail('"," or ")" was expected');
    }
    at++;
    return values;
  };
  const predicate = (): boolean | null => {
    const name = tokens[at++];
    if (!name || !/^[A-Za-z_]/.test(name)) return fail('a cfg name was expected');
    if (name === 'all' && tokens[at] === '(') return list().reduce<boolean | null>((acc, value) => and3(acc, value), true);
    if (name === 'any' && tokens[at] === '(') return list().reduce<boolean | null>((acc, value) => or3(acc, value), false);
    if (name === 'not' && tokens[at] === '(') {
      const values = list();
      if (values.length !== 1) fail('not() takes one predicate');
      const value = values[0]!;
      return value === null ? null : !value;
    }
    if (tokens[at] === '=') {
      at++;
      const literal = tokens[at++];
      if (!literal?.startsWith('"')) return fail('a quoted value was expected');
      const actual = cfgValue(name, env);
      if (actual === undefined) return false;
      return actual === null ? null : actual === literal.slice(1, -1);
    }
    if (name === 'unix' || name === 'windows') {
      const family = cfgValue('target_family', env);
      return family === null || family === undefined ? null : family === name;
    }
    return false; // debug_assertions, test, custom cfgs: not set for a dependency build
  };
  expect('cfg');
  const values = list();
  if (values.length !== 1 || at !== tokens.length) fail('cfg() takes one predicate');
  return values[0]!;
}

/**
 * The optional dependencies and dependency features a crate's enabled features turn on, following Cargo's feature
 * syntax (`other-feature`, `dep:name`, `name` (the implicit feature of an optional dependency), `name/feature`,
 * `name?/feature`). Returns the closure of enabled features, the optional dependencies they enable, and the
 * features asked of each dependency.
 */
export function cargoFeatureClosure(
  featureMap: Readonly<Record<string, readonly string[]>>,
  requested: Iterable<string>,
  optionalDependencies: ReadonlySet<string>,
): { features: Set<string>; enabledDependencies: Map<string, string>; dependencyFeatures: Map<string, Set<string>> } {
  const features = new Set<string>();
  const enabledDependencies = new Map<string, string>();
  const dependencyFeatures = new Map<string, Set<string>>();
  const weak: { dependency: string; feature: string }[] = [];
  // With any `dep:x` in the map, `x` is no longer an implicit feature (Cargo 1.60+).
  const explicit = new Set(Object.values(featureMap).flatMap((entries) => entries.filter((e) => e.startsWith('dep:')).map((e) => e.slice(4))));
  const addFeature = (dependency: string, feature: string) => {
    const set = dependencyFeatures.get(dependency) ?? new Set<string>();
    set.add(feature);
    dependencyFeatures.set(dependency, set);
  };
  const queue = [...requested];
  while (queue.length > 0) {
    const feature = queue.shift()!;
    if (features.has(feature)) continue;
    features.add(feature);
    const entries = featureMap[feature];
    if (!entries) {
      // An optional dependency's implicit feature (`--features serde` without a `serde` feature).
      if (optionalDependencies.has(feature) && !explicit.has(feature) && !enabledDependencies.has(feature)) enabledDependencies.set(feature, feature);
      continue;
    }
    for (const entry of entries) {
      if (entry.startsWith('dep:')) {
        if (!enabledDependencies.has(entry.slice(4))) enabledDependencies.set(entry.slice(4), feature);
      } else if (entry.includes('/')) {
        const [head, sub] = [entry.slice(0, entry.indexOf('/')), entry.slice(entry.indexOf('/') + 1)];
        if (head.endsWith('?')) weak.push({ dependency: head.slice(0, -1), feature: sub });
        else {
          addFeature(head, sub);
          if (optionalDependencies.has(head) && !enabledDependencies.has(head)) enabledDependencies.set(head, feature);
          if (!explicit.has(head) && featureMap[head]) queue.push(head);
        }
      } else if (!featureMap[entry] && optionalDependencies.has(entry) && !explicit.has(entry)) {
        // The implicit feature of an optional dependency, named by this feature: this feature turns it on.
        features.add(entry);
        if (!enabledDependencies.has(entry)) enabledDependencies.set(entry, feature);
      } else queue.push(entry);
    }
  }
  // `name?/feature` turns the feature on only when something else enabled the dependency.
  for (const { dependency, feature } of weak) if (!optionalDependencies.has(dependency) || enabledDependencies.has(dependency)) addFeature(dependency, feature);
  return { features, enabledDependencies, dependencyFeatures };
}

// ---------------------------------------------------------------------------------------------------------------
// NuGet target frameworks (https://learn.microsoft.com/en-us/nuget/reference/target-frameworks)

export interface TargetFramework {
  /** `netframework`, `netcoreapp` (which net5.0+ are), `netstandard`, or another identifier lower-cased (`uap`, `monoandroid`). */
  family: string;
  version: number[];
  /** net5.0+ OS-specific frameworks (`net8.0-windows` -> `windows`). */
  platform: string | null;
}

const LONG_FAMILIES: Record<string, string> = { netframework: 'netframework', netcoreapp: 'netcoreapp', netstandard: 'netstandard' };

/** Reads a TFM in its short (`net472`, `net8.0-windows`, `netstandard2.0`) or long (`.NETFramework4.7.2`) form. */
export function parseTargetFramework(value: string): TargetFramework | null {
  const text = value.trim().toLowerCase().replace(/,version=v/, '');
  if (!text) return null;
  const numbers = (digits: string) => digits.split('.').map(Number);
  let match = /^net(\d)(\d)(\d)?$/.exec(text);
  if (match) return { family: 'netframework', version: [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)], platform: null };
  match = /^net(\d+)\.(\d+)(?:-([a-z]+)[\d.]*)?$/.exec(text);
  if (match && Number(match[1]) >= 5) return { family: 'netcoreapp', version: [Number(match[1]), Number(match[2])], platform: match[3] ?? null };
  match = /^\.?(netframework|netcoreapp|netstandard)(\d+(?:\.\d+)*)(?:-[a-z]+)?$/.exec(text);
  if (match) return { family: LONG_FAMILIES[match[1]!]!, version: numbers(match[2]!), platform: null };
  match = /^\.?([a-z][a-z.]*?)(\d+(?:\.\d+)*)?$/.exec(text);
  if (match) return { family: match[1]!.replace(/\.$/, ''), version: match[2] ? numbers(match[2]) : [0], platform: null };
  return null;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The lowest .NET Framework version implementing each .NET Standard version (the .NET Standard table). */
const NETSTANDARD_ON_FRAMEWORK: [number[], number[]][] = [
  [[1, 0], [4, 5]], [[1, 1], [4, 5]], [[1, 2], [4, 5, 1]], [[1, 3], [4, 6]], [[1, 4], [4, 6, 1]], [[1, 5], [4, 6, 1]], [[1, 6], [4, 6, 1]], [[2, 0], [4, 6, 1]],
];

/** Whether a package built for `group` can be used by a project targeting `project` (simplified NuGet rules). */
export function isFrameworkCompatible(project: TargetFramework, group: TargetFramework): boolean {
  if (group.family === project.family) {
    if (group.platform && group.platform !== project.platform) return false;
    return compareVersions(group.version, project.version) <= 0;
  }
  if (group.family !== 'netstandard') return false;
  if (project.family === 'netcoreapp') {
    const limit = compareVersions(project.version, [3, 0]) >= 0 ? [2, 1] : compareVersions(project.version, [2, 0]) >= 0 ? [2, 0] : [1, 6];
    return compareVersions(group.version, limit) <= 0;
  }
  if (project.family === 'netframework') {
    const row = NETSTANDARD_ON_FRAMEWORK.find(([standard]) => compareVersions(standard, group.version) === 0);
    return row !== undefined && compareVersions(row[1], project.version) <= 0;
  }
  return false;
}

/**
 * The dependency group NuGet uses for a project: the nearest compatible one (the project's own framework family
 * first, an OS-specific group before a general one, then .NET Standard, then the group without a framework; the
 * highest version within each). `groups` holds each group's framework (null or '' = any framework).
 * Returns undefined when no group applies, or when `project` cannot be read.
 */
export function nearestFrameworkGroup(project: string, groups: readonly (string | null)[]): string | null | undefined {
  const target = parseTargetFramework(project);
  if (!target) return undefined;
  let best: { group: string | null; rank: number; version: number[] } | undefined;
  for (const group of groups) {
    let rank: number;
    let version: number[] = [0];
    if (group === null || group.trim() === '') rank = 0;
    else {
      const parsed = parseTargetFramework(group);
      if (!parsed || !isFrameworkCompatible(target, parsed)) continue;
      rank = parsed.family === target.family ? (parsed.platform ? 3 : 2) : 1;
      version = parsed.version;
    }
    if (!best || rank > best.rank || (rank === best.rank && compareVersions(version, best.version) > 0)) best = { group: group === null || group.trim() === '' ? null : group, rank, version };
  }
  return best ? best.group : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// npm `os` / `cpu` (https://docs.npmjs.com/cli/configuring-npm/package-json#os)

/** npm's check of one list: any `!value` naming the current value rejects; positive entries, when present, must name it. */
function npmListAllows(list: readonly string[], value: string): boolean {
  const negated = list.filter((entry) => entry.startsWith('!')).map((entry) => entry.slice(1));
  if (negated.includes(value)) return false;
  const positive = list.filter((entry) => !entry.startsWith('!'));
  return positive.length === 0 || positive.includes(value) || positive.includes('any');
}

/** A package's `os`/`cpu` lists as a condition string (`os: darwin; cpu: arm64`), or null when it has none. */
export function npmPlatformCondition(os: readonly string[], cpu: readonly string[]): string | null {
  const parts = [os.length > 0 ? `os: ${os.join(', ')}` : null, cpu.length > 0 ? `cpu: ${cpu.join(', ')}` : null].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** Whether npm installs a package with these `os`/`cpu` lists in the environment; null when it does not say. */
export function npmPlatformAllows(os: readonly string[], cpu: readonly string[], env: TargetEnvironment): boolean | null {
  const currentOs = canonicalOs(env.os);
  const currentCpu = canonicalArch(env.arch);
  const osOk = os.length === 0 ? true : currentOs === null ? null : npmListAllows(os, currentOs);
  const cpuOk = cpu.length === 0 ? true : currentCpu === null ? null : npmListAllows(cpu, currentCpu);
  return and3(osOk, cpuOk);
}
