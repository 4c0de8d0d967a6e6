import type { PomDependencyElement, PomProject } from './schema.js';

/*
 * The effective POM, as far as a package index needs it: Maven's model building for a POM read from a
 * repository (https://maven.apache.org/ref/current/maven-model-builder/), restricted to the parts that
 * decide coordinates, metadata and dependencies:
 *   1. parent chain (each POM's <parent>), inherited top-down (MavenModelMerger rules: groupId, version,
 *      description, url/scm with the child path appended, licenses/developers as whole lists, organization,
 *      issueManagement, properties, dependencies, dependencyManagement; artifactId, packaging, name,
 *      relocation are not inherited);
 *   2. interpolation of `${...}` over the merged model (project.*, pom.*, unprefixed model fields, properties);
 *   3. dependencyManagement: the model's own entries, then each `<scope>import</scope>` BOM's in order
 *      (first import wins), filling a dependency's missing version and scope.
 * Profiles, settings and the build section are out of scope (no activation context exists for a published POM).
 *
 * Pure and synchronous: related POMs come from a `PomSource`. While fetching, a source answers `undefined`
 * for a POM not loaded yet; the resolution then lists it in `needed`, the caller fetches it and runs again.
 */

export interface PomLimits {
  /** Longest parent chain followed above a POM. */
  maxParentDepth: number;
  /** Deepest nesting of BOM imports (a BOM importing a BOM ...). */
  maxImportDepth: number;
}

export const DEFAULT_POM_LIMITS: PomLimits = { maxParentDepth: 10, maxImportDepth: 4 };

/** `groupId:artifactId:version` -> the parsed POM; null when unavailable; undefined when not loaded yet. */
export type PomSource = (key: string) => PomProject | null | undefined;

export interface Coordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

export function coordinatesKey(coordinates: Coordinates): string {
  return `${coordinates.groupId}:${coordinates.artifactId}:${coordinates.version}`;
}

export interface PomLicense {
  name: string | undefined;
  url: string | undefined;
}

export interface PomPerson {
  id: string | undefined;
  name: string | undefined;
  email: string | undefined;
  url: string | undefined;
}

export interface ResolvedDependency {
  groupId: string;
  artifactId: string;
  /** The version or range as declared or managed; undefined when nothing supplies one. */
  version: string | undefined;
  type: string;
  classifier: string | undefined;
  /** undefined means the default (compile). */
  scope: string | undefined;
  optional: boolean;
  /** True when version or scope came from dependencyManagement (own, inherited or imported). */
  managed: boolean;
  /** `<exclusions>` as `groupId:artifactId` (`*` wildcards kept). */
  exclusions: string[];
}

export interface EffectivePom {
  groupId: string | undefined;
  artifactId: string | undefined;
  version: string | undefined;
  packaging: string;
  name: string | undefined;
  description: string | undefined;
  url: string | undefined;
  licenses: PomLicense[];
  /** `artifactId-version.pom` of the POM that declared the licenses (itself or an ancestor). */
  licensesFrom: string | undefined;
  developers: PomPerson[];
  organization: { name: string | undefined; url: string | undefined };
  scm: { url: string | undefined; connection: string | undefined; developerConnection: string | undefined };
  issueManagement: { system: string | undefined; url: string | undefined };
  dependencies: ResolvedDependency[];
  relocation: { groupId: string | undefined; artifactId: string | undefined; version: string | undefined; message: string | undefined } | null;
  /** What could not be resolved (missing parent, unresolvable import, limits). */
  notes: string[];
}

export interface PomResolution {
  pom: EffectivePom;
  /** POMs that were asked for but are not loaded yet (fetch them and resolve again). */
  needed: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Inheritance

interface Dependency {
  groupId: string | undefined;
  artifactId: string | undefined;
  version: string | undefined;
  type: string | undefined;
  classifier: string | undefined;
  scope: string | undefined;
  optional: string | undefined;
  exclusions: { groupId: string | undefined; artifactId: string | undefined }[];
}

interface InheritedModel {
  groupId: string | undefined;
  artifactId: string | undefined;
  version: string | undefined;
  parent: { groupId: string | undefined; artifactId: string | undefined; version: string | undefined } | undefined;
  packaging: string | undefined;
  name: string | undefined;
  description: string | undefined;
  url: string | undefined;
  /** `child.project.url.inherit.append.path`; undefined = not set (appends). Inherited like a field. */
  urlAppend: boolean | undefined;
  licenses: PomLicense[];
  licensesFrom: string | undefined;
  developers: PomPerson[];
  organization: { name: string | undefined; url: string | undefined };
  scm: { url: string | undefined; connection: string | undefined; developerConnection: string | undefined };
  scmAppend: { url: boolean | undefined; connection: boolean | undefined; developerConnection: boolean | undefined };
  issueManagement: { system: string | undefined; url: string | undefined };
  properties: Map<string, string>;
  dependencies: Dependency[];
  managed: Dependency[];
  relocation: EffectivePom['relocation'];
}

function dependencyOf(element: PomDependencyElement): Dependency {
  return {
    groupId: element.groupId,
    artifactId: element.artifactId,
    version: element.version,
    type: element.type,
    classifier: element.classifier,
    scope: element.scope,
    optional: element.optional,
    exclusions: element.exclusions.map((exclusion) => ({ groupId: exclusion.groupId, artifactId: exclusion.artifactId })),
  };
}

/** Inheritance merges dependency lists by this key on the raw (not yet interpolated) values, as Maven does. */
function dependencyKey(dependency: Dependency): string {
  return `${dependency.groupId ?? ''}:${dependency.artifactId ?? ''}:${dependency.type ?? 'jar'}:${dependency.classifier ?? ''}`;
}

/** The child's entries, then the parent's entries the child does not redeclare. */
function mergeDependencies(child: Dependency[], parent: Dependency[]): Dependency[] {
  const keys = new Set(child.map(dependencyKey));
  return [...child, ...parent.filter((dependency) => !keys.has(dependencyKey(dependency)))];
}

function appendFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value.trim().toLowerCase() !== 'false';
}

function pomFileName(artifactId: string | undefined, version: string | undefined): string {
  return `${artifactId ?? 'unknown'}-${version ?? 'unknown'}.pom`;
}

/** One POM file as written, before anything is inherited. */
function ownModel(project: PomProject): InheritedModel {
  const parent = project.parent ? { groupId: project.parent.groupId, artifactId: project.parent.artifactId, version: project.parent.version } : undefined;
  const version = project.version ?? parent?.version;
  const relocation = project.distributionManagement?.relocation;
  const licenses = project.licenses.map((license) => ({ name: license.name, url: license.url })).filter((license) => license.name || license.url);
  return {
    groupId: project.groupId ?? parent?.groupId,
    artifactId: project.artifactId,
    version,
    parent,
    packaging: project.packaging,
    name: project.name,
    description: project.description,
    url: project.url,
    urlAppend: appendFlag(project['@_child.project.url.inherit.append.path']),
    licenses,
    licensesFrom: licenses.length > 0 ? pomFileName(project.artifactId, version) : undefined,
    developers: project.developers.map((developer) => ({ id: developer.id, name: developer.name, email: developer.email, url: developer.url })),
    organization: { name: project.organization?.name, url: project.organization?.url },
    scm: { url: project.scm?.url, connection: project.scm?.connection, developerConnection: project.scm?.developerConnection },
    scmAppend: {
      url: appendFlag(project.scm?.['@_child.scm.url.inherit.append.path']),
      connection: appendFlag(project.scm?.['@_child.scm.connection.inherit.append.path']),
      developerConnection: appendFlag(project.scm?.['@_child.scm.developerConnection.inherit.append.path']),
    },
    issueManagement: { system: project.issueManagement?.system, url: project.issueManagement?.url },
    properties: project.properties ?? new Map(),
    dependencies: project.dependencies.map(dependencyOf),
    managed: (project.dependencyManagement?.dependencies ?? []).map(dependencyOf),
    relocation: relocation ? { groupId: relocation.groupId, artifactId: relocation.artifactId, version: relocation.version, message: relocation.message } : null,
  };
}

/** Maven's DefaultInheritanceAssembler.concatPath: joins with exactly one slash, keeping a directory's trailing slash. */
function concatPath(url: string, path: string): string {
  if (!path) return url;
  const urlEndsWithSlash = url.endsWith('/');
  let out = url;
  if (path.startsWith('/')) {
    if (urlEndsWithSlash) out = out.slice(0, -1);
  } else if (!urlEndsWithSlash) {
    out += '/';
  }
  out += path;
  if (urlEndsWithSlash && !path.endsWith('/')) out += '/';
  return out;
}

/**
 * The path a child's URL gets: its artifactId, prefixed by the parent's module path when the parent lists the
 * child as a module in another directory (`../child`), as DefaultInheritanceAssembler.getChildPathAdjustment does.
 */
function childPath(artifactId: string | undefined, parentModules: readonly string[]): { path: string; adjustment: string } {
  const name = artifactId ?? '';
  for (const raw of parentModules) {
    let module = raw.replace(/\\/g, '/');
    if (/\.xml$/i.test(module)) module = module.slice(0, module.lastIndexOf('/') + 1);
    const trimmed = module.endsWith('/') ? module.slice(0, -1) : module;
    const lastSlash = trimmed.lastIndexOf('/');
    if (trimmed.slice(lastSlash + 1) === name && lastSlash >= 0) return { path: name, adjustment: module.slice(0, lastSlash) };
  }
  return { path: name, adjustment: '' };
}

function inheritedUrl(childValue: string | undefined, parentValue: string | undefined, append: boolean | undefined, path: { path: string; adjustment: string }): string | undefined {
  if (childValue !== undefined || parentValue === undefined) return childValue;
  return append !== false ? concatPath(concatPath(parentValue, path.adjustment), path.path) : parentValue;
}

/** `parent` is already effective; `child` is one POM file; `parentModules` are the direct parent's <modules>. */
function inherit(parent: InheritedModel, child: InheritedModel, parentModules: readonly string[]): InheritedModel {
  const path = childPath(child.artifactId, parentModules);
  return {
    ...child,
    groupId: child.groupId ?? parent.groupId,
    version: child.version ?? parent.version,
    description: child.description ?? parent.description,
    // The parent's own append flags decide how its URLs reach the child; unset flags are inherited too.
    url: inheritedUrl(child.url, parent.url, parent.urlAppend, path),
    urlAppend: child.urlAppend ?? parent.urlAppend,
    licenses: child.licenses.length > 0 ? child.licenses : parent.licenses,
    licensesFrom: child.licenses.length > 0 ? child.licensesFrom : parent.licensesFrom,
    developers: child.developers.length > 0 ? child.developers : parent.developers,
    organization: { name: child.organization.name ?? parent.organization.name, url: child.organization.url ?? parent.organization.url },
    scm: {
      url: inheritedUrl(child.scm.url, parent.scm.url, parent.scmAppend.url, path),
      connection: inheritedUrl(child.scm.connection, parent.scm.connection, parent.scmAppend.connection, path),
      developerConnection: inheritedUrl(child.scm.developerConnection, parent.scm.developerConnection, parent.scmAppend.developerConnection, path),
    },
    scmAppend: {
      url: child.scmAppend.url ?? parent.scmAppend.url,
      connection: child.scmAppend.connection ?? parent.scmAppend.connection,
      developerConnection: child.scmAppend.developerConnection ?? parent.scmAppend.developerConnection,
    },
    issueManagement: { system: child.issueManagement.system ?? parent.issueManagement.system, url: child.issueManagement.url ?? parent.issueManagement.url },
    properties: new Map([...parent.properties, ...child.properties]),
    dependencies: mergeDependencies(child.dependencies, parent.dependencies),
    managed: mergeDependencies(child.managed, parent.managed),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Interpolation

const EXPRESSION = /\$\{([^${}]+)\}/g;
const MAX_EXPANSION_DEPTH = 32;
const MAX_EXPANDED_LENGTH = 65_536;

/** `${...}` expansion over one effective model (Maven's StringVisitorModelInterpolator value sources, minus the build environment). */
class Interpolator {
  private readonly memo = new Map<string, string | undefined>();

  constructor(private readonly model: InheritedModel) {}

  /** A model field by its path (`version`, `parent.version`, `scm.url` ...), uninterpolated. */
  private field(path: string): string | undefined {
    const m = this.model;
    switch (path) {
      case 'groupId':
        return m.groupId;
      case 'artifactId':
        return m.artifactId;
      case 'version':
        return m.version;
      case 'packaging':
        return m.packaging ?? 'jar';
      case 'name':
        return m.name;
      case 'description':
        return m.description;
      case 'url':
        return m.url;
      case 'modelVersion':
        return '4.0.0';
      case 'parent.groupId':
        return m.parent?.groupId;
      case 'parent.artifactId':
        return m.parent?.artifactId;
      case 'parent.version':
        return m.parent?.version;
      case 'organization.name':
        return m.organization.name;
      case 'organization.url':
        return m.organization.url;
      case 'scm.url':
        return m.scm.url;
      case 'scm.connection':
        return m.scm.connection;
      case 'scm.developerConnection':
        return m.scm.developerConnection;
      case 'issueManagement.system':
        return m.issueManagement.system;
      case 'issueManagement.url':
        return m.issueManagement.url;
      default:
        return undefined;
    }
  }

  /** project.* / pom.* first, then properties, then the deprecated unprefixed model fields (`${version}`). */
  private lookup(expression: string): string | undefined {
    const prefixed = /^(?:project|pom)\.(.+)$/.exec(expression);
    if (prefixed) return this.field(prefixed[1]!);
    if (this.model.properties.has(expression)) return this.model.properties.get(expression);
    return this.field(expression);
  }

  private expression(expression: string, stack: readonly string[]): string | undefined {
    if (this.memo.has(expression)) return this.memo.get(expression);
    const raw = this.lookup(expression);
    const value = raw === undefined ? undefined : this.expand(raw, [...stack, expression]);
    this.memo.set(expression, value);
    return value;
  }

  private expand(text: string, stack: readonly string[]): string {
    if (!text.includes('${')) return text;
    const out = text.replace(EXPRESSION, (whole, expression: string) => {
      // A cycle (a=${b}, b=${a}) or runaway nesting stays unexpanded, as Maven reports it unresolved.
      if (stack.includes(expression) || stack.length >= MAX_EXPANSION_DEPTH) return whole;
      return this.expression(expression, stack) ?? whole;
    });
    return out.length > MAX_EXPANDED_LENGTH ? text : out;
  }

  value(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const expanded = this.expand(text, []).trim();
    return expanded === '' ? undefined : expanded;
  }
}

function interpolateDependency(dependency: Dependency, interpolator: Interpolator): Dependency {
  return {
    groupId: interpolator.value(dependency.groupId),
    artifactId: interpolator.value(dependency.artifactId),
    version: interpolator.value(dependency.version),
    type: interpolator.value(dependency.type),
    classifier: interpolator.value(dependency.classifier),
    scope: interpolator.value(dependency.scope),
    optional: interpolator.value(dependency.optional),
    exclusions: dependency.exclusions.map((exclusion) => ({ groupId: interpolator.value(exclusion.groupId), artifactId: interpolator.value(exclusion.artifactId) })),
  };
}

/** Dependency.getManagementKey(): groupId:artifactId:type[:classifier], type defaulting to jar. */
function managementKey(dependency: Dependency): string {
  return `${dependency.groupId}:${dependency.artifactId}:${dependency.type ?? 'jar'}${dependency.classifier ? `:${dependency.classifier}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Resolution

interface ManagedIndex {
  own: Map<string, Dependency>;
  imports: Coordinates[];
}

type Lookup = Dependency | 'pending' | undefined;

class Resolution {
  readonly needed = new Set<string>();
  readonly notes: string[] = [];
  private readonly imports = new Map<string, ManagedIndex | 'pending' | null>();

  constructor(private readonly source: PomSource, private readonly limits: PomLimits) {}

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }

  private load(key: string): PomProject | null | 'pending' {
    const project = this.source(key);
    if (project === undefined) {
      this.needed.add(key);
      return 'pending';
    }
    return project;
  }

  /** The parent chain above `project`, folded into one inherited model; 'pending' while an ancestor is not loaded. */
  inherited(project: PomProject, key: string): InheritedModel | 'pending' {
    const chain: Array<{ model: InheritedModel; modules: readonly string[] }> = [{ model: ownModel(project), modules: project.modules }];
    const seen = new Set([key]);
    let pending = false;
    for (let current = project; current.parent; ) {
      const declared = current.parent;
      if (!declared.groupId || !declared.artifactId || !declared.version || declared.version.includes('${')) {
        this.note(`${key}: parent declaration incomplete`);
        break;
      }
      const parentKey = coordinatesKey({ groupId: declared.groupId, artifactId: declared.artifactId, version: declared.version });
      if (seen.has(parentKey)) {
        this.note(`${key}: parent cycle at ${parentKey}`);
        break;
      }
      if (chain.length > this.limits.maxParentDepth) {
        this.note(`${key}: parent chain longer than ${this.limits.maxParentDepth}; stopped at ${parentKey}`);
        break;
      }
      const parent = this.load(parentKey);
      if (parent === 'pending') {
        pending = true;
        break;
      }
      if (parent === null) {
        this.note(`${key}: parent ${parentKey} unavailable`);
        break;
      }
      seen.add(parentKey);
      chain.push({ model: ownModel(parent), modules: parent.modules });
      current = parent;
    }
    if (pending) return 'pending';
    let effective = chain.at(-1)!.model;
    for (let i = chain.length - 2; i >= 0; i--) effective = inherit(effective, chain[i]!.model, chain[i + 1]!.modules);
    return effective;
  }

  /** Own (and inherited) managed entries, interpolated; import entries become the list of BOMs to consult. */
  managedIndex(model: InheritedModel, interpolator: Interpolator, key: string): ManagedIndex {
    const own = new Map<string, Dependency>();
    const imports: Coordinates[] = [];
    for (const raw of model.managed) {
      const entry = interpolateDependency(raw, interpolator);
      if (entry.scope === 'import' && (entry.type ?? 'jar') === 'pom') {
        if (entry.groupId && entry.artifactId && entry.version && !`${entry.groupId}${entry.artifactId}${entry.version}`.includes('${')) {
          imports.push({ groupId: entry.groupId, artifactId: entry.artifactId, version: entry.version });
        } else {
          this.note(`${key}: BOM import ${entry.groupId}:${entry.artifactId}:${entry.version} not resolvable`);
        }
        continue;
      }
      // A duplicate key in one list: the later entry wins (DependencyManagementInjector builds a map in order).
      own.set(managementKey(entry), entry);
    }
    return { own, imports };
  }

  private importIndex(coordinates: Coordinates, depth: number): ManagedIndex | 'pending' | null {
    const key = coordinatesKey(coordinates);
    const known = this.imports.get(key);
    if (known !== undefined && known !== 'pending') return known;
    if (depth > this.limits.maxImportDepth) {
      this.note(`BOM import ${key} nested deeper than ${this.limits.maxImportDepth}; skipped`);
      return null;
    }
    const project = this.load(key);
    if (project === 'pending') return 'pending';
    if (project === null) {
      this.note(`BOM ${key} unavailable`);
      this.imports.set(key, null);
      return null;
    }
    const model = this.inherited(project, key);
    if (model === 'pending') return 'pending';
    const index = this.managedIndex(model, new Interpolator(model), key);
    this.imports.set(key, index);
    return index;
  }

  /**
   * The managed entry for `key`: own entries first, then each import in declaration order (first one wins).
   * While an earlier import is not loaded yet the answer is 'pending', but the later imports are still
   * visited so that one round asks for every BOM of a level at once.
   */
  lookup(index: ManagedIndex, key: string, depth: number, seen: ReadonlySet<string>): Lookup {
    const own = index.own.get(key);
    if (own) return own;
    let pending = false;
    for (const coordinates of index.imports) {
      const importKey = coordinatesKey(coordinates);
      if (seen.has(importKey)) continue; // BOM import cycle
      const imported = this.importIndex(coordinates, depth + 1);
      if (imported === 'pending') {
        pending = true;
        continue;
      }
      if (imported === null) continue;
      const found = this.lookup(imported, key, depth + 1, new Set([...seen, importKey]));
      if (found === 'pending') {
        pending = true;
        continue;
      }
      // An answer behind an import still loading may not be the first one: only later imports are settled.
      if (found !== undefined) return pending ? 'pending' : found;
    }
    return pending ? 'pending' : undefined;
  }
}

function emptyPom(notes: string[]): EffectivePom {
  return {
    groupId: undefined, artifactId: undefined, version: undefined, packaging: 'jar', name: undefined, description: undefined, url: undefined,
    licenses: [], licensesFrom: undefined, developers: [], organization: { name: undefined, url: undefined },
    scm: { url: undefined, connection: undefined, developerConnection: undefined }, issueManagement: { system: undefined, url: undefined },
    dependencies: [], relocation: null, notes,
  };
}

/**
 * Builds the effective POM of `project` (requested as `key`). With a fetching source, `needed` lists the POMs
 * to load before the answer is complete; with a stored source (never undefined) the answer is final.
 */
export function resolvePom(project: PomProject, key: string, source: PomSource, limits: PomLimits = DEFAULT_POM_LIMITS): PomResolution {
  const resolution = new Resolution(source, limits);
  const model = resolution.inherited(project, key);
  if (model === 'pending') return { pom: emptyPom(resolution.notes), needed: [...resolution.needed] };

  const interpolator = new Interpolator(model);
  const value = (text: string | undefined) => interpolator.value(text);
  const index = resolution.managedIndex(model, interpolator, key);

  const dependencies: ResolvedDependency[] = [];
  for (const raw of model.dependencies) {
    const dependency = interpolateDependency(raw, interpolator);
    if (!dependency.groupId || !dependency.artifactId) {
      resolution.note(`${key}: dependency without groupId/artifactId skipped`);
      continue;
    }
    let { version, scope } = dependency;
    let managed = false;
    if (version === undefined || scope === undefined) {
      const entry = resolution.lookup(index, managementKey(dependency), 0, new Set());
      if (entry !== undefined && entry !== 'pending') {
        if (version === undefined && entry.version !== undefined) {
          version = entry.version;
          managed = true;
        }
        if (scope === undefined && entry.scope !== undefined) {
          scope = entry.scope;
          managed = true;
        }
      }
    }
    if (version === undefined) resolution.note(`${key}: no version for ${dependency.groupId}:${dependency.artifactId}`);
    dependencies.push({
      groupId: dependency.groupId,
      artifactId: dependency.artifactId,
      version,
      type: dependency.type ?? 'jar',
      classifier: dependency.classifier,
      scope,
      optional: dependency.optional?.toLowerCase() === 'true',
      managed,
      exclusions: dependency.exclusions.filter((e) => e.groupId && e.artifactId).map((e) => `${e.groupId}:${e.artifactId}`),
    });
  }

  const relocation = model.relocation
    ? { groupId: value(model.relocation.groupId), artifactId: value(model.relocation.artifactId), version: value(model.relocation.version), message: value(model.relocation.message) }
    : null;
  const pom: EffectivePom = {
    groupId: value(model.groupId),
    artifactId: value(model.artifactId),
    version: value(model.version),
    packaging: value(model.packaging) ?? 'jar',
    name: value(model.name),
    description: value(model.description),
    url: value(model.url),
    licenses: model.licenses.map((license) => ({ name: value(license.name), url: value(license.url) })),
    licensesFrom: model.licensesFrom,
    developers: model.developers.map((person) => ({ id: value(person.id), name: value(person.name), email: value(person.email), url: value(person.url) })),
    organization: { name: value(model.organization.name), url: value(model.organization.url) },
    scm: { url: value(model.scm.url), connection: value(model.scm.connection), developerConnection: value(model.scm.developerConnection) },
    issueManagement: { system: value(model.issueManagement.system), url: value(model.issueManagement.url) },
    dependencies,
    relocation,
    notes: resolution.notes,
  };
  return { pom, needed: [...resolution.needed] };
}
