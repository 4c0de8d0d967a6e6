import { z } from 'zod';
import { assertAuthorized } from '../auth.js';
import { InvalidInputError } from '../errors.js';
import type { VersionRecord } from '../ecosystems/types.js';
import type { SourceRecord } from '../store/types.js';
import { builder } from './builder.js';
import { EcosystemEnum } from './enums.js';
import { VersionRef } from './refs.js';
import { nameSchema, parseArgs } from './args.js';

type SourceView = SourceRecord | { status: 'NONE' };

const SourceStatusEnum = builder.enumType('SourceStatus', {
  values: {
    NONE: { description: 'Not archived yet (Mutation.archiveSource stores it).' },
    STORED: { description: 'In the blob store, digest checked.' },
    FAILED: { description: 'The last attempt failed; `error` says why. Nothing was kept.' },
  } as const,
});

export const SourceArchiveRef = builder.objectRef<SourceView>('SourceArchive').implement({
  description: "A version's source archive in the blob store (`sourceFiles/{ecosystem}/{name}/{version}.{ext}`).",
  fields: (t) => ({
    status: t.field({ type: SourceStatusEnum, resolve: (s) => s.status }),
    key: t.string({ nullable: true, description: 'Blob store key.', resolve: (s) => ('key' in s ? s.key : null) }),
    url: t.string({ nullable: true, description: 'Where it was downloaded from.', resolve: (s) => ('url' in s ? s.url : null) }),
    size: t.float({ nullable: true, description: 'Bytes.', resolve: (s) => ('size' in s ? s.size : null) }),
    algorithm: t.string({ nullable: true, resolve: (s) => ('algorithm' in s ? s.algorithm : null) }),
    digest: t.string({ nullable: true, description: 'Lower-case hex digest of the stored bytes.', resolve: (s) => ('digest' in s ? s.digest : null) }),
    verified: t.boolean({ description: 'The digest matched the one the registry publishes.', resolve: (s) => ('verified' in s ? s.verified : false) }),
    storedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => ('storedAt' in s ? new Date(s.storedAt) : null) }),
    error: t.string({ nullable: true, resolve: (s) => ('error' in s ? s.error : null) }),
  }),
});

builder.objectField(VersionRef, 'source', (t) =>
  t.field({
    type: SourceArchiveRef,
    nullable: true,
    description: 'The source archive, when one was archived or tried (status NONE otherwise).',
    resolve: async (v: VersionRecord, _args, ctx) => (await ctx.loaders.source.load({ ecosystem: v.ecosystem, name: v.name, version: v.version })) ?? { status: 'NONE' as const },
  }),
);

builder.mutationField('archiveSource', (t) =>
  t.field({
    type: SourceArchiveRef,
    description: 'Downloads a version\'s source archive into the blob store, verified against the registry\'s digest. Needs an API key when SCOUT_REGISTRY_API_KEYS is set.',
    args: {
      ecosystem: t.arg({ type: EcosystemEnum, required: true }),
      name: t.arg.string({ required: true }),
      version: t.arg.string({ required: true, description: 'An exact version, or a dist-tag such as `latest`.' }),
    },
    resolve: async (_root, args, ctx) => {
      assertAuthorized(ctx.auth, ctx.apiKeys, 'archiveSource');
      const valid = parseArgs(z.object({ name: nameSchema, version: nameSchema }), args);
      const found = await ctx.loaders.version.load({ ...ctx.service.packageKey(args.ecosystem, valid.name), version: valid.version });
      if (!found) throw new InvalidInputError(`${args.ecosystem.toUpperCase()} ${valid.name}@${valid.version} does not exist upstream`, 'version');
      const record = await ctx.sources.archive(found.record);
      ctx.loaders.source.clearAll();
      return record;
    },
  }),
);
