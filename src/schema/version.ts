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

// Shared by Version and NormalizedVersion (the same record).
const PUBLISHED_DESCRIPTION =
  "When the version was published: npm `time`, PyPI first upload, crates.io `pubtime`/`created_at`, RubyGems `created_at`, Hex `inserted_at`, NuGet `published`, Composer `time`, pub `published`; Go: the commit time (`.info` Time); Maven: the POM's Last-Modified (the upload time on Central). Null when the registry gives none.";
const PRERELEASE_DESCRIPTION =
  "A prerelease by the ecosystem's own rule: semver `-tag` (npm, Cargo, Hex, NuGet, pub), PEP 440 dev/a/b/rc (not post), RubyGems any letter, Go `-tag` and pseudo-versions, Maven alpha/beta/milestone/rc/snapshot qualifiers, Composer stability other than stable.";
const STATUS_MESSAGE_DESCRIPTION =
  "The registry's note on the status: npm deprecation message, PyPI and crates.io yank reason, Go retraction rationale or module deprecation, NuGet `Deprecated (reasons): message` (kept on an unlisted version too), Hex `Retired (reason): message`, Maven `Relocated to g:a:v`, Composer `abandoned; use ...`, pub `discontinued; use ...`. Null when none.";
const MAINTAINERS_DESCRIPTION =
  'People of this version: npm maintainers, PyPI maintainers (else authors), crates.io publisher, gemspec authors, Hex owners, POM developers, NuGet authors, composer.json authors, pubspec authors; empty when unknown (Go).';
const AUTHOR_DESCRIPTION =
  "The first author the registry lists (Hex: the release's publisher; Maven: the first developer); null when none (crates.io and Go publish none).";
const CHECKSUMS_DESCRIPTION =
  'Digests of the artifact at `artifactUrl` (see `Checksum`); empty when the registry publishes none (NuGet, most Composer dists, PyPI wheel-only versions).';
const SIZE_DESCRIPTION =
  'Bytes: npm unpacked size (`dist.unpackedSize`), PyPI sdist file size, crates.io `.crate` file size, Go unpacked module zip size. Null elsewhere or when not given.';
/** Shared by Dependency and NormalizedDependency. */
export const CONSTRAINT_DESCRIPTION =
  "The requirement as declared, in the ecosystem's own syntax: npm/Cargo/Composer/Hex/pub ranges, a PEP 440 specifier (empty: any; `@ <url>`: a direct reference), RubyGems `~> 1.2, >= 1.2.3`, Go the minimum version, Maven a version or range (empty when none could be resolved; an unresolved `${property}` stays as written), NuGet a range (`(, )`: any). pub git/path/sdk sources read `git: <url> ...`, `path: <dir>`, `sdk: flutter`.";
const OPTIONAL_DESCRIPTION =
  'Not required: npm optional dependencies and optional peers, PyPI dependencies of an extra, Cargo optional dependencies (turned on by a feature), Hex optional requirements, Maven `<optional>`.';

const MAY_FETCH = ' May fetch.';

/** Ecosystems whose per-version details never carry keywords: asking for them must not cost a details request. */
const NO_VERSION_KEYWORDS = new Set<VersionRecord['ecosystem']>(['go', 'hex', 'maven', 'rubygems']);

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
  description:
    'One published version of a package. Fields marked "may fetch" are completed on first use by one per-version upstream request when the package fetch did not give them (PyPI versions other than the latest, Go, Hex, Maven, a few crates.io and RubyGems cases); the result is stored.',
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
    ecosystem: t.field({ type: EcosystemEnum, description: 'The registry.', resolve: (v) => v.ecosystem }),
    name: t.exposeString('name', { description: 'Canonical package name (see `Package.name`).' }),
    version: t.exposeString('version', { description: 'The version as the registry lists it (Go: with its `v`).' }),
    purl: t.string({ description: 'Package URL of this version, e.g. `pkg:npm/lodash@4.17.21`.', resolve: (v, _args, ctx) => toPurl(ctx.service.adapter(v.ecosystem), v.name, v.version) }),
    publishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: PUBLISHED_DESCRIPTION + ' May fetch (Go, Maven).',
      resolve: async (v, _args, ctx) => toDate(await field(v, ctx, (r) => r.releaseDate)),
    }),
    status: t.field({ type: VersionStatusEnum, description: 'Whether it may be installed, as the registry flags it (see `VersionStatus`).', resolve: (v) => v.status }),
    isPrerelease: t.boolean({ description: PRERELEASE_DESCRIPTION, resolve: (v) => v.prerelease }),
    isYanked: t.boolean({ description: 'Status YANKED, RETRACTED or UNPUBLISHED (UNLISTED is not counted).', resolve: (v) => v.status === 'YANKED' || v.status === 'RETRACTED' || v.status === 'UNPUBLISHED' }),
    isDeprecated: t.boolean({ description: 'Status DEPRECATED.', resolve: (v) => v.status === 'DEPRECATED' }),
    deprecationMessage: t.exposeString('deprecatedMessage', { nullable: true, description: STATUS_MESSAGE_DESCRIPTION }),
    license: t.field({
      type: LicenseRef,
      nullable: true,
      description: "This version's license; null when none is declared. Hex repeats the package's current license on every version; pub.dev knows only the latest version's. May fetch.",
      resolve: (v, _args, ctx) => field(v, ctx, (r) => r.license),
    }),
    description: t.string({
      nullable: true,
      description: "This version's description (Go: the first paragraph of its README, at most 500 characters; Hex: the package's). Null when none. May fetch.",
      resolve: (v, _args, ctx) => field(v, ctx, (r) => r.description),
    }),
    keywords: t.stringList({ description: 'Keywords, tags or topics of this version; empty where the registry has none (RubyGems, Hex, Maven, Go). May fetch.', resolve: (v, _args, ctx) => (NO_VERSION_KEYWORDS.has(v.ecosystem) ? v.keywords : field(v, ctx, (r) => r.keywords)) }),
    maintainers: t.field({ type: [PersonRef], description: MAINTAINERS_DESCRIPTION + MAY_FETCH, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.maintainers) }),
    author: t.field({ type: PersonRef, nullable: true, description: AUTHOR_DESCRIPTION + MAY_FETCH, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.author) }),
    links: t.field({ type: LinksRef, description: 'Project links of this version. May fetch.', resolve: (v, _args, ctx) => field(v, ctx, (r) => r.links) }),
    checksums: t.field({ type: [ChecksumRef], description: CHECKSUMS_DESCRIPTION + MAY_FETCH, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.checksums) }),
    sizeBytes: t.float({ nullable: true, description: SIZE_DESCRIPTION + MAY_FETCH, resolve: (v, _args, ctx) => field(v, ctx, (r) => r.sizeBytes) }),
    engines: t.field({
      type: [EngineRef],
      description: 'Runtime and tool requirements (see `Engine`); empty when none are declared (Maven has none). May fetch.',
      resolve: async (v, _args, ctx) => Object.entries(await field(v, ctx, (r) => r.engines)).map(([name, constraint]) => ({ name, constraint })),
    }),
    artifactUrl: t.string({
      nullable: true,
      description:
        'Download URL of the installable artifact: npm tarball, PyPI sdist, `.crate`, `.gem`, Go module zip (from the proxy), Hex tarball, Maven main artifact (known once its POM is read), `.nupkg`, Composer dist, pub archive. Null when there is none (PyPI wheel-only versions). May fetch.',
      resolve: (v, _args, ctx) => field(v, ctx, (r) => r.artifactUrl),
    }),
    platforms: t.stringList({
      description: 'RubyGems: the platforms this version is published for, `ruby` (the source gem) first, then binary platforms (`x86_64-linux` ...). Empty elsewhere. May fetch.',
      // Only RubyGems has platforms: elsewhere the empty list must not cost a details request.
      resolve: async (v, _args, ctx) => (v.ecosystem === 'rubygems' ? ((await field(v, ctx, (r) => r.platforms)) ?? []) : []),
    }),
    dependencies: t.field({
      type: [DependencyRef],
      description:
        'Dependencies as declared, one entry per declaration (NuGet: per target-framework group, so a package may appear once per group). RubyGems lists DEVELOPMENT dependencies for its most recent version only. May fetch (PyPI, Go go.mod, Hex release, Maven POM).',
      args: { kinds: t.arg({ type: [DependencyKindEnum], required: false, description: 'Only these kinds (all when omitted).' }) },
      resolve: async (record, args, ctx) => {
        const v = await detailed(record, ctx);
        const kinds = args.kinds ? new Set<DependencyKind>(args.kinds) : null;
        return v.dependencies.filter((d) => !kinds || kinds.has(d.kind)).map((d) => ({ ...d, ecosystem: v.ecosystem }));
      },
    }),
    normalized: t.field({
      type: NormalizedVersionRef,
      description: "This version in the original Scout Registry's normalized format (what REST `/normalized` answers), always complete: fetches pending per-version details.",
      resolve: (v, _args, ctx) => detailed(v, ctx),
    }),
    extended: t.field({
      type: 'JSON',
      nullable: true,
      description:
        "The raw upstream data of this version as stored (each registry's own shape, described in its adapter README; e.g. PyPI: every file of the release, wheels included). Per-version details appear once fetched. Null when none is stored (npm unpublished versions). No upstream request.",
      resolve: (v, _args, ctx) => ctx.loaders.extended.load(keyOf(v)),
    }),
    package: t.field({
      type: PackageRef,
      nullable: true,
      description: 'The package of this version; null only when the registry dropped the package meanwhile.',
      resolve: (v, _args, ctx) => ctx.loaders.package.load({ ecosystem: v.ecosystem, name: v.name }),
    }),
  }),
});

builder.objectType(DependencyRef, {
  description: 'One dependency declaration of a version, as published. Ecosystem-specific fields are null, empty or false elsewhere.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name the dependent uses for it (npm: the key in `dependencies`; Hex: the `app` name; Cargo: the renamed key).' }),
    packageName: t.exposeString('packageName', {
      description:
        'The registry package it installs: differs from `name` for npm aliases (`npm:pkg@range`), Cargo renames (`package = ...`), Hex `app` names and pub hosted renames; PyPI PEP 503-normalized, Composer lower-case; Hex private-organization packages are `<repository>/<name>` (no public package).',
    }),
    constraint: t.exposeString('constraint', { description: CONSTRAINT_DESCRIPTION }),
    kind: t.field({ type: DependencyKindEnum, description: 'What it is needed for (see `DependencyKind`).', resolve: (d) => d.kind }),
    optional: t.exposeBoolean('optional', { description: OPTIONAL_DESCRIPTION }),
    bundled: t.exposeBoolean('bundled', { description: 'npm: shipped inside the tarball (bundleDependencies).' }),
    marker: t.string({
      nullable: true,
      description: 'PyPI: the whole PEP 508 environment marker the edge is conditional on, as written (`python_version < "3.8"`, `extra == "socks"`); null when unconditional.',
      resolve: (d) => d.marker ?? null,
    }),
    extras: t.stringList({ description: 'PyPI: extras asked of the dependency (`requests[socks]` gives `socks`), PEP 685-normalized.', resolve: (d) => d.extras ?? [] }),
    target: t.string({ nullable: true, description: 'Cargo: the cfg expression or target triple the edge is limited to (`cfg(windows)`); null when unconditional.', resolve: (d) => d.target ?? null }),
    features: t.stringList({ description: 'Cargo: features enabled on the dependency.', resolve: (d) => d.features ?? [] }),
    defaultFeatures: t.boolean({ nullable: true, description: "Cargo: whether the dependency's default features are enabled; null outside Cargo.", resolve: (d) => d.defaultFeatures ?? null }),
    targetFramework: t.string({
      nullable: true,
      description: 'NuGet: the target framework of the dependency group (`net8.0`, `netstandard2.0`); null for the group that applies to any framework.',
      resolve: (d) => d.targetFramework ?? null,
    }),
    platform: t.boolean({ description: 'Composer: a platform requirement (`php`, `ext-*`, `lib-*`), not a registry package.', resolve: (d) => d.platform ?? false }),
    indirect: t.boolean({ description: 'Go: marked `// indirect` in go.mod.', resolve: (d) => d.indirect ?? false }),
    scope: t.string({ nullable: true, description: 'Maven: the scope (compile, runtime, provided, system, test; compile when none is written).', resolve: (d) => d.scope ?? null }),
    exclusions: t.stringList({ description: 'Maven: transitive dependencies excluded on this edge (`groupId:artifactId`, `*` allowed).', resolve: (d) => d.exclusions ?? [] }),
    ecosystem: t.field({ type: EcosystemEnum, description: "The dependency's registry (the dependent's own).", resolve: (d) => d.ecosystem }),
    package: t.field({
      type: PackageRef,
      nullable: true,
      description:
        'The package this dependency installs (fetched on demand); null when its registry does not have it or `packageName` is not a valid name there (Composer platform packages, Hex private packages).',
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
  description: "The version's status as the normalized format's flags (`Version.status` is the finer value).",
  fields: (t) => ({
    deprecated: t.boolean({ description: 'Status DEPRECATED.', resolve: (v) => v.status === 'DEPRECATED' }),
    yanked: t.boolean({ description: 'Status YANKED, RETRACTED or UNPUBLISHED (UNLISTED is not counted).', resolve: (v) => v.status === 'YANKED' || v.status === 'RETRACTED' || v.status === 'UNPUBLISHED' }),
    prerelease: t.exposeBoolean('prerelease', { description: PRERELEASE_DESCRIPTION }),
    deprecatedMessage: t.exposeString('deprecatedMessage', { nullable: true, description: STATUS_MESSAGE_DESCRIPTION }),
  }),
});

const NormalizedDependencyRef = builder.objectRef<{ name: string; constraint: string; ecosystem: VersionRecord['ecosystem']; optional: boolean }>('NormalizedDependency').implement({
  description: 'One dependency in the normalized format (`Version.dependencies` has every detail).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name the dependent uses for it.' }),
    constraint: t.exposeString('constraint', { description: CONSTRAINT_DESCRIPTION }),
    ecosystem: t.field({ type: EcosystemEnum, description: "The dependency's registry (the dependent's own).", resolve: (d) => d.ecosystem }),
    optional: t.exposeBoolean('optional', { description: OPTIONAL_DESCRIPTION }),
  }),
});

const dependencyGroup = (kind: DependencyKind) => (v: VersionRecord) =>
  v.dependencies.filter((d) => d.kind === kind).map((d) => ({ name: d.name, constraint: d.constraint, ecosystem: v.ecosystem, optional: d.optional }));

const NormalizedDependenciesRef = builder.objectRef<VersionRecord>('NormalizedDependencies').implement({
  description: 'Dependencies grouped by kind (see `DependencyKind` for what each ecosystem puts in each).',
  fields: (t) => ({
    runtime: t.field({ type: [NormalizedDependencyRef], description: 'Kind RUNTIME.', resolve: dependencyGroup('RUNTIME') }),
    development: t.field({ type: [NormalizedDependencyRef], description: 'Kind DEVELOPMENT.', resolve: dependencyGroup('DEVELOPMENT') }),
    optional: t.field({ type: [NormalizedDependencyRef], description: 'Kind OPTIONAL.', resolve: dependencyGroup('OPTIONAL') }),
    build: t.field({ type: [NormalizedDependencyRef], description: 'Kind BUILD (Cargo build-dependencies).', resolve: dependencyGroup('BUILD') }),
    peer: t.field({ type: [NormalizedDependencyRef], description: 'Kind PEER.', resolve: dependencyGroup('PEER') }),
  }),
});

builder.objectType(NormalizedVersionRef, {
  description: "The normalized format of the original Scout Registry, field for field (camelCased), for one version with its per-version details complete.",
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, description: 'The registry.', resolve: (v) => v.ecosystem }),
    name: t.exposeString('name', { description: 'Canonical package name.' }),
    version: t.exposeString('version', { description: 'The version as the registry lists it.' }),
    license: t.field({ type: LicenseRef, nullable: true, description: 'As `Version.license`; null when none is declared.', resolve: (v) => v.license }),
    releaseDate: t.field({ type: 'DateTime', nullable: true, description: PUBLISHED_DESCRIPTION, resolve: (v) => toDate(v.releaseDate) }),
    status: t.field({ type: NormalizedStatusRef, description: 'Status flags.', resolve: (v) => v }),
    maintainers: t.field({ type: [PersonRef], description: MAINTAINERS_DESCRIPTION, resolve: (v) => v.maintainers }),
    author: t.field({ type: PersonRef, nullable: true, description: AUTHOR_DESCRIPTION, resolve: (v) => v.author }),
    dependencies: t.field({ type: NormalizedDependenciesRef, description: 'Dependencies by kind.', resolve: (v) => v }),
    links: t.field({ type: LinksRef, description: 'Project links.', resolve: (v) => v.links }),
    checksums: t.field({ type: [ChecksumRef], description: CHECKSUMS_DESCRIPTION, resolve: (v) => v.checksums }),
    sizeBytes: t.float({ nullable: true, description: SIZE_DESCRIPTION, resolve: (v) => v.sizeBytes }),
    keywords: t.exposeStringList('keywords', { description: 'Keywords, tags or topics; empty where the registry has none.' }),
    description: t.exposeString('description', { nullable: true, description: 'As `Version.description`; null when none.' }),
  }),
});
