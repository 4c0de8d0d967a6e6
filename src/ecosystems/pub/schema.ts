import { z } from 'zod';

/*
 * Upstream shapes of pub.dev (Hosted Pub Repository Specification v2 plus the pub.dev API):
 * - `GET /api/packages/{name}`: the listing (every version with its pubspec as JSON);
 * - `GET /api/packages/{name}/options`: isDiscontinued / replacedBy / isUnlisted;
 * - `GET /api/packages/{name}/score`: points, likes, downloads and pana's tags (`license:mit`...).
 * A pubspec is whatever YAML the author wrote, converted to JSON, so its fields degrade to `undefined` when they
 * have an unexpected type. Unknown keys pass through: raw documents are stored and re-normalized later.
 */

function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

function lenientArray<T extends z.ZodType>(item: T) {
  return z
    .array(item.nullable().catch(null))
    .transform((items) => items.filter((entry): entry is NonNullable<typeof entry> => entry !== null && entry !== undefined));
}

const anyMap = z.record(z.string(), z.unknown());

/** A dependency: a constraint string, `null` (YAML `foo:` = any), or a source map (hosted, git, path, sdk). */
export const dependencySpecSchema = z.union([z.string(), z.null(), anyMap]);

/** `hosted: <url>` (Dart >= 2.15) or the older `hosted: {name, url}`. */
export const hostedSchema = z.union([z.string(), z.looseObject({ name: lenient(z.string()), url: lenient(z.string()) })]);

/** `git: <url>` or `git: {url, ref, path, tag_pattern}`. */
export const gitSchema = z.union([
  z.string(),
  z.looseObject({ url: lenient(z.string()), ref: lenient(z.string()), path: lenient(z.string()), tag_pattern: lenient(z.string()) }),
]);

export const dependencySourceSchema = z.looseObject({
  version: lenient(z.string()),
  hosted: lenient(hostedSchema),
  git: lenient(gitSchema),
  path: lenient(z.string()),
  sdk: lenient(z.string()),
});

export const pubspecSchema = z.looseObject({
  name: lenient(z.string()),
  version: lenient(z.string()),
  description: lenient(z.string()),
  homepage: lenient(z.string()),
  repository: lenient(z.string()),
  issue_tracker: lenient(z.string()),
  documentation: lenient(z.string()),
  /** Not a pubspec field; a few authors add it anyway. */
  license: lenient(z.string()),
  /** Deprecated (pub ignores both since Dart 2.7), still present in older versions. */
  author: lenient(z.string()),
  authors: lenient(z.union([lenientArray(z.string()), z.string()])),
  /** pub's keywords (pubspec `topics`, Dart 3.1+): lower-case words shown on pub.dev. */
  topics: lenient(lenientArray(z.string())),
  environment: lenient(z.record(z.string(), z.unknown())),
  dependencies: lenient(z.record(z.string(), z.unknown())),
  dev_dependencies: lenient(z.record(z.string(), z.unknown())),
  dependency_overrides: lenient(z.record(z.string(), z.unknown())),
});

/** One entry of `versions` (and `latest`). */
export const versionEntrySchema = z.looseObject({
  version: lenient(z.string()),
  pubspec: lenient(pubspecSchema),
  archive_url: lenient(z.string()),
  /** Hex sha256 of the archive (absent in older recordings). */
  archive_sha256: lenient(z.string()),
  published: lenient(z.string()),
  retracted: lenient(z.boolean()),
});

/** What `fetch` checks before storing: the listing's envelope (each entry is checked on its own). */
export const listingEnvelopeSchema = z.looseObject({
  name: z.string(),
  versions: z.array(z.unknown()),
});

/** A `versions` entry fetch keeps: an object with a version string (anything else is skipped). */
export const listedVersionSchema = z.looseObject({ version: z.string().trim().min(1) });

/** The listing without `versions` (package part of the stored raw document). */
export const listingMetaSchema = z.looseObject({
  name: lenient(z.string()),
  isDiscontinued: lenient(z.boolean()),
  replacedBy: lenient(z.string().nullable()),
  latest: lenient(versionEntrySchema),
});

export const optionsSchema = z.looseObject({
  isDiscontinued: lenient(z.boolean()),
  replacedBy: lenient(z.string().nullable()),
  isUnlisted: lenient(z.boolean()),
});

export const scoreSchema = z.looseObject({
  grantedPoints: lenient(z.number().nullable()),
  maxPoints: lenient(z.number().nullable()),
  likeCount: lenient(z.number().nullable()),
  downloadCount30Days: lenient(z.number().nullable()),
  tags: lenient(lenientArray(z.string()).nullable()),
});

/** The package part this adapter stores: the listing's top level and the two side documents (null when absent). */
export const storedPackageSchema = z.looseObject({
  listing: listingMetaSchema,
  options: lenient(optionsSchema.nullable()),
  score: lenient(scoreSchema.nullable()),
});

export type PubVersionEntry = z.infer<typeof versionEntrySchema>;
export type Pubspec = z.infer<typeof pubspecSchema>;
export type PubStoredPackage = z.infer<typeof storedPackageSchema>;
