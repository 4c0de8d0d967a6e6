import { z } from 'zod';

/*
 * Upstream shapes of the npm packument (GET /{name}) and of one version manifest inside it.
 * Two decades of publishes mean almost every optional field has been seen with the wrong type, so such a
 * field degrades to `undefined` instead of rejecting the document. Strict only where normalization cannot
 * work otherwise: `name` is a string and `versions` (when present) is an object of objects.
 * Unknown keys pass through (loose objects): raw documents are stored and re-normalized later.
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

const stringMap = z.record(z.string(), z.unknown());

/** `"Name <email> (url)"` or `{name, email, url}` (legacy `web`). */
export const personSchema = z.union([z.string(), z.looseObject({})]);

/** `"MIT"`, or the old `{type, url}` object. */
export const licenseSchema = z.union([
  z.string(),
  z.looseObject({ type: lenient(z.string()), name: lenient(z.string()), url: lenient(z.string()) }),
]);

/** Shorthand string (`user/repo`, `github:user/repo`, a git URL) or `{type, url, directory}`. */
export const repositorySchema = z.union([
  z.string(),
  z.looseObject({ type: lenient(z.string()), url: lenient(z.string()), directory: lenient(z.string()) }),
]);

export const bugsSchema = z.union([z.string(), z.looseObject({ url: lenient(z.string()), email: lenient(z.string()) })]);

export const distSchema = z.looseObject({
  tarball: lenient(z.string()),
  shasum: lenient(z.string()),
  integrity: lenient(z.string()),
  unpackedSize: lenient(z.number()),
  fileCount: lenient(z.number()),
});

/**
 * A dependency map; publishes from npm's first years also have a list (`["a", "b@1"]`) or one string (`"a b"`), which
 * npm's normalize-package-data reads for these three fields only (peerDependencies stays map-only).
 */
const dependencyField = lenient(z.union([stringMap, z.array(z.unknown()), z.string()]));

/** Fields shared by the packument's top level and each version manifest. */
const describedFields = {
  description: lenient(z.string()),
  /** A URL; a few early publishes have a list of them. */
  homepage: lenient(z.union([z.string(), lenientArray(z.string())])),
  /** Old publishes also put the legacy list under the singular key: `"license": [{type, url}]`. */
  license: lenient(z.union([licenseSchema, lenientArray(licenseSchema)])),
  /** The legacy list; seen as a single string or object too. */
  licenses: lenient(z.union([lenientArray(licenseSchema), licenseSchema])),
  /** British spelling, used by a few packages instead of `license`. */
  licence: lenient(licenseSchema),
  repository: lenient(repositorySchema),
  /** CommonJS Packages' plural form; npm's own normalizer takes the first entry. */
  repositories: lenient(lenientArray(repositorySchema)),
  author: lenient(personSchema),
  /** A list; some early publishes have one person (string or object). */
  maintainers: lenient(z.union([lenientArray(personSchema), personSchema])),
  keywords: lenient(z.union([lenientArray(z.string()), z.string()])),
  bugs: lenient(bugsSchema),
};

export const versionManifestSchema = z.looseObject({
  ...describedFields,
  name: lenient(z.string()),
  version: lenient(z.string()),
  /** A message, or `false` on some mirrors (= not deprecated). */
  deprecated: lenient(z.union([z.string(), z.boolean()])),
  dependencies: dependencyField,
  devDependencies: dependencyField,
  optionalDependencies: dependencyField,
  peerDependencies: lenient(stringMap),
  peerDependenciesMeta: lenient(z.record(z.string(), z.looseObject({ optional: lenient(z.boolean()) }).catch({}))),
  /** A list of names, or `true` (all dependencies) / `false`. */
  bundleDependencies: lenient(z.union([lenientArray(z.string()), z.boolean()])),
  bundledDependencies: lenient(z.union([lenientArray(z.string()), z.boolean()])),
  /** Object form; legacy forms are a list (`["node"]`, `["node >=0.4"]`) or one string (`"node >= 0.3.0"`). */
  engines: lenient(z.union([stringMap, z.array(z.unknown()), z.string()])),
  dist: lenient(distSchema),
});

/** `time.unpublished` of a packument whose every version was unpublished. */
export const unpublishedSchema = z.looseObject({
  time: lenient(z.string()),
  versions: lenient(lenientArray(z.string())),
  /** Older unpublish records also kept the last description and maintainers. */
  description: lenient(z.string()),
  maintainers: lenient(z.union([lenientArray(personSchema), personSchema])),
});

/** The packument without `versions`: what the adapter stores as the package part of the raw document. */
export const packumentMetaSchema = z.looseObject({
  ...describedFields,
  _id: lenient(z.string()),
  name: z.string().min(1),
  'dist-tags': lenient(stringMap),
  /** Version -> ISO time, plus `created`, `modified` and (fully unpublished packages) `unpublished`. */
  time: lenient(stringMap),
  readme: lenient(z.string()),
});

/** What `fetch` checks before storing: the envelope only; `normalize` reads each manifest leniently. */
export const packumentEnvelopeSchema = z.looseObject({
  name: z.string(),
  versions: z.record(z.string(), z.looseObject({})).optional(),
});

export const packumentSchema = packumentMetaSchema.extend({
  versions: z.record(z.string(), versionManifestSchema).optional(),
});

export type NpmVersionManifest = z.infer<typeof versionManifestSchema>;
export type NpmPackumentMeta = z.infer<typeof packumentMetaSchema>;
export type NpmPackument = z.infer<typeof packumentSchema>;
export type NpmLicenseField = z.infer<typeof licenseSchema>;
export type NpmRepositoryField = z.infer<typeof repositorySchema>;
