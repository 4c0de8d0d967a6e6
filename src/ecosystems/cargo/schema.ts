import { z } from 'zod';

/*
 * Upstream shapes for crates.io:
 * - one line of the sparse index (`{indexBase}/{prefix}/{name}`, newline-delimited JSON), documented in
 *   https://doc.rust-lang.org/cargo/reference/registry-index.html#json-schema;
 * - the web API's crate answer (`/api/v1/crates/{name}?include=versions,keywords`) and one per-version
 *   dependency list (`/api/v1/crates/{name}/{version}/dependencies`), https://crates.io/data-access.
 * Strict only where normalization cannot work otherwise (an index line's name/vers/cksum/deps, the API's
 * crate name and version numbers); every other field degrades to `undefined` when its type is wrong (some
 * recorded answers carry `{}` where crates.io sends null). Unknown keys pass through: raw data is stored
 * and re-normalized later.
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

const featureMap = z.record(z.string(), lenientArray(z.string()));

/** One dependency of an index entry. `kind` is `normal` (also when absent), `dev` or `build`. */
export const indexDependencySchema = z.looseObject({
  /** The name the crate uses for it (the key in its Cargo.toml); a rename when `package` is set. */
  name: z.string().min(1),
  req: z.string(),
  features: lenient(lenientArray(z.string())),
  optional: lenient(z.boolean()),
  default_features: lenient(z.boolean()),
  /** A cfg expression (`cfg(windows)`) or a target triple. */
  target: lenient(z.string().nullable()),
  kind: lenient(z.string().nullable()),
  /** Index URL of another registry; null/absent = the same registry. */
  registry: lenient(z.string().nullable()),
  /** The real crate name when the dependency is renamed. */
  package: lenient(z.string().nullable()),
});

/** One version of a crate: one line of the index file. */
export const indexEntrySchema = z.looseObject({
  name: z.string().min(1),
  vers: z.string().min(1),
  deps: z.array(indexDependencySchema),
  cksum: z.string(),
  features: lenient(featureMap),
  /** Index format v2 (`"v": 2`): features with the `dep:` / `pkg?/feat` syntax, kept apart for old Cargo. */
  features2: lenient(featureMap.nullable()),
  yanked: lenient(z.boolean()),
  links: lenient(z.string().nullable()),
  v: lenient(z.number()),
  rust_version: lenient(z.string().nullable()),
  /** Publish time (RFC 3339), on entries published since 2025. */
  pubtime: lenient(z.string().nullable()),
});

const nullableText = lenient(z.string().nullable());

/** `published_by` of a version (a crates.io user). */
export const apiUserSchema = z.looseObject({
  login: lenient(z.string()),
  name: nullableText,
  url: nullableText,
  avatar: nullableText,
});

/** One element of the API's `versions` list. */
export const apiVersionSchema = z.looseObject({
  num: z.string().min(1),
  crate: lenient(z.string()),
  license: nullableText,
  created_at: nullableText,
  updated_at: nullableText,
  yanked: lenient(z.boolean()),
  yank_message: nullableText,
  crate_size: lenient(z.number().nullable()),
  checksum: nullableText,
  rust_version: nullableText,
  downloads: lenient(z.number()),
  features: lenient(featureMap),
  published_by: lenient(apiUserSchema.nullable()),
  /** Newer answers repeat these per version (the crate-level ones are the latest publish's). */
  description: nullableText,
  homepage: nullableText,
  documentation: nullableText,
  repository: nullableText,
  edition: nullableText,
});

export const apiCrateSchema = z.looseObject({
  name: z.string().min(1),
  id: lenient(z.string()),
  description: nullableText,
  homepage: nullableText,
  documentation: nullableText,
  repository: nullableText,
  created_at: nullableText,
  updated_at: nullableText,
  downloads: lenient(z.number()),
  recent_downloads: lenient(z.number().nullable()),
  /** Keyword ids; null in `?include=` answers that do not ask for keywords. */
  keywords: lenient(lenientArray(z.string()).nullable()),
  categories: lenient(lenientArray(z.string()).nullable()),
  default_version: nullableText,
  max_stable_version: nullableText,
  max_version: nullableText,
});

const apiKeywordSchema = z.looseObject({ id: lenient(z.string()), keyword: lenient(z.string()) });

/** What `fetch` requires of one `versions` element (others are left out). */
export const apiVersionEnvelopeSchema = z.looseObject({ num: z.string().min(1) });

/** What `fetch` checks: the crate object must be there; `versions` may be null (`?include=` without versions). */
export const apiCrateEnvelopeSchema = z.looseObject({
  crate: z.looseObject({ name: z.string().min(1) }),
  versions: z.array(z.unknown()).nullable().optional(),
});

/** The crate answer without `versions`: the package part of the raw document. */
export const apiCrateMetaSchema = z.looseObject({
  crate: apiCrateSchema,
  keywords: lenient(lenientArray(apiKeywordSchema).nullable()),
  categories: lenient(z.array(z.unknown()).nullable()),
});

/** `GET /api/v1/crates/{name}/{version}/dependencies`: the real crate is `crate_id` (renames are not exposed). */
export const apiDependencySchema = z.looseObject({
  crate_id: z.string().min(1),
  req: z.string(),
  kind: lenient(z.string().nullable()),
  optional: lenient(z.boolean()),
  default_features: lenient(z.boolean()),
  features: lenient(lenientArray(z.string())),
  target: lenient(z.string().nullable()),
});

export const apiDependenciesSchema = z.looseObject({
  dependencies: z.array(apiDependencySchema),
});

/** The package part of the raw document (see README: raw document). */
export const rawPackageSchema = z.looseObject({
  /** The API's crate answer minus `versions`, or null when the API does not know the crate. */
  api: apiCrateMetaSchema.nullable().catch(null),
});

/** One version part of the raw document. */
export const rawVersionSchema = z.looseObject({
  /** The index line, or null when the version is known from the API only. */
  index: indexEntrySchema.nullable().catch(null),
  api: apiVersionSchema.nullable().catch(null),
  /** Attached by versionDetails for API-only versions (the index has the dependencies otherwise). */
  dependencies: lenient(z.array(apiDependencySchema.nullable().catch(null))),
});

export type CargoIndexEntry = z.infer<typeof indexEntrySchema>;
export type CargoIndexDependency = z.infer<typeof indexDependencySchema>;
export type CargoApiVersion = z.infer<typeof apiVersionSchema>;
export type CargoApiCrateMeta = z.infer<typeof apiCrateMetaSchema>;
export type CargoApiDependency = z.infer<typeof apiDependencySchema>;
export type CargoRawVersion = z.infer<typeof rawVersionSchema>;
