import { z } from 'zod';

/*
 * Upstream payloads of the Go module proxy (https://go.dev/ref/mod#goproxy-protocol) and the raw document
 * this adapter stores. Text payloads (`@v/list`, `.mod`) have no schema beyond "UTF-8 text"; they are
 * parsed by parseVersionList / parseGoMod. Unknown keys pass through (loose objects).
 */

/** Optional field that becomes `undefined` when it has an unexpected type. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** Where the proxy got the version (newer proxies; absent from older caches and other proxies). */
export const originSchema = z.looseObject({
  VCS: lenient(z.string()),
  URL: lenient(z.string()),
  Subdir: lenient(z.string()),
  Ref: lenient(z.string()),
  Hash: lenient(z.string()),
});

/** `GET $base/$module/@v/$version.info` and `GET $base/$module/@latest`: `{Version, Time}` (+ Origin). */
export const infoSchema = z.looseObject({
  Version: z.string().min(1),
  /** RFC 3339 commit time; optional in the protocol. */
  Time: lenient(z.string()),
  Origin: lenient(originSchema),
});

export type GoInfo = z.infer<typeof infoSchema>;

/** A text file taken from the module zip (license files, the README). */
export const zipTextSchema = z.looseObject({
  /** Path inside the module (`LICENSE`, `README.md`). */
  name: z.string(),
  text: z.string(),
  /** The text was cut to the stored size limit. */
  truncated: lenient(z.boolean()),
});

/** What the adapter keeps of `GET $base/$module/@v/$version.zip` (the zip itself is not stored). */
export const zipSummarySchema = z.looseObject({
  /** SHA-256 of the zip file, lower-case hex. */
  sha256: z.string(),
  /** go.sum's `h1:` hash (dirhash Hash1) as lower-case hex; null when the zip was too big to hash. */
  h1: lenient(z.string().nullable()),
  /** Bytes of the zip file. */
  size: z.number(),
  /** Sum of the uncompressed file sizes. */
  unpackedSize: z.number(),
  fileCount: z.number(),
  licenseFiles: z.array(zipTextSchema),
  readme: zipTextSchema.nullable(),
});

/** The zip could not be read for a lasting reason (over the size limit, not a zip): not retried. */
export const zipProblemSchema = z.looseObject({ error: z.string() });

export type ZipSummary = z.infer<typeof zipSummarySchema>;

/** RawDocument.package: everything the package-level fetch asked, so normalize can redo it offline. */
export const packageRawSchema = z.looseObject({
  module: z.string().min(1),
  /** The `@v/list` body as sent. */
  list: z.string(),
  /** The `@latest` answer, when the list had no tagged version. */
  latest: infoSchema.nullable().catch(null),
  /** The version whose go.mod supplies retractions and deprecation (Go's latest, ignoring retractions). */
  source: z.string().nullable(),
  /** `.info` answers fetched with the package (the source version's). */
  infos: z.record(z.string(), infoSchema).catch({}),
  /** `.mod` texts fetched with the package; null = 404 (the source's, and the `+incompatible` go.mod probe). */
  mods: z.record(z.string(), z.string().nullable()).catch({}),
});

export type GoPackageRaw = z.infer<typeof packageRawSchema>;

/** RawDocument.versions[v]: `{version}` until the version's details are fetched, then `.info`, `.mod`, zip summary. */
export const versionRawSchema = z.looseObject({
  version: lenient(z.string()),
  info: lenient(infoSchema.nullable()),
  /** null = the proxy has no go.mod for it (404). */
  mod: lenient(z.string().nullable()),
  zip: lenient(z.union([zipSummarySchema, zipProblemSchema]).nullable()),
  /** The proxy no longer serves this version's files (all three answered 404/410). */
  missing: lenient(z.boolean()),
});

export type GoVersionRaw = z.infer<typeof versionRawSchema>;
