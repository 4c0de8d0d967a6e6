import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { UpstreamError, type UpstreamErrorCode } from '../src/errors.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { encodeKeySegment } from '../src/store/keys.js';
import { FakeUpstream, startFakeNpm, startFakeRegistry, type ScriptedResponse } from './helpers/fake-upstream.js';
import { startTestGateway, testEnv, type GraphQLResponse, type TestGateway } from './helpers/gateway.js';
import { packument, packumentPath } from './helpers/packument.js';

/**
 * Upstream fault matrix (issue 8, item 4): every fault a registry can throw at the gateway, against a
 * package with no stored copy (-> the right error code) and one with a stored copy (-> the stale copy),
 * checking each time that other queries are still answered, no socket is left open and the store holds
 * nothing partial or wrong.
 */

const RETRIES = 2;
const ATTEMPTS = RETRIES + 1;
const MAX_RESPONSE_BYTES = 2_000_000;
/**
 * Seconds: slow faults below are several times this. The client aborts every request at this total time,
 * which would also close a socket it forgot, so sockets are checked well before (SOCKET_CHECK_MS).
 */
const TIMEOUT_S = 2;
const SOCKET_CHECK_MS = 1000;

let npm: FakeUpstream;
let maven: FakeUpstream;
let hex: FakeUpstream;
/** Another origin: a redirect there must never be followed unless allowed. */
let elsewhere: FakeUpstream;
let gw: TestGateway;

const TINY_PLUG = fs.readFileSync(path.resolve(import.meta.dirname, 'fixtures', 'hex', 'api', 'packages', 'tiny_plug.json'));

beforeAll(async () => {
  [npm, maven, hex, elsewhere] = await Promise.all([startFakeNpm(), startFakeRegistry('maven'), startFakeRegistry('hex'), startFakeRegistry('hex')]);
  // Every response closes its connection, so "no socket left open" is an exact count of zero.
  for (const fake of [npm, maven, hex, elsewhere]) fake.closeConnections = true;
  for (const fake of [hex, elsewhere]) fake.setDocument('/api/packages/tiny_plug', TINY_PLUG);
  gw = await startTestGateway(npm.url, {
    SCOUT_REGISTRY_MAVEN_URL: `${maven.url}/maven2`,
    SCOUT_REGISTRY_HEX_URL: hex.url,
    // Hex declares its repository host in sourceHosts: redirects there are allowed for the hex upstream.
    SCOUT_REGISTRY_HEX_REPO_URL: elsewhere.url,
    SCOUT_REGISTRY_HTTP_RETRIES: String(RETRIES),
    SCOUT_REGISTRY_HTTP_TIMEOUT: String(TIMEOUT_S),
    SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY: '5',
    SCOUT_REGISTRY_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
    SCOUT_REGISTRY_NEGATIVE_CACHE_TTL: '0',
  });
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([npm, maven, hex, elsewhere].map((fake) => fake?.close()));
});

interface StoreState {
  pkg: unknown;
  versions: unknown[];
  blobs: Record<string, string>;
}

/** What the store holds for one package: its SQLite rows as stored and its blob files' digests. */
function storeState(ecosystem: string, name: string): StoreState {
  const db = new Database(path.join(gw.dataDir, 'scout-registry.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const pkg = db.prepare('SELECT doc, fetched_at, etag, last_modified, version_count FROM packages WHERE ecosystem = ? AND name = ?').get(ecosystem, name) ?? null;
    const versions = db.prepare('SELECT version, seq, doc FROM versions WHERE ecosystem = ? AND name = ? ORDER BY seq').all(ecosystem, name);
    const folder = path.join(gw.dataDir, 'blobs', ecosystem, encodeKeySegment(name));
    const blobs: Record<string, string> = {};
    if (fs.existsSync(folder)) {
      for (const file of fs.readdirSync(folder)) blobs[file] = createHash('sha1').update(fs.readFileSync(path.join(folder, file))).digest('hex');
    }
    return { pkg, versions, blobs };
  } finally {
    db.close();
  }
}

/** Blob files left half-written (temp files of an interrupted write) anywhere in the blob folder. */
function tempFiles(): string[] {
  const root = path.join(gw.dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.tmp'));
}

async function eventually(check: () => boolean, what: string | (() => string), ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const EMPTY: StoreState = { pkg: null, versions: [], blobs: {} };

type Outcome = { code: UpstreamErrorCode; message?: RegExp; retryAfter?: number } | 'fresh';

interface Fault {
  fault: string;
  /** The answers the package's path gets, in order; fixtures are served once they run out. */
  script(path: string, name: string): ScriptedResponse[];
  /** Documents the fault needs elsewhere (a redirect target ...). */
  setup?(path: string, name: string): void;
  outcome: Outcome;
  /** Requests the package's path receives, where the retry policy makes it exact. */
  attempts?: number;
}

const HUGE = Buffer.alloc(32_000_000, 0x20);
const times = (n: number, response: ScriptedResponse): ScriptedResponse[] => Array.from({ length: n }, () => response);
const body = (name: string) => JSON.stringify(packument(name, { versions: ['1.0.0', '1.1.0', '2.0.0'] }));

const FAULTS: Fault[] = [
  // Retry-After beyond SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY: no pointless wait, the client is told when to come back.
  { fault: '429 with a long Retry-After', script: () => times(ATTEMPTS, { status: 429, headers: { 'retry-after': '120' } }), outcome: { code: 'RATE_LIMITED', retryAfter: 120 }, attempts: 1 },
  { fault: '429 with Retry-After: 0, then 200', script: () => [{ status: 429, headers: { 'retry-after': '0' } }], outcome: 'fresh', attempts: 2 },
  { fault: '429 on every attempt', script: () => times(ATTEMPTS, { status: 429, headers: { 'retry-after': '0' } }), outcome: { code: 'RATE_LIMITED' }, attempts: ATTEMPTS },
  { fault: '500', script: () => times(ATTEMPTS, { status: 500, body: 'boom' }), outcome: { code: 'UPSTREAM_UNAVAILABLE', message: /HTTP 500/ }, attempts: ATTEMPTS },
  { fault: '502', script: () => times(ATTEMPTS, { status: 502, body: '<html>bad gateway</html>' }), outcome: { code: 'UPSTREAM_UNAVAILABLE', message: /HTTP 502/ }, attempts: ATTEMPTS },
  { fault: '503, then 200', script: () => [{ status: 503 }], outcome: 'fresh', attempts: 2 },
  { fault: '503', script: () => times(ATTEMPTS, { status: 503 }), outcome: { code: 'UPSTREAM_UNAVAILABLE', message: /HTTP 503/ }, attempts: ATTEMPTS },
  { fault: 'connection reset', script: () => times(ATTEMPTS, { reset: true }), outcome: { code: 'UPSTREAM_UNAVAILABLE' }, attempts: ATTEMPTS },
  // The whole time budget ran out: retrying would multiply the wait, so one attempt.
  { fault: 'slow headers', script: () => [{ fixture: true, delayMs: TIMEOUT_S * 3000 }], outcome: { code: 'UPSTREAM_UNAVAILABLE' }, attempts: 1 },
  { fault: 'slow body', script: (_, name) => [{ body: body(name), trickle: { size: 64, intervalMs: 200 } }], outcome: { code: 'UPSTREAM_UNAVAILABLE' }, attempts: 1 },
  { fault: 'truncated body', script: (_, name) => times(ATTEMPTS, { body: body(name), truncateAt: 100 }), outcome: { code: 'UPSTREAM_UNAVAILABLE' }, attempts: ATTEMPTS },
  { fault: 'truncated body, then 200', script: (_, name) => [{ body: body(name), truncateAt: 100 }], outcome: 'fresh', attempts: 2 },
  { fault: 'invalid JSON', script: (_, name) => [{ body: body(name).slice(0, -20) }], outcome: { code: 'UPSTREAM_INVALID', message: /not valid JSON/ }, attempts: 1 },
  { fault: 'HTML instead of JSON', script: () => [{ body: '<!doctype html><title>Maintenance</title>', headers: { 'content-type': 'text/html' } }], outcome: { code: 'UPSTREAM_INVALID' }, attempts: 1 },
  { fault: 'valid JSON of the wrong shape', script: (_, name) => [{ body: { name, versions: ['1.0.0'], 'dist-tags': 'latest' } }], outcome: { code: 'UPSTREAM_INVALID', message: /not a packument/ }, attempts: 1 },
  { fault: 'a JSON array', script: () => [{ body: '[1, 2, 3]' }], outcome: { code: 'UPSTREAM_INVALID' }, attempts: 1 },
  // Far more than socket buffers hold: unless the client drops the connection, the server is left writing.
  { fault: 'huge body with content-length', script: () => [{ body: HUGE, headers: { 'content-length': String(HUGE.length) } }], outcome: { code: 'UPSTREAM_INVALID', message: /is 32000000 bytes, over the 2000000-byte limit/ }, attempts: 1 },
  { fault: 'huge chunked body', script: () => [{ body: Buffer.alloc(MAX_RESPONSE_BYTES * 2, 0x20), trickle: { size: 256 * 1024, intervalMs: 0 } }], outcome: { code: 'UPSTREAM_INVALID', message: /exceeds the 2000000-byte limit/ }, attempts: 1 },
  { fault: 'gzip bomb', script: () => [{ body: zlib.gzipSync(Buffer.alloc(MAX_RESPONSE_BYTES * 20, 0x20)), headers: { 'content-encoding': 'gzip' } }], outcome: { code: 'UPSTREAM_INVALID', message: /exceeds the 2000000-byte limit/ }, attempts: 1 },
  { fault: 'redirect loop', script: (path) => times(10, { status: 302, headers: { location: path } }), outcome: { code: 'UPSTREAM_UNAVAILABLE', message: /too many redirects/ }, attempts: 6 },
  { fault: 'same-origin redirect', script: (path) => [{ status: 301, headers: { location: `${path}-moved` } }], setup: (path, name) => npm.setDocument(`${path}-moved`, packument(name, { versions: ['1.0.0', '1.1.0', '2.0.0'] })), outcome: 'fresh', attempts: 1 },
  {
    fault: 'redirect to another host',
    script: (path) => [{ status: 302, headers: { location: `${elsewhere.url}${path}` } }],
    setup: (path, name) => elsewhere.setDocument(path, packument(name, { versions: ['6.6.6'] })),
    outcome: { code: 'UPSTREAM_INVALID', message: /redirected to http:\/\/127\.0\.0\.1:\d+, which is not an allowed host for npm/ },
    attempts: 1,
  },
  { fault: 'redirect to a file: URL', script: () => [{ status: 307, headers: { location: 'file:///etc/passwd' } }], outcome: { code: 'UPSTREAM_INVALID', message: /not an allowed host/ }, attempts: 1 },
  { fault: 'redirect without a usable status', script: () => [{ status: 300, body: 'choose' }], outcome: { code: 'UPSTREAM_UNAVAILABLE', message: /HTTP 300/ }, attempts: 1 },
  {
    fault: '200 for a different package',
    script: () => [{ body: packument('someone-else', { versions: ['9.9.9'] }) }],
    outcome: { code: 'UPSTREAM_INVALID', message: /packument is for "someone-else"/ },
    attempts: 1,
  },
];

const QUERY = 'query ($name: String!, $maxAge: Int) { package(ecosystem: NPM, name: $name, maxAge: $maxAge) { name isStale versionCount latestVersion { version } } }';

/** Runs the fault for `name` while a healthy package is fetched from the same upstream at the same time. */
async function underFault(fault: Fault, name: string, healthy: string, maxAge: number | null) {
  const requestPath = packumentPath(name);
  npm.reset();
  elsewhere.reset();
  fault.setup?.(requestPath, name);
  // What a healthy upstream answers once the scripted faults run out.
  npm.setDocument(requestPath, packument(name, { versions: ['1.0.0', '1.1.0', '2.0.0'] }));
  npm.script(requestPath, fault.script(requestPath, name));
  npm.setDocument(packumentPath(healthy), packument(healthy));
  const [result, other] = await Promise.all([
    gw.query(QUERY, { name, maxAge }),
    gw.query(QUERY, { name: healthy }),
  ]);
  // Other queries are still answered while the upstream misbehaves.
  expect(other.errors).toBeUndefined();
  expect(other.data.package).toMatchObject({ name: healthy, isStale: false, versionCount: 2 });
  if (fault.attempts !== undefined) expect(npm.count(requestPath), 'requests for the faulty path').toBe(fault.attempts);
  // Every connection that carried a request is closed (the fakes answer `connection: close`); the gateway's
  // pool may keep one spare, never-used connection until its keep-alive timeout, but spares do not pile up.
  await eventually(
    () => npm.openUsedConnections === 0 && elsewhere.openConnections === 0,
    () => `every upstream connection to close (npm: ${npm.openUsedConnections} used ones open, ${npm.inFlight} in flight; other host: ${elsewhere.openConnections})`,
    SOCKET_CHECK_MS,
  );
  expect(npm.openConnections, 'spare connections').toBeLessThanOrEqual(2);
  expect(elsewhere.count(), 'requests to the other host').toBe(0);
  expect(tempFiles()).toEqual([]);
  return result;
}

function expectError(result: GraphQLResponse, outcome: Exclude<Outcome, 'fresh'>): void {
  expect((result.data as { package?: unknown } | null | undefined)?.package ?? null).toBeNull();
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors!;
  expect(error!.extensions?.code).toBe(outcome.code);
  expect(error!.extensions?.ecosystem).toBe('npm');
  if (outcome.message) expect(error!.message).toMatch(outcome.message);
  if (outcome.retryAfter !== undefined) expect(error!.extensions?.retryAfter).toBe(outcome.retryAfter);
}

describe('upstream fault matrix (npm)', () => {
  FAULTS.forEach((fault, index) => {
    it(`${fault.fault}: no stored copy -> ${fault.outcome === 'fresh' ? 'answered' : fault.outcome.code}, nothing stored`, async () => {
      const name = `cold-${index}`;
      const result = await underFault(fault, name, `cold-healthy-${index}`, null);
      if (fault.outcome === 'fresh') {
        expect(result.errors).toBeUndefined();
        expect(result.data.package).toEqual({ name, isStale: false, versionCount: 3, latestVersion: { version: '2.0.0' } });
        expect(storeState('npm', name).versions).toHaveLength(3);
        return;
      }
      expectError(result, fault.outcome);
      expect(storeState('npm', name)).toEqual(EMPTY);
      expect(storeState('npm', 'someone-else')).toEqual(EMPTY);
      // Nothing was remembered about the failure: the next good answer is served and stored.
      npm.reset();
      npm.setDocument(packumentPath(name), packument(name));
      const again = await gw.query(QUERY, { name });
      expect(again.errors).toBeUndefined();
      expect(again.data.package).toMatchObject({ name, versionCount: 2 });
      expect(storeState('npm', name).versions).toHaveLength(2);
    });

    it(`${fault.fault}: stored copy -> ${fault.outcome === 'fresh' ? 'refreshed' : 'stale copy served'}, store unchanged`, async () => {
      const name = `warm-${index}`;
      npm.reset();
      npm.setDocument(packumentPath(name), packument(name, { versions: ['1.0.0'] }));
      expect((await gw.query(QUERY, { name })).data.package).toMatchObject({ name, versionCount: 1 });
      const before = storeState('npm', name);
      expect(Object.keys(before.blobs).sort()).toEqual(['1.0.0.json', '_package.json']);

      // maxAge 0: the stored copy is too old for this query, so the upstream is asked first.
      const result = await underFault(fault, name, `warm-healthy-${index}`, 0);
      expect(result.errors).toBeUndefined();
      if (fault.outcome === 'fresh') {
        expect(result.data.package).toEqual({ name, isStale: false, versionCount: 3, latestVersion: { version: '2.0.0' } });
        expect(storeState('npm', name).versions).toHaveLength(3);
        return;
      }
      expect(result.data.package).toEqual({ name, isStale: true, versionCount: 1, latestVersion: { version: '1.0.0' } });
      expect(storeState('npm', name)).toEqual(before);
      expect(storeState('npm', 'someone-else')).toEqual(EMPTY);
    });
  });
});

describe('XML faults (maven)', () => {
  const metadata = (artifact: string) => `/maven2/org/example/${artifact}/maven-metadata.xml`;
  const query = 'query ($name: String!, $maxAge: Int) { package(ecosystem: MAVEN, name: $name, maxAge: $maxAge) { name isStale versionCount } }';
  const cases: { fault: string; body: string; message: RegExp }[] = [
    { fault: 'invalid XML', body: '<?xml version="1.0"?><metadata><groupId>org.example</groupId><versioning><versions><version>1.0', message: /not valid XML/ },
    { fault: 'XML of the wrong shape', body: '<?xml version="1.0"?><html><body>Service unavailable</body></html>', message: /./ },
    { fault: 'metadata for another artifact', body: '<?xml version="1.0"?><metadata><groupId>org.other</groupId><artifactId>evil</artifactId><versioning><versions><version>6.6.6</version></versions></versioning></metadata>', message: /./ },
  ];
  for (const { fault, body, message } of cases) {
    it(`${fault}: UPSTREAM_INVALID without a stored copy, the stale copy with one, store unchanged`, async () => {
      maven.reset();
      maven.script(metadata('no-such-thing'), [{ body, headers: { 'content-type': 'text/xml' } }]);
      const cold = await gw.query(query, { name: 'org.example:no-such-thing' });
      expect(cold.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID');
      expect(cold.errors?.[0]?.message).toMatch(message);
      expect(storeState('maven', 'org.example:no-such-thing')).toEqual(EMPTY);

      const warm = await gw.query(query, { name: 'org.example:old-widget' });
      expect(warm.data.package).toMatchObject({ name: 'org.example:old-widget', isStale: false });
      const before = storeState('maven', 'org.example:old-widget');
      maven.script(metadata('old-widget'), [{ body, headers: { 'content-type': 'text/xml' } }]);
      const stale = await gw.query(query, { name: 'org.example:old-widget', maxAge: 0 });
      expect(stale.errors).toBeUndefined();
      expect(stale.data.package).toMatchObject({ name: 'org.example:old-widget', isStale: true });
      expect(storeState('maven', 'org.example:old-widget')).toEqual(before);
      await eventually(() => maven.openUsedConnections === 0, 'maven connections to close');
    });
  }
});

describe('redirect policy', () => {
  it('follows a redirect to a host the adapter allows (hex: its repository host), through the real gateway', async () => {
    hex.reset();
    elsewhere.reset();
    hex.script('/api/packages/tiny_plug', [{ status: 302, headers: { location: `${elsewhere.url}/api/packages/tiny_plug` } }]);
    const result = await gw.query('{ package(ecosystem: HEX, name: "tiny_plug") { name versionCount } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.package).toEqual({ name: 'tiny_plug', versionCount: 7 });
    expect(elsewhere.count('/api/packages/tiny_plug')).toBe(1);
    // The same host is not allowed for npm: allow-lists are per upstream.
    npm.reset();
    npm.script('/per-upstream', [{ status: 302, headers: { location: `${elsewhere.url}/per-upstream` } }]);
    const refused = await gw.query('{ package(ecosystem: NPM, name: "per-upstream") { name } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('UPSTREAM_INVALID');
    expect(refused.errors?.[0]?.message).toContain(new URL(elsewhere.url).host);
    expect(elsewhere.count('/per-upstream')).toBe(0);
  });

  describe('in the HTTP client', () => {
    let http: HttpUpstreamClient;
    beforeAll(() => {
      const config = loadConfig(testEnv(npm.url, '/tmp/unused', { SCOUT_REGISTRY_HTTP_RETRIES: '0' }));
      http = new HttpUpstreamClient(config, { logger: pino({ level: 'silent' }), redirectHosts: { pypi: [new URL(elsewhere.url).host] } });
    });
    afterAll(async () => http.close());

    const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as UpstreamError);

    it('refuses a cross-origin redirect for a GET, naming the host, without asking that host', async () => {
      npm.reset();
      elsewhere.reset();
      elsewhere.setDocument('/target', { ok: true });
      npm.script('/hop', [{ status: 308, headers: { location: `${elsewhere.url}/target` } }]);
      const error = await failure(http.get('npm', `${npm.url}/hop`));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error!.code).toBe('UPSTREAM_INVALID');
      expect(error!.message).toContain(new URL(elsewhere.url).host);
      expect(error!.details).toMatchObject({ ecosystem: 'npm', url: `${npm.url}/hop`, status: 308 });
      expect(elsewhere.count()).toBe(0);
    });

    it('follows a redirect to an allow-listed host of that upstream only', async () => {
      npm.reset();
      elsewhere.reset();
      elsewhere.setDocument('/target', { ok: true });
      npm.script('/hop', [{ status: 302, headers: { location: `${elsewhere.url}/target` } }]);
      const ok = await http.get('pypi', `${npm.url}/hop`);
      expect(ok.kind === 'ok' && JSON.parse(ok.body.toString())).toEqual({ ok: true });
      expect(elsewhere.count('/target')).toBe(1);
    });

    it('follows relative and same-origin redirects, and counts hops across them', async () => {
      npm.reset();
      npm.setDocument('/final', { ok: 'final' });
      npm.script('/a', [{ status: 301, headers: { location: 'b' } }]);
      npm.script('/b', [{ status: 307, headers: { location: `${npm.url}/final` } }]);
      const ok = await http.get('npm', `${npm.url}/a`);
      expect(ok.kind === 'ok' && JSON.parse(ok.body.toString())).toEqual({ ok: 'final' });
      expect(npm.requests.map((r) => r.path)).toEqual(['/a', '/b', '/final']);
    });

    it('refuses a cross-origin redirect of a streamed archive download too', async () => {
      npm.reset();
      elsewhere.reset();
      elsewhere.setDocument('/archive.tgz', Buffer.from('not for us'));
      npm.script('/archive.tgz', [{ status: 302, headers: { location: `${elsewhere.url}/archive.tgz` } }]);
      const error = await failure(http.stream('npm', `${npm.url}/archive.tgz`, { maxBytes: 1000 }));
      expect(error?.code).toBe('UPSTREAM_INVALID');
      expect(elsewhere.count()).toBe(0);
    });

    it('turns a 303 after a POST into a GET, and keeps the body on a 307', async () => {
      npm.reset();
      npm.setDocument('/answer', { ok: 'answer' });
      npm.script('/see-other', [{ status: 303, headers: { location: '/answer' } }]);
      const seeOther = await http.post('npm', `${npm.url}/see-other`, { q: 1 });
      expect(seeOther.kind === 'ok' && JSON.parse(seeOther.body.toString())).toEqual({ ok: 'answer' });
      expect(npm.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /see-other', 'GET /answer']);
      npm.reset();
      npm.script('/temporary', [{ status: 307, headers: { location: '/answer' } }]);
      await http.post('npm', `${npm.url}/temporary`, { q: 1 });
      expect(npm.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /temporary', 'POST /answer']);
      expect(npm.requests[1]!.headers['content-type']).toBe('application/json');
    });
  });
});
