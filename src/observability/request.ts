import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './metrics.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept only when it is short and made of safe characters (it goes into logs and headers). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's `x-request-id` when sane, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

export type RouteName = 'graphql' | 'rest' | 'metrics' | 'health' | 'other';

/** A bounded route label for metrics (never the raw path, whose values are unbounded). */
export function routeOf(path: string, isRest: (path: string) => boolean): RouteName {
  if (path === '/graphql') return 'graphql';
  if (path === '/metrics') return 'metrics';
  if (path === '/healthz' || path === '/health' || path === '/readyz') return 'health';
  return isRest(path) ? 'rest' : 'other';
}

/** What one request carries through the gateway. */
export interface RequestScope {
  id: string;
  /** The gateway's logger with `requestId` bound: use it for anything logged on behalf of this request. */
  logger: Logger;
  /** Set by the GraphQL plugin: the operation's label (root fields) and the client's operation name. */
  operation: string | null;
  operationName: string | null;
}

const scopes = new WeakMap<http.IncomingMessage, RequestScope>();

/** The scope beginRequest attached to `req` (undefined for a request it never saw). */
export function requestScope(req: http.IncomingMessage | undefined): RequestScope | undefined {
  return req ? scopes.get(req) : undefined;
}

export interface BeginRequestDeps {
  logger: Logger;
  metrics: GatewayMetrics;
  route: RouteName;
}

/**
 * Starts one request: its id (echoed in the response), a child logger bound to it, and when the
 * response ends a metric sample and one access-log line (debug for probes and scrapes, error for 5xx).
 */
export function beginRequest(req: http.IncomingMessage, res: http.ServerResponse, deps: BeginRequestDeps): RequestScope {
  const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, id);
  const scope: RequestScope = { id, logger: deps.logger.child({ requestId: id }), operation: null, operationName: null };
  scopes.set(req, scope);
  const started = performance.now();
  const { route, metrics } = deps;
  // 'close' comes for every response, finished or not; an unfinished one was cut off by the client.
  res.once('close', () => {
    const ms = performance.now() - started;
    const status = res.writableFinished ? res.statusCode : 499;
    const method = req.method ?? 'GET';
    metrics.httpRequests.inc({ route, method, status: String(status) });
    metrics.httpDuration.observe({ route }, ms / 1000);
    const level = status >= 500 ? 'error' : route === 'health' || route === 'metrics' ? 'debug' : 'info';
    if (!scope.logger.isLevelEnabled(level)) return;
    const line: Record<string, unknown> = { method, path: (req.url ?? '/').split('?')[0], status, ms: Math.round(ms * 10) / 10, route };
    if (scope.operation) line.operation = scope.operation;
    if (scope.operationName) line.operationName = scope.operationName;
    scope.logger[level](line, 'request completed');
  });
  return scope;
}
