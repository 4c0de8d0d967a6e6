import type { Loaders } from '../context.js';
import type { EcosystemId } from '../ecosystems/ids.js';
import { normalizeExtra } from '../ecosystems/pypi/names.js';
import type { DependencyKind, DependencyRecord, VersionRecord } from '../ecosystems/types.js';
import { InvalidInputError } from '../errors.js';
import type { PackageKey, VersionSummary } from '../store/types.js';
import { goVersioning } from '../versioning/go.js';
import {
  cargoFeatureClosure,
  evaluateCargoTarget,
  evaluateMarker,
  nearestFrameworkGroup,
  npmPlatformAllows,
  npmPlatformCondition,
  pythonSatisfies,
} from './environment.js';
import type { PackageService } from './packages.js';
import { pickVersion, versionAsOf, type Pick } from './resolution.js';

export interface DependencyEnvironment {
  os?: string | null;
  arch?: string | null;
  pythonVersion?: string | null;
  extras?: string[] | null;
  targetFramework?: string | null;
  cargoFeatures?: string[] | null;
  nodeVersion?: string | null;
  /** The root's development dependencies (never those of dependencies, as package managers do). */
  includeDev?: boolean | null;
  /** Default: true for npm (npm 7+ installs peers), false elsewhere. */
  includePeer?: boolean | null;
  /** Default: true for npm (npm tries optional dependencies), false elsewhere. */
  includeOptional?: boolean | null;
  /** npm: also optional peers (peerDependenciesMeta optional), which npm itself does not install. */
  includeOptionalPeers?: boolean | null;
}

export interface GraphRequest {
  ecosystem: EcosystemId;
  name: string;
  version: string;
  kinds: DependencyKind[];
  maxDepth: number;
  maxNodes: number;
  environment: DependencyEnvironment;
  /** Epoch ms: resolve as of that moment (only versions published by then). */
  asOf: number | null;
}

export interface GraphNode {
  id: string;
  depth: number;
  record: VersionRecord;
}

/** What decides whether a dependency is installed here: its condition, and whether the environment meets it. */
export interface EdgeCondition {
  /** PEP 508 marker, Cargo target (and enabling feature), NuGet framework group, npm os/cpu; null when unconditional. */
  condition: string | null;
  /** Whether the environment meets it; null when the environment does not say (or there is no condition). */
  applies: boolean | null;
}

export interface GraphEdge extends EdgeCondition {
  from: string;
  to: string;
  name: string;
  constraint: string;
  kind: DependencyKind;
  optional: boolean;
  /**
   * Maven nearest-wins mediation / Go MVS: the version this declaration asked for (or would have picked on its
   * own) when the ecosystem selected another (`to`); null when it got what it asked for.
   */
  mediatedFrom: string | null;
}

export interface UnresolvedDependency extends EdgeCondition {
  from: string;
  name: string;
  constraint: string;
  kind: DependencyKind;
  optional: boolean;
  reason: string;
}

/** A dependency left out on purpose: its condition does not hold here, or a Maven exclusion cuts it. */
export interface ExcludedDependency {
  from: string;
  name: string;
  constraint: string;
  kind: DependencyKind;
  optional: boolean;
  condition: string | null;
  reason: string;
}

export interface DependencyGraph {
  root: GraphNode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  unresolved: UnresolvedDependency[];
  excluded: ExcludedDependency[];
  /** Strongly connected groups of node ids (each a cycle, or a self-loop). */
  cycles: string[][];
  truncated: boolean;
}

/**
 * Fields some adapters may add to a version record (not in VersionRecord yet): NuGet's framework groups including
 * the empty ones (an empty nearest group means no dependencies), Maven's dependencyManagement (the root's manages
 * the versions of the whole graph).
 */
type ExtendedRecord = VersionRecord & {
  frameworkGroups?: readonly (string | null)[];
  managedDependencies?: readonly { name: string; constraint: string }[];
};

const nodeId = (record: VersionRecord) => `${record.name}@${record.version}`;

/** How many times a level re-picks versions turned down by a Requires-Python (pip walks down the same way). */
const MAX_REPICK_ROUNDS = 8;

/** Which kinds a node's dependencies are followed by: the request's, plus the environment's switches. */
function kindsFor(request: GraphRequest, depth: number): Set<DependencyKind> {
  const kinds = new Set(request.kinds);
  const npm = request.ecosystem === 'npm';
  const env = request.environment;
  if (env.includePeer ?? npm) kinds.add('PEER');
  if (env.includeOptional ?? npm) kinds.add('OPTIONAL');
  if (depth === 0 && env.includeDev) kinds.add('DEVELOPMENT');
  if (depth > 0 && !request.kinds.includes('DEVELOPMENT')) kinds.delete('DEVELOPMENT');
  // PyPI's optional dependencies are extras: the extras asked decide, through the marker.
  if (request.ecosystem === 'pypi') kinds.add('OPTIONAL');
  // A Maven artifact's own optional dependencies are on its classpath; they only stop at its consumers.
  if (request.ecosystem === 'maven' && depth === 0) kinds.add('OPTIONAL');
  return kinds;
}

/** Kleene `and` for combining a dependency's conditions. */
function both(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

/** Records whose dependencies need the per-version details (only when the package fetch gave none, as the schema does). */
async function complete(loaders: Loaders, records: readonly VersionRecord[]): Promise<(VersionRecord | Error)[]> {
  const pending = records.map((record, i) => ({ record, i })).filter(({ record }) => record.detailsPending && record.dependencies.length === 0);
  const out: (VersionRecord | Error)[] = [...records];
  if (pending.length === 0) return out;
  const loaded = await loaders.detailed.loadMany(pending.map(({ record }) => record));
  pending.forEach(({ i, record }, j) => {
    const result = loaded[j];
    out[i] = result instanceof Error ? result : (result ?? record);
  });
  return out;
}

/** The root version; `latest` with `asOf` is the highest stable version published by then. */
async function loadRoot(service: PackageService, loaders: Loaders, request: GraphRequest): Promise<VersionRecord | null> {
  const key = service.packageKey(request.ecosystem, request.name);
  if (request.asOf !== null) {
    const [pkg, candidates] = await Promise.all([loaders.package.load(key), loaders.candidates.load(key)]);
    if (!pkg || !candidates) return null;
    const tags = pkg.record.distTags;
    const isLatest = request.version === 'latest' || (Object.hasOwn(tags, request.version) && tags[request.version] === (tags.latest ?? pkg.record.latestVersion));
    // Registries keep no history of their tags; without every release's date (Maven, Go) the tag as it is today is
    // all there is.
    if (isLatest && candidates.every((c) => c.prerelease || c.releaseDate !== null)) {
      const version = versionAsOf(service.adapter(key.ecosystem).versioning, candidates, tags.latest ?? pkg.record.latestVersion, request.asOf);
      if (version === null) return null;
      return (await loaders.version.load({ ...key, version }))?.record ?? null;
    }
  }
  return (await loaders.version.load({ ...key, version: request.version }))?.record ?? null;
}

/**
 * Breadth-first resolution: each level's dependencies are resolved together, so every level costs one batched
 * round of package loads (fetched on demand, concurrently, under the registries' limiters) and one batched round
 * of version reads, whatever the number of dependencies. Go modules are resolved by minimal version selection.
 */
export async function resolveDependencyGraph(service: PackageService, loaders: Loaders, request: GraphRequest): Promise<DependencyGraph | null> {
  const root = await loadRoot(service, loaders, request);
  if (!root) return null;
  if (request.ecosystem === 'go') return resolveGoGraph(service, loaders, request, root);
  return new BreadthFirst(service, loaders, request, root).run();
}

/** Per-node state that decides which of its dependencies apply. */
interface NodeState {
  node: GraphNode;
  /** PyPI: extras asked of it (root: environment.extras; others: the extras on the incoming edges). */
  extras: Set<string>;
  /** Cargo: features asked of it (root: environment.cargoFeatures + default; others: the incoming edges'). */
  features: Set<string>;
  /** Maven: exclusions inherited from the path that reached it. */
  exclusions: string[];
  /** Indexes of its dependencies already followed (a node is expanded again when more extras/features reach it). */
  followed: Set<number>;
  /** extras/features signature of the last expansion. */
  expandedWith: string | null;
}

interface Pending extends EdgeCondition {
  state: NodeState;
  dep: DependencyRecord;
  index: number;
  constraint: string;
  key: PackageKey;
  childExtras: string[];
  childFeatures: string[];
  /** Maven: the group:artifact whose nearest declaration this one yields to. */
  mediatedBy: string | null;
}

interface MavenWinner {
  nodeId: string | null;
  version: string | null;
  failure: string | null;
}

const stateSignature = (state: NodeState) => `${[...state.extras].sort().join(',')}|${[...state.features].sort().join(',')}`;

/** Maven exclusion patterns: `groupId:artifactId`, either part `*`. */
function excludedBy(patterns: readonly string[], name: string): string | null {
  const [group, artifact] = name.split(':');
  for (const pattern of patterns) {
    const [g, a] = pattern.split(':');
    if ((g === '*' || g === group) && (a === undefined || a === '*' || a === artifact)) return pattern;
  }
  return null;
}

class BreadthFirst {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly states = new Map<string, NodeState>();
  private readonly edges: GraphEdge[] = [];
  private readonly unresolved: UnresolvedDependency[] = [];
  /** Keyed by node id + dependency index, so a later expansion that follows it takes it out again. */
  private readonly excluded = new Map<string, ExcludedDependency>();
  private readonly winners = new Map<string, MavenWinner>();
  private truncated = false;
  private readonly env: DependencyEnvironment;
  private readonly rootNode: GraphNode;
  private readonly managed: Map<string, string>;

  constructor(
    private readonly service: PackageService,
    private readonly loaders: Loaders,
    private readonly request: GraphRequest,
    root: VersionRecord,
  ) {
    this.env = request.environment;
    this.rootNode = { id: nodeId(root), depth: 0, record: root };
    this.nodes.set(this.rootNode.id, this.rootNode);
    const rootFeatures = [...(this.env.cargoFeatures ?? []), 'default'];
    this.states.set(this.rootNode.id, {
      node: this.rootNode,
      extras: new Set((this.env.extras ?? []).map(normalizeExtra)),
      features: new Set(rootFeatures),
      exclusions: [],
      followed: new Set(),
      expandedWith: null,
    });
    if (request.ecosystem === 'maven') this.winners.set(root.name, { nodeId: this.rootNode.id, version: root.version, failure: null });
    this.managed = new Map(((root as ExtendedRecord).managedDependencies ?? []).map((m) => [m.name, m.constraint]));
  }

  async run(): Promise<DependencyGraph> {
    let level: NodeState[] = [this.states.get(this.rootNode.id)!];
    while (level.length > 0) {
      const expandable = level.filter((state) => {
        if (state.node.depth < this.request.maxDepth) return true;
        if (state.node.record.dependencies.length > 0 || state.node.record.detailsPending) this.truncated = true;
        return false;
      });
      level = expandable.length > 0 ? await this.expand(expandable) : [];
    }
    const nodes = [...this.nodes.values()];
    return {
      root: this.rootNode,
      nodes,
      edges: this.edges,
      unresolved: this.unresolved,
      excluded: [...this.excluded.values()],
      cycles: findCycles(nodes.map((n) => n.id), this.edges),
      truncated: this.truncated,
    };
  }

  /** One level: the dependencies of every node in it, resolved together. Returns the next level. */
  private async expand(level: NodeState[]): Promise<NodeState[]> {
    const detailed = await complete(this.loaders, level.map((state) => state.node.record));
    const pending: Pending[] = [];
    level.forEach((state, i) => {
      const record = detailed[i]!;
      const node = state.node;
      if (record instanceof Error) {
        this.unresolved.push({ from: node.id, name: node.record.name, constraint: node.record.version, kind: 'RUNTIME', optional: false, reason: `dependencies unavailable: ${record.message}`, condition: null, applies: null });
        return;
      }
      node.record = record;
      state.expandedWith = stateSignature(state);
      pending.push(...this.candidatesOf(state));
    });

    const keys = pending.map((p) => p.key);
    const [packages, lists] = await Promise.all([this.loaders.package.loadMany(keys), this.loaders.candidates.loadMany(keys)]);
    interface Picked { item: Pending; version: string; rejected: Set<string>; candidates: readonly VersionSummary[]; distTags: Record<string, string> }
    let picks: Picked[] = [];
    const mediated: { item: Pending; own: Pick | null }[] = [];
    pending.forEach((item, k) => {
      const pkg = packages[k];
      const list = lists[k];
      if (pkg instanceof Error) return this.fail(item, pkg.message);
      if (list instanceof Error) return this.fail(item, list.message);
      if (!pkg || !list) return this.fail(item, `${item.key.name} does not exist in ${item.key.ecosystem}`);
      const pick = this.pick(item, list, pkg.record.distTags, new Set());
      if (item.mediatedBy !== null) mediated.push({ item, own: pick });
      else if ('reason' in pick) this.fail(item, pick.reason);
      else picks.push({ item, version: pick.version, rejected: new Set(), candidates: list, distTags: pkg.record.distTags });
    });

    // Read the picked versions; PyPI versions whose Requires-Python excludes the environment's Python are turned down
    // and the next best is read in another batched round, as pip does.
    const accepted: { item: Pending; record: VersionRecord }[] = [];
    const python = this.request.ecosystem === 'pypi' ? (this.env.pythonVersion ?? null) : null;
    for (let round = 0; picks.length > 0; round++) {
      const versions = await this.loaders.version.loadMany(picks.map((p) => ({ ...p.item.key, version: p.version })));
      const retry: Picked[] = [];
      picks.forEach((p, i) => {
        const found = versions[i];
        if (!found || found instanceof Error) return this.fail(p.item, found instanceof Error ? found.message : `${p.item.key.name}@${p.version} could not be read`);
        if (python !== null && pythonSatisfies(found.record.engines.python, python) === false) {
          p.rejected.add(p.version);
          const next = round + 1 < MAX_REPICK_ROUNDS ? this.pick(p.item, p.candidates, p.distTags, p.rejected) : { reason: `every version tried requires another Python than ${python}` };
          if ('reason' in next) return this.fail(p.item, next.reason);
          retry.push({ ...p, version: next.version });
          return;
        }
        accepted.push({ item: p.item, record: found.record });
      });
      picks = retry;
    }

    const platformChecked = await this.checkNpmPlatforms(accepted);
    const next = new Set<NodeState>();
    for (const { item, record, condition } of platformChecked) this.link(item, record, condition, next);
    for (const { item, own } of mediated) this.linkMediated(item, own);
    return [...next];
  }

  /** The dependencies of one node that apply here, each with its condition; the others go to `excluded`. */
  private candidatesOf(state: NodeState): Pending[] {
    const { node } = state;
    const record = node.record as ExtendedRecord;
    const ecosystem = record.ecosystem;
    const kinds = kindsFor(this.request, node.depth);
    const out: Pending[] = [];
    const nuget = ecosystem === 'nuget' ? this.nugetGroup(record) : null;
    const cargo = ecosystem === 'cargo' ? this.cargoFeaturesOf(state) : null;
    record.dependencies.forEach((dep, index) => {
      if (state.followed.has(index)) return;
      // Platform requirements (Composer `php`, `ext-*`) are the runtime's business, not packages to install.
      if (!kinds.has(dep.kind) || dep.platform) return;
      // npm never installs a peer marked optional in peerDependenciesMeta unless something else requires it.
      if (this.request.ecosystem === 'npm' && dep.kind === 'PEER' && dep.optional && !this.env.includeOptionalPeers) return;
      const parts: EdgeCondition[] = [];
      const reasons: string[] = [];
      if (ecosystem === 'pypi' && dep.marker) {
        let applies: boolean | null = null;
        try {
          applies = evaluateMarker(dep.marker, { pythonVersion: this.env.pythonVersion ?? null, os: this.env.os ?? null, arch: this.env.arch ?? null, extras: state.extras });
        } catch {
          applies = null; // an unreadable marker is reported, not guessed
        }
        parts.push({ condition: dep.marker, applies });
        if (applies === false) reasons.push(`marker ${JSON.stringify(dep.marker)} is false here${state.extras.size > 0 ? ` (extras: ${[...state.extras].join(', ')})` : ''}`);
      }
      if (ecosystem === 'cargo' && dep.target) {
        let applies: boolean | null = null;
        try {
          applies = evaluateCargoTarget(dep.target, { os: this.env.os ?? null, arch: this.env.arch ?? null });
        } catch {
          applies = null;
        }
        parts.push({ condition: dep.target, applies });
        if (applies === false) reasons.push(`target ${dep.target} does not match`);
      }
      if (cargo && dep.optional) {
        const by = cargo.enabled?.get(dep.name);
        const applies = cargo.enabled === null ? null : by !== undefined;
        parts.push({ condition: by !== undefined ? `feature = ${JSON.stringify(by)}` : `optional (dep:${dep.name})`, applies });
        if (applies === false) reasons.push(`optional, and no enabled feature turns it on (features: ${[...cargo.features].join(', ') || 'none'})`);
      }
      if (ecosystem === 'nuget' && dep.targetFramework !== undefined) {
        const group = dep.targetFramework?.trim() ? dep.targetFramework : null;
        const applies = !nuget ? null : nuget.chosen === undefined ? false : (nuget.chosen?.toLowerCase() ?? null) === (group?.toLowerCase() ?? null);
        parts.push({ condition: group, applies });
        if (nuget && applies === false) reasons.push(nuget.chosen === undefined ? `no dependency group is compatible with ${nuget.project}` : `group ${group ?? '(any framework)'} is not the nearest to ${nuget.project} (${nuget.chosen ?? 'the group without a framework'} is)`);
      }
      const condition = parts.map((p) => p.condition).filter((c): c is string => c !== null).join('; ') || null;
      const applies = parts.length === 0 ? null : parts.reduce<boolean | null>((acc, p) => both(acc, p.applies), true);
      const base = { from: node.id, name: dep.name, constraint: dep.constraint, kind: dep.kind, optional: dep.optional, condition };
      if (applies === false) {
        this.excluded.set(`${node.id}\0${index}`, { ...base, reason: reasons.join('; ') });
        return;
      }
      let key: PackageKey;
      try {
        key = this.service.packageKey(ecosystem, dep.packageName);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        state.followed.add(index);
        this.unresolved.push({ ...base, applies, reason: error.message });
        return;
      }
      if (ecosystem === 'maven') {
        const pattern = excludedBy(state.exclusions, key.name);
        if (pattern !== null) {
          this.excluded.set(`${node.id}\0${index}`, { ...base, reason: `excluded by ${pattern} on the path from the root` });
          return;
        }
      }
      state.followed.add(index);
      this.excluded.delete(`${node.id}\0${index}`);
      // The root's dependencyManagement decides the versions of the dependencies below it (Maven).
      const constraint = node.depth > 0 ? (this.managed.get(key.name) ?? dep.constraint) : dep.constraint;
      let mediatedBy: string | null = null;
      if (ecosystem === 'maven') {
        // Nearest wins: the first declaration at the shallowest depth (breadth-first, in declaration order).
        if (this.winners.has(key.name)) mediatedBy = key.name;
        else this.winners.set(key.name, { nodeId: null, version: null, failure: null });
      }
      out.push({
        state, dep, index, constraint, key, condition, applies, mediatedBy,
        childExtras: dep.extras ?? [],
        childFeatures: cargo ? [...(dep.features ?? []), ...(dep.defaultFeatures === false ? [] : ['default']), ...(cargo.dependencyFeatures.get(dep.name) ?? [])] : [],
      });
    });
    return out;
  }

  /** NuGet: the framework group this node's dependencies come from, when a target framework is given. */
  private nugetGroup(record: ExtendedRecord): { project: string; chosen: string | null | undefined } | null {
    const project = this.env.targetFramework?.trim();
    if (!project) return null;
    const groups = record.frameworkGroups ?? [...new Set(record.dependencies.filter((d) => d.targetFramework !== undefined).map((d) => (d.targetFramework?.trim() ? d.targetFramework : null)))];
    if (groups.length === 0) return null;
    return { project, chosen: nearestFrameworkGroup(project, groups) };
  }

  /** Cargo: the node's enabled features and what they turn on; `enabled` is null without a feature map. */
  private cargoFeaturesOf(state: NodeState): { features: Set<string>; enabled: Map<string, string> | null; dependencyFeatures: Map<string, Set<string>> } {
    const record = state.node.record;
    const optional = new Set(record.dependencies.filter((d) => d.optional).map((d) => d.name));
    if (!record.features) {
      // Without a feature map only explicitly named optional dependencies are known to be on.
      const named = new Map([...state.features].filter((f) => optional.has(f)).map((f) => [f, f] as const));
      return { features: state.features, enabled: named.size > 0 ? named : null, dependencyFeatures: new Map() };
    }
    const closure = cargoFeatureClosure(record.features, state.features, optional);
    return { features: closure.features, enabled: closure.enabledDependencies, dependencyFeatures: closure.dependencyFeatures };
  }

  private pick(item: Pending, candidates: readonly VersionSummary[], distTags: Record<string, string>, rejected: ReadonlySet<string>): Pick {
    // npm resolves a peer against the copy already in the tree when that one satisfies it (no second copy).
    if (item.key.ecosystem === 'npm' && item.dep.kind === 'PEER') {
      const placed = this.placedVersions(item.key.name);
      if (placed.length > 0) {
        const reuse = pickVersion({ ecosystem: 'npm', versioning: this.service.adapter('npm').versioning, constraint: item.constraint, candidates: candidates.filter((c) => placed.includes(c.version)), distTags: {}, asOf: this.request.asOf });
        if ('version' in reuse) return reuse;
      }
    }
    return pickVersion({
      ecosystem: item.key.ecosystem,
      versioning: this.service.adapter(item.key.ecosystem).versioning,
      constraint: item.constraint,
      candidates,
      distTags,
      asOf: this.request.asOf,
      exclude: rejected,
      excludedBecause: this.env.pythonVersion ? `for Python ${this.env.pythonVersion}` : undefined,
    });
  }

  /** Versions of one package already placed in the graph. */
  private placedVersions(name: string): string[] {
    const out: string[] = [];
    for (const node of this.nodes.values()) if (node.record.name === name) out.push(node.record.version);
    return out;
  }

  private fail(item: Pending, reason: string): void {
    const { dep, state } = item;
    this.unresolved.push({ from: state.node.id, name: dep.name, constraint: item.constraint, kind: dep.kind, optional: dep.optional, reason, condition: item.condition, applies: item.applies });
    if (item.mediatedBy === null && this.winners.has(item.key.name) && this.request.ecosystem === 'maven') {
      const winner = this.winners.get(item.key.name)!;
      if (winner.nodeId === null) winner.failure = reason;
    }
  }

  /** npm: a package whose `os`/`cpu` exclude the environment is skipped when optional and fails otherwise, as npm does. */
  private async checkNpmPlatforms(accepted: { item: Pending; record: VersionRecord }[]): Promise<{ item: Pending; record: VersionRecord; condition: EdgeCondition | null }[]> {
    const env = { os: this.env.os ?? null, arch: this.env.arch ?? null };
    if (this.request.ecosystem !== 'npm' || (env.os === null && env.arch === null) || accepted.length === 0) return accepted.map((a) => ({ ...a, condition: null }));
    // os/cpu are in the version's manifest (the stored raw document), read only when the environment asks.
    const raws = await this.loaders.extended.loadMany(accepted.map(({ record }) => ({ ecosystem: record.ecosystem, name: record.name, version: record.version })));
    const out: { item: Pending; record: VersionRecord; condition: EdgeCondition | null }[] = [];
    accepted.forEach((entry, i) => {
      const raw = raws[i];
      const manifest = raw && !(raw instanceof Error) && typeof raw === 'object' ? (raw as { os?: unknown; cpu?: unknown }) : {};
      const list = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
      const os = list(manifest.os);
      const cpu = list(manifest.cpu);
      const condition = npmPlatformCondition(os, cpu);
      if (condition === null) return out.push({ ...entry, condition: null });
      const applies = npmPlatformAllows(os, cpu, env);
      if (applies === false) {
        const { item } = entry;
        const base = { from: item.state.node.id, name: item.dep.name, constraint: item.constraint, kind: item.dep.kind, optional: item.dep.optional, condition };
        const reason = `${entry.record.name}@${entry.record.version} is not for this platform (${condition})`;
        if (item.dep.optional || item.dep.kind === 'OPTIONAL') this.excluded.set(`${item.state.node.id}\0${item.index}`, { ...base, reason });
        else this.unresolved.push({ ...base, applies, reason });
        return;
      }
      out.push({ ...entry, condition: { condition, applies } });
    });
    return out;
  }

  /** Adds the edge (and the node when new); a known node reached with more extras/features is expanded again. */
  private link(item: Pending, record: VersionRecord, platform: EdgeCondition | null, next: Set<NodeState>): void {
    const { dep, state } = item;
    const id = nodeId(record);
    let target = this.states.get(id);
    if (!target) {
      if (this.nodes.size >= this.request.maxNodes) {
        this.truncated = true;
        return;
      }
      const node: GraphNode = { id, depth: state.node.depth + 1, record };
      this.nodes.set(id, node);
      target = { node, extras: new Set(), features: new Set(), exclusions: [...state.exclusions, ...(dep.exclusions ?? [])], followed: new Set(), expandedWith: null };
      this.states.set(id, target);
      next.add(target);
    }
    for (const extra of item.childExtras) target.extras.add(normalizeExtra(extra));
    for (const feature of item.childFeatures) target.features.add(feature);
    if (target.expandedWith !== null && target.expandedWith !== stateSignature(target)) next.add(target);
    if (this.request.ecosystem === 'maven') {
      const winner = this.winners.get(item.key.name);
      if (winner && winner.nodeId === null) Object.assign(winner, { nodeId: id, version: record.version });
    }
    const condition = platform ?? { condition: item.condition, applies: item.applies };
    this.edges.push({ from: state.node.id, to: id, name: dep.name, constraint: item.constraint, kind: dep.kind, optional: dep.optional, ...condition, mediatedFrom: null });
  }

  /** Maven: a declaration that lost to a nearer one points at the winner, saying which version it asked for. */
  private linkMediated(item: Pending, own: Pick | null): void {
    const winner = this.winners.get(item.mediatedBy!);
    if (!winner || winner.nodeId === null) {
      this.fail(item, `mediated to the nearest declaration of ${item.key.name}, which did not resolve${winner?.failure ? `: ${winner.failure}` : ''}`);
      return;
    }
    const { dep, state } = item;
    const ownVersion = own && 'version' in own ? own.version : item.constraint;
    this.edges.push({
      from: state.node.id, to: winner.nodeId, name: dep.name, constraint: item.constraint, kind: dep.kind, optional: dep.optional,
      condition: item.condition, applies: item.applies, mediatedFrom: ownVersion === winner.version ? null : ownVersion,
    });
  }
}

/**
 * Go: minimal version selection over the go.mod requirement graph (https://go.dev/ref/mod#minimal-version-selection).
 * Every required module version reachable from the root is read (breadth-first, one batched round per level, its
 * go.mod through the per-version details); each module then gets the highest version required anywhere; nodes are
 * the selected versions and edges go from each selected version to the versions selected for its requirements, as
 * `go mod graph` shows after MVS. The root is the main module.
 */
async function resolveGoGraph(service: PackageService, loaders: Loaders, request: GraphRequest, root: VersionRecord): Promise<DependencyGraph> {
  const seen = new Map<string, { record: VersionRecord; depth: number }>([[nodeId(root), { record: root, depth: 0 }]]);
  const failed = new Set<string>();
  /** Each read version's requirements, with the canonical module path each names. */
  const requirements = new Map<string, { dep: DependencyRecord; module: string }[]>();
  const unresolved: UnresolvedDependency[] = [];
  let truncated = false;
  let level: VersionRecord[] = [root];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth >= request.maxDepth) {
      if (level.some((r) => r.dependencies.length > 0 || r.detailsPending)) truncated = true;
      break;
    }
    const records = await complete(loaders, level);
    const wanted = new Map<string, { key: PackageKey & { version: string }; from: string; dep: DependencyRecord }>();
    records.forEach((record, i) => {
      const from = nodeId(level[i]!);
      if (record instanceof Error) {
        unresolved.push({ from, name: level[i]!.name, constraint: level[i]!.version, kind: 'RUNTIME', optional: false, reason: `go.mod unavailable: ${record.message}`, condition: null, applies: null });
        return;
      }
      seen.get(from)!.record = record;
      const kinds = kindsFor(request, depth);
      const reqs: { dep: DependencyRecord; module: string }[] = [];
      requirements.set(from, reqs);
      for (const dep of record.dependencies.filter((d) => kinds.has(d.kind))) {
        let key: PackageKey;
        try {
          key = service.packageKey('go', dep.packageName);
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          unresolved.push({ from, name: dep.name, constraint: dep.constraint, kind: dep.kind, optional: dep.optional, reason: error.message, condition: null, applies: null });
          continue;
        }
        reqs.push({ dep, module: key.name });
        const id = `${key.name}@${dep.constraint}`;
        if (!seen.has(id) && !failed.has(id) && !wanted.has(id)) wanted.set(id, { key: { ...key, version: dep.constraint }, from, dep });
      }
    });
    const entries = [...wanted.entries()];
    // A required version is exact (MVS never picks from a range): read it by its key, listed or not.
    const loaded = await loaders.version.loadMany(entries.map(([, w]) => w.key));
    const next: VersionRecord[] = [];
    entries.forEach(([id, w], i) => {
      const found = loaded[i];
      if (!found || found instanceof Error) {
        failed.add(id);
        unresolved.push({ from: w.from, name: w.dep.name, constraint: w.dep.constraint, kind: w.dep.kind, optional: w.dep.optional, reason: found instanceof Error ? found.message : `${id} is not available from the module proxy`, condition: null, applies: null });
        return;
      }
      if (seen.size >= request.maxNodes) {
        truncated = true;
        return;
      }
      seen.set(id, { record: found.record, depth: depth + 1 });
      next.push(found.record);
    });
    level = next;
  }

  // Selection: the highest required version of each module; the main module is itself.
  const selected = new Map<string, VersionRecord>();
  for (const { record } of seen.values()) {
    const current = selected.get(record.name);
    if (!current || goVersioning.compare(record.version, current.version) > 0) selected.set(record.name, record);
  }
  selected.set(root.name, root);
  const edges: GraphEdge[] = [];
  for (const record of selected.values()) {
    for (const { dep, module } of requirements.get(nodeId(record)) ?? []) {
      const target = selected.get(module);
      if (!target) continue; // its version could not be read: reported as unresolved
      edges.push({
        from: nodeId(record), to: nodeId(target), name: dep.name, constraint: dep.constraint, kind: dep.kind, optional: dep.optional,
        condition: null, applies: null, mediatedFrom: target.version === dep.constraint ? null : dep.constraint,
      });
    }
  }
  // Depth: shortest distance over the selected graph; a module only required by superseded versions keeps its own.
  const depths = new Map<string, number>([[nodeId(root), 0]]);
  const adjacency = new Map<string, string[]>();
  for (const edge of edges) {
    const list = adjacency.get(edge.from);
    if (list) list.push(edge.to);
    else adjacency.set(edge.from, [edge.to]);
  }
  const queue = [nodeId(root)];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const to of adjacency.get(id) ?? []) {
      if (depths.has(to)) continue;
      depths.set(to, depths.get(id)! + 1);
      queue.push(to);
    }
  }
  const nodes: GraphNode[] = [...selected.values()].map((record) => {
    const id = nodeId(record);
    return { id, depth: depths.get(id) ?? seen.get(id)?.depth ?? 0, record };
  });
  nodes.sort((a, b) => a.depth - b.depth);
  return { root: nodes.find((n) => n.id === nodeId(root))!, nodes, edges, unresolved, excluded: [], cycles: findCycles(nodes.map((n) => n.id), edges), truncated };
}

/** Tarjan's strongly connected components; components of one node count only with a self-loop. */
export function findCycles(ids: readonly string[], edges: readonly { from: string; to: string }[]): string[][] {
  const adjacency = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of edges) adjacency.get(edge.from)?.push(edge.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  // Iterative, so deep graphs cannot overflow the call stack.
  for (const start of ids) {
    if (index.has(start)) continue;
    const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const targets = adjacency.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const to = targets[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = component.length === 1 && (adjacency.get(frame.id) ?? []).includes(frame.id);
        if (component.length > 1 || selfLoop) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}
