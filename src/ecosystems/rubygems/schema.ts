import { z } from 'zod';

/*
 * Upstream shapes for RubyGems.org:
 * - the compact index `GET /info/{name}` is text (parsed in index.ts, one line kept per version and platform);
 * - `GET /api/v1/gems/{name}.json`: the gem and its most recent version (with development dependencies);
 * - `GET /api/v1/versions/{name}.json`: one entry per (version, platform) that is not yanked.
 * https://guides.rubygems.org/rubygems-org-api/, https://guides.rubygems.org/rubygems-org-compact-index-api/
 * Strict only where normalization cannot work otherwise (the gem's name, each entry's `number`); other fields
 * degrade to `undefined` when their type is wrong. Unknown keys pass through: raw data is stored and
 * re-normalized later.
 */

function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** Array whose bad elements are dropped rather than failing the array. */
function lenientArray<T extends z.ZodType>(item: T) {
  return z
    .array(item.nullable().catch(null))
    .transform((items) => items.filter((entry): entry is NonNullable<typeof entry> => entry !== null && entry !== undefined));
}

const nullableText = lenient(z.string().nullable());
/** `metadata` of a gemspec: string keys and values (`homepage_uri`, `source_code_uri`, `rubygems_mfa_required`...). */
const metadataSchema = lenient(z.record(z.string(), z.unknown()).nullable());
const licensesSchema = lenient(lenientArray(z.string()).nullable());

export const gemDependencySchema = z.looseObject({
  name: z.string().min(1),
  /** `"~> 1.28, >= 1.28.2"`: requirements joined with `, `. */
  requirements: z.string(),
});

/** `GET /api/v1/gems/{name}.json`: the gem with its most recent version's fields. */
export const gemInfoSchema = z.looseObject({
  name: z.string().min(1),
  version: nullableText,
  version_created_at: nullableText,
  platform: nullableText,
  authors: nullableText,
  /** The most recent version's description, else its summary. */
  info: nullableText,
  licenses: licensesSchema,
  metadata: metadataSchema,
  yanked: lenient(z.boolean()),
  sha: nullableText,
  downloads: lenient(z.number()),
  gem_uri: nullableText,
  homepage_uri: nullableText,
  documentation_uri: nullableText,
  source_code_uri: nullableText,
  bug_tracker_uri: nullableText,
  changelog_uri: nullableText,
  wiki_uri: nullableText,
  mailing_list_uri: nullableText,
  funding_uri: nullableText,
  dependencies: lenient(
    z.looseObject({
      development: lenient(lenientArray(gemDependencySchema)),
      runtime: lenient(lenientArray(gemDependencySchema)),
    }),
  ),
});

/** What `fetch` checks before storing the gem answer. */
export const gemEnvelopeSchema = z.looseObject({ name: z.string().min(1) });

/** One element of `GET /api/v1/versions/{name}.json`. */
export const versionEntrySchema = z.looseObject({
  number: z.string().min(1),
  platform: nullableText,
  created_at: nullableText,
  built_at: nullableText,
  authors: nullableText,
  description: nullableText,
  summary: nullableText,
  licenses: licensesSchema,
  metadata: metadataSchema,
  prerelease: lenient(z.boolean()),
  sha: nullableText,
  ruby_version: nullableText,
  rubygems_version: nullableText,
  downloads_count: lenient(z.number()),
});

/** What `fetch` requires of one versions API entry (others are left out). */
export const versionEnvelopeSchema = z.looseObject({ number: z.string().min(1) });

/** What `fetch` checks before storing the versions answer: a list (its entries are checked one by one). */
export const versionsEnvelopeSchema = z.array(z.unknown());

/** One compact-index line of a version, with the platform it was read for. */
export const infoLineSchema = z.looseObject({ platform: z.string().min(1), line: z.string() });

/** The package part of the raw document. */
export const rawPackageSchema = z.looseObject({
  /** The gems API answer, or null when the API does not have the gem. */
  gem: gemInfoSchema.nullable().catch(null),
});

/** `GET /api/v2/rubygems/{name}/versions/{version}.json` (only its dependencies are used). */
export const versionDetailsSchema = z.looseObject({
  dependencies: z.looseObject({
    development: z.array(gemDependencySchema),
    runtime: z.array(gemDependencySchema),
  }),
});

/** One version part of the raw document: its compact-index lines and versions-API entries (per platform). */
export const rawVersionSchema = z.looseObject({
  /** Compact-index lines; `[]` = not in the compact index (yanked); null = the server has no compact index for the gem. */
  info: lenientArray(infoLineSchema).nullable().catch([]),
  api: lenientArray(versionEntrySchema).catch([]),
  /** Dependencies from the per-version API, attached by versionDetails when there is no compact index. */
  details: lenient(
    z.looseObject({
      development: lenientArray(gemDependencySchema).catch([]),
      runtime: lenientArray(gemDependencySchema).catch([]),
    }),
  ),
});

export type GemInfo = z.infer<typeof gemInfoSchema>;
export type GemVersionEntry = z.infer<typeof versionEntrySchema>;
export type GemRawVersion = z.infer<typeof rawVersionSchema>;
