import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import Bottleneck from 'bottleneck';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ECOSYSTEM_IDS } from '../ecosystems/ids.js';
import type { Validators } from '../ecosystems/types.js';
import { UpstreamError } from '../errors.js';
import type { GetOptions, GetResult, PostOptions, PostResult, PostingClient, StreamOptions, StreamResult, StreamingClient, UpstreamClient, UpstreamName } from './client.js';
import { observeAttempt, type UpstreamObservability } from '../observability/upstream.js';

/** A failure worth another try (429, 5xx, network), with the server's Retry-After when it sent one. */
class RetryableFailure extends Error {
  constructor(readonly upstreamError: UpstreamError, readonly retryAfterMs: number | null) {
    super(upstreamError.message);
  }
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'Z_BUF_ERROR', 'Z_DATA_ERROR',
]);

/** Retry-After as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export interface HttpClientOptions extends UpstreamObservability {
  logger: Logger;
  /** Injected for tests that must not wait for real backoff (never used in production). */
  random?: () => number;
  /**
   * Hosts (`host[:port]`) each upstream may redirect to besides the request's own origin and the
   * configured base URL's host: the adapters' `sourceHosts` and `redirectHosts` (see app.ts).
   */
  redirectHosts?: Partial<Record<UpstreamName, readonly string[]>>;
}

/** Redirects followed per request (undici's interceptor used the same bound). */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface SendInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer | undefined;
  signal?: AbortSignal | undefined;
}

export class HttpUpstreamClient implements UpstreamClient, StreamingClient, PostingClient {
  private readonly agent: Agent;
  private readonly limiters = new Map<UpstreamName, Bottleneck>();
  private readonly random: () => number;
  /** Per upstream: the hosts a redirect may lead to (lower-case `host[:port]`). */
  private readonly redirectHosts = new Map<UpstreamName, Set<string>>();

  constructor(private readonly config: Config, private readonly options: HttpClientOptions) {
    this.random = options.random ?? Math.random;
    // One Agent keeps a keep-alive pool per origin. Redirects are followed by `send`, not by undici's
    // interceptor: that one follows them to any host, and a registry must not send us elsewhere.
    this.agent = new Agent({
      connect: { timeout: config.http.connectTimeoutMs },
      headersTimeout: config.http.timeoutMs,
      bodyTimeout: config.http.timeoutMs,
      keepAliveTimeout: 30_000,
      connections: 64,
    });
    const allow = (upstream: UpstreamName, base: string) => this.redirectHosts.set(upstream, new Set([new URL(base).host.toLowerCase()]));
    for (const id of ECOSYSTEM_IDS) {
      const upstream = config.upstreams[id];
      this.limiters.set(id, new Bottleneck({ minTime: upstream.rateLimit * 1000, maxConcurrent: upstream.concurrency }));
      allow(id, upstream.baseUrl);
    }
    const index = config.extraUpstreams.cargoIndex;
    this.limiters.set('cargo-index', new Bottleneck({ minTime: index.rateLimit * 1000, maxConcurrent: index.concurrency }));
    allow('cargo-index', index.baseUrl);
    this.limiters.set('osv', new Bottleneck({ minTime: 0, maxConcurrent: 4 }));
    options.metrics?.trackUpstreamClient(this.limiters, this.agent);
    allow('osv', config.osv.baseUrl);
    for (const [upstream, hosts] of Object.entries(options.redirectHosts ?? {}) as [UpstreamName, readonly string[]][]) {
      const set = this.redirectHosts.get(upstream) ?? new Set<string>();
      for (const host of hosts) set.add(host.toLowerCase());
      this.redirectHosts.set(upstream, set);
    }
  }

  limiter(upstream: UpstreamName): Bottleneck {
    const limiter = this.limiters.get(upstream);
    if (!limiter) throw new Error(`no limiter for upstream ${upstream}`);
    return limiter;
  }

  async get(upstream: UpstreamName, url: string, options: GetOptions = {}): Promise<GetResult> {
    return this.withRetries(upstream, url, () => this.once(upstream, url, options));
  }

  /**
   * A large binary body (a source archive) as a stream: retried like `get` until the headers arrive,
   * then streamed without decompression; the stream errors once more than `maxBytes` arrive.
   */
  async stream(upstream: UpstreamName, url: string, options: StreamOptions): Promise<StreamResult> {
    return this.withRetries(upstream, url, () => this.openStream(upstream, url, options));
  }

  /** An idempotent JSON POST (see PostingClient), through the same path as `get`: limiter, retries, timeout, size cap. */
  async post(upstream: UpstreamName, url: string, body: unknown, options: PostOptions = {}): Promise<PostResult> {
    const payload = Buffer.from(JSON.stringify(body));
    return this.withRetries(upstream, url, async () => {
      const result = await this.once(upstream, url, { accept: options.accept }, payload);
      // No conditional headers are sent, so a 304 can only be a broken server.
      if (result.kind === 'not-modified') throw new UpstreamError('UPSTREAM_INVALID', `${upstream} upstream answered 304 to a POST`, { ecosystem: upstream, url, status: 304 });
      return result.kind === 'ok' ? { kind: 'ok', status: result.status, body: result.body, contentType: result.contentType } : result;
    });
  }

  private async withRetries<T>(upstream: UpstreamName, url: string, attempt: () => Promise<T>): Promise<T> {
    const { retries, retryBaseDelayMs, maxRetryDelayMs } = this.config.http;
    const limiter = this.limiter(upstream);
    for (let tries = 0; ; tries++) {
      try {
        // The limiter slot is held only for the request itself, never while backing off.
        return await limiter.schedule(() => observeAttempt(this.options, upstream, url, attempt));
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        const backoff = this.random() * Math.min(maxRetryDelayMs, retryBaseDelayMs * 2 ** tries);
        const wait = error.retryAfterMs ?? backoff;
        if (tries >= retries || wait > maxRetryDelayMs) {
          const base = error.upstreamError;
          const retryAfterSeconds = error.retryAfterMs === null ? base.details.retryAfterSeconds : Math.ceil(error.retryAfterMs / 1000);
          throw new UpstreamError(base.code, `${base.message} (after ${tries + 1} attempt${tries ? 's' : ''})`, { ...base.details, retryAfterSeconds }, { cause: base.cause });
        }
        this.options.logger.debug({ upstream, url, attempt: tries, wait, reason: error.message }, 'retrying upstream request');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async openStream(upstream: UpstreamName, url: string, options: StreamOptions): Promise<StreamResult> {
    const headers = { 'user-agent': this.config.http.userAgent, 'accept-encoding': 'identity', accept: '*/*' };
    const details = { ecosystem: upstream, url };
    // No total timeout: a big archive may take long; undici's headers/body idle timeouts still apply.
    const response = await this.send(upstream, url, { method: 'GET', headers });
    const { statusCode, body } = response;
    const responseHeaders = response.headers as Record<string, string | string[] | undefined>;
    if (statusCode === 404 || statusCode === 410) {
      await body.dump();
      return { kind: 'not-found', status: statusCode };
    }
    if (statusCode === 429 || statusCode >= 500) {
      await body.dump().catch(() => undefined);
      const code = statusCode === 429 ? 'RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE';
      throw new RetryableFailure(new UpstreamError(code, `${upstream} upstream answered HTTP ${statusCode}`, { ...details, status: statusCode }), parseRetryAfter(responseHeaders['retry-after']));
    }
    if (statusCode !== 200) {
      await body.dump().catch(() => undefined);
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${upstream} upstream answered HTTP ${statusCode}`, { ...details, status: statusCode });
    }
    const declared = Number(header(responseHeaders, 'content-length') ?? NaN);
    if (declared > options.maxBytes) {
      body.destroy();
      throw new UpstreamError('UPSTREAM_INVALID', `${url} is ${declared} bytes, over the ${options.maxBytes}-byte limit`, { ...details, status: statusCode });
    }
    const maxBytes = options.maxBytes;
    // Lazy: nothing is read (and no error can fire) until the consumer reads, so no failure goes unheard.
    async function* capped(): AsyncGenerator<Buffer> {
      let size = 0;
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw new UpstreamError('UPSTREAM_INVALID', `${url} exceeds the ${maxBytes}-byte limit`, details);
          yield chunk;
        }
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${upstream} download failed: ${errorCode(error) ?? (error instanceof Error ? error.message : String(error))}`, details, { cause: error });
      } finally {
        body.destroy();
      }
    }
    return { kind: 'ok', body: Readable.from(capped(), { objectMode: false }), contentLength: Number.isFinite(declared) ? declared : null };
  }

  /** One attempt: a GET, or a JSON POST when `payload` is given. */
  private async once(upstream: UpstreamName, url: string, options: GetOptions, payload?: Buffer): Promise<GetResult> {
    const headers: Record<string, string> = {
      'user-agent': this.config.http.userAgent,
      'accept-encoding': 'gzip, br, deflate',
      accept: options.accept ?? 'application/json',
    };
    if (payload) headers['content-type'] = 'application/json';
    if (options.conditional?.etag) headers['if-none-match'] = options.conditional.etag;
    if (options.conditional?.lastModified) headers['if-modified-since'] = options.conditional.lastModified;
    const details = { ecosystem: upstream, url };
    const response = await this.send(upstream, url, { method: payload ? 'POST' : 'GET', headers, body: payload, signal: AbortSignal.timeout(this.config.http.timeoutMs) });
    const { statusCode, body } = response;
    const responseHeaders = response.headers as Record<string, string | string[] | undefined>;
    const validators: Validators = { etag: header(responseHeaders, 'etag'), lastModified: header(responseHeaders, 'last-modified') };
    if (statusCode === 304) {
      await body.dump();
      return { kind: 'not-modified', validators: { etag: validators.etag ?? options.conditional?.etag ?? null, lastModified: validators.lastModified ?? options.conditional?.lastModified ?? null } };
    }
    if (statusCode === 404 || statusCode === 410) {
      await body.dump();
      return { kind: 'not-found', status: statusCode };
    }
    if (statusCode === 429 || statusCode >= 500) {
      await body.dump().catch(() => undefined);
      const retryAfter = parseRetryAfter(responseHeaders['retry-after']);
      const code = statusCode === 429 ? 'RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE';
      throw new RetryableFailure(new UpstreamError(code, `${upstream} upstream answered HTTP ${statusCode}`, { ...details, status: statusCode }), retryAfter);
    }
    if (statusCode !== 200) {
      await body.dump().catch(() => undefined);
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${upstream} upstream answered HTTP ${statusCode}`, { ...details, status: statusCode });
    }
    const declared = Number(header(responseHeaders, 'content-length') ?? NaN);
    const max = this.config.http.maxResponseBytes;
    if (declared > max) {
      body.destroy();
      throw new UpstreamError('UPSTREAM_INVALID', `${upstream} response is ${declared} bytes, over the ${max}-byte limit`, { ...details, status: statusCode });
    }
    const encoding = (header(responseHeaders, 'content-encoding') ?? 'identity').trim().toLowerCase();
    let buffer: Buffer;
    try {
      buffer = await readCapped(body, encoding, max);
    } catch (error) {
      body.destroy();
      if (error instanceof TooLarge) {
        throw new UpstreamError('UPSTREAM_INVALID', `${upstream} response exceeds the ${max}-byte limit`, { ...details, status: statusCode });
      }
      if (error instanceof UnsupportedEncoding) throw new UpstreamError('UPSTREAM_INVALID', error.message, details);
      throw this.networkFailure(error, upstream, url);
    }
    return { kind: 'ok', status: statusCode, body: buffer, contentType: header(responseHeaders, 'content-type'), validators };
  }

  /**
   * One request, following at most MAX_REDIRECTS redirects, each only to the request's own origin or a
   * host allowed for this upstream (never a downgrade from https). A refused redirect is UPSTREAM_INVALID
   * naming the host; a loop ends as UPSTREAM_UNAVAILABLE. The answer is the first non-redirect response.
   */
  private async send(upstream: UpstreamName, url: string, init: SendInit): Promise<Dispatcher.ResponseData> {
    const first = new URL(url);
    let current = first;
    let { method, body } = init;
    for (let hops = 0; ; hops++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(current, { method, headers: init.headers, body, dispatcher: this.agent, signal: init.signal });
      } catch (error) {
        throw this.networkFailure(error, upstream, url);
      }
      const location = header(response.headers as Record<string, string | string[] | undefined>, 'location');
      if (!REDIRECT_STATUSES.has(response.statusCode) || location === null) return response;
      // Read (bounded) and drop the redirect's body so its connection goes back to the pool.
      await response.body.dump().catch(() => undefined);
      const details = { ecosystem: upstream, url, status: response.statusCode };
      if (hops >= MAX_REDIRECTS) throw new UpstreamError('UPSTREAM_UNAVAILABLE', `${upstream} upstream answered too many redirects (more than ${MAX_REDIRECTS})`, details);
      let target: URL;
      try {
        target = new URL(location, current);
      } catch {
        throw new UpstreamError('UPSTREAM_INVALID', `${upstream} upstream redirected to an invalid URL ${JSON.stringify(location.slice(0, 200))}`, details);
      }
      const sameOrigin = target.origin === first.origin;
      const allowedHost = this.redirectHosts.get(upstream)?.has(target.host.toLowerCase()) ?? false;
      const protocolOk = target.protocol === 'https:' || (target.protocol === 'http:' && first.protocol === 'http:');
      if (!protocolOk || !(sameOrigin || allowedHost)) {
        throw new UpstreamError('UPSTREAM_INVALID', `${upstream} upstream redirected to ${target.protocol}//${target.host}, which is not an allowed host for ${upstream}`, details);
      }
      // As browsers and undici do: 303 (and 301/302 after a POST) continue as a GET without a body.
      if (response.statusCode === 303 || (method === 'POST' && (response.statusCode === 301 || response.statusCode === 302))) {
        method = 'GET';
        body = undefined;
      }
      current = target;
    }
  }

  private networkFailure(error: unknown, upstream: UpstreamName, url: string): Error {
    const code = errorCode(error);
    const message = `${upstream} upstream request failed: ${code ?? (error instanceof Error ? error.message : String(error))}`;
    const upstreamError = new UpstreamError('UPSTREAM_UNAVAILABLE', message, { ecosystem: upstream, url }, { cause: error });
    // A request that ran out its whole time budget is not retried: that would multiply the wait.
    if (code && RETRYABLE_NETWORK_CODES.has(code)) return new RetryableFailure(upstreamError, null);
    return upstreamError;
  }

  async close(): Promise<void> {
    await Promise.all([...this.limiters.values()].map((limiter) => limiter.disconnect()));
    await this.agent.close();
  }
}

class TooLarge extends Error {}
class UnsupportedEncoding extends Error {}

function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current === 'object' && 'code' in current && typeof current.code === 'string') return current.code;
    current = typeof current === 'object' && 'cause' in current ? current.cause : null;
  }
  return null;
}

/** Reads the body, decompressing as declared, and stops as soon as the decompressed size passes `max`. */
async function readCapped(body: Readable, encoding: string, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  const sink = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        throw new TooLarge();
      }
      chunks.push(chunk);
    }
  };
  try {
    if (encoding === 'identity' || encoding === '') await pipeline(body, sink);
    else if (encoding === 'gzip' || encoding === 'x-gzip') await pipeline(body, zlib.createGunzip(), sink);
    else if (encoding === 'br') await pipeline(body, zlib.createBrotliDecompress(), sink);
    else if (encoding === 'deflate') await pipeline(body, zlib.createInflate(), sink);
    else throw new UnsupportedEncoding(`unsupported content-encoding ${encoding}`);
  } catch (error) {
    // With a decompressor in between, pipeline reports the sink's early exit as an AbortError, not TooLarge.
    if (tooLarge) throw new TooLarge();
    throw error;
  }
  return Buffer.concat(chunks, size);
}
