import { z } from 'zod';
import { ECOSYSTEM_IDS, type EcosystemId } from '../ecosystems/ids.js';
import { MAX_BULK_REFS, encodeCursor } from '../schema/args.js';
import { RestError } from './errors.js';
import { operations, type Operation } from './operations.js';
import * as shapes from './shapes.js';

/**
 * The route table: one entry per REST route, with its path, method, params (zod), summary and the
 * persisted GraphQL operation it executes. The router, the OpenAPI document and the docs page are
 * all generated from this table. A route only turns params into variables and the operation's
 * result into a body (404 on null): the logic lives behind the GraphQL schema, once.
 */

export type HttpMethod = 'GET' | 'POST';
export type Variables = Record<string, unknown>;

/** Executes a persisted operation in the request's GraphQL context; GraphQL errors become RestErrors. */
export interface Runner {
  run<S extends z.ZodType>(operation: Operation<S>, variables: Variables): Promise<z.output<S>>;
}

export interface Reply {
  body: unknown;
}

/** Reads: shared caches may keep the answer `maxAge` seconds (0: revalidate every time, with the ETag). */
export type CachePolicy = { maxAge: number } | 'no-store';

interface Call<P> {
  params: P;
  variables: Variables;
  runner: Runner;
}

interface RouteSpec<P extends z.ZodObject, S extends z.ZodType> {
  id: string;
  method: HttpMethod;
  /** Relative to /api/v1. `{name}` follows the name forms of the router (scoped npm, vendor/package, ...). */
  path: `/${string}`;
  summary: string;
  description: string;
  /** Path and query parameters, as strings in; the keys of the path template are path parameters. */
  params: P;
  operation: Operation<S>;
  variables: (params: z.output<P>) => Variables;
  respond: (data: z.output<S>, call: Call<z.output<P>>) => Reply | Promise<Reply>;
  /** A failed operation, before it becomes the answer (e.g. a missing version behind INVALID_INPUT). */
  recover?: (error: RestError, call: Call<z.output<P>>) => Promise<Reply>;
  /** The 2xx body (OpenAPI). */
  response: z.ZodType;
  cache: CachePolicy;
  /** Example paths (docs page). */
  examples: string[];
}

/** A route with its params validated and its variables built, ready to execute. */
export interface BoundRoute {
  route: Route;
  params: Record<string, unknown>;
  variables: Variables;
  execute(runner: Runner): Promise<Reply>;
}

export interface Route {
  id: string;
  method: HttpMethod;
  path: `/${string}`;
  summary: string;
  description: string;
  params: z.ZodObject;
  operation: Operation;
  response: z.ZodType;
  cache: CachePolicy;
  examples: string[];
  bind(raw: Record<string, string>): BoundRoute;
}

/** The first zod issue as an INVALID_INPUT naming the parameter. */
function invalidParams(error: z.ZodError): RestError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return new RestError('INVALID_INPUT', `${where}${issue?.message ?? 'invalid parameters'}`);
}

function defineRoute<P extends z.ZodObject, S extends z.ZodType>(spec: RouteSpec<P, S>): Route {
  const route: Route = {
    id: spec.id,
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    params: spec.params,
    operation: spec.operation,
    response: spec.response,
    cache: spec.cache,
    examples: spec.examples,
    bind(raw) {
      const parsed = spec.params.safeParse(raw);
      if (!parsed.success) throw invalidParams(parsed.error);
      const params = parsed.data as z.output<P>;
      const variables = spec.variables(params);
      return {
        route,
        params: params as Record<string, unknown>,
        variables,
        async execute(runner) {
          const call = { params, variables, runner };
          let data: z.output<S>;
          try {
            data = await runner.run(spec.operation, variables);
          } catch (error) {
            if (spec.recover && error instanceof RestError) return spec.recover(error, call);
            throw error;
          }
          return spec.respond(data, call);
        },
      };
    },
  };
  return route;
}

const READ: CachePolicy = { maxAge: 60 };
const ecosystem = z.enum(ECOSYSTEM_IDS).describe('Registry id (lower case).');
const name = z
  .string()
  .min(1)
  .describe('Package name as the registry spells it. Scoped npm names: `@scope/name` as two segments or encoded as one (`%40scope%2Fname`).');
const version = z.string().min(1).describe('An exact version, or a dist-tag such as `latest`.');
const packageParams = z.object({ ecosystem, name });
const versionParams = z.object({ ecosystem, name, version });
type PackageParams = z.output<typeof packageParams>;
type VersionParams = z.output<typeof versionParams>;

/** GraphQL enum values are the upper-case names (`NPM`). */
const enumValue = (id: EcosystemId) => id.toUpperCase();
const packageVariables = (p: PackageParams): Variables => ({ ecosystem: enumValue(p.ecosystem), name: p.name });
const versionVariables = (p: VersionParams): Variables => ({ ecosystem: enumValue(p.ecosystem), name: p.name, version: p.version });

const packageNotFound = (p: PackageParams) => new RestError('NOT_FOUND', `${p.ecosystem} package ${JSON.stringify(p.name)} not found`);
const versionNotFound = (p: VersionParams) => new RestError('NOT_FOUND', `${p.ecosystem} package ${JSON.stringify(p.name)} has no version ${JSON.stringify(p.version)}`);

/** `{package: {version: X} | null}` -> X, or the 404 that says which of the two is missing. */
function pickVersion<T>(data: { package: { version: T | null } | null }, p: VersionParams): T {
  if (!data.package) throw packageNotFound(p);
  if (data.package.version === null) throw versionNotFound(p);
  return data.package.version;
}

/** One page of the version connection per execution; the list route walks them all. */
const VERSION_PAGE_SIZE = 1000;

const SEARCH_MAX = 100;
const searchParams = z.object({
  q: z.string({ error: 'is required (the search text)' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'at most 200 characters' }).describe('Search text: name, name prefix, description and keywords.'),
  ecosystem: z.enum(ECOSYSTEM_IDS, { error: `expected one of ${ECOSYSTEM_IDS.join(', ')}` }).optional().describe('Only this registry.'),
  limit: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'must be >= 1' }).max(SEARCH_MAX, { error: `at most ${SEARCH_MAX}` }).default(20).describe(`Results per page (1-${SEARCH_MAX}, default 20).`),
  offset: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(0, { error: 'must be >= 0' }).max(1_000_000, { error: 'at most 1000000' }).default(0).describe('Results to skip.'),
});

export interface BulkEntry {
  request: string;
  ecosystem: EcosystemId;
  name: string;
  version: string | null;
}

/** `eco:name[:version]`; Maven names are `groupId:artifactId`, so a Maven entry has one more colon. */
function parseBulkEntry(text: string): BulkEntry | string {
  const colon = text.indexOf(':');
  const id = colon < 0 ? '' : text.slice(0, colon).toLowerCase();
  if (!(ECOSYSTEM_IDS as readonly string[]).includes(id)) return `unknown ecosystem ${JSON.stringify(text.slice(0, Math.max(colon, 0)))}: expected eco:name[:version] with eco one of ${ECOSYSTEM_IDS.join(', ')}`;
  const eco = id as EcosystemId;
  const parts = text.slice(colon + 1).split(':');
  const nameParts = eco === 'maven' ? 2 : 1;
  const entryName = parts.slice(0, nameParts).join(':');
  const entryVersion = parts.length > nameParts ? parts.slice(nameParts).join(':') : null;
  if (parts.length < nameParts || parts.slice(0, nameParts).some((part) => part === '')) {
    return eco === 'maven' ? 'expected maven:groupId:artifactId[:version]' : `expected ${eco}:name[:version]`;
  }
  if (entryVersion === '') return 'the version after the last colon is empty';
  return { request: text, ecosystem: eco, name: entryName, version: entryVersion };
}

const bulkParams = z.object({
  packages: z
    .string({ error: 'is required: eco:name[:version],... (e.g. npm:lodash:4.17.21,pypi:requests)' })
    .transform((value, ctx) => {
      const items = value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
      if (items.length === 0) ctx.addIssue({ code: 'custom', message: 'no entries: eco:name[:version],...' });
      if (items.length > MAX_BULK_REFS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_BULK_REFS} entries (got ${items.length})` });
      const entries: BulkEntry[] = [];
      items.forEach((item, index) => {
        const entry = parseBulkEntry(item);
        if (typeof entry === 'string') ctx.addIssue({ code: 'custom', message: `entry ${index + 1} ${JSON.stringify(item)}: ${entry}` });
        else entries.push(entry);
      });
      return entries;
    })
    .describe(`Comma-separated \`eco:name\` (package summary) or \`eco:name:version\` (version details) entries, at most ${MAX_BULK_REFS}; Maven: \`maven:groupId:artifactId[:version]\`.`),
});

export const ROUTES: readonly Route[] = [
  defineRoute({
    id: 'searchPackages',
    method: 'GET',
    path: '/packages',
    summary: 'Search packages',
    description: 'Packages already in the store (no upstream request), ranked: exact name, then name prefix, then description and keyword relevance. Query.search.',
    params: searchParams,
    operation: operations.search,
    variables: (p) => ({
      query: p.q,
      ecosystem: p.ecosystem ? enumValue(p.ecosystem) : null,
      first: p.limit,
      // The connection's cursors are positions: `after` the one before the offset.
      after: p.offset > 0 ? encodeCursor(p.offset - 1) : null,
    }),
    respond: (data, { params }) => ({
      body: {
        query: params.q,
        ecosystem: params.ecosystem ?? null,
        limit: params.limit,
        offset: params.offset,
        total: data.search.totalCount,
        has_more: data.search.pageInfo.hasNextPage,
        results: data.search.edges.map((edge) => edge.node),
      },
    }),
    response: shapes.SearchResults,
    cache: READ,
    examples: ['/packages?q=yaml&ecosystem=npm&limit=10', '/packages?q=lodash&offset=20'],
  }),
  defineRoute({
    id: 'bulkLookup',
    method: 'GET',
    path: '/packages/bulk',
    summary: 'Bulk lookup',
    description: 'Many packages and versions in one request, in the order asked (Query.packages and Query.versions in one operation, batched). Missing ones have found: false.',
    params: bulkParams,
    operation: operations.bulk,
    variables: (p) => ({
      packages: p.packages.filter((entry) => entry.version === null).map((entry) => ({ ecosystem: enumValue(entry.ecosystem), name: entry.name })),
      versions: p.packages.filter((entry) => entry.version !== null).map((entry) => ({ ecosystem: enumValue(entry.ecosystem), name: entry.name, version: entry.version })),
    }),
    respond: (data, { params }) => {
      let nextPackage = 0;
      let nextVersion = 0;
      const results = params.packages.map((entry) => {
        const found = entry.version === null ? data.packages[nextPackage++] : data.versions[nextVersion++];
        return { ...entry, found: found != null, data: found ?? null };
      });
      return { body: { count: results.length, results } };
    },
    // `refs[i]` of Query.packages / Query.versions -> the entry as the client wrote it.
    recover: async (error, { params }) => {
      const index = /^refs\.(\d+)/.exec(error.details.field ?? '')?.[1];
      const list = error.details.path?.[0];
      if (error.code !== 'INVALID_INPUT' || index === undefined || (list !== 'packages' && list !== 'versions')) throw error;
      const entries = params.packages.filter((entry) => (list === 'packages' ? entry.version === null : entry.version !== null));
      const entry = entries[Number(index)];
      if (!entry) throw error;
      const position = params.packages.indexOf(entry) + 1;
      throw new RestError('INVALID_INPUT', `packages: entry ${position} ${JSON.stringify(entry.request)}: ${error.message.replace(/^refs\[\d+\]: /, '')}`);
    },
    response: shapes.BulkResults,
    cache: READ,
    examples: ['/packages/bulk?packages=npm:lodash:4.17.21,npm:@babel/core,pypi:requests:2.31.0'],
  }),
  defineRoute({
    id: 'getStats',
    method: 'GET',
    path: '/stats',
    summary: 'Database statistics',
    description: 'What the store holds, per ecosystem, and which backends hold it. Query.stats.',
    params: z.object({}),
    operation: operations.stats,
    variables: () => ({}),
    respond: (data) => ({ body: data.stats }),
    response: shapes.Stats,
    cache: { maxAge: 10 },
    examples: ['/stats'],
  }),
  defineRoute({
    id: 'getPackage',
    method: 'GET',
    path: '/{ecosystem}/{name}',
    summary: 'Package summary',
    description: 'The package from the store, fetched from its registry on a miss. Query.package.',
    params: packageParams,
    operation: operations.package,
    variables: packageVariables,
    respond: (data, { params }) => {
      if (!data.package) throw packageNotFound(params);
      return { body: data.package };
    },
    response: shapes.PackageSummary,
    cache: READ,
    examples: ['/npm/lodash', '/npm/@babel/core', '/pypi/requests', '/packagist/symfony/console', '/maven/org.apache.logging.log4j/log4j-core', '/go/github.com/gin-gonic/gin'],
  }),
  defineRoute({
    id: 'listVersions',
    method: 'GET',
    path: '/{ecosystem}/{name}/versions',
    summary: 'All versions',
    description: 'Every version, newest first, yanked and prerelease ones included (the original returns them all: the route walks Package.versions page by page).',
    params: packageParams,
    operation: operations.versions,
    variables: (p) => ({ ...packageVariables(p), first: VERSION_PAGE_SIZE, after: null }),
    respond: async (data, { params, variables, runner }) => {
      if (!data.package) throw packageNotFound(params);
      const versions = data.package.versions.edges.map((edge) => edge.node);
      let page = data.package.versions.pageInfo;
      while (page.hasNextPage && page.endCursor) {
        const next = await runner.run(operations.versions, { ...variables, after: page.endCursor });
        if (!next.package) throw packageNotFound(params);
        versions.push(...next.package.versions.edges.map((edge) => edge.node));
        page = next.package.versions.pageInfo;
      }
      return { body: { ecosystem: params.ecosystem, name: data.package.name, count: versions.length, versions } };
    },
    response: shapes.VersionList,
    cache: READ,
    examples: ['/npm/lodash/versions', '/go/github.com/gin-gonic/gin/versions'],
  }),
  defineRoute({
    id: 'getVersion',
    method: 'GET',
    path: '/{ecosystem}/{name}/{version}',
    summary: 'Version details',
    description: 'One version as stored: status, license, people, links, checksums, dependencies. Package.version.',
    params: versionParams,
    operation: operations.version,
    variables: versionVariables,
    respond: (data, { params }) => ({ body: pickVersion(data, params) }),
    response: shapes.VersionDetails,
    cache: READ,
    examples: ['/npm/lodash/4.17.21', '/npm/react/latest', '/packagist/symfony/console/v6.0.0', '/maven/org.apache.logging.log4j/log4j-core/2.17.0', '/go/github.com/gin-gonic/gin/@v/v1.9.0'],
  }),
  defineRoute({
    id: 'getVersionFull',
    method: 'GET',
    path: '/{ecosystem}/{name}/{version}/full',
    summary: 'Version + extended data',
    description: 'The version details plus `extended`: the raw upstream document of the version from the blob store ({ecosystem}/{name}/{version}.json). Version.extended.',
    params: versionParams,
    operation: operations.versionFull,
    variables: versionVariables,
    respond: (data, { params }) => ({ body: pickVersion(data, params) }),
    response: shapes.VersionFull,
    cache: READ,
    examples: ['/npm/lodash/4.17.21/full'],
  }),
  defineRoute({
    id: 'getNormalized',
    method: 'GET',
    path: '/{ecosystem}/{name}/{version}/normalized',
    summary: 'Cross-ecosystem normalized format',
    description: "The original Scout Registry's normalized format, key for key (snake_case, checksums keyed by algorithm). Version.normalized.",
    params: versionParams,
    operation: operations.normalized,
    variables: versionVariables,
    respond: (data, { params }) => ({ body: pickVersion(data, params) }),
    response: shapes.Normalized,
    cache: READ,
    examples: ['/npm/lodash/4.17.21/normalized', '/go/github.com/gin-gonic/gin/@v/v1.9.0/normalized'],
  }),
  defineRoute({
    id: 'refreshPackage',
    method: 'POST',
    path: '/{ecosystem}/{name}/refresh',
    summary: 'Force refresh from registry',
    description: 'Refetches the package now (conditional request). Needs `Authorization: Bearer <key>` when SCOUT_REGISTRY_API_KEYS is set. Mutation.refreshPackage.',
    params: packageParams,
    operation: operations.refresh,
    variables: packageVariables,
    respond: (data, { params }) => {
      if (!data.refreshPackage) throw packageNotFound(params);
      return { body: data.refreshPackage };
    },
    response: shapes.PackageSummary,
    cache: 'no-store',
    examples: ['/npm/lodash/refresh'],
  }),
  defineRoute({
    id: 'archiveSource',
    method: 'POST',
    path: '/{ecosystem}/{name}/{version}/source',
    summary: 'Download source to the blob store',
    description:
      "Streams the version's source archive into the blob store, checked against the registry's digest (502 with the reason when the download fails or does not match). Needs `Authorization: Bearer <key>` when SCOUT_REGISTRY_API_KEYS is set. Mutation.archiveSource.",
    params: versionParams,
    operation: operations.archiveSource,
    variables: versionVariables,
    respond: (data) => {
      const archive = data.archiveSource;
      if (archive.status === 'failed') throw new RestError('UPSTREAM_INVALID', `source archive failed: ${archive.error ?? 'unknown reason'}`);
      return { body: archive };
    },
    // archiveSource answers a missing version with INVALID_INPUT: ask which it was.
    recover: async (error, { params, variables, runner }) => {
      if (error.code !== 'INVALID_INPUT') throw error;
      pickVersion(await runner.run(operations.versionExists, variables), params);
      throw error;
    },
    response: shapes.SourceArchive,
    cache: 'no-store',
    examples: ['/npm/lodash/4.17.21/source'],
  }),
  defineRoute({
    id: 'getSource',
    method: 'GET',
    path: '/{ecosystem}/{name}/{version}/source',
    summary: 'Check source status',
    description: 'Whether the source archive is in the blob store (status none / stored / failed). Version.source.',
    params: versionParams,
    operation: operations.source,
    variables: versionVariables,
    respond: (data, { params }) => {
      const found = pickVersion(data, params);
      const none = { status: 'none' as const, key: null, url: null, size: null, algorithm: null, digest: null, verified: false, stored_at: null, error: null };
      return { body: found.source ?? none };
    },
    response: shapes.SourceArchive,
    // Changes on POST: caches must revalidate (cheap with the ETag).
    cache: { maxAge: 0 },
    examples: ['/npm/lodash/4.17.21/source'],
  }),
];
