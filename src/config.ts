import path from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { ECOSYSTEM_IDS, type EcosystemId } from './ecosystems/ids.js';
import { DEFAULT_LIMITS, DEFAULT_BASE_URLS } from './http/limits.js';

export interface UpstreamConfig {
  baseUrl: string;
  /** Minimum seconds between two requests to this registry (Bottleneck minTime). */
  rateLimit: number;
  concurrency: number;
}

export interface Config {
  apiHost: string;
  apiPort: number;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seconds a stored package counts as fresh. */
  cacheTtl: number;
  /** Seconds an upstream 404 is remembered. */
  negativeCacheTtl: number;
  http: {
    connectTimeoutMs: number;
    timeoutMs: number;
    retries: number;
    retryBaseDelayMs: number;
    /** Longest single wait, including a Retry-After; a longer Retry-After fails fast with RATE_LIMITED. */
    maxRetryDelayMs: number;
    maxResponseBytes: number;
    userAgent: string;
  };
  upstreams: Record<EcosystemId, UpstreamConfig>;
  /** Production document store; the embedded SQLite store when null. */
  mongo: { uri: string; database: string } | null;
  /** Production blob store; the embedded folder when null. */
  s3: { bucket: string; region: string; endpoint: string | null; forcePathStyle: boolean; prefix: string } | null;
  /** Largest source archive stored (bytes). */
  maxSourceBytes: number;
  /** API keys; when non-empty, mutations need `Authorization: Bearer <key>`. */
  apiKeys: string[];
  /** Every read needs an API key too (SCOUT_REGISTRY_REQUIRE_AUTH); health, metrics and docs stay open. */
  requireAuth: boolean;
  /** OSV vulnerability data: the API (online) or only what `osv import` loaded (offline). */
  osv: { baseUrl: string; mode: 'online' | 'offline'; /** Seconds a per-version OSV answer is fresh. */ ttl: number };
  /** Checked before any resolver runs. */
  operationLimits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number; introspection: boolean };
  /** Requests per minute per client (API key, else IP); 0 = no limit. */
  clientRateLimit: number;
  /** Only allow-listed operations (a graphql-codegen persisted-documents.json) run over /graphql. */
  persisted: { only: boolean; documentsFile: string | null };
  /** Automatic persisted queries (Apollo's extensions.persistedQuery): documents remembered by hash, LRU of `maxEntries`. */
  apq: { enabled: boolean; maxEntries: number };
  /** Origins browsers may call from: `*` (any, without credentials), a list (with credentials), or none. */
  cors: { origins: '*' | string[] };
  /** Registries that use more than one host. */
  extraUpstreams: {
    /** crates.io sparse index (Cargo's own CDN-backed endpoint; its own limiter as `cargo-index`). */
    cargoIndex: UpstreamConfig;
    /** Maven Central search (solrsearch), used only for search. */
    mavenSearchUrl: string;
    /** Hex repository (release tarballs). */
    hexRepoUrl: string;
    /** Also read Packagist's `~dev.json` (dev-* branches). */
    packagistDevVersions: boolean;
  };
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const seconds = z.coerce.number({ error: 'expected a number of seconds' }).nonnegative({ error: 'expected a number of seconds >= 0' });
const positiveInt = z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).positive({ error: 'expected a whole number > 0' });
const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const baseSchema = z.object({
  SCOUT_REGISTRY_API_HOST: z.string().min(1).default('0.0.0.0'),
  SCOUT_REGISTRY_API_PORT: z.coerce.number({ error: 'expected a port number' }).int().min(0, { error: 'expected a port 0-65535' }).max(65535, { error: 'expected a port 0-65535' }).default(8001),
  SCOUT_REGISTRY_DATA_DIR: z.string().min(1).default('./data'),
  SCOUT_REGISTRY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  SCOUT_REGISTRY_CACHE_TTL: seconds.default(3600),
  SCOUT_REGISTRY_NEGATIVE_CACHE_TTL: seconds.default(300),
  SCOUT_REGISTRY_HTTP_CONNECT_TIMEOUT: seconds.default(10),
  SCOUT_REGISTRY_HTTP_TIMEOUT: seconds.default(60),
  SCOUT_REGISTRY_HTTP_RETRIES: z.coerce.number({ error: 'expected a whole number' }).int().min(0).max(10, { error: 'expected at most 10' }).default(3),
  SCOUT_REGISTRY_HTTP_RETRY_BASE_DELAY: seconds.default(0.5),
  SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY: seconds.default(30),
  SCOUT_REGISTRY_MAX_RESPONSE_BYTES: positiveInt.default(200 * 1024 * 1024),
  SCOUT_REGISTRY_CONTACT: z.string().trim().min(1).max(200).optional(),
  SCOUT_REGISTRY_CARGO_INDEX_URL: url.default('https://index.crates.io'),
  SCOUT_REGISTRY_CARGO_INDEX_RATE_LIMIT: seconds.default(0),
  SCOUT_REGISTRY_CARGO_INDEX_CONCURRENCY: positiveInt.default(8),
  SCOUT_REGISTRY_MAVEN_SEARCH_URL: url.default('https://search.maven.org'),
  SCOUT_REGISTRY_HEX_REPO_URL: url.default('https://repo.hex.pm'),
  SCOUT_REGISTRY_PACKAGIST_DEV_VERSIONS: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).default('false'),
  SCOUT_REGISTRY_MONGODB_URI: z.string().trim().regex(/^mongodb(\+srv)?:\/\/.+/, { error: 'expected a mongodb:// or mongodb+srv:// URI' }).optional(),
  SCOUT_REGISTRY_MONGODB_DATABASE: z.string().trim().regex(/^[^/\\. "$*<>:|?]{1,63}$/, { error: 'expected a MongoDB database name (1-63 chars, none of /\\. "$*<>:|?)' }).default('scout_registry'),
  SCOUT_REGISTRY_S3_BUCKET: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)' }).optional(),
  SCOUT_REGISTRY_S3_REGION: z.string().trim().min(1).default('us-east-1'),
  SCOUT_REGISTRY_S3_ENDPOINT: url.optional(),
  SCOUT_REGISTRY_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).optional(),
  SCOUT_REGISTRY_S3_PREFIX: z.string().trim().regex(/^([A-Za-z0-9._-]+\/)*$/, { error: 'expected empty or path segments ending in /' }).default(''),
  SCOUT_REGISTRY_MAX_SOURCE_BYTES: positiveInt.default(512 * 1024 * 1024),
  SCOUT_REGISTRY_API_KEYS: z.string().optional(),
  SCOUT_REGISTRY_OSV_URL: url.default('https://api.osv.dev'),
  SCOUT_REGISTRY_OSV_MODE: z.enum(['online', 'offline'], { error: 'expected online or offline' }).default('online'),
  SCOUT_REGISTRY_OSV_TTL: seconds.default(3600),
  SCOUT_REGISTRY_MAX_DEPTH: positiveInt.default(25),
  SCOUT_REGISTRY_MAX_ALIASES: z.coerce.number({ error: 'expected a whole number' }).int().min(0, { error: 'expected a whole number >= 0' }).default(100),
  SCOUT_REGISTRY_MAX_COST: positiveInt.default(200_000),
  SCOUT_REGISTRY_MAX_TOKENS: positiveInt.default(10_000),
  SCOUT_REGISTRY_INTROSPECTION: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).default('true'),
  SCOUT_REGISTRY_PERSISTED_ONLY: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).default('false'),
  SCOUT_REGISTRY_PERSISTED_DOCUMENTS: z.string().trim().min(1).optional(),
  SCOUT_REGISTRY_CLIENT_RATE_LIMIT: z.coerce.number({ error: 'expected a whole number' }).int().min(0, { error: 'expected a whole number >= 0' }).default(0),
  SCOUT_REGISTRY_REQUIRE_AUTH: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).default('false'),
  SCOUT_REGISTRY_APQ: z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' }).default('true'),
  SCOUT_REGISTRY_APQ_CACHE_SIZE: positiveInt.default(1000),
  SCOUT_REGISTRY_CORS_ORIGINS: z
    .string()
    .trim()
    .default('*')
    .refine((v) => v === '*' || v === 'none' || v.split(',').every((origin) => /^https?:\/\/[^/\s,]+$/.test(origin.trim())), {
      error: 'expected *, none, or comma-separated origins such as https://app.example.com (scheme://host[:port], no path)',
    }),
});

function upstreamSchema(id: EcosystemId, defaultUrl: string) {
  const prefix = `SCOUT_REGISTRY_${id.toUpperCase()}_`;
  const limits = DEFAULT_LIMITS[id];
  return z.object({
    [`${prefix}URL`]: url.default(defaultUrl),
    [`${prefix}RATE_LIMIT`]: seconds.default(limits.rateLimit),
    [`${prefix}CONCURRENCY`]: positiveInt.default(limits.concurrency),
  });
}

/** The registry npm itself is configured with here (npm sets npm_config_registry for `npm start`; .npmrc otherwise). */
export function npmConfiguredRegistry(env: Env): string {
  const fromNpm = env.npm_config_registry;
  if (fromNpm && /^https?:\/\//.test(fromNpm)) return fromNpm;
  const require = createRequire(import.meta.url);
  const registryUrl = require('registry-url') as unknown;
  if (typeof registryUrl === 'function') return String((registryUrl as () => string)());
  if (registryUrl && typeof registryUrl === 'object' && 'default' in registryUrl && typeof registryUrl.default === 'function') {
    return String((registryUrl.default as () => string)());
  }
  throw new Error('registry-url did not export a function');
}

/** Reads SCOUT_REGISTRY_* from `env`; throws ConfigError naming each bad variable and what it expects. */
export function loadConfig(env: Env = process.env): Config {
  const issues: string[] = [];
  const base = baseSchema.safeParse(env);
  if (!base.success) {
    for (const issue of base.error.issues) issues.push(`${String(issue.path[0])}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`);
  }
  const upstreams = {} as Record<EcosystemId, UpstreamConfig>;
  for (const id of ECOSYSTEM_IDS) {
    const defaultUrl = id === 'npm' && !env.SCOUT_REGISTRY_NPM_URL ? npmConfiguredRegistry(env) : DEFAULT_BASE_URLS[id];
    const parsed = upstreamSchema(id, defaultUrl).safeParse(env);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(`${String(issue.path[0])}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`);
      continue;
    }
    const prefix = `SCOUT_REGISTRY_${id.toUpperCase()}_`;
    const values = parsed.data as Record<string, string | number>;
    upstreams[id] = {
      baseUrl: String(values[`${prefix}URL`]).replace(/\/+$/, ''),
      rateLimit: Number(values[`${prefix}RATE_LIMIT`]),
      concurrency: Number(values[`${prefix}CONCURRENCY`]),
    };
  }
  if (base.success && ['true', '1'].includes(base.data.SCOUT_REGISTRY_PERSISTED_ONLY) && !base.data.SCOUT_REGISTRY_PERSISTED_DOCUMENTS) {
    issues.push('SCOUT_REGISTRY_PERSISTED_ONLY=true needs SCOUT_REGISTRY_PERSISTED_DOCUMENTS: the path of a persisted-documents.json (e.g. the one `npm run codegen` writes to examples/generated/)');
  }
  if (base.success && ['true', '1'].includes(base.data.SCOUT_REGISTRY_REQUIRE_AUTH) && !(base.data.SCOUT_REGISTRY_API_KEYS ?? '').split(',').some((key) => key.trim())) {
    issues.push('SCOUT_REGISTRY_REQUIRE_AUTH=true needs SCOUT_REGISTRY_API_KEYS: the comma-separated keys clients send as Authorization: Bearer <key>');
  }
  if (issues.length > 0 || !base.success) throw new ConfigError(issues);
  const b = base.data;
  return {
    apiHost: b.SCOUT_REGISTRY_API_HOST,
    apiPort: b.SCOUT_REGISTRY_API_PORT,
    dataDir: path.resolve(b.SCOUT_REGISTRY_DATA_DIR),
    logLevel: b.SCOUT_REGISTRY_LOG_LEVEL,
    cacheTtl: b.SCOUT_REGISTRY_CACHE_TTL,
    negativeCacheTtl: b.SCOUT_REGISTRY_NEGATIVE_CACHE_TTL,
    http: {
      connectTimeoutMs: b.SCOUT_REGISTRY_HTTP_CONNECT_TIMEOUT * 1000,
      timeoutMs: b.SCOUT_REGISTRY_HTTP_TIMEOUT * 1000,
      retries: b.SCOUT_REGISTRY_HTTP_RETRIES,
      retryBaseDelayMs: b.SCOUT_REGISTRY_HTTP_RETRY_BASE_DELAY * 1000,
      maxRetryDelayMs: b.SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY * 1000,
      maxResponseBytes: b.SCOUT_REGISTRY_MAX_RESPONSE_BYTES,
      // crates.io's crawler policy asks for a User-Agent naming the tool and a contact.
      userAgent: `scout-registry/0.1 (+https://github.com/scout-registry/scout-registry${b.SCOUT_REGISTRY_CONTACT ? `; ${b.SCOUT_REGISTRY_CONTACT}` : ''})`,
    },
    upstreams,
    mongo: b.SCOUT_REGISTRY_MONGODB_URI ? { uri: b.SCOUT_REGISTRY_MONGODB_URI, database: b.SCOUT_REGISTRY_MONGODB_DATABASE } : null,
    s3: b.SCOUT_REGISTRY_S3_BUCKET
      ? {
          bucket: b.SCOUT_REGISTRY_S3_BUCKET,
          region: b.SCOUT_REGISTRY_S3_REGION,
          endpoint: b.SCOUT_REGISTRY_S3_ENDPOINT ?? null,
          // MinIO and most self-hosted S3 APIs need path-style addressing; AWS itself prefers virtual hosts.
          forcePathStyle: b.SCOUT_REGISTRY_S3_FORCE_PATH_STYLE ? ['true', '1'].includes(b.SCOUT_REGISTRY_S3_FORCE_PATH_STYLE) : Boolean(b.SCOUT_REGISTRY_S3_ENDPOINT),
          prefix: b.SCOUT_REGISTRY_S3_PREFIX,
        }
      : null,
    maxSourceBytes: b.SCOUT_REGISTRY_MAX_SOURCE_BYTES,
    osv: { baseUrl: b.SCOUT_REGISTRY_OSV_URL.replace(/\/+$/, ''), mode: b.SCOUT_REGISTRY_OSV_MODE, ttl: b.SCOUT_REGISTRY_OSV_TTL },
    operationLimits: {
      maxDepth: b.SCOUT_REGISTRY_MAX_DEPTH,
      maxAliases: b.SCOUT_REGISTRY_MAX_ALIASES,
      maxCost: b.SCOUT_REGISTRY_MAX_COST,
      maxTokens: b.SCOUT_REGISTRY_MAX_TOKENS,
      introspection: ['true', '1'].includes(b.SCOUT_REGISTRY_INTROSPECTION),
    },
    clientRateLimit: b.SCOUT_REGISTRY_CLIENT_RATE_LIMIT,
    persisted: { only: ['true', '1'].includes(b.SCOUT_REGISTRY_PERSISTED_ONLY), documentsFile: b.SCOUT_REGISTRY_PERSISTED_DOCUMENTS ? path.resolve(b.SCOUT_REGISTRY_PERSISTED_DOCUMENTS) : null },
    apq: { enabled: ['true', '1'].includes(b.SCOUT_REGISTRY_APQ), maxEntries: b.SCOUT_REGISTRY_APQ_CACHE_SIZE },
    cors: { origins: b.SCOUT_REGISTRY_CORS_ORIGINS === '*' ? '*' : b.SCOUT_REGISTRY_CORS_ORIGINS === 'none' ? [] : b.SCOUT_REGISTRY_CORS_ORIGINS.split(',').map((origin) => origin.trim()) },
    apiKeys: (b.SCOUT_REGISTRY_API_KEYS ?? '').split(',').map((key) => key.trim()).filter((key) => key.length > 0),
    requireAuth: ['true', '1'].includes(b.SCOUT_REGISTRY_REQUIRE_AUTH),
    extraUpstreams: {
      cargoIndex: {
        baseUrl: b.SCOUT_REGISTRY_CARGO_INDEX_URL.replace(/\/+$/, ''),
        rateLimit: b.SCOUT_REGISTRY_CARGO_INDEX_RATE_LIMIT,
        concurrency: b.SCOUT_REGISTRY_CARGO_INDEX_CONCURRENCY,
      },
      mavenSearchUrl: b.SCOUT_REGISTRY_MAVEN_SEARCH_URL.replace(/\/+$/, ''),
      hexRepoUrl: b.SCOUT_REGISTRY_HEX_REPO_URL.replace(/\/+$/, ''),
      packagistDevVersions: ['true', '1'].includes(b.SCOUT_REGISTRY_PACKAGIST_DEV_VERSIONS),
    },
  };
}

/** The config table for the README: variable, default, meaning. Kept next to the schema so they agree. */
export const CONFIG_DOC: ReadonlyArray<[string, string, string]> = [
  ['SCOUT_REGISTRY_API_HOST', '0.0.0.0', 'Interface the HTTP server listens on'],
  ['SCOUT_REGISTRY_API_PORT', '8001', 'Port of the HTTP server (GraphQL at /graphql)'],
  ['SCOUT_REGISTRY_DATA_DIR', './data', 'Embedded store: SQLite file and blob folder'],
  ['SCOUT_REGISTRY_LOG_LEVEL', 'info', 'pino log level'],
  ['SCOUT_REGISTRY_CACHE_TTL', '3600', 'Seconds a stored package is fresh; older copies are served and refreshed in the background'],
  ['SCOUT_REGISTRY_NEGATIVE_CACHE_TTL', '300', 'Seconds an upstream 404 is remembered'],
  ['SCOUT_REGISTRY_HTTP_CONNECT_TIMEOUT', '10', 'Seconds to connect to an upstream'],
  ['SCOUT_REGISTRY_HTTP_TIMEOUT', '60', 'Seconds for a whole upstream request (headers and body)'],
  ['SCOUT_REGISTRY_HTTP_RETRIES', '3', 'Retries on 429, 5xx and network errors'],
  ['SCOUT_REGISTRY_HTTP_RETRY_BASE_DELAY', '0.5', 'Base of the exponential backoff (seconds, full jitter)'],
  ['SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY', '30', 'Cap of one wait; a longer Retry-After fails at once with RATE_LIMITED'],
  ['SCOUT_REGISTRY_MAX_RESPONSE_BYTES', '209715200', 'Largest upstream body accepted (after decompression)'],
  ['SCOUT_REGISTRY_MONGODB_URI', '(none: embedded SQLite)', 'MongoDB connection string; when set, documents live in MongoDB'],
  ['SCOUT_REGISTRY_MONGODB_DATABASE', 'scout_registry', 'MongoDB database name'],
  ['SCOUT_REGISTRY_S3_BUCKET', '(none: embedded folder)', 'S3 bucket; when set, raw data and source archives live in S3'],
  ['SCOUT_REGISTRY_S3_REGION', 'us-east-1', 'S3 region (credentials come from the standard AWS chain)'],
  ['SCOUT_REGISTRY_S3_ENDPOINT', '(AWS)', 'S3 API endpoint for MinIO and other S3-compatible stores'],
  ['SCOUT_REGISTRY_S3_FORCE_PATH_STYLE', 'true when an endpoint is set', 'Path-style bucket addressing'],
  ['SCOUT_REGISTRY_S3_PREFIX', '(empty)', 'Key prefix inside the bucket, e.g. `scout/`'],
  ['SCOUT_REGISTRY_MAX_SOURCE_BYTES', '536870912', 'Largest source archive stored'],
  ['SCOUT_REGISTRY_API_KEYS', '(none)', 'Comma-separated API keys; when set, mutations need `Authorization: Bearer <key>`'],
  ['SCOUT_REGISTRY_REQUIRE_AUTH', 'false', 'Reads need an API key too (GraphQL and REST); health probes, metrics, docs and the GraphiQL page stay open'],
  ['SCOUT_REGISTRY_OSV_URL', 'https://api.osv.dev', 'OSV API (vulnerabilities): querybatch and vulns by id'],
  ['SCOUT_REGISTRY_OSV_MODE', 'online', '`online` asks the OSV API; `offline` answers only from dumps loaded with `scout-registry osv import`'],
  ['SCOUT_REGISTRY_OSV_TTL', '3600', 'Seconds a stored per-version OSV answer is fresh (records are cached by id and `modified`)'],
  ['SCOUT_REGISTRY_MAX_DEPTH', '25', 'Deepest selection an operation may have'],
  ['SCOUT_REGISTRY_MAX_ALIASES', '100', 'Most aliases in one operation'],
  ['SCOUT_REGISTRY_MAX_COST', '200000', 'Cost budget of one operation (fields x list sizes; upstream-capable fields cost 10)'],
  ['SCOUT_REGISTRY_MAX_TOKENS', '10000', 'Most tokens in one GraphQL document'],
  ['SCOUT_REGISTRY_INTROSPECTION', 'true', 'Schema introspection (GraphiQL, codegen); false turns it off'],
  ['SCOUT_REGISTRY_PERSISTED_ONLY', 'false', 'Only operations from the persisted-documents allow-list run over /graphql'],
  ['SCOUT_REGISTRY_PERSISTED_DOCUMENTS', '(none)', 'Path of the allow-list: a graphql-codegen persisted-documents.json'],
  ['SCOUT_REGISTRY_CLIENT_RATE_LIMIT', '0', 'Requests per minute per client (API key, else IP); 0 = off'],
  ['SCOUT_REGISTRY_APQ', 'true', 'Automatic persisted queries (Apollo Client, urql): documents remembered by their SHA-256; off with PERSISTED_ONLY'],
  ['SCOUT_REGISTRY_APQ_CACHE_SIZE', '1000', 'Most documents remembered for automatic persisted queries (least recently used dropped)'],
  ['SCOUT_REGISTRY_CORS_ORIGINS', '*', 'Origins browsers may call from: `*` (any, no credentials), comma-separated origins, or `none`'],
  ['SCOUT_REGISTRY_CONTACT', '(none)', 'Contact (e-mail or URL) added to the User-Agent, as the crates.io crawler policy asks'],
  ['SCOUT_REGISTRY_CARGO_INDEX_URL', 'https://index.crates.io', 'crates.io sparse index (versions, dependencies, checksums)'],
  ['SCOUT_REGISTRY_CARGO_INDEX_RATE_LIMIT', '0', 'Seconds between two sparse-index requests (CDN-backed, no crawler limit)'],
  ['SCOUT_REGISTRY_CARGO_INDEX_CONCURRENCY', '8', 'Sparse-index requests in flight at once'],
  ['SCOUT_REGISTRY_HEX_REPO_URL', 'https://repo.hex.pm', 'Hex repository serving release tarballs'],
  ['SCOUT_REGISTRY_PACKAGIST_DEV_VERSIONS', 'false', 'Also read Packagist ~dev.json (dev-* branches)'],
  ['SCOUT_REGISTRY_MAVEN_SEARCH_URL', 'https://search.maven.org', 'Maven Central search API (search only)'],
  ['SCOUT_REGISTRY_<ECO>_URL', 'see src/http/limits.ts', 'Upstream base URL per ecosystem; npm defaults to the registry npm is configured with'],
  ['SCOUT_REGISTRY_<ECO>_RATE_LIMIT', 'see src/http/limits.ts', 'Seconds between two requests to that registry'],
  ['SCOUT_REGISTRY_<ECO>_CONCURRENCY', 'see src/http/limits.ts', 'Requests in flight at once to that registry'],
];
