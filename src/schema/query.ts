import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import type { PackageRequest } from '../services/packages.js';
import { parsePurl } from '../services/purl.js';
import type { GatewayContext } from '../context.js';
import type { EcosystemId } from '../ecosystems/ids.js';
import { builder } from './builder.js';
import { EcosystemEnum } from './enums.js';
import { PackageRef, VersionRef } from './refs.js';
import { MAX_BULK_REFS, decodeCursor, encodeCursor, nameSchema, parseArgs } from './args.js';
import { assertAuthorized } from '../auth.js';
import type { EcosystemCount } from '../store/types.js';

const searchArgs = z.object({
  query: z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'at most 200 characters' }),
  first: z.number().int().min(0, { error: 'must be >= 0' }).max(100, { error: 'at most 100' }).optional(),
  after: z.string().optional(),
});

const PackageRefInput = builder.inputType('PackageRefInput', {
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, required: true }),
    name: t.string({ required: true }),
  }),
});

export const VersionRefInput = builder.inputType('VersionRefInput', {
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, required: true }),
    name: t.string({ required: true }),
    version: t.string({ required: true, description: 'An exact version, or a dist-tag such as `latest`.' }),
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
  fields: (t) => ({
    package: t.field({
      type: PackageRef,
      nullable: true,
      description: 'A package, from the store or fetched on demand. Null when the registry does not have it.',
      args: {
        ecosystem: t.arg({ type: EcosystemEnum, required: true }),
        name: t.arg.string({ required: true }),
        maxAge: t.arg.int({ description: 'Seconds: a stored copy older than this is refetched before answering.' }),
      },
      resolve: (_root, args, ctx) => {
        const valid = parseArgs(packageArgs, args);
        return ctx.loaders.package.load(packageRequest(ctx, args.ecosystem, valid.name, valid.maxAge));
      },
    }),
    version: t.field({
      type: VersionRef,
      nullable: true,
      args: {
        ecosystem: t.arg({ type: EcosystemEnum, required: true }),
        name: t.arg.string({ required: true }),
        version: t.arg.string({ required: true, description: 'An exact version, or a dist-tag such as `latest`.' }),
      },
      resolve: (_root, args, ctx) => {
        const valid = parseArgs(versionArgs, args);
        return loadVersion(ctx, args.ecosystem, valid.name, valid.version);
      },
    }),
    packages: t.field({
      type: [PackageRef],
      nullable: { list: false, items: true },
      description: 'Many packages at once, in the order asked; null where not found.',
      args: { refs: t.arg({ type: [PackageRefInput], required: true }) },
      resolve: (_root, args, ctx) => {
        parseArgs(refsArgs(z.object({ ecosystem: z.string(), name: nameSchema })), args);
        const requests = eachRef(args.refs, (ref) => packageRequest(ctx, ref.ecosystem, ref.name));
        return ctx.loaders.package.loadMany(requests).then((items) => items.map((item) => {
          if (item instanceof Error) throw item;
          return item;
        }));
      },
    }),
    versions: t.field({
      type: [VersionRef],
      nullable: { list: false, items: true },
      description: 'Many versions at once, in the order asked; null where not found.',
      args: { refs: t.arg({ type: [VersionRefInput], required: true }) },
      resolve: async (_root, args, ctx) => {
        parseArgs(refsArgs(z.object({ ecosystem: z.string(), name: nameSchema, version: nameSchema })), args);
        const keys = eachRef(args.refs, (ref) => ({ ...ctx.service.packageKey(ref.ecosystem, ref.name), version: ref.version }));
        const items = await ctx.loaders.version.loadMany(keys);
        return items.map((item) => {
          if (item instanceof Error) throw item;
          return item?.record ?? null;
        });
      },
    }),
    packageByPurl: t.field({
      type: PackageRef,
      nullable: true,
      description: 'A package by Package URL, e.g. `pkg:npm/%40babel/core`.',
      args: { purl: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => {
        const purl = parsePurl(args.purl);
        const name = ctx.service.adapter(purl.ecosystem).fromPurlParts(purl.namespace, purl.name);
        return ctx.loaders.package.load(packageRequest(ctx, purl.ecosystem, name));
      },
    }),
    versionByPurl: t.field({
      type: VersionRef,
      nullable: true,
      description: 'A version by Package URL with a version, e.g. `pkg:npm/lodash@4.17.21`.',
      args: { purl: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => {
        const purl = parsePurl(args.purl);
        if (!purl.version) throw new InvalidInputError('purl: a version is required (pkg:type/name@version)', 'purl');
        const name = ctx.service.adapter(purl.ecosystem).fromPurlParts(purl.namespace, purl.name);
        return loadVersion(ctx, purl.ecosystem, name, purl.version);
      },
    }),
    stats: t.field({
      type: StatsRef,
      description: 'What the store holds, per ecosystem, and which backends hold it.',
      resolve: async (_root, _args, ctx) => {
        const rows = await ctx.service.stats();
        return { ecosystems: rows, backends: ctx.service.backends() };
      },
    }),
    search: t.connection({
      type: PackageRef,
      description: 'Packages already in the store (no upstream request), ranked: exact name, then name prefix, then description and keyword relevance.',
      args: {
        query: t.arg.string({ required: true }),
        ecosystem: t.arg({ type: EcosystemEnum, required: false }),
      },
      resolve: async (_root, args, ctx) => {
        const valid = parseArgs(searchArgs, { query: args.query, first: args.first ?? undefined, after: args.after ?? undefined });
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
    }),
  }),
});

const EcosystemStatsRef = builder.objectRef<EcosystemCount>('EcosystemStats').implement({
  fields: (t) => ({
    ecosystem: t.field({ type: EcosystemEnum, resolve: (row) => row.ecosystem }),
    packages: t.exposeInt('packages'),
    versions: t.exposeInt('versions'),
    sources: t.exposeInt('sources', { description: 'Source archives stored.' }),
    sourceBytes: t.float({ description: 'Bytes of the stored source archives.', resolve: (row) => row.sourceBytes }),
  }),
});

const StoreBackendsRef = builder.objectRef<{ documents: string; blobs: string }>('StoreBackends').implement({
  fields: (t) => ({
    documents: t.exposeString('documents', { description: '`sqlite` (embedded) or `mongodb`.' }),
    blobs: t.exposeString('blobs', { description: '`filesystem` (embedded) or `s3`.' }),
  }),
});

const StatsRef = builder.objectRef<{ ecosystems: EcosystemCount[]; backends: { documents: string; blobs: string } }>('Stats').implement({
  fields: (t) => ({
    packages: t.int({ resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.packages, 0) }),
    versions: t.int({ resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.versions, 0) }),
    sources: t.int({ resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.sources, 0) }),
    sourceBytes: t.float({ resolve: (s) => s.ecosystems.reduce((sum, row) => sum + row.sourceBytes, 0) }),
    ecosystems: t.field({ type: [EcosystemStatsRef], resolve: (s) => s.ecosystems }),
    backends: t.field({ type: StoreBackendsRef, resolve: (s) => s.backends }),
  }),
});

builder.mutationType({
  fields: (t) => ({
    refreshPackage: t.field({
      type: PackageRef,
      nullable: true,
      description: 'Refetches a package from its registry now. Null when the registry no longer has it.',
      args: {
        ecosystem: t.arg({ type: EcosystemEnum, required: true }),
        name: t.arg.string({ required: true }),
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
