import { createHash } from 'node:crypto';
import type http from 'node:http';
import { execute, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { bearerToken } from '../auth.js';
import { createContext, type ContextDeps, type GatewayContext } from '../context.js';
import { createErrorMasker } from '../errors-graphql.js';
import { buildSchema } from '../schema/index.js';
import { renderDocs } from './docs.js';
import { RestError } from './errors.js';
import { buildOpenApi } from './openapi.js';
import { operations, type Operation } from './operations.js';
import { API_PREFIX, matchRoute } from './router.js';
import type { CachePolicy, Runner, Variables } from './routes.js';
import { REST_ERROR_CODES, type RestErrorCode } from './shapes.js';
import { answerOptions, corsHeaders, type CorsOrigins } from '../web/cors.js';
import { compress, MIN_COMPRESSED_BYTES, negotiateEncoding, varyOn } from '../web/compress.js';

export const DOCS_PATH = '/docs';
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;

/** Retry-After for a RATE_LIMITED error whose upstream named no wait. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

export interface RestHandlerDeps {
  contextDeps: ContextDeps;
  logger: Logger;
  /** The schema /graphql serves (default: buildSchema(), the same cached instance). */
  schema?: GraphQLSchema;
  /** SCOUT_REGISTRY_CORS_ORIGINS (default `*`: public reads). */
  corsOrigins?: CorsOrigins;
}

export interface RestHandler {
  /** True for the paths this handler answers (/api/v1/..., /docs). */
  handles(path: string): boolean;
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}

interface Answer {
  status: number;
  body: string;
  contentType: string;
  cache: CachePolicy;
  headers?: Record<string, string>;
}

const isRestCode = (code: unknown): code is RestErrorCode => typeof code === 'string' && (REST_ERROR_CODES as readonly string[]).includes(code);

/** The masked GraphQL errors of one execution -> the RestError of the first (same code as /graphql gives). */
function fromGraphQLErrors(errors: readonly GraphQLError[], logger: Logger): RestError {
  const first = errors[0]!;
  const { code, retryAfter, field } = first.extensions ?? {};
  if (!isRestCode(code)) {
    // Validation or coercion of a persisted operation: a bug here, not the client's input.
    logger.error({ err: first, errors: errors.map((e) => e.message) }, 'REST operation failed without an error code');
    return new RestError('INTERNAL', 'Internal server error');
  }
  return new RestError(code, first.message, {
    ...(typeof retryAfter === 'number' ? { retryAfter } : {}),
    ...(typeof field === 'string' ? { field } : {}),
    ...(first.path ? { path: first.path } : {}),
  });
}

/** Runs persisted operations through graphql-js `execute` in one request context (one loader set). */
class ContextRunner implements Runner {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly context: GatewayContext,
    private readonly mask: (error: unknown) => Error,
    private readonly logger: Logger,
  ) {}

  async run<S extends z.ZodType>(operation: Operation<S>, variables: Variables): Promise<z.output<S>> {
    const result = await execute({ schema: this.schema, document: operation.document, operationName: operation.name, variableValues: variables, contextValue: this.context });
    if (result.errors && result.errors.length > 0) {
      throw fromGraphQLErrors(result.errors.map((error) => this.mask(error) as GraphQLError), this.logger);
    }
    const parsed = operation.data.safeParse(result.data);
    if (!parsed.success) {
      this.logger.error({ operation: operation.name, issues: parsed.error.issues.slice(0, 5) }, 'REST operation result does not have the expected shape');
      throw new RestError('INTERNAL', 'Internal server error');
    }
    return parsed.data;
  }
}

/** Every persisted operation must validate against the schema: checked once, at start-up. */
export function assertOperationsValid(schema: GraphQLSchema): void {
  const problems = Object.values(operations).flatMap((operation) => validate(schema, operation.document).map((error) => `${operation.name}: ${error.message}`));
  if (problems.length > 0) throw new Error(`REST operations do not match the schema:\n${problems.join('\n')}`);
}

/** Strong validator of the exact bytes sent. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match (weak comparison, as RFC 9110 asks for it): `*` or any listed tag. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}

function cacheControl(policy: CachePolicy): string {
  if (policy === 'no-store') return 'no-store';
  return policy.maxAge > 0 ? `public, max-age=${policy.maxAge}` : 'public, no-cache';
}

function errorAnswer(error: RestError): Answer {
  const headers: Record<string, string> = {};
  if (error.code === 'RATE_LIMITED' || (error.code === 'UPSTREAM_UNAVAILABLE' && error.details.retryAfter !== undefined)) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.details.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS)));
  }
  if (error.code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer realm="scout-registry"';
  if (error.details.allow) headers.allow = error.details.allow.join(', ');
  return {
    status: error.status,
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
    contentType: 'application/json; charset=utf-8',
    // A missing package is an answer like any read; anything else must not be kept.
    cache: error.code === 'NOT_FOUND' ? { maxAge: 60 } : 'no-store',
    headers,
  };
}

async function send(req: http.IncomingMessage, res: http.ServerResponse, answer: Answer, corsOrigins: CorsOrigins): Promise<void> {
  const cors = corsHeaders(corsOrigins, req.headers.origin);
  const headers: Record<string, string> = {
    'content-type': answer.contentType,
    'cache-control': cacheControl(answer.cache),
    'x-content-type-options': 'nosniff',
    ...cors,
    // The body depends on Accept-Encoding (and on Origin with an origin list): caches must key on them.
    vary: varyOn(cors.vary),
    ...answer.headers,
  };
  const cacheable = answer.cache !== 'no-store' && (req.method === 'GET' || req.method === 'HEAD');
  if (cacheable) {
    const etag = etagOf(answer.body);
    headers.etag = etag;
    if (answer.status === 200 && ifNoneMatchHits(req.headers['if-none-match'], etag)) {
      const { 'content-type': _type, 'x-content-type-options': _nosniff, ...kept } = headers;
      res.writeHead(304, kept).end();
      return;
    }
  }
  let body: Buffer = Buffer.from(answer.body);
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  // A versions list or an OpenAPI document runs to hundreds of KB of JSON; gzip takes it to a tenth.
  if (encoding && body.byteLength >= MIN_COMPRESSED_BYTES) {
    body = await compress(body, encoding);
    headers['content-encoding'] = encoding;
    // Other bytes than the identity body: a strong ETag may not be shared (RFC 9110 8.8.3), a weak one may.
    if (headers.etag) headers.etag = `W/${headers.etag}`;
  }
  headers['content-length'] = String(body.byteLength);
  // Node leaves the body out of HEAD answers by itself.
  res.writeHead(answer.status, headers).end(body);
}

const json = (body: unknown, cache: CachePolicy): Answer => ({ status: 200, body: JSON.stringify(body), contentType: 'application/json; charset=utf-8', cache });

/**
 * The REST API (/api/v1, the original Scout Registry's routes) and its docs. Each route executes its
 * persisted GraphQL operation with graphql-js `execute`, against the schema /graphql serves and a
 * context from `createContext` (same loaders, auth and error masking), so REST and GraphQL cannot
 * disagree.
 */
export function createRestHandler(deps: RestHandlerDeps): RestHandler {
  const schema = deps.schema ?? buildSchema();
  assertOperationsValid(schema);
  const mask = createErrorMasker(deps.logger);
  const corsOrigins = deps.corsOrigins ?? '*';
  let openApiBody: string | null = null;
  let docsBody: string | null = null;
  const openApi = () => (openApiBody ??= JSON.stringify(buildOpenApi()));
  const docs = () => (docsBody ??= renderDocs(buildOpenApi()));

  async function answer(req: http.IncomingMessage): Promise<Answer> {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    const method = req.method ?? 'GET';
    if (path === DOCS_PATH || path === `${DOCS_PATH}/` || path === OPENAPI_PATH) {
      if (method !== 'GET' && method !== 'HEAD') throw new RestError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use GET, HEAD`, { allow: ['GET', 'HEAD'] });
      return path === OPENAPI_PATH
        ? { status: 200, body: openApi(), contentType: 'application/json; charset=utf-8', cache: { maxAge: 300 } }
        : { status: 200, body: docs(), contentType: 'text/html; charset=utf-8', cache: { maxAge: 300 } };
    }
    const bound = matchRoute(method, url);
    const context = createContext(deps.contextDeps, bearerToken(req.headers.authorization));
    const reply = await bound.execute(new ContextRunner(schema, context, mask, deps.logger));
    return json(reply.body, bound.route.cache);
  }

  return {
    handles: (path) => path === API_PREFIX || path.startsWith(`${API_PREFIX}/`) || path === DOCS_PATH || path === `${DOCS_PATH}/`,
    async handle(req, res) {
      if (req.method === 'OPTIONS') {
        // CORS preflight (the gateway's HTTP handler answers it first; this serves the handler alone).
        answerOptions(req, res, corsOrigins);
        return;
      }
      let result: Answer;
      try {
        result = await answer(req);
      } catch (error) {
        if (!(error instanceof RestError)) deps.logger.error({ err: error, url: req.url }, 'REST request failed');
        result = errorAnswer(error instanceof RestError ? error : new RestError('INTERNAL', 'Internal server error'));
      }
      if (!res.headersSent && !res.destroyed) await send(req, res, result, corsOrigins);
    },
  };
}
