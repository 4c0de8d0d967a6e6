import type http from 'node:http';

/** `*`: any origin, without credentials (public metadata); a list: only those origins, with credentials; empty: no CORS. */
export type CorsOrigins = '*' | readonly string[];

/** Response headers a browser script may read (the ETag for revalidation, the request id for support). */
const EXPOSED = 'ETag, Retry-After, X-Request-Id';
/** Asked for when a preflight names none (or names them in a form we do not echo). */
const DEFAULT_ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, If-None-Match, X-Request-Id';
const METHODS = 'GET, HEAD, POST, OPTIONS';
/** Seconds a browser may keep a preflight answer (Chromium caps it at 7200). */
const MAX_AGE = '7200';
/** A comma-separated list of header names (RFC 9110 tokens): safe to echo back. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The CORS headers of an actual (non-preflight) response to `origin`. */
export function corsHeaders(origins: CorsOrigins, origin: string | undefined): Record<string, string> {
  if (origins === '*') return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED };
  if (origins.length === 0) return {};
  // The answer depends on Origin: shared caches must keep one copy per origin.
  if (origin === undefined || !origins.includes(origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': EXPOSED, vary: 'Origin' };
}

/** A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(req: http.IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
}

/** Answers an OPTIONS request: a preflight gets the CORS grant (or none for a foreign origin), any other OPTIONS the methods. */
export function answerOptions(req: http.IncomingMessage, res: http.ServerResponse, origins: CorsOrigins): void {
  const headers: Record<string, string> = { allow: METHODS, 'content-length': '0' };
  if (isPreflight(req)) {
    const grant = corsHeaders(origins, single(req.headers.origin));
    delete grant['access-control-expose-headers'];
    Object.assign(headers, grant);
    if (grant['access-control-allow-origin'] !== undefined) {
      const requested = single(req.headers['access-control-request-headers'])?.trim();
      // Echoing what was asked lets clients send their own headers (apollographql-client-name, x-api-key ...).
      headers['access-control-allow-headers'] = requested && HEADER_LIST.test(requested) ? requested : DEFAULT_ALLOWED_HEADERS;
      headers['access-control-allow-methods'] = METHODS;
      headers['access-control-max-age'] = MAX_AGE;
      headers.vary = [grant.vary, 'Access-Control-Request-Headers'].filter(Boolean).join(', ');
    }
  }
  res.writeHead(204, headers).end();
}
