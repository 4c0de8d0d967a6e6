import { z } from 'zod';
import { ECOSYSTEM_IDS } from '../ecosystems/ids.js';

/**
 * The REST bodies, as zod schemas over the GraphQL results of the persisted operations.
 *
 * The operations already alias fields to the original's snake_case keys; these schemas check the
 * result (a boundary like any other) and make the few conversions the original format needs
 * (enums in lower case, checksums as an object keyed by algorithm, dates as ISO strings). Every
 * conversion ends in `.pipe(<output schema>)`, so the same schemas print the OpenAPI components
 * (`z.toJSONSchema(..., { io: 'output' })`): the documentation cannot drift from the bodies.
 */

/** Component schemas of the OpenAPI document (`#/components/schemas/<id>`). */
export const restComponents = z.registry<{ id?: string }>();

function component<T extends z.ZodType>(id: string, description: string, schema: T): T {
  const described = schema.describe(description) as T;
  restComponents.add(described, { id });
  return described;
}

/** GraphQL enum names (`NPM`, `ACTIVE`) -> the original's lower-case strings. */
function lowerEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(values));
}

export const VERSION_STATUSES = ['active', 'deprecated', 'yanked', 'unlisted', 'retracted', 'unpublished'] as const;
export const DEPENDENCY_KINDS = ['runtime', 'development', 'optional', 'peer', 'build'] as const;
export const SOURCE_STATUSES = ['none', 'stored', 'failed'] as const;

const ecosystem = lowerEnum(ECOSYSTEM_IDS).describe(`One of ${ECOSYSTEM_IDS.join(', ')}.`);

/** graphql-js hands the DateTime scalar's value over as a Date (yoga would stringify it). */
const dateTime = z
  .union([z.date(), z.string()])
  .transform((value) => (typeof value === 'string' ? value : value.toISOString()))
  .pipe(z.string().meta({ format: 'date-time' }));

const keyedBy = (key: string, value: string) =>
  z
    .array(z.object({ [key]: z.string(), [value]: z.string() }))
    .transform((list) => Object.fromEntries(list.map((entry) => [entry[key], entry[value]])))
    .pipe(z.record(z.string(), z.string()));

/** `[{algorithm, value}]` -> `{sha512: "...", sha1: "..."}` (lower-case hex), as in the original. */
const checksums = keyedBy('algorithm', 'value').describe('Lower-case hex digests keyed by algorithm, e.g. {"sha512": "..."}.');

/** `{version} | null` -> the version string. */
const versionOf = z
  .object({ version: z.string() })
  .nullable()
  .transform((value) => value?.version ?? null)
  .pipe(z.string().nullable());

export const License = component(
  'License',
  'SPDX expression (null when the declared value maps to none), the value as declared, and where it came from.',
  z.object({ spdx: z.string().nullable(), name: z.string().nullable(), source: z.string().nullable() }),
);

export const Person = component('Person', 'A maintainer or author.', z.object({ name: z.string().nullable(), email: z.string().nullable(), url: z.string().nullable() }));

export const Links = component(
  'Links',
  'Project links.',
  z.object({
    repository: z.string().nullable(),
    homepage: z.string().nullable(),
    documentation: z.string().nullable(),
    changelog: z.string().nullable(),
    issues: z.string().nullable(),
  }),
);

export const PackageSummary = component(
  'PackageSummary',
  'A package: its summary as stored (fetched from the registry on a miss).',
  z.object({
    ecosystem,
    name: z.string(),
    purl: z.string(),
    description: z.string().nullable(),
    homepage: z.string().nullable(),
    repository_url: z.string().nullable(),
    license: License.nullable(),
    keywords: z.array(z.string()),
    maintainers: z.array(Person),
    deprecated: z.boolean(),
    deprecated_message: z.string().nullable(),
    dist_tags: keyedBy('tag', 'version').describe('Dist-tags (npm `latest`, `next` ...) -> version.'),
    latest_version: versionOf.describe("The registry's notion of latest stable."),
    latest_prerelease: versionOf.describe('The highest prerelease newer than latest_version, if any.'),
    version_count: z.number().int(),
    fetched_at: dateTime.describe('When the registry last confirmed this copy.'),
    is_stale: z.boolean().describe('Older than the cache TTL, or served because a refresh failed upstream.'),
  }),
);

const versionSummaryShape = {
  ecosystem,
  name: z.string(),
  version: z.string(),
  purl: z.string(),
  release_date: dateTime.nullable(),
  status: lowerEnum(VERSION_STATUSES),
  prerelease: z.boolean(),
  yanked: z.boolean().describe('Yanked, retracted or unpublished.'),
  deprecated: z.boolean(),
  deprecated_message: z.string().nullable(),
};

export const VersionSummary = component('VersionSummary', 'One version in a version list.', z.object(versionSummaryShape));

export const Dependency = component(
  'Dependency',
  'A dependency as declared (constraint in the ecosystem\'s own syntax).',
  z.object({
    name: z.string(),
    package_name: z.string().describe('The registry package it installs (differs from name for npm aliases).'),
    constraint: z.string(),
    kind: lowerEnum(DEPENDENCY_KINDS),
    optional: z.boolean(),
    bundled: z.boolean(),
  }),
);

const versionDetailsShape = {
  ...versionSummaryShape,
  description: z.string().nullable(),
  license: License.nullable(),
  keywords: z.array(z.string()),
  maintainers: z.array(Person),
  author: Person.nullable(),
  links: Links,
  checksums,
  size_bytes: z.number().nullable(),
  artifact_url: z.string().nullable(),
  engines: keyedBy('name', 'constraint').describe('Runtime requirements, e.g. {"node": ">=18"}.'),
  dependencies: z.array(Dependency),
};

export const VersionDetails = component('VersionDetails', 'One version, as stored in the document store.', z.object(versionDetailsShape));

export const VersionFull = component(
  'VersionFull',
  'One version plus its extended data: the raw upstream document from the blob store.',
  z.object({ ...versionDetailsShape, extended: z.unknown().describe('The raw upstream document of this version (null when none is stored).') }),
);

export const NormalizedDependency = component(
  'NormalizedDependency',
  'A dependency in the normalized format.',
  z.object({ name: z.string(), constraint: z.string(), ecosystem, optional: z.boolean() }),
);

/** The original Scout Registry's normalized format, key for key and in its order. */
export const Normalized = component(
  'Normalized',
  "The original Scout Registry's cross-ecosystem normalized format.",
  z.object({
    ecosystem,
    name: z.string(),
    version: z.string(),
    license: License.nullable(),
    release_date: dateTime.nullable(),
    status: z.object({ deprecated: z.boolean(), yanked: z.boolean(), prerelease: z.boolean(), deprecated_message: z.string().nullable() }),
    maintainers: z.array(Person),
    author: Person.nullable(),
    dependencies: z.object({
      runtime: z.array(NormalizedDependency),
      development: z.array(NormalizedDependency),
      optional: z.array(NormalizedDependency),
      build: z.array(NormalizedDependency),
      peer: z.array(NormalizedDependency),
    }),
    links: Links,
    checksums,
    size_bytes: z.number().nullable(),
    keywords: z.array(z.string()),
    description: z.string().nullable(),
  }),
);

export const SourceArchive = component(
  'SourceArchive',
  'A source archive in the blob store (sourceFiles/{ecosystem}/{name}/{version}.{ext}).',
  z.object({
    status: lowerEnum(SOURCE_STATUSES).describe('none: not archived yet; stored: in the blob store, digest checked; failed: the last attempt failed (see error).'),
    key: z.string().nullable(),
    url: z.string().nullable().describe('Where it was downloaded from.'),
    size: z.number().nullable(),
    algorithm: z.string().nullable(),
    digest: z.string().nullable().describe('Lower-case hex digest of the stored bytes.'),
    verified: z.boolean().describe("The digest matched the registry's."),
    stored_at: dateTime.nullable(),
    error: z.string().nullable(),
  }),
);

export const VersionList = component(
  'VersionList',
  'Every version of a package (yanked ones included), newest first.',
  z.object({ ecosystem, name: z.string(), count: z.number().int(), versions: z.array(VersionSummary) }),
);

export const SearchResults = component(
  'SearchResults',
  'Packages already in the store matching the query, ranked.',
  z.object({
    query: z.string(),
    ecosystem: z.enum(ECOSYSTEM_IDS).nullable(),
    limit: z.number().int(),
    offset: z.number().int(),
    total: z.number().int(),
    has_more: z.boolean(),
    results: z.array(PackageSummary),
  }),
);

export const BulkResults = component(
  'BulkResults',
  'One entry per requested item, in the order asked; data is a PackageSummary for `eco:name` and a VersionDetails for `eco:name:version`, null when not found.',
  z.object({
    count: z.number().int(),
    results: z.array(
      z.object({
        request: z.string(),
        ecosystem: z.enum(ECOSYSTEM_IDS),
        name: z.string(),
        version: z.string().nullable(),
        found: z.boolean(),
        data: z.union([PackageSummary, VersionDetails]).nullable(),
      }),
    ),
  }),
);

const counts = { packages: z.number().int(), versions: z.number().int(), sources: z.number().int(), source_bytes: z.number() };

export const Stats = component(
  'Stats',
  'What the store holds, per ecosystem, and which backends hold it.',
  z.object({
    ...counts,
    ecosystems: z
      .array(z.object({ ecosystem, ...counts }))
      .transform((rows) => Object.fromEntries(rows.map(({ ecosystem: id, ...rest }) => [id, rest])))
      .pipe(z.record(z.string(), z.object(counts)))
      .describe('Per ecosystem id (only those with stored packages).'),
    backends: z.object({ documents: z.string(), blobs: z.string() }),
  }),
);

export const REST_ERROR_CODES = [
  'INVALID_INPUT', 'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED',
  'UPSTREAM_INVALID', 'UPSTREAM_UNAVAILABLE', 'NOT_IMPLEMENTED', 'INTERNAL',
] as const;
export type RestErrorCode = (typeof REST_ERROR_CODES)[number];

export const ErrorBody = component(
  'Error',
  'Every error: the code (as in GraphQL extensions.code, plus NOT_FOUND and METHOD_NOT_ALLOWED) and a message saying what went wrong.',
  z.object({ error: z.object({ code: z.enum(REST_ERROR_CODES), message: z.string() }) }),
);
