import { z } from 'zod';
import { assertAuthorized } from '../auth.js';
import { InvalidInputError } from '../errors.js';
import type { VersionRecord } from '../ecosystems/types.js';
import type { SourceRecord } from '../store/types.js';
import { builder } from './builder.js';
import { EcosystemEnum } from './enums.js';
import { VersionRef } from './refs.js';
import { NAME_DESCRIPTION, VERSION_DESCRIPTION, nameSchema, parseArgs } from './args.js';

type SourceView = SourceRecord | { status: 'NONE' };

const SourceStatusEnum = builder.enumType('SourceStatus', {
  description: 'Where a version\'s source archive stands in the blob store.',
  values: {
    NONE: { description: 'Never archived nor tried (`Mutation.archiveSource` stores it); every other field is null.' },
    STORED: { description: 'In the blob store; `verified` says whether the digest matched one the registry publishes.' },
    FAILED: { description: 'The last attempt failed; `error` says why. Nothing was kept.' },
  } as const,
});

export const SourceArchiveRef = builder.objectRef<SourceView>('SourceArchive').implement({
  description:
    "A version's source archive (the registry's artifact: npm tarball, sdist, `.crate`, `.gem`, module zip, Hex tarball, Maven main artifact, `.nupkg`, Composer dist, pub archive) in the blob store, under `sourceFiles/{ecosystem}/{name}/{version}.{ext}`.",
  fields: (t) => ({
    status: t.field({ type: SourceStatusEnum, description: 'Archived, failed, or never tried.', resolve: (s) => s.status }),
    key: t.string({ nullable: true, description: 'Blob store key; null unless STORED.', resolve: (s) => ('key' in s ? s.key : null) }),
    url: t.string({ nullable: true, description: 'Where it was (or would have been) downloaded from; null for NONE or when the registry publishes no archive.', resolve: (s) => ('url' in s ? s.url : null) }),
    size: t.float({ nullable: true, description: 'Bytes stored; null unless STORED.', resolve: (s) => ('size' in s ? s.size : null) }),
    algorithm: t.string({
      nullable: true,
      description: 'Digest algorithm: the strongest the registry publishes (sha512, sha384, sha256, sha1), else sha256; null for NONE and for failures before the download.',
      resolve: (s) => ('algorithm' in s ? s.algorithm : null),
    }),
    digest: t.string({ nullable: true, description: 'Lower-case hex digest of the stored bytes; null unless STORED.', resolve: (s) => ('digest' in s ? s.digest : null) }),
    verified: t.boolean({
      description: 'The digest matched the one the registry publishes. False when it publishes none (the digest was computed here only), and for NONE and FAILED.',
      resolve: (s) => ('verified' in s ? s.verified : false),
    }),
    storedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the last attempt ended (stored or failed); null for NONE.', resolve: (s) => ('storedAt' in s ? new Date(s.storedAt) : null) }),
    error: t.string({
      nullable: true,
      description: 'Why the last attempt failed (digest mismatch, over SCOUT_REGISTRY_MAX_SOURCE_BYTES, host not allowed, not found upstream ...); null unless FAILED.',
      resolve: (s) => ('error' in s ? s.error : null),
    }),
  }),
});

builder.objectField(VersionRef, 'source', (t) =>
  t.field({
    type: SourceArchiveRef,
    nullable: true,
    description: 'The source archive record: status NONE until `Mutation.archiveSource` was run for this version (never null in practice). Reads the store only.',
    resolve: async (v: VersionRecord, _args, ctx) => (await ctx.loaders.source.load({ ecosystem: v.ecosystem, name: v.name, version: v.version })) ?? { status: 'NONE' as const },
  }),
);

builder.mutationField('archiveSource', (t) =>
  t.field({
    type: SourceArchiveRef,
    description:
      "Downloads a version's source archive into the blob store (streamed, never whole in memory), verified against the registry's digest, and returns the record: FAILED with `error` on a digest mismatch, a download over SCOUT_REGISTRY_MAX_SOURCE_BYTES or a cut download (nothing kept). Each call downloads again; concurrent calls for one version share one download. INVALID_INPUT when the version does not exist. Needs an API key when SCOUT_REGISTRY_API_KEYS is set.",
    args: {
      ecosystem: t.arg({ type: EcosystemEnum, required: true, description: 'The registry.' }),
      name: t.arg.string({ required: true, description: NAME_DESCRIPTION }),
      version: t.arg.string({ required: true, description: VERSION_DESCRIPTION }),
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
