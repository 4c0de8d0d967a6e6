import type { DependencyKind, VersionRecord } from '../ecosystems/types.js';
import type { VersionKey } from '../store/types.js';
import { toPurl } from '../services/purl.js';
import { InvalidInputError } from '../errors.js';
import { builder } from './builder.js';
import { ChecksumRef, EngineRef, LicenseRef, LinksRef, PersonRef } from './common.js';
import { DependencyKindEnum, EcosystemEnum, VersionStatusEnum } from './enums.js';
import { DependencyRef, NormalizedVersionRef, PackageRef, VersionRef, parseLocalId, versionLocalId } from './refs.js';
import { toDate } from './scalars.js';
import type { GatewayContext } from '../context.js';

const keyOf = (v: VersionRecord): VersionKey => ({ ecosystem: v.ecosystem, name: v.name, version: v.version });

/** The record with its per-version details fetched (only for fields that need them; most versions need none). */
const detailed = (v: VersionRecord, ctx: GatewayContext): VersionRecord | Promise<VersionRecord> => (v.detailsPending ? ctx.loaders.detailed.load(v) : v);

const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

/**
 * One field of a version whose details may be pending: a value the package fetch already gave is
 * answered as is; only an empty one costs the per-version request (Go publish times, PyPI dependencies ...).
 */
async function field<T>(v: VersionRecord, ctx: GatewayContext, pick: (record: VersionRecord) => T): Promise<T> {
  const value = pick(v);
  if (!v.detailsPending || !isEmpty(value)) return value;
  return pick(await detailed(v, ctx));
}

builder.node(VersionRef, {
  description: 'One published version of a package.',
  id: { resolve: (v) => versionLocalId(v.ecosystem, v.name, v.version) },
  loadMany: async (ids, context) => {
    const keys = ids.map((id) => {
      const [ecosystem, name, version] = parseLocalId(id, 3);
      return { ecosystem, name, version };
    });
    const found = await context.loaders.version.loadMany(keys);
    return found.map((item) => {
      if (item instanceof Error) throw item;
      return item?.record ?? null;
    });
  },
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, resolve: (v) => v.ecosystem }),
    name: t.exposeString('name'),
    version: t.exposeString('version'),
    purl: t.string({ description: 'Package URL of this version.', resolve: (v, _args, ctx) => toPurl(ctx.service.adapter(v.ecosystem), v.name, v.version) }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: async (v, _args, ctx) => toDate(await field(v, ctx, (r) => r.releaseDate)) }),
    status: t.field({ type: VersionStatusEnum, resolve: (v) => v.status }),
    isPrerelease: t.boolean({ resolve: (v) => v.prerelease }),
    isYanked: t.boolean({ description: 'Yanked, retracted or unpublished.', resolve: (v) => v.status === 'YANKED' || v.status === 'RETRACTED' || v.status === 'UNPUBLISHED' }),
    isDeprecated: t.boolean({ resolve: (v) => v.status === 'DEPRECATED' }),
    deprecationMessage: t.exposeString('deprecatedMessage', { nullable: true }),
    license: t.field({ type: LicenseRef, nullable: true, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.license) }),
    description: t.string({ nullable: true, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.description) }),
    keywords: t.stringList({ resolve: (v, _args, ctx) => field(v, ctx, (r) => r.keywords) }),
    maintainers: t.field({ type: [PersonRef], resolve: (v, _args, ctx) => field(v, ctx, (r) => r.maintainers) }),
    author: t.field({ type: PersonRef, nullable: true, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.author) }),
    links: t.field({ type: LinksRef, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.links) }),
    checksums: t.field({ type: [ChecksumRef], resolve: (v, _args, ctx) => field(v, ctx, (r) => r.checksums) }),
    sizeBytes: t.float({ nullable: true, description: 'Size in bytes, where the registry gives it (npm: unpacked).', resolve: (v, _args, ctx) => field(v, ctx, (r) => r.sizeBytes) }),
    engines: t.field({ type: [EngineRef], resolve: async (v, _args, ctx) => Object.entries(await field(v, ctx, (r) => r.engines)).map(([name, constraint]) => ({ name, constraint })) }),
    artifactUrl: t.string({ nullable: true, description: 'Download URL of the published artifact.', resolve: (v, _args, ctx) => field(v, ctx, (r) => r.artifactUrl) }),
    platforms: t.stringList({ description: 'Platforms the version is published for (RubyGems); empty where the registry has no such notion.', resolve: async (v, _args, ctx) => (await field(v, ctx, (r) => r.platforms)) ?? [] }),
    dependencies: t.field({
      type: [DependencyRef],
      args: { kinds: t.arg({ type: [DependencyKindEnum], required: false, description: 'Only these kinds (all when omitted).' }) },
      resolve: async (record, args, ctx) => {
        const v = await detailed(record, ctx);
        const kinds = args.kinds ? new Set<DependencyKind>(args.kinds) : null;
        return v.dependencies.filter((d) => !kinds || kinds.has(d.kind)).map((d) => ({ ...d, ecosystem: v.ecosystem }));
      },
    }),
    normalized: t.field({ type: NormalizedVersionRef, description: 'The cross-ecosystem normalized format.', resolve: (v, _args, ctx) => detailed(v, ctx) }),
    extended: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The raw upstream document of this version, as stored in the blob store.',
      resolve: (v, _args, ctx) => ctx.loaders.extended.load(keyOf(v)),
    }),
    package: t.field({
      type: PackageRef,
      nullable: true,
      resolve: (v, _args, ctx) => ctx.loaders.package.load({ ecosystem: v.ecosystem, name: v.name }),
    }),
  }),
});

builder.objectType(DependencyRef, {
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name the dependent uses for it.' }),
    packageName: t.exposeString('packageName', { description: 'The registry package it installs; differs from name for npm aliases (`npm:pkg@range`).' }),
    constraint: t.exposeString('constraint', { description: 'The range as declared, in the ecosystem\'s own syntax.' }),
    kind: t.field({ type: DependencyKindEnum, resolve: (d) => d.kind }),
    optional: t.exposeBoolean('optional'),
    bundled: t.exposeBoolean('bundled', { description: 'npm: shipped inside the tarball (bundleDependencies).' }),
    marker: t.string({ nullable: true, description: 'Python: the PEP 508 environment marker the edge is conditional on.', resolve: (d) => d.marker ?? null }),
    extras: t.stringList({ description: 'Python: extras asked of the dependency.', resolve: (d) => d.extras ?? [] }),
    target: t.string({ nullable: true, description: 'Cargo: the cfg expression or target triple the edge is limited to.', resolve: (d) => d.target ?? null }),
    features: t.stringList({ description: 'Cargo: features enabled on the dependency.', resolve: (d) => d.features ?? [] }),
    defaultFeatures: t.boolean({ nullable: true, description: 'Cargo: whether the default features are enabled.', resolve: (d) => d.defaultFeatures ?? null }),
    targetFramework: t.string({ nullable: true, description: 'NuGet: the target framework of the dependency group.', resolve: (d) => d.targetFramework ?? null }),
    platform: t.boolean({ description: 'Composer: a platform requirement (`php`, `ext-*`, `lib-*`), not a registry package.', resolve: (d) => d.platform ?? false }),
    indirect: t.boolean({ description: 'Go: marked `// indirect` in go.mod.', resolve: (d) => d.indirect ?? false }),
    scope: t.string({ nullable: true, description: 'Maven: the declared scope (compile, runtime, provided, system, test).', resolve: (d) => d.scope ?? null }),
    exclusions: t.stringList({ description: 'Maven: excluded transitive dependencies (`groupId:artifactId`).', resolve: (d) => d.exclusions ?? [] }),
    ecosystem: t.field({ type: EcosystemEnum, resolve: (d) => d.ecosystem }),
    package: t.field({
      type: PackageRef,
      nullable: true,
      description: 'The package this dependency installs (fetched on demand); null when its registry does not have it or the name is not a registry name.',
      resolve: (d, _args, ctx) => {
        let key;
        try {
          key = ctx.service.packageKey(d.ecosystem, d.packageName);
        } catch (error) {
          if (error instanceof InvalidInputError) return null;
          throw error;
        }
        return ctx.loaders.package.load(key);
      },
    }),
  }),
});

const NormalizedStatusRef = builder.objectRef<VersionRecord>('NormalizedStatus').implement({
  fields: (t) => ({
    deprecated: t.boolean({ resolve: (v) => v.status === 'DEPRECATED' }),
    yanked: t.boolean({ resolve: (v) => v.status === 'YANKED' || v.status === 'RETRACTED' || v.status === 'UNPUBLISHED' }),
    prerelease: t.exposeBoolean('prerelease'),
    deprecatedMessage: t.exposeString('deprecatedMessage', { nullable: true }),
  }),
});

const NormalizedDependencyRef = builder.objectRef<{ name: string; constraint: string; ecosystem: VersionRecord['ecosystem']; optional: boolean }>('NormalizedDependency').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    constraint: t.exposeString('constraint'),
    ecosystem: t.field({ type: EcosystemEnum, resolve: (d) => d.ecosystem }),
    optional: t.exposeBoolean('optional'),
  }),
});

const dependencyGroup = (kind: DependencyKind) => (v: VersionRecord) =>
  v.dependencies.filter((d) => d.kind === kind).map((d) => ({ name: d.name, constraint: d.constraint, ecosystem: v.ecosystem, optional: d.optional }));

const NormalizedDependenciesRef = builder.objectRef<VersionRecord>('NormalizedDependencies').implement({
  fields: (t) => ({
    runtime: t.field({ type: [NormalizedDependencyRef], resolve: dependencyGroup('RUNTIME') }),
    development: t.field({ type: [NormalizedDependencyRef], resolve: dependencyGroup('DEVELOPMENT') }),
    optional: t.field({ type: [NormalizedDependencyRef], resolve: dependencyGroup('OPTIONAL') }),
    build: t.field({ type: [NormalizedDependencyRef], resolve: dependencyGroup('BUILD') }),
    peer: t.field({ type: [NormalizedDependencyRef], resolve: dependencyGroup('PEER') }),
  }),
});

builder.objectType(NormalizedVersionRef, {
  description: 'The normalized format of the original Scout Registry, field for field.',
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, resolve: (v) => v.ecosystem }),
    name: t.exposeString('name'),
    version: t.exposeString('version'),
    license: t.field({ type: LicenseRef, nullable: true, resolve: (v) => v.license }),
    releaseDate: t.field({ type: 'DateTime', nullable: true, resolve: (v) => toDate(v.releaseDate) }),
    status: t.field({ type: NormalizedStatusRef, resolve: (v) => v }),
    maintainers: t.field({ type: [PersonRef], resolve: (v) => v.maintainers }),
    author: t.field({ type: PersonRef, nullable: true, resolve: (v) => v.author }),
    dependencies: t.field({ type: NormalizedDependenciesRef, resolve: (v) => v }),
    links: t.field({ type: LinksRef, resolve: (v) => v.links }),
    checksums: t.field({ type: [ChecksumRef], resolve: (v) => v.checksums }),
    sizeBytes: t.float({ nullable: true, resolve: (v) => v.sizeBytes }),
    keywords: t.exposeStringList('keywords'),
    description: t.exposeString('description', { nullable: true }),
  }),
});
