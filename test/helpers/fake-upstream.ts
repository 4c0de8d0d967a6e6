import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** One scripted answer. `body` objects are sent as JSON; `fixture: true` means "serve the fixture as usual". */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
  fixture?: boolean;
  /** Wait before sending headers. */
  delayMs?: number;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  /** Send the body `size` bytes at a time, waiting `intervalMs` before each piece (chunked, no content-length). */
  trickle?: { size: number; intervalMs: number };
  /** Declare the whole body's content-length, send only this many bytes, then destroy the socket. */
  truncateAt?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  at: number;
  /** Client port of the connection: equal ports mean a reused keep-alive connection. */
  socketPort: number;
}

/**
 * How request paths find fixture files:
 * - `npm`: `/lodash` -> lodash.json, `/@scope%2fwidget` -> @scope%2fwidget.json;
 * - `tree`: the decoded path under the fixture folder, as is (`/pypi/requests/json` -> pypi/requests/json,
 *   `/simple/requests/` -> simple/requests/index); the content type follows the file's extension.
 */
export type FixtureLayout = 'npm' | 'tree';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json', '.xml': 'text/xml', '.pom': 'text/xml', '.zip': 'application/zip',
  '.gz': 'application/gzip', '.tgz': 'application/gzip', '.html': 'text/html',
};

/**
 * A real HTTP registry on 127.0.0.1 serving the project's fixtures by request path, with ETag/304
 * support, optional gzip/br, and per-path scripts for faults (429, 5xx, resets, delays).
 */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, ScriptedResponse[]>();
  private readonly documents = new Map<string, { body: Buffer; contentType: string }>();
  private server!: http.Server;
  url = '';
  compression: 'gzip' | 'br' | null = null;
  /** Validate with Last-Modified / If-Modified-Since instead of ETags. */
  lastModified: string | null = null;
  inFlight = 0;
  maxInFlight = 0;
  /** TCP connections open right now, and opened in total (sockets a client leaks stay counted). */
  openConnections = 0;
  connectionsOpened = 0;
  /**
   * Open connections that carried at least one request. A client pool may keep a spare connection that
   * never carried one (undici does, until its keep-alive timeout): that is no leaked exchange.
   */
  openUsedConnections = 0;
  private readonly usedSockets = new WeakSet<object>();
  /** Answer with `connection: close`, so every socket closes once its response is fully read. */
  closeConnections = false;

  constructor(private readonly fixtureDir: string, private readonly layout: FixtureLayout = 'npm') {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.openConnections++;
      this.connectionsOpened++;
      socket.once('close', () => {
        this.openConnections--;
        if (this.usedSockets.has(socket)) this.openUsedConnections--;
      });
    });
    this.server.on('request', (req: http.IncomingMessage) => {
      if (this.usedSockets.has(req.socket)) return;
      this.usedSockets.add(req.socket);
      this.openUsedConnections++;
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Serve `body` at `path` (overrides or adds a fixture); objects are sent as JSON. */
  setDocument(requestPath: string, body: object | string | Buffer, contentType?: string): void {
    const isJson = !Buffer.isBuffer(body) && typeof body === 'object';
    this.documents.set(requestPath, {
      body: Buffer.isBuffer(body) ? body : Buffer.from(isJson ? JSON.stringify(body) : (body as string)),
      contentType: contentType ?? (isJson ? 'application/json' : Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json'),
    });
  }

  /** Queue answers for `path`; each request takes the next one, then fixtures are served again. */
  script(requestPath: string, responses: ScriptedResponse[]): void {
    this.scripts.set(requestPath, [...(this.scripts.get(requestPath) ?? []), ...responses]);
  }

  count(requestPath?: string): number {
    return requestPath === undefined ? this.requests.length : this.requests.filter((r) => r.path === requestPath).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
    this.maxInFlight = 0;
  }

  private fixture(requestPath: string): { body: Buffer; contentType: string } | null {
    const dynamic = this.documents.get(requestPath);
    if (dynamic !== undefined) return dynamic;
    let decoded: string;
    try {
      decoded = decodeURIComponent(requestPath);
    } catch {
      return null;
    }
    let file: string;
    if (this.layout === 'npm') {
      const relative = decoded.replace(/^\/+/, '').replace(/\//g, '%2f');
      if (!relative || relative.includes('..')) return null;
      file = path.join(this.fixtureDir, `${relative}.json`);
    } else {
      const relative = decoded.replace(/^\/+/, '') + (decoded.endsWith('/') ? 'index' : '');
      if (!relative || relative.split('/').includes('..') || relative.includes('\0')) return null;
      file = path.join(this.fixtureDir, relative);
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
    return { body: fs.readFileSync(file), contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/json' };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestPath = (req.url ?? '/').split('?')[0]!;
    this.requests.push({ method: req.method ?? 'GET', path: requestPath, headers: req.headers, at: Date.now(), socketPort: req.socket.remotePort ?? 0 });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const queue = this.scripts.get(requestPath);
    const scripted = queue?.shift();
    if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (scripted?.reset) {
      req.socket.destroy();
      return;
    }
    if (this.closeConnections) res.setHeader('connection', 'close');
    if (scripted && !scripted.fixture) {
      const body = scripted.body === undefined ? '' : Buffer.isBuffer(scripted.body) || typeof scripted.body === 'string' ? scripted.body : JSON.stringify(scripted.body);
      const bytes = Buffer.from(body);
      if (scripted.truncateAt !== undefined) {
        res.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...scripted.headers });
        res.write(bytes.subarray(0, scripted.truncateAt), () => req.socket.destroy());
        return;
      }
      if (scripted.trickle) {
        res.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers });
        const { size, intervalMs } = scripted.trickle;
        for (let offset = 0; offset < bytes.length; offset += size) {
          await new Promise((resolve) => setTimeout(resolve, intervalMs));
          // The client gave up (timeout, abort): stop writing, as a real server would.
          if (res.destroyed || req.socket.destroyed) return;
          res.write(bytes.subarray(offset, offset + size));
        }
        res.end();
        return;
      }
      res.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers });
      res.end(body);
      return;
    }
    const found = this.fixture(requestPath);
    if (found === null) {
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    const validator: Record<string, string> = this.lastModified ? { 'last-modified': this.lastModified } : { etag: `"${createHash('sha1').update(found.body).digest('hex')}"` };
    const unchanged = this.lastModified ? req.headers['if-modified-since'] === this.lastModified : req.headers['if-none-match'] === validator.etag;
    if (unchanged) {
      res.writeHead(304, validator).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': found.contentType, ...validator, ...scripted?.headers };
    let body: Buffer = found.body;
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (this.compression === 'gzip' && accepts.includes('gzip')) {
      body = zlib.gzipSync(body);
      headers['content-encoding'] = 'gzip';
    } else if (this.compression === 'br' && accepts.includes('br')) {
      body = zlib.brotliCompressSync(body);
      headers['content-encoding'] = 'br';
    }
    res.writeHead(scripted?.status ?? 200, headers).end(body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const NPM_FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'npm');

export function startFakeNpm(): Promise<FakeUpstream> {
  return new FakeUpstream(NPM_FIXTURES).start();
}

/** A fake registry serving test/fixtures/<ecosystem>/ in the `tree` layout. */
export function startFakeRegistry(ecosystem: string): Promise<FakeUpstream> {
  return new FakeUpstream(path.resolve(import.meta.dirname, '..', 'fixtures', ecosystem), 'tree').start();
}
