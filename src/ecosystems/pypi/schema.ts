import { z } from 'zod';

/*
 * Upstream shapes of PyPI:
 * - the JSON API project document `GET /pypi/{name}/json` ({info, last_serial, releases, urls, vulnerabilities,
 *   and on newer answers `project-status`, `ownership`) and the per-version document
 *   `GET /pypi/{name}/{version}/json` (same without `releases`; `info` describes that version);
 * - the simple API project page `GET /simple/{name}/` as PEP 691 JSON ({meta, name, files, versions, ...}).
 * Fetch checks the envelopes strictly (what normalization cannot do without); normalize re-reads the stored raw
 * parts leniently: an optional field of the wrong type degrades to `undefined` (metadata written by two decades
 * of build tools), a malformed file entry is dropped. Unknown keys pass through (loose objects).
 */

/** Optional field that becomes `undefined` when missing, null or of an unexpected type. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** Array whose bad elements are dropped rather than failing the array. */
function lenientArray<T extends z.ZodType>(item: T) {
  return z
    .array(item.nullable().catch(null))
    .transform((items) => items.filter((entry): entry is NonNullable<typeof entry> => entry !== null && entry !== undefined));
}

const unknownMap = z.record(z.string(), z.unknown());

/** PEP 792 project status: `active`, `archived`, `quarantined`, `deprecated` (JSON API top level and simple API). */
export const projectStatusSchema = z.looseObject({
  status: lenient(z.string()),
  reason: lenient(z.string()),
});

/** One file of a release in the JSON API (`releases[v][]`, `urls[]`). */
export const releaseFileSchema = z.looseObject({
  filename: z.string().min(1),
  url: z.string().min(1),
  /** `sdist`, `bdist_wheel`, `bdist_egg`, `bdist_wininst`, `bdist_msi`, `bdist_dumb`, `bdist_rpm`, `bdist_dmg`. */
  packagetype: lenient(z.string()),
  python_version: lenient(z.string()),
  /** `{md5, sha256, blake2b_256}` hex digests. */
  digests: lenient(unknownMap),
  md5_digest: lenient(z.string()),
  size: lenient(z.number()),
  upload_time: lenient(z.string()),
  upload_time_iso_8601: lenient(z.string()),
  requires_python: lenient(z.string()),
  yanked: lenient(z.boolean()),
  yanked_reason: lenient(z.string()),
});

/** `{sha256: hex}` (PEP 714 `core-metadata`), or `true` (available, hash unknown) / `false`. */
const metadataAvailability = z.union([z.boolean(), unknownMap]);

/** One file of the PEP 691 simple API project page. */
export const simpleFileSchema = z.looseObject({
  filename: z.string().min(1),
  url: z.string().min(1),
  hashes: lenient(unknownMap),
  'requires-python': lenient(z.string()),
  /** PEP 592: `false`, `true`, or the reason as a string (which means yanked). */
  yanked: lenient(z.union([z.boolean(), z.string()])),
  'core-metadata': lenient(metadataAvailability),
  /** The name of `core-metadata` before PEP 714; still sent next to it. */
  'data-dist-info-metadata': lenient(metadataAvailability),
  'dist-info-metadata': lenient(metadataAvailability),
  /** PEP 700 (api-version 1.1+). */
  size: lenient(z.number()),
  'upload-time': lenient(z.string()),
  /** PEP 740 provenance URL. */
  provenance: lenient(z.string()),
});

/** The core metadata of one version as the JSON API renders it (`info`). */
export const infoSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  summary: lenient(z.string()),
  description: lenient(z.string()),
  description_content_type: lenient(z.string()),
  license: lenient(z.string()),
  /** PEP 639 (Metadata 2.4). */
  license_expression: lenient(z.string()),
  license_files: lenient(lenientArray(z.string())),
  classifiers: lenient(lenientArray(z.string())),
  author: lenient(z.string()),
  author_email: lenient(z.string()),
  maintainer: lenient(z.string()),
  maintainer_email: lenient(z.string()),
  /** A comma- (Metadata 1.x: space-) separated string; a list on some mirrors. */
  keywords: lenient(z.union([z.string(), lenientArray(z.string())])),
  home_page: lenient(z.string()),
  download_url: lenient(z.string()),
  docs_url: lenient(z.string()),
  bugtrack_url: lenient(z.string()),
  project_urls: lenient(unknownMap),
  requires_dist: lenient(lenientArray(z.string())),
  requires_python: lenient(z.string()),
  provides_extra: lenient(lenientArray(z.string())),
  yanked: lenient(z.boolean()),
  yanked_reason: lenient(z.string()),
});

export const ownershipSchema = z.looseObject({
  organization: lenient(z.string()),
  roles: lenient(lenientArray(z.looseObject({ role: lenient(z.string()), user: lenient(z.string()) }))),
});

/** The project document without `releases` (the package part of the stored raw document). */
export const projectDocumentSchema = z.looseObject({
  info: infoSchema,
  last_serial: lenient(z.number()),
  /** The files of `info.version`. */
  urls: lenient(lenientArray(releaseFileSchema)),
  'project-status': lenient(projectStatusSchema),
  ownership: lenient(ownershipSchema),
});

/** The per-version document `GET /pypi/{name}/{version}/json` (stored as a version's `details`). */
export const versionDocumentSchema = z.looseObject({
  info: infoSchema,
  urls: lenient(lenientArray(releaseFileSchema)),
});

/** The simple API page without `files` (the package part of the stored raw document). */
export const simpleMetaSchema = z.looseObject({
  meta: lenient(z.looseObject({ 'api-version': lenient(z.string()), '_last-serial': lenient(z.number()) })),
  name: lenient(z.string()),
  /** PEP 700 (api-version 1.1+): the versions that have files. */
  versions: lenient(lenientArray(z.string())),
  'project-status': lenient(projectStatusSchema),
});

// ---------------------------------------------------------------------------------------------------------------
// Envelopes: what fetch requires of a 200 before anything is stored.

const objectList = z.array(z.looseObject({}));

export const projectEnvelopeSchema = z.looseObject({
  info: z.looseObject({ name: z.string().min(1), version: z.string().min(1) }),
  releases: z.record(z.string(), objectList).optional(),
  urls: objectList.optional(),
});

export const versionEnvelopeSchema = z.looseObject({
  info: z.looseObject({ name: z.string().min(1), version: z.string().min(1) }),
});

/** What fetch needs of one PEP 691 file entry (an entry without it is left out, not the whole page). */
export const simpleFileEnvelopeSchema = z.looseObject({ filename: z.string().min(1), url: z.string().min(1) });

/** PEP 691 requires `meta.api-version`, `name` and `files[]` (each with `filename`, `url`, `hashes`: checked one by one). */
export const simpleEnvelopeSchema = z.looseObject({
  meta: z.looseObject({ 'api-version': z.string() }),
  name: z.string().min(1),
  files: z.array(z.unknown()),
  versions: z.array(z.string()).optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// The stored raw document (RawDocument.package / RawDocument.versions[v]) as this adapter splits it.

/** RawDocument.package: both upstream documents minus their per-version parts. */
export const packagePartSchema = z.looseObject({
  /** `/pypi/{name}/json` without `releases`; null when the JSON API answered 404 (simple-only mirrors). */
  project: projectDocumentSchema.nullable(),
  /** `/simple/{name}/` without `files`; null when it answered 404. */
  simple: simpleMetaSchema.nullable(),
  /** `json` (PEP 691) or `html` (PEP 503, converted to the PEP 691 shape by the adapter). */
  simpleFormat: lenient(z.enum(['json', 'html'])),
  /** Simple API files whose version could be told neither from `releases` nor from the file name. */
  unassignedFiles: lenient(lenientArray(simpleFileSchema)),
});

/** RawDocument.versions[v]: that version's files from both APIs, and its per-version document once fetched. */
export const versionPartSchema = z.looseObject({
  files: lenient(lenientArray(simpleFileSchema)),
  releaseFiles: lenient(lenientArray(releaseFileSchema)),
  // `details` is read by hand: absent (not fetched yet) and null (upstream has none) mean different things.
});

export type ReleaseFile = z.infer<typeof releaseFileSchema>;
export type SimpleFile = z.infer<typeof simpleFileSchema>;
export type PypiInfo = z.infer<typeof infoSchema>;
export type ProjectDocument = z.infer<typeof projectDocumentSchema>;
export type VersionDocument = z.infer<typeof versionDocumentSchema>;
export type SimpleMeta = z.infer<typeof simpleMetaSchema>;
export type PackagePart = z.infer<typeof packagePartSchema>;
export type VersionPart = z.infer<typeof versionPartSchema>;
export type ProjectStatus = z.infer<typeof projectStatusSchema>;
