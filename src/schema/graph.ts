import { z } from 'zod';
import type { DependencyKind } from '../ecosystems/types.js';
import { InvalidInputError } from '../errors.js';
import { resolveDependencyGraph, type DependencyGraph, type ExcludedDependency, type GraphEdge, type GraphNode, type UnresolvedDependency } from '../services/dependency-graph.js';
import { pickVersion } from '../services/resolution.js';
import { builder } from './builder.js';
import { DependencyKindEnum, EcosystemEnum } from './enums.js';
import { DependencyRef, VersionRef } from './refs.js';
import { nameSchema, parseArgs } from './args.js';

export const MAX_GRAPH_NODES = 5000;
export const MAX_GRAPH_DEPTH = 100;

builder.objectField(DependencyRef, 'resolved', (t) =>
  t.field({
    type: VersionRef,
    nullable: true,
    description:
      "The version the ecosystem's package manager would pick for this constraint on its own (npm: the `latest` dist-tag when it satisfies, else the highest satisfying; NuGet: the lowest applicable, floating ranges the highest; Maven: a soft requirement's own version; Go: the required minimum; others: the highest satisfying; withdrawn versions only when pinned). Graph-wide rules (Go MVS, Maven mediation) are in `Query.dependencyGraph`. Null when none satisfies or the package does not exist.",
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
    includeDev: t.boolean({ description: "The root's development dependencies." }),
    includePeer: t.boolean({ description: 'Peer dependencies (default: true for npm, as npm 7+ installs them).' }),
    includeOptional: t.boolean({ description: 'Optional dependencies (default: true for npm). PyPI extras and Cargo optional dependencies follow extras/features instead; a Maven root always has its own optional dependencies.' }),
    includeOptionalPeers: t.boolean({ description: 'npm: also peers marked optional in peerDependenciesMeta (npm itself does not install them).' }),
  }),
});

const CONDITION_DESCRIPTION =
  'What the dependency is conditional on: the PEP 508 marker (PyPI), the Cargo target (`cfg(windows)`) and/or the feature that enables an optional dependency, the NuGet dependency group\'s target framework, the npm `os`/`cpu` of the package (read when the environment gives os or arch). Null when unconditional.';
const APPLIES_DESCRIPTION = 'Whether the environment given meets `condition`; null when the environment does not say (or there is no condition).';

const GraphNodeRef = builder.objectRef<GraphNode>('DependencyGraphNode').implement({
  fields: (t) => ({
    id: t.exposeString('id', { description: '`name@version`.' }),
    depth: t.exposeInt('depth', { description: 'Shortest distance from the root (root = 0).' }),
    version: t.field({ type: VersionRef, resolve: (node) => node.record }),
  }),
});

const GraphEdgeRef = builder.objectRef<GraphEdge>('DependencyGraphEdge').implement({
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    name: t.exposeString('name', { description: 'The name the dependent uses.' }),
    constraint: t.exposeString('constraint'),
    kind: t.field({ type: DependencyKindEnum, resolve: (e) => e.kind }),
    optional: t.exposeBoolean('optional'),
    condition: t.exposeString('condition', { nullable: true, description: CONDITION_DESCRIPTION }),
    applies: t.exposeBoolean('applies', { nullable: true, description: APPLIES_DESCRIPTION }),
    mediatedFrom: t.exposeString('mediatedFrom', {
      nullable: true,
      description: 'Maven nearest-wins mediation and Go minimal version selection: the version this declaration asked for (or would have picked alone) when another one was selected (`to`). Null when it got its own.',
    }),
  }),
});

const UnresolvedRef = builder.objectRef<UnresolvedDependency>('UnresolvedDependency').implement({
  fields: (t) => ({
    from: t.exposeString('from'),
    name: t.exposeString('name'),
    constraint: t.exposeString('constraint'),
    kind: t.field({ type: DependencyKindEnum, resolve: (u) => u.kind }),
    optional: t.exposeBoolean('optional'),
    reason: t.exposeString('reason'),
    condition: t.exposeString('condition', { nullable: true, description: CONDITION_DESCRIPTION }),
    applies: t.exposeBoolean('applies', { nullable: true, description: APPLIES_DESCRIPTION }),
  }),
});

const ExcludedRef = builder.objectRef<ExcludedDependency>('ExcludedDependency').implement({
  description: 'A dependency left out on purpose: its condition does not hold in the environment given, or a Maven exclusion cuts it.',
  fields: (t) => ({
    from: t.exposeString('from'),
    name: t.exposeString('name'),
    constraint: t.exposeString('constraint'),
    kind: t.field({ type: DependencyKindEnum, resolve: (u) => u.kind }),
    optional: t.exposeBoolean('optional'),
    condition: t.exposeString('condition', { nullable: true, description: CONDITION_DESCRIPTION }),
    reason: t.exposeString('reason'),
  }),
});

const CycleRef = builder.objectRef<string[]>('DependencyCycle').implement({
  fields: (t) => ({ nodes: t.stringList({ description: 'Node ids that depend on each other, directly or through one another (a strongly connected group).', resolve: (ids) => ids }) }),
});

const DependencyGraphRef = builder
  .objectRef<DependencyGraph>('DependencyGraph')
  .implement({
    description:
      'A resolved dependency graph: every node a concrete version, resolved as the ecosystem would (npm: peers and optionals as npm 7+; Go: minimal version selection; Maven: nearest-wins mediation and exclusions; NuGet: lowest applicable version; others: the highest satisfying version, withdrawn versions only when pinned).',
    fields: (t) => ({
      root: t.field({ type: VersionRef, resolve: (g) => g.root.record }),
      nodes: t.field({ type: [GraphNodeRef], resolve: (g) => g.nodes }),
      edges: t.field({ type: [GraphEdgeRef], resolve: (g) => g.edges }),
      unresolved: t.field({ type: [UnresolvedRef], resolve: (g) => g.unresolved }),
      excluded: t.field({ type: [ExcludedRef], description: 'Dependencies whose condition does not hold in the environment given, or cut by a Maven exclusion.', resolve: (g) => g.excluded }),
      cycles: t.field({ type: [CycleRef], description: 'Groups of node ids that depend on each other in a cycle.', resolve: (g) => g.cycles }),
      truncated: t.exposeBoolean('truncated', { description: 'maxDepth or maxNodes stopped the walk.' }),
      nodeCount: t.int({ resolve: (g) => g.nodes.length }),
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
    description: 'The whole resolved dependency graph of one version, in one response. Null when the root does not exist.',
    args: {
      ecosystem: t.arg({ type: EcosystemEnum, required: true }),
      name: t.arg.string({ required: true }),
      version: t.arg.string({ required: true, description: 'An exact version, or a dist-tag such as `latest`.' }),
      kinds: t.arg({ type: [DependencyKindEnum], defaultValue: ['RUNTIME'] }),
      maxDepth: t.arg.int({ defaultValue: 50 }),
      maxNodes: t.arg.int({ defaultValue: 1000 }),
      environment: t.arg({ type: EnvironmentInput }),
      asOf: t.arg({ type: 'DateTime', description: 'Resolve as the package manager would have on that day.' }),
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
