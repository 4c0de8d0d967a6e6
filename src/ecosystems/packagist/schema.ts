import { z } from 'zod';

/*
 * Upstream shapes of Composer v2 metadata (`/p2/{vendor}/{package}.json` and `~dev.json`) as Packagist dumps
 * them (App\Entity\Version::toV2Array + MetadataMinifier::minify). PHP encodes an empty map as `[]`, and
 * composer.json fields arrive with whatever type authors wrote, so optional fields degrade to `undefined`
 * instead of rejecting the document. Unknown keys pass through: raw documents are stored and re-normalized.
 */

/** Optional field that becomes `undefined` when it has an unexpected type. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** Array whose bad elements are dropped rather than failing the array. */
function lenientArray<T extends z.ZodType>(item: T) {
  return z
    .array(item.nullable().catch(null))
    .transform((items) => items.filter((entry): entry is NonNullable<typeof entry> => entry !== null && entry !== undefined));
}

/** A JSON object, or PHP's `[]` for an empty one. */
const phpMap = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()).transform((): Record<string, unknown> => ({}))]);

/** The document as sent: what `fetch` checks before expanding. Each version entry must be an object. */
export const p2DocumentSchema = z.looseObject({
  /** `composer/2.0` when entries are minified (each inherits the previous one's fields). */
  minified: lenient(z.string()),
  packages: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});

export const authorSchema = z.looseObject({
  name: lenient(z.string()),
  email: lenient(z.string()),
  homepage: lenient(z.string()),
  role: lenient(z.string()),
});

export const sourceSchema = z.looseObject({
  type: lenient(z.string()),
  url: lenient(z.string()),
  reference: lenient(z.string()),
});

export const distSchema = sourceSchema.extend({
  /** sha1 of the archive; Packagist sends `""` for GitHub/GitLab zipballs (not reproducible). */
  shasum: lenient(z.string()),
});

export const supportSchema = z.looseObject({
  issues: lenient(z.string()),
  source: lenient(z.string()),
  docs: lenient(z.string()),
  forum: lenient(z.string()),
  wiki: lenient(z.string()),
  security: lenient(z.string()),
});

/** One expanded version entry (a composer.json plus Packagist's version, time, source and dist). */
export const versionEntrySchema = z.looseObject({
  name: lenient(z.string()),
  description: lenient(z.string()),
  keywords: lenient(lenientArray(z.string())),
  homepage: lenient(z.string()),
  version: lenient(z.string()),
  version_normalized: lenient(z.string()),
  /** An array (disjunctive: the user picks one) or, outside Packagist, a string. */
  license: lenient(z.union([lenientArray(z.string()), z.string()])),
  authors: lenient(lenientArray(authorSchema)),
  source: lenient(sourceSchema.nullable()),
  dist: lenient(distSchema.nullable()),
  type: lenient(z.string()),
  time: lenient(z.string()),
  require: lenient(phpMap),
  'require-dev': lenient(phpMap),
  suggest: lenient(phpMap),
  conflict: lenient(phpMap),
  provide: lenient(phpMap),
  replace: lenient(phpMap),
  support: lenient(z.union([supportSchema, z.array(z.unknown()).transform((): z.infer<typeof supportSchema> => ({}))])),
  /** Package-level flag copied into every version: `true`, or the replacement package's name. */
  abandoned: lenient(z.union([z.boolean(), z.string()])),
  'default-branch': lenient(z.boolean()),
});

/** `security-advisories` entries at the top level of the tagged-releases file. */
export const advisorySchema = z.looseObject({
  advisoryId: lenient(z.string()),
  affectedVersions: lenient(z.string()),
});

/** The document without `packages`: the package part of the stored raw document. */
export const p2MetaSchema = z.looseObject({
  minified: lenient(z.string()),
  'security-advisories': lenient(lenientArray(advisorySchema)),
});

export type PackagistVersionEntry = z.infer<typeof versionEntrySchema>;
export type PackagistMeta = z.infer<typeof p2MetaSchema>;
