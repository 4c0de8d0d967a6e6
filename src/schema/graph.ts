import { z } from 'zod';
import type { DependencyKind } from '../ecosystems/types.js';
import { InvalidInputError } from '../errors.js';
import { resolveDependencyGraph, type DependencyGraph, type ExcludedDependency, type GraphEdge, type GraphNode, type UnresolvedDependency } from '../services/dependency-graph.js';
import { pickVersion } from '../services/resolution.js';
import { builder } from './builder.js';
import { DependencyKindEnum, EcosystemEnum } from './enums.js';
import { DependencyRef, VersionRef } from './refs.js';
import { NAME_DESCRIPTION, VERSION_DESCRIPTION, nameSchema, parseArgs } from './args.js';

export const MAX_GRAPH_NODES = 5000;
export const MAX_GRAPH_DEPTH = 100;

builder.objectField(DependencyRef, 'resolved', (t) =>
  t.field({
    type: VersionRef,
    nullable: true,
    description:
      "The version the ecosystem's package manager would pick for this constraint on its own (npm: the `latest` dist-tag when it satisfies, else the highest satisfying; NuGet: the lowest applicable, floating ranges the highest; Maven: a soft requirement's own version; Go: the required minimum; pub and Hex: the highest satisfying release, a prerelease only when no release satisfies; others: the highest satisfying). YANKED, RETRACTED and UNLISTED versions only when pinned exactly, UNPUBLISHED never. Graph-wide rules (Go MVS, Maven mediation, environment conditions) are in `Query.dependencyGraph`. Fetches the package on demand. Null when none satisfies, the package does not exist or `packageName` is not a valid name.",
    resolve: async (d, _args, ctx) => {
      let key;
      try {
        key = ctx.service.packageKey(d.ecosystem, d.packageName);
      } catch (error) {
        if (error instanceof InvalidInputError) return null;
        throw error;
      }
      const [pkg, candidates] = await Promise.all([ctx.loaders.package.load(key), ctx.loaders.candidates.load(key)]);
      if (!pkg || !candidates) return null;
      const pick = pickVersion({ ecosystem: key.ecosystem, versioning: ctx.service.adapter(key.ecosystem).versioning, constraint: d.constraint, candidates, distTags: pkg.record.distTags, asOf: null });
      if ('reason' in pick) return null;
      return (await ctx.loaders.version.load({ ...key, version: pick.version }))?.record ?? null;
    },
  }),
);

const EnvironmentInput = builder.inputType('DependencyEnvironmentInput', {
  description:
    'Where the dependencies would be installed. Conditional dependencies (Python markers and extras, Cargo targets and features, NuGet framework groups, npm os/cpu) are evaluated against what is given; those that do not apply are left out (listed in `excluded`). Parts not given leave their conditions unevaluated (`applies: null`).',
  fields: (t) => ({
    os: t.string({ description: 'Operating system, as Node.js names it: `linux`, `darwin`, `win32` (`windows`, `macos` accepted). Python `sys_platform`/`platform_system`/`os_name`, Cargo `target_os`/`unix`/`windows`, npm `os`.' }),
    arch: t.string({ description: 'CPU architecture, as Node.js names it: `x64`, `arm64`, `ia32`, `arm` (`x86_64`, `aarch64` accepted). Python `platform_machine`, Cargo `target_arch`, npm `cpu`.' }),
    pythonVersion: t.string({ description: 'Python environment markers and Requires-Python: `3.8`, `3.12.1` ... (CPython assumed; `3.8` is read as 3.8.0).' }),
    extras: t.stringList({ description: 'Python extras asked of the root (`socks`); extras asked by each dependency edge apply below it.' }),
    targetFramework: t.string({ description: 'NuGet target framework of the project, e.g. `net8.0`, `net472`, `netstandard2.0`: only the nearest dependency group of each package applies.' }),
    cargoFeatures: t.stringList({ description: 'Cargo features of the root (its `default` feature is always on); optional dependencies apply when an enabled feature turns them on.' }),
    nodeVersion: t.string({ description: 'Node.js version. Accepted for completeness: npm only warns about `engines`, so it changes nothing.' }),
    includeDev: t.boolean({ description: "The root's development dependencies (default false; those of dependencies only when `kinds` lists DEVELOPMENT)." }),
    includePeer: t.boolean({ description: 'Peer dependencies (default: true for npm, as npm 7+ installs them; false elsewhere).' }),
    includeOptional: t.boolean({ description: 'Optional dependencies (default: true for npm, false elsewhere). PyPI extras and Cargo optional dependencies follow extras/features instead; a Maven root always has its own optional dependencies.' }),
    includeOptionalPeers: t.boolean({ description: 'npm: also peers marked optional in peerDependenciesMeta (npm itself does not install them; default false).' }),
  }),
});

const CONDITION_DESCRIPTION =
  'What the dependency is conditional on: the PEP 508 marker (PyPI), the Cargo target (`cfg(windows)`) and/or the feature that enables an optional dependency, the NuGet dependency group\'s target framework, the npm `os`/`cpu` of the package (read when the environment gives os or arch). Null when unconditional.';
const APPLIES_DESCRIPTION = 'Whether the environment given meets `condition`; null when the environment does not say (or there is no condition).';

const FROM_DESCRIPTION = 'Node id (`name@version`) of the dependent.';
const GRAPH_CONSTRAINT_DESCRIPTION =
  "The requirement as declared, in the ecosystem's syntax (Maven below the root: the root's dependencyManagement version when it manages the artifact).";

const GraphNodeRef = builder.objectRef<GraphNode>('DependencyGraphNode').implement({
  description: 'One resolved version in the graph; each version appears once.',
  fields: (t) => ({
    id: t.exposeString('id', { description: '`name@version` with the canonical name: what edges, unresolved entries and cycles refer to.' }),
    depth: t.exposeInt('depth', { description: 'Shortest distance from the root (root = 0).' }),
    version: t.field({ type: VersionRef, description: 'The version itself (every `Version` field works, `vulnerabilities` included).', resolve: (node) => node.record }),
  }),
});

const GraphEdgeRef = builder.objectRef<GraphEdge>('DependencyGraphEdge').implement({
  description: 'A dependency declaration that resolved: from the dependent node to the node selected for it. Several declarations may point at one node.',
  fields: (t) => ({
    from: t.exposeString('from', { description: FROM_DESCRIPTION }),
    to: t.exposeString('to', { description: 'Node id of the version selected for it.' }),
    name: t.exposeString('name', { description: 'The name the dependent uses.' }),
    constraint: t.exposeString('constraint', { description: GRAPH_CONSTRAINT_DESCRIPTION }),
    kind: t.field({ type: DependencyKindEnum, description: 'What it is needed for.', resolve: (e) => e.kind }),
    optional: t.exposeBoolean('optional', { description: 'Declared optional (see `Dependency.optional`).' }),
    condition: t.exposeString('condition', { nullable: true, description: CONDITION_DESCRIPTION }),
    applies: t.exposeBoolean('applies', { nullable: true, description: APPLIES_DESCRIPTION }),
    mediatedFrom: t.exposeString('mediatedFrom', {
      nullable: true,
      description: 'Maven nearest-wins mediation and Go minimal version selection: the version this declaration asked for (or would have picked alone) when another one was selected (`to`). Null when it got its own.',
    }),
  }),
});

const UnresolvedRef = builder.objectRef<UnresolvedDependency>('UnresolvedDependency').implement({
  description:
    "A dependency that should be installed but could not be resolved: no version satisfies it, the package does not exist or its name is invalid, the registry failed, or a node's own dependencies could not be read (then `name` and `constraint` are that node's name and version).",
  fields: (t) => ({
    from: t.exposeString('from', { description: FROM_DESCRIPTION }),
    name: t.exposeString('name', { description: 'The name the dependent uses.' }),
    constraint: t.exposeString('constraint', { description: GRAPH_CONSTRAINT_DESCRIPTION }),
    kind: t.field({ type: DependencyKindEnum, description: 'What it is needed for.', resolve: (u) => u.kind }),
    optional: t.exposeBoolean('optional', { description: 'Declared optional (see `Dependency.optional`).' }),
    reason: t.exposeString('reason', { description: 'Why, in words (e.g. `no version satisfies "^9.0.0" (12 candidates)`).' }),
    condition: t.exposeString('condition', { nullable: true, description: CONDITION_DESCRIPTION }),
    applies: t.exposeBoolean('applies', { nullable: true, description: APPLIES_DESCRIPTION }),
  }),
});

const ExcludedRef = builder.objectRef<ExcludedDependency>('ExcludedDependency').implement({
  description: 'A dependency left out on purpose: its condition does not hold in the environment given, or a Maven exclusion cuts it.',
  fields: (t) => ({
    from: t.exposeString('from', { description: FROM_DESCRIPTION }),
    name: t.exposeString('name', { description: 'The name the dependent uses.' }),
    constraint: t.exposeString('constraint', { description: GRAPH_CONSTRAINT_DESCRIPTION }),
    kind: t.field({ type: DependencyKindEnum, description: 'What it is needed for.', resolve: (u) => u.kind }),
    optional: t.exposeBoolean('optional', { description: 'Declared optional (see `Dependency.optional`).' }),
    condition: t.exposeString('condition', { nullable: true, description: CONDITION_DESCRIPTION }),
    reason: t.exposeString('reason', { description: 'Why it is left out, in words (the condition that is false here, or the Maven exclusion that cuts it).' }),
  }),
});

const CycleRef = builder.objectRef<string[]>('DependencyCycle').implement({
  description: 'Nodes that depend on each other: a strongly connected group, or one node that depends on itself.',
  fields: (t) => ({ nodes: t.stringList({ description: 'Node ids that depend on each other, directly or through one another (a strongly connected group).', resolve: (ids) => ids }) }),
});

const DependencyGraphRef = builder
  .objectRef<DependencyGraph>('DependencyGraph')
  .implement({
    description:
      'A resolved dependency graph: every node a concrete version, resolved as the ecosystem would (npm: peers and optionals as npm 7+; Go: minimal version selection; Maven: nearest-wins mediation and exclusions; NuGet: lowest applicable version; others: the highest satisfying version, pub and Hex preferring releases to prereleases; withdrawn versions only when pinned).',
    fields: (t) => ({
      root: t.field({ type: VersionRef, description: 'The root version (with `asOf` and a `latest` root: the latest stable release published by then).', resolve: (g) => g.root.record }),
      nodes: t.field({ type: [GraphNodeRef], description: 'Every resolved version, root first, then by distance from the root (breadth-first).', resolve: (g) => g.nodes }),
      edges: t.field({ type: [GraphEdgeRef], description: 'One per resolved dependency declaration.', resolve: (g) => g.edges }),
      unresolved: t.field({ type: [UnresolvedRef], description: 'Dependencies that could not be resolved; the walk goes on without them.', resolve: (g) => g.unresolved }),
      excluded: t.field({ type: [ExcludedRef], description: 'Dependencies whose condition does not hold in the environment given, or cut by a Maven exclusion.', resolve: (g) => g.excluded }),
      cycles: t.field({ type: [CycleRef], description: 'Groups of node ids that depend on each other in a cycle.', resolve: (g) => g.cycles }),
      truncated: t.exposeBoolean('truncated', { description: 'maxDepth or maxNodes stopped the walk.' }),
      nodeCount: t.int({ description: 'Number of nodes, root included.', resolve: (g) => g.nodes.length }),
    }),
  });

const graphArgs = z.object({
  name: nameSchema,
  version: nameSchema,
  maxDepth: z.number().int().min(0, { error: 'must be >= 0' }).max(MAX_GRAPH_DEPTH, { error: `must be <= ${MAX_GRAPH_DEPTH}` }),
  maxNodes: z.number().int().min(1, { error: 'must be >= 1' }).max(MAX_GRAPH_NODES, { error: `must be <= ${MAX_GRAPH_NODES}` }),
  asOf: z.date().nullish(),
});

builder.queryField('dependencyGraph', (t) =>
  t.field({
    type: DependencyGraphRef,
    nullable: true,
    description:
      'The whole resolved dependency graph of one version, in one response. Packages not stored yet are fetched on demand, one batch per level (concurrently, under each registry\'s rate limit), so a cold graph may take many upstream requests; a warm one reads the store only. Counts `maxNodes` x 10 towards the operation cost limit. Null when the root does not exist.',
    args: {
      ecosystem: t.arg({ type: EcosystemEnum, required: true, description: 'The registry.' }),
      name: t.arg.string({ required: true, description: NAME_DESCRIPTION }),
      version: t.arg.string({ required: true, description: VERSION_DESCRIPTION }),
      kinds: t.arg({
        type: [DependencyKindEnum],
        defaultValue: ['RUNTIME'],
        description:
          'Kinds followed from every node. `environment` adds PEER and OPTIONAL (on by default for npm) and the root\'s DEVELOPMENT (`includeDev`); DEVELOPMENT listed here is followed at every depth. PyPI always follows OPTIONAL (the extras asked decide); a Maven root always its own OPTIONAL.',
      }),
      maxDepth: t.arg.int({ defaultValue: 50, description: `Deepest level expanded (0: the root alone), at most ${MAX_GRAPH_DEPTH}; deeper dependencies are left out and \`truncated\` is set.` }),
      maxNodes: t.arg.int({
        defaultValue: 1000,
        description: `Most nodes, root included, 1 to ${MAX_GRAPH_NODES}; once reached, further versions are left out and \`truncated\` is set. The cost limit counts every list under the graph as this long.`,
      }),
      environment: t.arg({
        type: EnvironmentInput,
        description: 'Where the dependencies would be installed (see `DependencyEnvironmentInput`). Omitted: conditional dependencies are kept with `applies: null`, and the per-ecosystem defaults apply.',
      }),
      asOf: t.arg({
        type: 'DateTime',
        description:
          'Resolve as the package manager would have at that moment (ISO-8601): only versions published by then are candidates (versions without a publish date always count), and a `latest` root is the highest stable release published by then.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const valid = parseArgs(graphArgs, { name: args.name, version: args.version, maxDepth: args.maxDepth ?? 50, maxNodes: args.maxNodes ?? 1000, asOf: args.asOf });
      const env = args.environment ?? {};
      return resolveDependencyGraph(ctx.service, ctx.loaders, {
        ecosystem: args.ecosystem,
        name: valid.name,
        version: valid.version,
        kinds: (args.kinds ?? ['RUNTIME']) as DependencyKind[],
        maxDepth: valid.maxDepth,
        maxNodes: valid.maxNodes,
        environment: { ...env },
        asOf: valid.asOf ? valid.asOf.getTime() : null,
      });
    },
  }),
);
