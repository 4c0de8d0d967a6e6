import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ContextDeps } from '../src/context.js';
import { createRestHandler } from '../src/rest/index.js';
import { matchRoute } from '../src/rest/router.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, tempDir, testEnv, type TestGateway } from './helpers/gateway.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** One real HTTP request. */
async function call(base: string, method: string, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(`${base}${url}`, { method: method as 'GET', headers });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers)) if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  return { status: response.statusCode, headers: flat, body: text ? JSON.parse(text) : undefined };
}

/** A port nobody listens on: connections are refused at once. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeNpm();
});
afterAll(async () => upstream.close());

describe('upstream trouble -> HTTP status, with the GraphQL error codes', () => {
  let gw: TestGateway;
  let api: (method: string, url: string, headers?: Record<string, string>) => Promise<Answer>;
  beforeAll(async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_HTTP_MAX_RETRY_DELAY: '5', SCOUT_REGISTRY_HTTP_RETRIES: '0', SCOUT_REGISTRY_NEGATIVE_CACHE_TTL: '0' });
    api = (method, url, headers) => call(gw.gateway.url, method, url, headers);
  });
  afterAll(async () => gw.close());
  afterEach(() => upstream.reset());

  it('429 RATE_LIMITED with Retry-After from the registry (extensions.retryAfter)', async () => {
    upstream.script('/lodash', [{ status: 429, headers: { 'retry-after': '3600' } }]);
    const graphql = await gw.query('{ package(ecosystem: NPM, name: "lodash") { name } }');
    expect(graphql.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 3600 });
    upstream.script('/lodash', [{ status: 429, headers: { 'retry-after': '3600' } }]);
    const answer = await api('GET', '/api/v1/npm/lodash');
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('3600');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toEqual({ error: { code: 'RATE_LIMITED', message: graphql.errors?.[0]?.message } });
  });

  it('503 UPSTREAM_UNAVAILABLE when the registry fails and nothing is stored', async () => {
    upstream.script('/tiny-tool', [{ status: 500 }]);
    const answer = await api('GET', '/api/v1/npm/tiny-tool/1.2.0/normalized');
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(answer.body.error.message).toMatch(/HTTP 500/);
  });

  it('502 UPSTREAM_INVALID when the registry answers garbage', async () => {
    upstream.script('/tiny-tool', [{ status: 200, body: '{"name": "tiny-tool", "versions": {' }]);
    const answer = await api('GET', '/api/v1/npm/tiny-tool/versions');
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe('UPSTREAM_INVALID');
    // and the next request, with a good answer upstream, is served
    expect((await api('GET', '/api/v1/npm/tiny-tool/versions')).status).toBe(200);
  });

  it('bulk: upstream trouble of any entry fails the request with its status', async () => {
    upstream.script('/mirror-only', [{ status: 503 }]);
    const answer = await api('GET', '/api/v1/packages/bulk?packages=npm:tiny-tool,npm:mirror-only');
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('API keys for the mutation routes', () => {
  let gw: TestGateway;
  let api: (method: string, url: string, headers?: Record<string, string>) => Promise<Answer>;
  beforeAll(async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_API_KEYS: 'key-one, key-two' });
    api = (method, url, headers) => call(gw.gateway.url, method, url, headers);
  });
  afterAll(async () => gw.close());
  afterEach(() => upstream.reset());

  it('401 without a key (with WWW-Authenticate), 403 with a wrong one, and no upstream request', async () => {
    for (const url of ['/api/v1/npm/tiny-tool/refresh', '/api/v1/npm/tiny-tool/1.2.0/source']) {
      const none = await api('POST', url);
      expect(none.status, url).toBe(401);
      expect(none.headers['www-authenticate'], url).toMatch(/^Bearer/);
      expect(none.body.error.code, url).toBe('UNAUTHENTICATED');
      const wrong = await api('POST', url, { authorization: 'Bearer key-three' });
      expect(wrong.status, url).toBe(403);
      expect(wrong.body.error.code, url).toBe('FORBIDDEN');
      expect(JSON.stringify(wrong.body)).not.toContain('key-one');
    }
    expect(upstream.count()).toBe(0);
  });

  it('a configured key is accepted; reads stay open', async () => {
    const refresh = await api('POST', '/api/v1/npm/tiny-tool/refresh', { authorization: 'Bearer key-two' });
    expect(refresh.status).toBe(200);
    expect(refresh.body.name).toBe('tiny-tool');
    expect((await api('GET', '/api/v1/npm/tiny-tool/1.2.0/source')).body.status).toBe('none');
    // the archive host of the fixture is not the registry's: refused, and said so
    const archive = await api('POST', '/api/v1/npm/tiny-tool/1.2.0/source', { authorization: 'Bearer key-one' });
    expect(archive.status).toBe(502);
    expect(archive.body.error.message).toMatch(/not allowed/);
  });

  it('a missing version behind a valid key is a 404, a missing one without a key still a 401', async () => {
    expect((await api('POST', '/api/v1/npm/tiny-tool/9.9.9/source', { authorization: 'Bearer key-one' })).status).toBe(404);
    expect((await api('POST', '/api/v1/npm/tiny-tool/9.9.9/source')).status).toBe(401);
  });
});

describe('ecosystems with multi-segment names, through HTTP', () => {
  let gw: TestGateway;
  let api: (method: string, url: string) => Promise<Answer>;
  beforeAll(async () => {
    // Nothing listens there: a request that reaches an adapter fails fast with UPSTREAM_UNAVAILABLE.
    const nowhere = await closedPortUrl();
    gw = await startTestGateway(upstream.url, {
      SCOUT_REGISTRY_PACKAGIST_URL: nowhere,
      SCOUT_REGISTRY_MAVEN_URL: nowhere,
      SCOUT_REGISTRY_GO_URL: nowhere,
      SCOUT_REGISTRY_HTTP_RETRIES: '0',
    });
    api = (method, url) => call(gw.gateway.url, method, url);
  });
  afterAll(async () => gw.close());

  // Whether an adapter has landed or not, the route must carry the right name to the GraphQL core:
  // 503 (the adapter tried its registry) or 501 (no adapter yet); never a 400 or a route 404.
  const cases: [string, Record<string, string>][] = [
    ['/api/v1/packagist/symfony/console', { ecosystem: 'PACKAGIST', name: 'symfony/console' }],
    ['/api/v1/packagist/symfony/console/v6.0.0/normalized', { ecosystem: 'PACKAGIST', name: 'symfony/console', version: 'v6.0.0' }],
    ['/api/v1/maven/org.apache.logging.log4j/log4j-core', { ecosystem: 'MAVEN', name: 'org.apache.logging.log4j:log4j-core' }],
    ['/api/v1/maven/org.apache.logging.log4j/log4j-core/2.17.0', { ecosystem: 'MAVEN', name: 'org.apache.logging.log4j:log4j-core', version: '2.17.0' }],
    ['/api/v1/go/github.com/gin-gonic/gin', { ecosystem: 'GO', name: 'github.com/gin-gonic/gin' }],
    ['/api/v1/go/github.com/gin-gonic/gin/@v/v1.9.1', { ecosystem: 'GO', name: 'github.com/gin-gonic/gin', version: 'v1.9.1' }],
  ];
  for (const [url, variables] of cases) {
    it(`GET ${url}`, async () => {
      expect(matchRoute('GET', url).variables).toEqual(variables);
      const answer = await api('GET', url);
      expect([501, 503], JSON.stringify(answer.body)).toContain(answer.status);
      expect(answer.body.error.code).toBe(answer.status === 501 ? 'NOT_IMPLEMENTED' : 'UPSTREAM_UNAVAILABLE');
    });
  }
});

describe('501 NOT_IMPLEMENTED for an ecosystem without an adapter', () => {
  let app: App;
  let server: http.Server;
  let base: string;
  const dataDir = tempDir();
  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    app = await createApp(loadConfig(testEnv(upstream.url, dataDir)), logger);
    // The state of a gateway before an adapter lands: the registry map has no entry for it.
    delete app.adapters.pub;
    const contextDeps: ContextDeps = { ...app, logger, apiKeys: [] };
    const rest = createRestHandler({ contextDeps, logger });
    server = http.createServer((req, res) => void rest.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
  });

  it('answers 501 with the GraphQL code and message', async () => {
    const answer = await call(base, 'GET', '/api/v1/pub/http/1.2.0/normalized');
    expect(answer.status).toBe(501);
    expect(answer.body.error.code).toBe('NOT_IMPLEMENTED');
    expect(answer.body.error.message).toMatch(/PUB/);
    // the other ecosystems are unaffected
    expect((await call(base, 'GET', '/api/v1/npm/tiny-tool')).status).toBe(200);
  });
});

describe('per-client rate limit (SCOUT_REGISTRY_CLIENT_RATE_LIMIT) covers the REST routes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_CLIENT_RATE_LIMIT: '2' });
  });
  afterAll(async () => gw.close());

  it('the third request in a minute is a 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Answer | null = null;
    for (let i = 0; i < 3; i++) {
      last = await call(gw.gateway.url, 'GET', '/api/v1/stats');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
