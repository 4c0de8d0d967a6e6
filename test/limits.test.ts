import fs from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { loadConfig } from '../src/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { analyzeOperation } from '../src/limits/operation-limits.js';
import { ClientRateLimiter } from '../src/limits/client-rate.js';
import { buildSchema } from '../src/schema/index.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

describe('operation analysis', () => {
  const schema = buildSchema();
  const analyze = (query: string, variables: Record<string, unknown> = {}) => analyzeOperation(schema, parse(query), null, variables);

  it('measures depth through fragments and counts aliases', () => {
    const result = analyze('query { a: package(ecosystem: NPM, name: "x") { ...P } b: package(ecosystem: NPM, name: "y") { name } } fragment P on Package { latestVersion { dependencies { package { name } } } }');
    expect(result.depth).toBe(5);
    expect(result.aliases).toBe(2);
  });

  it('multiplies list costs by their sizes, from literals and variables', () => {
    const small = analyze('query ($n: Int) { package(ecosystem: NPM, name: "x") { versions(first: $n) { edges { node { version } } } } }', { n: 10 });
    const large = analyze('query ($n: Int) { package(ecosystem: NPM, name: "x") { versions(first: $n) { edges { node { version } } } } }', { n: 1000 });
    expect(large.cost).toBeGreaterThan(small.cost * 50);
    const refs = Array.from({ length: 100 }, (_, i) => ({ ecosystem: 'NPM', name: `p${i}` }));
    const bulk = analyze('query ($refs: [PackageRefInput!]!) { packages(refs: $refs) { name } }', { refs });
    expect(bulk.cost).toBeGreaterThanOrEqual(100 * 10);
    const graph = analyze('{ dependencyGraph(ecosystem: NPM, name: "x", version: "1.0.0", maxNodes: 5000) { nodes { version { license { spdx } } } } }');
    expect(graph.cost).toBeGreaterThan(50_000);
  });

  it('charges each version that may need its own details request once, however many detail fields it asks', () => {
    const list = (fields: string) => analyze(`{ package(ecosystem: HEX, name: "x") { versions(first: 1000) { edges { node { ${fields} } } } } }`).cost;
    const plain = list('version status');
    // 1000 versions x one details request (10 each).
    expect(list('version status dependencies { name }') - plain).toBeGreaterThanOrEqual(1000 * 10);
    expect(list('version license { spdx } description links { homepage } dependencies { name }') - list('version dependencies { name }')).toBeLessThan(1000 * 10);
  });
});

describe('limits at the gateway', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startFakeNpm();
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_MAX_DEPTH: '6', SCOUT_REGISTRY_MAX_ALIASES: '3', SCOUT_REGISTRY_MAX_COST: '5000', SCOUT_REGISTRY_MAX_TOKENS: '300', SCOUT_REGISTRY_INTROSPECTION: 'false' });
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });

  const rejected = async (query: string, variables?: Record<string, unknown>) => {
    upstream.reset();
    const result = await gw.query(query, variables);
    expect(upstream.count(), 'no resolver may run').toBe(0);
    return result.errors?.[0];
  };

  it('rejects a too-deep operation before any resolver runs, naming the limit', async () => {
    const error = await rejected('{ package(ecosystem: NPM, name: "lodash") { latestVersion { dependencies { package { latestVersion { dependencies { package { name } } } } } } } }');
    expect(error?.extensions?.code).toBe('OPERATION_LIMIT');
    expect(error?.message).toMatch(/depth 8 exceeds the limit of 6 \(SCOUT_REGISTRY_MAX_DEPTH\)/);
  });

  it('rejects too many aliases and too high a cost', async () => {
    const aliases = await rejected('{ a: stats { packages } b: stats { packages } c: stats { packages } d: stats { packages } }');
    expect(aliases?.message).toMatch(/alias count 4 exceeds the limit of 3/);
    const cost = await rejected('{ search(query: "lodash", first: 100) { edges { node { versions(first: 100) { totalCount } } } } }');
    expect(cost?.extensions).toMatchObject({ code: 'OPERATION_LIMIT', limit: 'cost', max: 5000 });
    expect(Number(cost?.extensions?.value)).toBeGreaterThan(5000);
  });

  it('caps tokens while parsing and can turn introspection off', async () => {
    const many = `{ ${Array.from({ length: 200 }, () => 'stats { packages }').join(' ')} }`;
    const tokens = await rejected(many);
    expect(tokens?.message).toMatch(/300 tokens/);
    const introspection = await rejected('{ __schema { types { name } } }');
    expect(introspection?.message).toMatch(/introspection/i);
  });

  it('lets an ordinary query through', async () => {
    const result = await gw.query('{ package(ecosystem: NPM, name: "lodash") { name } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.package.name).toBe('lodash');
  });
});

describe('per-client rate limit', () => {
  it('refills continuously and says how long to wait', () => {
    let now = 0;
    const limiter = new ClientRateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBeNull();
    now += 1000;
    expect(limiter.take('a')).toBeNull();
    expect(new ClientRateLimiter(0).take('x')).toBeNull();
  });

  it('answers 429 with Retry-After at the gateway, per API key or address', async () => {
    const upstream = await startFakeNpm();
    const gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_CLIENT_RATE_LIMIT: '5' });
    try {
      const post = (headers: Record<string, string> = {}) =>
        request(`${gw.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ stats { packages } }' }) });
      for (let i = 0; i < 5; i++) expect((await post()).statusCode).toBe(200);
      const limited = await post();
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(await limited.body.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
      // Another client (an API key) has its own allowance.
      expect((await post({ authorization: 'Bearer someone-else' })).statusCode).toBe(200);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });
});

describe('persisted operations only', () => {
  const manifest = path.resolve(import.meta.dirname, '..', 'examples', 'generated', 'persisted-documents.json');
  const documents = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, string>;
  const [id, query] = Object.entries(documents).find(([, text]) => text.startsWith('query PackageOverview'))!;

  it('runs allow-listed operations by id or by text and refuses anything else before execution', async () => {
    const upstream = await startFakeNpm();
    const gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_PERSISTED_ONLY: 'true', SCOUT_REGISTRY_PERSISTED_DOCUMENTS: manifest });
    try {
      const post = async (body: Record<string, unknown>) =>
        (await (await request(`${gw.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).body.json()) as { data?: { package?: { id: string } | null }; errors?: { extensions?: { code?: string } }[] };
      const variables = { ecosystem: 'NPM', name: 'lodash' };
      const byId = await post({ documentId: id, variables });
      expect(byId.errors).toBeUndefined();
      expect(byId.data?.package?.id).toBeTruthy();
      const byApq = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id.slice('sha256:'.length) } }, variables });
      expect(byApq.errors).toBeUndefined();
      expect((await post({ query, variables })).errors).toBeUndefined();
      upstream.reset();
      const adHoc = await post({ query: '{ package(ecosystem: NPM, name: "tiny-tool") { name } }' });
      expect(adHoc.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      const unknown = await post({ documentId: `sha256:${'0'.repeat(64)}` });
      expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      expect(upstream.count()).toBe(0);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });

  it('will not start without an allow-list', () => {
    expect(() => loadConfig({ SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9', SCOUT_REGISTRY_PERSISTED_ONLY: 'true' })).toThrow(/SCOUT_REGISTRY_PERSISTED_DOCUMENTS/);
  });
});
