import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { createContext, type GatewayContext } from './context.js';
import { createApp } from './app.js';
import { bearerToken, keyError } from './auth.js';
import { createHash } from 'node:crypto';
import { ClientRateLimiter } from './limits/client-rate.js';
import { operationLimitsPlugin } from './limits/plugin.js';
import { loadPersistedDocuments, persistedOnlyPlugin } from './limits/persisted.js';
import { automaticPersistedQueriesPlugin } from './limits/apq.js';
import { requestChecksPlugin } from './limits/requests.js';
import { answerOptions, corsHeaders } from './web/cors.js';
import { compressionPlugin, negotiateEncoding, StaticDocument, varyOn } from './web/compress.js';
import { DOCS_PATH, ifNoneMatchHits, OPENAPI_PATH } from './rest/handler.js';
import { createErrorMasker } from './errors-graphql.js';
import type { HttpUpstreamClient } from './http/upstream.js';
import { buildSchema } from './schema/index.js';
import { createRestHandler } from './rest/index.js';
import type { PackageService } from './services/packages.js';
import type { Stores } from './store/index.js';
import { beginRequest, GatewayMetrics, loadTracer, observabilityPlugin, requestScope, routeOf, type Tracer } from './observability/index.js';

export interface Gateway {
  server: http.Server;
  service: PackageService;
  stores: Stores;
  http: HttpUpstreamClient;
  logger: Logger;
  /** Prometheus metrics of this gateway (served at /metrics). */
  metrics: GatewayMetrics;
  tracer: Tracer;
  /** Base URL once listening, e.g. http://127.0.0.1:8001 */
  url: string;
  close(): Promise<void>;
}

/** Readiness: both stores answer (checked in parallel, each within 5 s). */
async function readiness(stores: Stores): Promise<{ ready: boolean; body: Record<string, unknown> }> {
  const check = async (ping: () => Promise<void>): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out after 5 s')), 5000)))]);
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  };
  const [documents, blobs] = await Promise.all([check(() => stores.documents.ping()), check(() => stores.blobs.ping())]);
  const ready = documents === 'ok' && blobs === 'ok';
  return {
    ready,
    body: {
      status: ready ? 'ready' : 'unavailable',
      documents: { backend: stores.documents.backend, status: documents },
      blobs: { backend: stores.blobs.backend, status: blobs },
    },
  };
}

const GRAPHIQL_OPTIONS = {
  title: 'Scout Registry',
  defaultQuery: '{\n  package(ecosystem: NPM, name: "lodash") {\n    name\n    latestVersion {\n      version\n      publishedAt\n      normalized { license { spdx } }\n    }\n  }\n}\n',
};

/** yoga's own test for a GraphiQL request: a GET that accepts HTML. */
const wantsGraphiQL = (req: http.IncomingMessage, path: string) =>
  (req.method === 'GET' || req.method === 'HEAD') && (path === '/graphql' || path === '/graphql/') && (req.headers.accept ?? '').includes('text/html');

/**
 * The GraphiQL page (~9 MB: React, the editor and their styles inlined, so it works offline) is the same
 * for every request: rendered once, revalidated with its ETag, and compressed once per encoding
 * (gzip: ~2.4 MB) instead of on every load.
 */
const isOpenPage = (req: http.IncomingMessage, path: string): boolean =>
  path === DOCS_PATH || path === `${DOCS_PATH}/` || path === OPENAPI_PATH || wantsGraphiQL(req, path);

function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, document: StaticDocument, logger: Logger): void {
  // Keeps a Vary the HTTP handler set already (Origin, with an origin list).
  const vary = varyOn(res.getHeader('vary')?.toString());
  const headers: Record<string, string> = { 'content-type': document.contentType, etag: document.etag, 'cache-control': 'no-cache', vary };
  if (ifNoneMatchHits(req.headers['if-none-match'], document.etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const send = (body: Buffer) => res.writeHead(200, { ...headers, 'content-length': String(body.byteLength) }).end(req.method === 'HEAD' ? undefined : body);
  if (!encoding) {
    send(document.body);
    return;
  }
  void document.encodedAs(encoding).then(
    (body) => {
      res.setHeader('content-encoding', encoding);
      send(body);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'compressing a static page failed');
      send(document.body);
    },
  );
}

export interface GatewayOptions {
  logger?: Logger;
  stores?: Stores;
  /** Default: OpenTelemetry when `@opentelemetry/api` resolves, else no-op (see src/observability/tracing.ts). */
  tracer?: Tracer;
}

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? pino({ level: config.logLevel, name: 'scout-registry' });
  const metrics = new GatewayMetrics();
  const tracer = options.tracer ?? (await loadTracer());
  const app = await createApp(config, logger, options.stores, { metrics, tracer });
  const { service, stores } = app;
  const contextDeps = { service, sources: app.sources, logger, apiKeys: config.apiKeys, osv: app.osv };
  const yoga = createYoga<{ req: http.IncomingMessage; res: http.ServerResponse }, GatewayContext>({
    schema: buildSchema(),
    // The request's child logger (with its request id) replaces the gateway's in the context.
    context: ({ request, req }) => ({ ...createContext(contextDeps, bearerToken(request.headers.get('authorization'))), logger: requestScope(req)?.logger ?? logger }),
    // Served by the HTTP handler below (rendered once, cached, compressed); yoga's copy is the fallback.
    graphiql: GRAPHIQL_OPTIONS,
    // GraphiQL bundled in the package: the page works offline and behind strict egress rules.
    renderGraphiQL,
    maskedErrors: { maskError: createErrorMasker(logger) },
    landingPage: false,
    // CORS is answered for every route at once by the HTTP handler (SCOUT_REGISTRY_CORS_ORIGINS).
    cors: false,
    logging: logger,
    // Observability first: it must also see operations the limits plugin stops.
    // `documentId`: the GraphQL-over-HTTP persisted-document parameter (SCOUT_REGISTRY_PERSISTED_ONLY).
    extraParamNames: ['documentId'],
    plugins: [
      observabilityPlugin(metrics, tracer),
      requestChecksPlugin(),
      ...(config.persisted.only && config.persisted.documentsFile ? [persistedOnlyPlugin(loadPersistedDocuments(config.persisted.documentsFile))] : []),
      operationLimitsPlugin(config.operationLimits),
      // After the limits: a document is remembered only once it may run. Never with an allow-list.
      ...(config.persisted.only ? [] : [automaticPersistedQueriesPlugin(config.apq)]),
      // With an origin list the CORS headers depend on Origin: caches must know.
      compressionPlugin({ vary: Array.isArray(config.cors.origins) && config.cors.origins.length > 0 ? ['Origin'] : [] }),
    ],
  });
  const clientLimiter = new ClientRateLimiter(config.clientRateLimit);
  const rest = createRestHandler({ contextDeps, logger, corsOrigins: config.cors.origins });
  let graphiqlPage: StaticDocument | null = null;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    beginRequest(req, res, { logger, metrics, route: routeOf(path ?? '/', (p) => rest.handles(p)) });
    // CORS for the APIs (not /metrics or the probes), preflights included, before anything can answer.
    const corsOrigins = path === '/graphql' || path === '/graphql/' || rest.handles(path ?? '/') ? config.cors.origins : [];
    if (req.method === 'OPTIONS') {
      answerOptions(req, res, corsOrigins);
      return;
    }
    for (const [name, value] of Object.entries(corsHeaders(corsOrigins, req.headers.origin))) res.setHeader(name, value);
    if (path === '/metrics') {
      void metrics.expose().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}`),
      );
      return;
    }
    // Liveness: the process answers. `/health` is the original Scout Registry's name for it.
    if (path === '/healthz' || path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      void readiness(stores).then(({ ready, body }) => res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
      return;
    }
    // Per client: the API key when one is sent (hashed, never kept in clear), else the peer address.
    const token = bearerToken(req.headers.authorization);
    const wait = clientLimiter.take(token ? `key:${createHash('sha256').update(token).digest('hex')}` : `ip:${req.socket.remoteAddress ?? ''}`);
    if (wait !== null) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(wait) });
      const message = `Too many requests from this client: limit ${config.clientRateLimit}/minute (SCOUT_REGISTRY_CLIENT_RATE_LIMIT)`;
      // REST clients get the REST error shape, GraphQL clients the GraphQL one.
      res.end(JSON.stringify(rest.handles(path ?? '/') ? { error: { code: 'RATE_LIMITED', message } } : { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfter: wait } }] }));
      return;
    }
    // SCOUT_REGISTRY_REQUIRE_AUTH: every read needs a key too. Pages that hold no data (docs, OpenAPI, GraphiQL) stay open.
    if (config.requireAuth && !isOpenPage(req, path ?? '/')) {
      const denied = keyError(token, config.apiKeys, 'This gateway');
      if (denied) {
        const status = denied.code === 'UNAUTHENTICATED' ? 401 : 403;
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          ...(status === 401 ? { 'www-authenticate': 'Bearer realm="scout-registry"' } : {}),
        });
        res.end(JSON.stringify(rest.handles(path ?? '/') ? { error: { code: denied.code, message: denied.message } } : { errors: [{ message: denied.message, extensions: { code: denied.code } }] }));
        return;
      }
    }
    // The original's REST API (/api/v1/...) and its docs: persisted operations over the same schema.
    if (rest.handles(path ?? '/')) {
      void rest.handle(req, res);
      return;
    }
    if (wantsGraphiQL(req, path ?? '/')) {
      serveStatic(req, res, (graphiqlPage ??= new StaticDocument(renderGraphiQL(GRAPHIQL_OPTIONS), 'text/html; charset=utf-8')), logger);
      return;
    }
    void yoga(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.apiPort, config.apiHost, () => resolve());
  });
  metrics.trackServer(server);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  return {
    server,
    service,
    stores,
    http: app.http,
    logger,
    metrics,
    tracer,
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
    },
  };
}
