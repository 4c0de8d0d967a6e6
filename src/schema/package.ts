import { z } from 'zod';
import { toPurl } from '../services/purl.js';
import type { PackageView } from '../services/packages.js';
import type { GatewayContext } from '../context.js';
import type { VersionRecord } from '../ecosystems/types.js';
import { builder } from './builder.js';
import { DistTagRef, LicenseRef, PersonRef } from './common.js';
import { EcosystemEnum } from './enums.js';
import { PackageRef, VersionRef, packageLocalId, parseLocalId } from './refs.js';
import { decodeCursor, encodeCursor, nameSchema, pageArgs, parseArgs } from './args.js';

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
  description: 'A package of one registry, with its versions.',
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
    ecosystem: t.field({ type: EcosystemEnum, resolve: (p) => p.record.ecosystem }),
    name: t.string({ resolve: (p) => p.record.name }),
    purl: t.string({ resolve: (p, _args, ctx) => toPurl(ctx.service.adapter(p.record.ecosystem), p.record.name) }),
    description: t.string({ nullable: true, resolve: (p, _args, ctx) => p.record.description ?? fromLatestDetails(p, ctx, (v) => v.description) }),
    homepage: t.string({ nullable: true, resolve: (p) => p.record.homepage }),
    repositoryUrl: t.string({ nullable: true, resolve: (p) => p.record.repositoryUrl }),
    license: t.field({ type: LicenseRef, nullable: true, resolve: (p, _args, ctx) => p.record.license ?? fromLatestDetails(p, ctx, (v) => v.license) }),
    keywords: t.stringList({ resolve: (p) => p.record.keywords }),
    maintainers: t.field({ type: [PersonRef], resolve: (p) => p.record.maintainers }),
    deprecated: t.boolean({ description: 'The registry flags the whole package (npm: its latest version) as deprecated.', resolve: (p) => p.record.deprecated }),
    deprecationMessage: t.string({ nullable: true, resolve: (p) => p.record.deprecationMessage }),
    distTags: t.field({ type: [DistTagRef], resolve: (p) => Object.entries(p.record.distTags).map(([tag, version]) => ({ tag, version })) }),
    latestVersion: t.field({
      type: VersionRef,
      nullable: true,
      description: "The registry's notion of latest stable.",
      resolve: (p, _args, ctx) => loadVersion(p, p.record.latestVersion, ctx),
    }),
    latestPrerelease: t.field({
      type: VersionRef,
      nullable: true,
      description: 'The highest prerelease newer than latestVersion, if any.',
      resolve: (p, _args, ctx) => loadVersion(p, p.record.latestPrerelease, ctx),
    }),
    versionCount: t.int({ resolve: (p) => p.record.versionCount }),
    downloads: t.float({ nullable: true, description: 'Total downloads, where the registry publishes them.', resolve: (p) => p.record.downloads ?? null }),
    displayName: t.string({ description: 'The registry\'s display spelling (NuGet `Newtonsoft.Json`); the name where it has none.', resolve: (p) => p.record.displayName ?? p.record.name }),
    version: t.field({
      type: VersionRef,
      nullable: true,
      args: { version: t.arg.string({ required: true, description: 'An exact version, or a dist-tag such as `latest`.' }) },
      resolve: (p, args, ctx) => loadVersion(p, parseArgs(z.object({ version: nameSchema }), args).version, ctx),
    }),
    versions: t.connection({
      type: VersionRef,
      description: 'Versions, newest first (by publish time).',
      args: {
        includePrereleases: t.arg.boolean({ defaultValue: true }),
        includeYanked: t.arg.boolean({ defaultValue: false, description: 'Include yanked, retracted and unpublished versions.' }),
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
    }),
    fetchedAt: t.field({ type: 'DateTime', description: 'When the upstream last confirmed this copy.', resolve: (p) => new Date(p.fetchedAt) }),
    isStale: t.boolean({ description: 'Older than the cache TTL, or served because a refresh failed upstream.', resolve: (p) => p.stale }),
  }),
});
