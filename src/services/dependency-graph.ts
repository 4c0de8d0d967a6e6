import type { Loaders } from '../context.js';
import type { EcosystemId } from '../ecosystems/ids.js';
import type { DependencyKind, DependencyRecord, VersionRecord } from '../ecosystems/types.js';
import { InvalidInputError } from '../errors.js';
import type { PackageKey } from '../store/types.js';
import type { PackageService } from './packages.js';
import { pickVersion } from './resolution.js';

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

export interface GraphEdge {
  from: string;
  to: string;
  name: string;
  constraint: string;
  kind: DependencyKind;
  optional: boolean;
}

export interface UnresolvedDependency {
  from: string;
  name: string;
  constraint: string;
  kind: DependencyKind;
  optional: boolean;
  reason: string;
}

export interface DependencyGraph {
  root: GraphNode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  unresolved: UnresolvedDependency[];
  /** Strongly connected groups of node ids (each a cycle, or a self-loop). */
  cycles: string[][];
  truncated: boolean;
}

const nodeId = (record: VersionRecord) => `${record.name}@${record.version}`;

/** Which kinds a node's dependencies are followed by: the request's, plus the environment's switches. */
function kindsFor(request: GraphRequest, depth: number): Set<DependencyKind> {
  const kinds = new Set(request.kinds);
  const npm = request.ecosystem === 'npm';
  const env = request.environment;
  if (env.includePeer ?? npm) kinds.add('PEER');
  if (env.includeOptional ?? npm) kinds.add('OPTIONAL');
  if (depth === 0 && env.includeDev) kinds.add('DEVELOPMENT');
  if (depth > 0 && !request.kinds.includes('DEVELOPMENT')) kinds.delete('DEVELOPMENT');
  return kinds;
}

/**
 * Breadth-first resolution: each level's dependencies are resolved together, so every level costs one
 * batched round of package loads (fetched on demand, concurrently, under the registries' limiters) and
 * one batched round of version reads, whatever the number of dependencies.
 */
export async function resolveDependencyGraph(service: PackageService, loaders: Loaders, request: GraphRequest): Promise<DependencyGraph | null> {
  const rootKey = service.packageKey(request.ecosystem, request.name);
  const rootVersion = await loaders.version.load({ ...rootKey, version: request.version });
  if (!rootVersion) return null;
  const root: GraphNode = { id: nodeId(rootVersion.record), depth: 0, record: rootVersion.record };
  const nodes = new Map<string, GraphNode>([[root.id, root]]);
  const edges: GraphEdge[] = [];
  const unresolved: UnresolvedDependency[] = [];
  let truncated = false;
  let level: GraphNode[] = [root];

  for (let depth = 0; level.length > 0; depth++) {
    if (depth >= request.maxDepth) {
      if (level.some((node) => node.record.dependencies.length > 0)) truncated = true;
      break;
    }
    const detailed = await loaders.detailed.loadMany(level.map((node) => node.record));
    interface Pending { from: GraphNode; dep: DependencyRecord; key: PackageKey | null; invalid: string | null }
    const pending: Pending[] = [];
    level.forEach((node, i) => {
      const record = detailed[i];
      if (record instanceof Error) {
        unresolved.push({ from: node.id, name: node.record.name, constraint: node.record.version, kind: 'RUNTIME', optional: false, reason: `dependencies unavailable: ${record.message}` });
        return;
      }
      node.record = record ?? node.record;
      const kinds = kindsFor(request, node.depth);
      for (const dep of node.record.dependencies) {
        // Platform requirements (Composer `php`, `ext-*`) are the runtime's business, not packages to install.
        if (!kinds.has(dep.kind) || dep.platform) continue;
        try {
          pending.push({ from: node, dep, key: service.packageKey(node.record.ecosystem, dep.packageName), invalid: null });
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          pending.push({ from: node, dep, key: null, invalid: error.message });
        }
      }
    });
    const keys = pending.flatMap((p) => (p.key ? [p.key] : []));
    const [packages, candidates] = await Promise.all([loaders.package.loadMany(keys), loaders.candidates.loadMany(keys)]);
    const picks: { pending: Pending; version: string }[] = [];
    let k = 0;
    for (const item of pending) {
      const base = { from: item.from.id, name: item.dep.name, constraint: item.dep.constraint, kind: item.dep.kind, optional: item.dep.optional };
      if (!item.key) {
        unresolved.push({ ...base, reason: item.invalid ?? 'invalid name' });
        continue;
      }
      const pkg = packages[k];
      const list = candidates[k];
      k++;
      if (pkg instanceof Error || list instanceof Error) {
        unresolved.push({ ...base, reason: (pkg instanceof Error ? pkg : (list as Error)).message });
        continue;
      }
      if (!pkg || !list) {
        unresolved.push({ ...base, reason: `${item.key.name} does not exist in ${item.key.ecosystem}` });
        continue;
      }
      const pick = pickVersion({
        ecosystem: item.key.ecosystem,
        versioning: service.adapter(item.key.ecosystem).versioning,
        constraint: item.dep.constraint,
        candidates: list,
        distTags: pkg.record.distTags,
        asOf: request.asOf,
      });
      if ('reason' in pick) unresolved.push({ ...base, reason: pick.reason });
      else picks.push({ pending: item, version: pick.version });
    }
    const versions = await loaders.version.loadMany(picks.map((p) => ({ ...p.pending.key!, version: p.version })));
    const next: GraphNode[] = [];
    picks.forEach((p, i) => {
      const found = versions[i];
      const base = { from: p.pending.from.id, name: p.pending.dep.name, constraint: p.pending.dep.constraint, kind: p.pending.dep.kind, optional: p.pending.dep.optional };
      if (!found || found instanceof Error) {
        unresolved.push({ ...base, reason: found instanceof Error ? found.message : `${p.pending.key!.name}@${p.version} could not be read` });
        return;
      }
      const id = nodeId(found.record);
      if (!nodes.has(id)) {
        if (nodes.size >= request.maxNodes) {
          truncated = true;
          return;
        }
        const node: GraphNode = { id, depth: depth + 1, record: found.record };
        nodes.set(id, node);
        next.push(node);
      }
      edges.push({ ...base, to: id });
    });
    level = next;
  }
  return { root, nodes: [...nodes.values()], edges, unresolved, cycles: findCycles([...nodes.keys()], edges), truncated };
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
