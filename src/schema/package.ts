import { z } from 'zod';
import { toPurl } from '../services/purl.js';
import type { PackageView } from '../services/packages.js';
import type { GatewayContext } from '../context.js';
import type { VersionRecord } from '../ecosystems/types.js';
import { builder } from './builder.js';
import { DistTagRef, LicenseRef, PersonRef } from './common.js';
import { EcosystemEnum } from './enums.js';
import { PackageRef, VersionRef, packageLocalId, parseLocalId } from './refs.js';
import { MAX_PAGE_SIZE, VERSION_DESCRIPTION, decodeCursor, encodeCursor, nameSchema, pageArgs, parseArgs } from './args.js';

const DEFAULT_PAGE_SIZE = 100;

async function loadVersion(pkg: PackageView, version: string | null, ctx: GatewayContext): Promise<VersionRecord | null> {
  if (!version) return null;
  return ctx.loaders.version.load({ ecosystem: pkg.record.ecosystem, name: pkg.record.name, version }).then((found) => found?.record ?? null);
}

/**
 * Registries whose package document lacks a field that the latest version's lazily fetched details carry
 * (Go: license and README description come from the module zip) answer it from there.
 */
async function fromLatestDetails<T>(pkg: PackageView, ctx: GatewayContext, pick: (v: VersionRecord) => T | null): Promise<T | null> {
  if (!pkg.record.latestVersion || !ctx.service.adapter(pkg.record.ecosystem).versionDetails) return null;
  const latest = await loadVersion(pkg, pkg.record.latestVersion, ctx);
  if (!latest) return null;
  return pick(latest.detailsPending ? await ctx.loaders.detailed.load(latest) : latest);
}

builder.node(PackageRef, {
  description:
    'A package of one registry, with its versions. Package-level fields are what the registry says of the package (where it keeps none of its own: of its latest release).',
  id: { resolve: (p) => packageLocalId(p.record.ecosystem, p.record.name) },
  loadMany: async (ids, context) => {
    const keys = ids.map((id) => {
      const [ecosystem, name] = parseLocalId(id, 2);
      return { ecosystem, name };
    });
    const found = await context.loaders.package.loadMany(keys);
    return found.map((item) => {
      if (item instanceof Error) throw item;
      return item;
    });
  },
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, description: 'The registry.', resolve: (p) => p.record.ecosystem }),
    name: t.string({
      description: 'Canonical name, the store key (PyPI PEP 503-normalized, NuGet and crates.io lower-case; `displayName` keeps the registry\'s spelling).',
      resolve: (p) => p.record.name,
    }),
    purl: t.string({ description: 'Package URL without a version, e.g. `pkg:npm/%40babel/core`, `pkg:maven/org.slf4j/slf4j-api`.', resolve: (p, _args, ctx) => toPurl(ctx.service.adapter(p.record.ecosystem), p.record.name) }),
    description: t.string({
      nullable: true,
      description:
        "Short description (PyPI `summary`, RubyGems `info` ...). Go has none: the first paragraph of the latest version's README, read from its module zip on first use (an upstream request). Null when none.",
      resolve: (p, _args, ctx) => p.record.description ?? fromLatestDetails(p, ctx, (v) => v.description),
    }),
    homepage: t.string({ nullable: true, description: 'Project home page; null when none is published.', resolve: (p) => p.record.homepage }),
    repositoryUrl: t.string({ nullable: true, description: 'Browsable source repository URL; null when none is published or inferable.', resolve: (p) => p.record.repositoryUrl }),
    license: t.field({
      type: LicenseRef,
      nullable: true,
      description:
        "The package's license as the registry gives it (mostly its latest release's declaration; pub.dev: detected from the license files). Go: the latest version's, from its module zip on first use. Null when none is declared.",
      resolve: (p, _args, ctx) => p.record.license ?? fromLatestDetails(p, ctx, (v) => v.license),
    }),
    keywords: t.stringList({
      description: 'Keywords, tags or topics (npm/PyPI/crates.io/Composer keywords, NuGet tags, pub topics); empty where the registry has none (RubyGems, Hex, Maven, Go).',
      resolve: (p) => p.record.keywords,
    }),
    maintainers: t.field({
      type: [PersonRef],
      description: 'People or accounts behind the package (npm maintainers, PyPI owners, Hex owners, gemspec authors, POM developers ...); empty when unknown (Go publishes none).',
      resolve: (p) => p.record.maintainers,
    }),
    deprecated: t.boolean({
      description:
        'The registry flags the whole package: npm, Hex (retired), Maven (relocated) and NuGet when the latest version is deprecated; PyPI project status deprecated or quarantined (PEP 792); Go module `// Deprecated:`; Packagist abandoned; pub discontinued. crates.io and RubyGems have no such flag.',
      resolve: (p) => p.record.deprecated,
    }),
    deprecationMessage: t.string({
      nullable: true,
      description: "The registry's note on `deprecated` (e.g. `abandoned; use vendor/other`, `discontinued; use other_pkg`); null when not deprecated.",
      resolve: (p) => p.record.deprecationMessage,
    }),
    distTags: t.field({
      type: [DistTagRef],
      description: 'Named pointers to versions (npm dist-tags; Go, pub `latest`; Maven `<latest>`/`<release>`); empty elsewhere.',
      resolve: (p) => Object.entries(p.record.distTags).map(([tag, version]) => ({ tag, version })),
    }),
    latestVersion: t.field({
      type: VersionRef,
      nullable: true,
      description:
        "The registry's notion of latest stable release: npm `latest` dist-tag, Go `@latest`, PyPI highest non-yanked final, crates.io `default_version`, RubyGems most recent, Hex `latest_stable_version`, pub `latest`, NuGet highest listed stable; Maven and Composer the highest stable by their version order. Null when there is none (only prereleases, or every version withdrawn).",
      resolve: (p, _args, ctx) => loadVersion(p, p.record.latestVersion, ctx),
    }),
    latestPrerelease: t.field({
      type: VersionRef,
      nullable: true,
      description: 'The highest prerelease newer than `latestVersion`; null when there is none.',
      resolve: (p, _args, ctx) => loadVersion(p, p.record.latestPrerelease, ctx),
    }),
    versionCount: t.int({ description: 'Versions stored for it, every status included (yanked, unlisted, npm unpublished records).', resolve: (p) => p.record.versionCount }),
    downloads: t.float({
      nullable: true,
      description: 'All-time downloads where the registry publishes them (crates.io, RubyGems, Hex); null elsewhere. A Float: counts exceed 2^31.',
      resolve: (p) => p.record.downloads ?? null,
    }),
    displayName: t.string({ description: 'The registry\'s display spelling (NuGet `Newtonsoft.Json`); the name where it has none.', resolve: (p) => p.record.displayName ?? p.record.name }),
    version: t.field({
      type: VersionRef,
      nullable: true,
      description: 'One version of this package, looked up as `Query.version` does; null when it does not exist.',
      args: { version: t.arg.string({ required: true, description: VERSION_DESCRIPTION }) },
      resolve: (p, args, ctx) => loadVersion(p, parseArgs(z.object({ version: nameSchema }), args).version, ctx),
    }),
    versions: t.connection({
      type: VersionRef,
      description: `Versions from the store (no upstream request), newest first by the ecosystem's own version order (npm: by publish time). \`first\`: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}.`,
      args: {
        includePrereleases: t.arg.boolean({
          defaultValue: true,
          description: "Include prereleases, by the ecosystem's own rule (semver `-tag`, PEP 440 dev/a/b/rc, Go pseudo-versions, Maven alpha/beta/milestone/rc/snapshot, Composer non-stable ...).",
        }),
        includeYanked: t.arg.boolean({ defaultValue: false, description: 'Also list YANKED, RETRACTED and UNPUBLISHED versions. DEPRECATED and UNLISTED ones are always listed.' }),
      },
      resolve: async (p, args, ctx) => {
        const page = parseArgs(pageArgs, { first: args.first, after: args.after, last: args.last ?? undefined, before: args.before ?? undefined });
        const first = page.first ?? DEFAULT_PAGE_SIZE;
        const afterSeq = page.after ? decodeCursor(page.after) : null;
        const result = await ctx.service.listVersions({
          ecosystem: p.record.ecosystem,
          name: p.record.name,
          first,
          afterSeq,
          includePrereleases: args.includePrereleases ?? true,
          includeWithdrawn: args.includeYanked ?? false,
        });
        const edges = result.items.map((item) => ({ cursor: encodeCursor(item.seq), node: item.record }));
        return {
          edges,
          totalCount: result.totalCount,
          pageInfo: {
            hasNextPage: result.hasNextPage,
            hasPreviousPage: afterSeq !== null,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    }, { description: 'A page of versions of one package, newest first.' }, { description: 'One version in the page.' }),
    fetchedAt: t.field({ type: 'DateTime', description: 'When the registry last confirmed this copy (a 200 or a 304).', resolve: (p) => new Date(p.fetchedAt) }),
    isStale: t.boolean({
      description: 'Older than SCOUT_REGISTRY_CACHE_TTL (a background refresh is started), or served from the store because the registry just failed.',
      resolve: (p) => p.stale,
    }),
  }),
});
