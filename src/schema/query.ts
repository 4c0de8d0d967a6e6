import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import type { PackageRequest } from '../services/packages.js';
import { parsePurl } from '../services/purl.js';
import type { GatewayContext } from '../context.js';
import type { EcosystemId } from '../ecosystems/ids.js';
import { builder } from './builder.js';
import { EcosystemEnum } from './enums.js';
import { PackageRef, VersionRef } from './refs.js';
import { MAX_BULK_REFS, NAME_DESCRIPTION, VERSION_DESCRIPTION, decodeCursor, encodeCursor, nameSchema, parseArgs } from './args.js';
import { assertAuthorized } from '../auth.js';
import type { EcosystemCount } from '../store/types.js';

const searchArgs = z.object({
  query: z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'at most 200 characters' }),
  first: z.number().int().min(0, { error: 'must be >= 0' }).max(100, { error: 'at most 100' }).optional(),
  after: z.string().optional(),
  last: z.null({ error: 'backward pagination is not supported; use first/after' }).optional(),
  before: z.null({ error: 'backward pagination is not supported; use first/after' }).optional(),
});

const PackageRefInput = builder.inputType('PackageRefInput', {
  description: 'A package to look up: registry and name.',
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, required: true, description: 'The registry.' }),
    name: t.string({ required: true, description: NAME_DESCRIPTION }),
  }),
});

export const VersionRefInput = builder.inputType('VersionRefInput', {
  description: 'A version to look up: registry, package name and version.',
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, required: true, description: 'The registry.' }),
    name: t.string({ required: true, description: NAME_DESCRIPTION }),
    version: t.string({ required: true, description: VERSION_DESCRIPTION }),
  }),
});

const packageArgs = z.object({
  name: nameSchema,
  maxAge: z.number().int().min(0, { error: 'must be >= 0 seconds' }).nullish(),
});
const versionArgs = z.object({ name: nameSchema, version: nameSchema });
const refsArgs = <T extends z.ZodType>(item: T) =>
  z.object({ refs: z.array(item).max(MAX_BULK_REFS, { error: `at most ${MAX_BULK_REFS} refs per query` }) });

function packageRequest(ctx: GatewayContext, ecosystem: EcosystemId, name: string, maxAge?: number | null): PackageRequest {
  return { ...ctx.service.packageKey(ecosystem, name), maxAge: maxAge ?? undefined };
}

async function loadVersion(ctx: GatewayContext, ecosystem: EcosystemId, name: string, version: string) {
  const found = await ctx.loaders.version.load({ ...ctx.service.packageKey(ecosystem, name), version });
  return found?.record ?? null;
}

/** Bulk refs: each ref is validated up front, and an invalid one names its index. */
function eachRef<T, R>(refs: readonly T[], map: (ref: T) => R): R[] {
  return refs.map((ref, index) => {
    try {
      return map(ref);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new InvalidInputError(`refs[${index}]: ${error.message}`, `refs.${index}`);
      throw error;
    }
  });
}

builder.queryType({
  description:
    'Reads. Fields that name a package answer from the store and, on a miss, fetch it from its registry first (fetch-on-demand); a package or version the registry does not have is null, not an error.',
  fields: (t) => ({
    package: t.field({
      type: PackageRef,
      nullable: true,
      description:
        'A package, from the store or fetched on demand. Null when the registry does not have it (a 404 is remembered for SCOUT_REGISTRY_NEGATIVE_CACHE_TTL seconds). A copy older than SCOUT_REGISTRY_CACHE_TTL is answered at once with `isStale: true` and refreshed in the background.',
      args: {
        ecosystem: t.arg({ type: EcosystemEnum, required: true, description: 'The registry.' }),
        name: t.arg.string({ required: true, description: NAME_DESCRIPTION }),
        maxAge: t.arg.int({
          description: 'Seconds (>= 0): a stored copy older than this is refetched before answering (0: always). Omitted: the stored copy is answered however old, and refreshed in the background once stale (see `isStale`).',
        }),
      },
      resolve: (_root, args, ctx) => {
        const valid = parseArgs(packageArgs, args);
        return ctx.loaders.package.load(packageRequest(ctx, args.ecosystem, valid.name, valid.maxAge));
      },
    }),
    version: t.field({
      type: VersionRef,
      nullable: true,
      description:
        'One version of a package (the package is fetched on demand). Null when the package or the version does not exist; a version missing from a copy fetched over a minute ago triggers one refetch (it may have been published since).',
      args: {
        ecosystem: t.arg({ type: EcosystemEnum, required: true, description: 'The registry.' }),
        name: t.arg.string({ required: true, description: NAME_DESCRIPTION }),
        version: t.arg.string({ required: true, description: VERSION_DESCRIPTION }),
      },
      resolve: (_root, args, ctx) => {
        const valid = parseArgs(versionArgs, args);
        return loadVersion(ctx, args.ecosystem, valid.name, valid.version);
      },
    }),
    packages: t.field({
      type: [PackageRef],
      nullable: { list: false, items: true },
      description:
        'Many packages at once, in the order asked; null where not found. Missing packages are fetched concurrently (each registry under its own rate limit). An invalid ref is INVALID_INPUT naming its index; a ref whose registry fails is null with its own error.',
      args: { refs: t.arg({ type: [PackageRefInput], required: true, description: `The packages, at most ${MAX_BULK_REFS}.` }) },
      resolve: (_root, args, ctx) => {
        parseArgs(refsArgs(z.object({ ecosystem: z.string(), name: nameSchema })), args);
        const requests = eachRef(args.refs, (ref) => packageRequest(ctx, ref.ecosystem, ref.name));
        // A failed ref is that item's error (items are nullable): the other refs still answer.
        return ctx.loaders.package.loadMany(requests).then((items) => items.map((item) => (item instanceof Error ? Promise.reject(item) : item)));
      },
    }),
    versions: t.field({
      type: [VersionRef],
      nullable: { list: false, items: true },
      description:
        'Many versions at once, in the order asked; null where not found. Missing packages are fetched concurrently (each registry under its own rate limit). An invalid ref is INVALID_INPUT naming its index; a ref whose registry fails is null with its own error.',
      args: { refs: t.arg({ type: [VersionRefInput], required: true, description: `The versions, at most ${MAX_BULK_REFS}.` }) },
      resolve: async (_root, args, ctx) => {
        parseArgs(refsArgs(z.object({ ecosystem: z.string(), name: nameSchema, version: nameSchema })), args);
        const keys = eachRef(args.refs, (ref) => ({ ...ctx.service.packageKey(ref.ecosystem, ref.name), version: ref.version }));
        const items = await ctx.loaders.version.loadMany(keys);
        // A failed ref is that item's error (items are nullable): the other refs still answer.
        return items.map((item) => (item instanceof Error ? Promise.reject(item) : (item?.record ?? null)));
      },
    }),
    packageByPurl: t.field({
      type: PackageRef,
      nullable: true,
      description:
        'A package by Package URL, e.g. `pkg:npm/%40babel/core`, `pkg:maven/org.slf4j/slf4j-api`, `pkg:golang/github.com/gin-gonic/gin` (purl types: see `Ecosystem`); a version, qualifiers and subpath are ignored. Fetched on demand; null when not found.',
      args: { purl: t.arg.string({ required: true, description: 'Package URL as the purl spec writes it (`@` of an npm scope as `%40`). A malformed purl or an unsupported type is INVALID_INPUT.' }) },
      resolve: (_root, args, ctx) => {
        const purl = parsePurl(args.purl);
        const name = ctx.service.adapter(purl.ecosystem).fromPurlParts(purl.namespace, purl.name);
        return ctx.loaders.package.load(packageRequest(ctx, purl.ecosystem, name));
      },
    }),
    versionByPurl: t.field({
      type: VersionRef,
      nullable: true,
      description: 'A version by Package URL with a version, e.g. `pkg:npm/lodash@4.17.21` (the version may be a dist-tag). Fetched on demand; null when not found.',
      args: { purl: t.arg.string({ required: true, description: 'Package URL with `@version`; without one, or malformed, or of an unsupported type: INVALID_INPUT.' }) },
      resolve: (_root, args, ctx) => {
        const purl = parsePurl(args.purl);
        if (!purl.version) throw new InvalidInputError('purl: a version is required (pkg:type/name@version)', 'purl');
        const name = ctx.service.adapter(purl.ecosystem).fromPurlParts(purl.namespace, purl.name);
        return loadVersion(ctx, purl.ecosystem, name, purl.version);
      },
    }),
    stats: t.field({
      type: StatsRef,
      description: 'What the store holds, per ecosystem, and which backends hold it. Reads the store only.',
      resolve: async (_root, _args, ctx) => {
        const rows = await ctx.service.stats();
        return { ecosystems: rows, backends: ctx.service.backends() };
      },
    }),
    search: t.connection({
      type: PackageRef,
      description:
        'Packages already in the store (no upstream request: a package is found once someone has asked for it), ranked: exact name, then name prefix, then description and keyword relevance. `first`: default 20, at most 100.',
      args: {
        query: t.arg.string({ required: true, description: 'Search text, 1 to 200 characters (trimmed).' }),
        ecosystem: t.arg({ type: EcosystemEnum, required: false, description: 'Only this registry; every registry when omitted.' }),
      },
      resolve: async (_root, args, ctx) => {
        const valid = parseArgs(searchArgs, { query: args.query, first: args.first ?? undefined, after: args.after ?? undefined, last: args.last ?? undefined, before: args.before ?? undefined });
        const first = valid.first ?? 20;
        const offset = valid.after ? decodeCursor(valid.after) + 1 : 0;
        const page = await ctx.service.search({ text: valid.query, ecosystem: args.ecosystem ?? null, first, offset });
        const edges = page.items.map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
        return {
          edges,
          totalCount: page.totalCount,
          pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        };
      },
    }, { description: 'A page of search results, best match first.' }, { description: 'One matching package.' }),
  }),
});

const EcosystemStatsRef = builder.objectRef<EcosystemCount>('EcosystemStats').implement({
  description: 'What the store holds for one registry.',
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, description: 'The registry.', resolve: (row) => row.ecosystem }),
    packages: t.exposeInt('packages', { description: 'Packages stored.' }),
    versions: t.exposeInt('versions', { description: 'Versions stored, every status included (the sum of `Package.versionCount`).' }),
    sources: t.exposeInt('sources', { description: 'Source archives stored (status STORED).' }),
    sourceBytes: t.float({ description: 'Bytes of the stored source archives (a Float: may exceed 2^31).', resolve: (row) => row.sourceBytes }),
  }),
});

const StoreBackendsRef = builder.objectRef<{ documents: string; blobs: string }>('StoreBackends').implement({
  description: 'The storage backends of this gateway.',
  fields: (t) => ({
    documents: t.exposeString('documents', { description: '`sqlite` (embedded) or `mongodb`.' }),
    blobs: t.exposeString('blobs', { description: '`filesystem` (embedded) or `s3`.' }),
  }),
});

const StatsRef = builder.objectRef<{ ecosystems: EcosystemCount[]; backends: { documents: string; blobs: string } }>('Stats').implement({
  description: 'Totals over the whole store.',
  fields: (t) => ({
    packages: t.int({ description: 'Packages stored, all registries.', resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.packages, 0) }),
    versions: t.int({ description: 'Versions stored, all registries, every status included.', resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.versions, 0) }),
    sources: t.int({ description: 'Source archives stored (status STORED), all registries.', resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.sources, 0) }),
    sourceBytes: t.float({ description: 'Bytes of all stored source archives (a Float: may exceed 2^31).', resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.sourceBytes, 0) }),
    ecosystems: t.field({ type: [EcosystemStatsRef], description: 'One entry per registry that has packages stored, by ecosystem id.', resolve: (s) => s.ecosystems }),
    backends: t.field({ type: StoreBackendsRef, description: 'Which backends hold the documents and the blobs.', resolve: (s) => s.backends }),
  }),
});

builder.mutationType({
  description:
    'Writes. When SCOUT_REGISTRY_API_KEYS is set, each needs `Authorization: Bearer <key>` (UNAUTHENTICATED without one, FORBIDDEN with an unknown one).',
  fields: (t) => ({
    refreshPackage: t.field({
      type: PackageRef,
      nullable: true,
      description:
        'Refetches a package from its registry now (conditionally: an unchanged package costs a 304 and only moves `fetchedAt`). When the registry fails and a copy is stored, that copy is answered with `isStale: true`. Null when the registry no longer has it (the stored copy is then dropped).',
      args: {
        ecosystem: t.arg({ type: EcosystemEnum, required: true, description: 'The registry.' }),
        name: t.arg.string({ required: true, description: NAME_DESCRIPTION }),
      },
      resolve: async (_root, args, ctx) => {
        assertAuthorized(ctx.auth, ctx.apiKeys, 'refreshPackage');
        const key = ctx.service.packageKey(args.ecosystem, parseArgs(z.object({ name: nameSchema }), args).name);
        const view = await ctx.service.refresh(key);
        ctx.loaders.package.clearAll();
        ctx.loaders.version.clearAll();
        return view;
      },
    }),
  }),
});
