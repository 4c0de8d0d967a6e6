import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, tempDir, testEnv, type TestGateway } from './helpers/gateway.js';

/* SCOUT_REGISTRY_REQUIRE_AUTH: reads need a key too; pages without data and the probes stay open. */

async function call(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await request(`${base}${path}`, { method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) as any };
}

const graphql = (key?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
  body: JSON.stringify({ query: '{ package(ecosystem: NPM, name: "lodash") { name } }' }),
});

let upstream: FakeUpstream;
let gw: TestGateway;
beforeAll(async () => {
  upstream = await startFakeNpm();
  gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_API_KEYS: 'key-one,key-two', SCOUT_REGISTRY_REQUIRE_AUTH: 'true' });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

describe('SCOUT_REGISTRY_REQUIRE_AUTH', () => {
  it('refuses to start without keys, naming both settings', () => {
    expect(() => loadConfig(testEnv(upstream.url, tempDir(), { SCOUT_REGISTRY_REQUIRE_AUTH: 'true' }))).toThrow(ConfigError);
    expect(() => loadConfig(testEnv(upstream.url, tempDir(), { SCOUT_REGISTRY_REQUIRE_AUTH: 'true' }))).toThrow(/SCOUT_REGISTRY_REQUIRE_AUTH=true needs SCOUT_REGISTRY_API_KEYS/);
  });

  it('GraphQL reads without a key: 401 with a Bearer challenge and UNAUTHENTICATED, before any upstream request', async () => {
    const before = upstream.requests.length;
    const answer = await call(gw.gateway.url, '/graphql', graphql());
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="scout-registry"');
    expect(answer.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(upstream.requests.length).toBe(before);
  });

  it('a wrong key is 403 FORBIDDEN; a right one answers', async () => {
    const wrong = await call(gw.gateway.url, '/graphql', graphql('key-three'));
    expect(wrong.status).toBe(403);
    expect(wrong.json().errors[0].extensions.code).toBe('FORBIDDEN');
    expect(wrong.text).not.toContain('key-three');
    const right = await call(gw.gateway.url, '/graphql', graphql('key-two'));
    expect(right.status).toBe(200);
    expect(right.json().data.package.name).toBe('lodash');
  });

  it('REST reads answer in the REST error shape, and with a key as usual', async () => {
    const none = await call(gw.gateway.url, '/api/v1/npm/lodash');
    expect(none.status).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/Authorization: Bearer/) } });
    const wrong = await call(gw.gateway.url, '/api/v1/npm/lodash', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(403);
    expect(wrong.json().error.code).toBe('FORBIDDEN');
    const right = await call(gw.gateway.url, '/api/v1/npm/lodash', { headers: { authorization: 'Bearer key-one' } });
    expect(right.status).toBe(200);
    expect(right.json().name).toBe('lodash');
  });

  it('probes, metrics, docs, the OpenAPI document and the GraphiQL page stay open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/docs', '/api/v1/openapi.json']) {
      expect((await call(gw.gateway.url, path)).status, path).toBe(200);
    }
    const page = await call(gw.gateway.url, '/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});
