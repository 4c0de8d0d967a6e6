import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../src/web/compress.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { packument, packumentPath } from './helpers/packument.js';

/**
 * What real clients send, over real HTTP against the real gateway: introspection as GraphiQL, graphql-js,
 * codegen and Rover send it, GraphQL-over-HTTP variants (GET, content types, Accept, batching),
 * automatic persisted queries as Apollo Client and urql use them, browser CORS, curl-style REST calls,
 * compression, and the GraphiQL page offline.
 */

const root = path.resolve(import.meta.dirname, '..');

interface Answer {
  status: number;
  headers: Record<string, string>;
  raw: Buffer;
  text: string;
  body: any;
}

async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const response = await request(url, { method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body });
  const raw = Buffer.from(await response.body.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  const encoding = headers['content-encoding'];
  const plain = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'br' ? brotliDecompressSync(raw) : raw;
  const text = plain.toString('utf8');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.statusCode, headers, raw, text, body };
}

const post = (gw: TestGateway, body: unknown, headers: Record<string, string> = {}) =>
  call(`${gw.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const get = (gw: TestGateway, params: Record<string, string>, headers: Record<string, string> = {}) => call(`${gw.gateway.url}/graphql?${new URLSearchParams(params).toString()}`, { headers });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** schema.graphql as committed, printed the way a client would print what it introspected. */
const committedSchema = () => printSchema(lexicographicSortSchema(buildSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'))));
const printIntrospected = (data: unknown) => printSchema(lexicographicSortSchema(buildClientSchema(data as IntrospectionQuery)));

let upstream: FakeUpstream;
let gw: TestGateway;
beforeAll(async () => {
  upstream = await startFakeNpm();
  // A package with a long history: its version list is what compression is for.
  const many = Array.from({ length: 1500 }, (_, i) => `${Math.floor(i / 100)}.${i % 100}.0`);
  upstream.setDocument(packumentPath('many-versions'), packument('many-versions', { versions: many }));
  gw = await startTestGateway(upstream.url);
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('introspection as real tools send it (default limits)', () => {
  const expected = committedSchema();

  it('graphql-js with every flag builds a client schema equal to schema.graphql', async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
    const answer = await post(gw, { query, operationName: 'IntrospectionQuery', variables: {} }, { accept: 'application/graphql-response+json, application/json' });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(printIntrospected(answer.body.data)).toBe(expected);
  });

  // GraphiQL 5 (bundled in the page) sends inputValueDeprecation + schemaDescription; Rover its own
  // query with 7 levels of ofType (the same shape as typeDepth 7); get-graphql-schema and older tools the
  // classic query; some tools ask for deeper type references. None asks for specifiedByURL.
  const variants: Record<string, { query: string; operationName: string }> = {
    graphiql: { query: getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }), operationName: 'IntrospectionQuery' },
    rover: { query: getIntrospectionQuery({ inputValueDeprecation: true, typeDepth: 7 }).replace('query IntrospectionQuery', 'query GraphIntrospectQuery'), operationName: 'GraphIntrospectQuery' },
    classic: { query: getIntrospectionQuery({ typeDepth: 7 }), operationName: 'IntrospectionQuery' },
    deep: { query: getIntrospectionQuery({ inputValueDeprecation: true, typeDepth: 30 }), operationName: 'IntrospectionQuery' },
  };
  for (const [client, { query, operationName }] of Object.entries(variants)) {
    it(`${client}: passes the limits and builds the same schema (but specifiedBy URLs)`, async () => {
      const answer = await post(gw, { query, operationName }, { accept: 'application/json' });
      expect(answer.body.errors).toBeUndefined();
      const withoutSpecifiedBy = expected.replace(/ @specifiedBy\(url: "[^"]*"\)/g, '');
      expect(printIntrospected(answer.body.data)).toBe(withoutSpecifiedBy);
    });
  }

  it('works over GET too (graphql-request, curl), within URL-length limits', async () => {
    const query = getIntrospectionQuery({ inputValueDeprecation: true });
    const answer = await get(gw, { query }, { accept: 'application/json' });
    expect(answer.status).toBe(200);
    expect(printIntrospected(answer.body.data)).toContain('type Query');
  });

  it('a deeply nested introspection (exponential fields { type { fields ...) is refused by graphql-js validation', async () => {
    const nested = '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
    const answer = await post(gw, { query: nested }, { accept: 'application/graphql-response+json' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toMatch(/Maximum introspection depth exceeded/);
  });
});

describe('@graphql-codegen/cli pointed at the running gateway', () => {
  it('generates the same typed documents from the URL as from schema.graphql', async () => {
    const codegenConfig = {
      schema: `${gw.gateway.url}/graphql`,
      documents: [path.join(root, 'examples/**/*.graphql')],
      ignoreNoDocuments: false,
      silent: true,
      generates: {
        'examples/generated/': {
          preset: 'client' as const,
          config: { emitLegacyCommonJSImports: false, useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
          presetConfig: { fragmentMasking: false, persistedDocuments: true },
        },
      },
    };
    const files = (await generate({ ...codegenConfig, cwd: root }, false)) as { filename: string; content: string }[];
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const committed = fs.readFileSync(path.resolve(root, file.filename), 'utf8');
      expect(file.content.trim(), file.filename).toBe(committed.trim());
    }
  }, 60_000);
});

describe('GraphQL over HTTP', () => {
  const stats = '{ stats { packages } }';

  it('GET with query and variables; a mutation over GET is refused with 405 and Allow: POST', async () => {
    const answer = await get(gw, { query: 'query ($n: String!) { package(ecosystem: NPM, name: $n) { name } }', variables: JSON.stringify({ n: 'lodash' }) });
    expect(answer.status).toBe(200);
    expect(answer.body.data.package.name).toBe('lodash');
    const mutation = await get(gw, { query: 'mutation { refreshPackage(ecosystem: NPM, name: "lodash") { name } }' }, { accept: 'application/json' });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.allow).toBe('POST');
    expect(mutation.body.errors[0].message).toMatch(/mutation operation from a POST request/);
  });

  it('GET with variables that are not JSON: 400 naming the parameter (was a masked 500 INTERNAL)', async () => {
    const answer = await get(gw, { query: 'query ($n: String!) { package(ecosystem: NPM, name: $n) { name } }', variables: '{n:"lodash"}' }, { accept: 'application/graphql-response+json' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(answer.body.errors[0].message).toMatch(/"variables" query parameter is not valid JSON/);
    const extensions = await get(gw, { query: stats, extensions: 'nope' });
    expect(extensions.status).toBe(400);
    expect(extensions.body.errors[0].message).toMatch(/"extensions" query parameter/);
  });

  it('POST bodies: application/json (with charset), application/graphql+json, application/graphql; text/plain is 415', async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/graphql+json']) {
      const answer = await call(`${gw.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ query: stats }) });
      expect(answer.status, contentType).toBe(200);
      expect(answer.body.data.stats).toBeDefined();
    }
    const raw = await call(`${gw.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/graphql' }, body: stats });
    expect(raw.body.data.stats).toBeDefined();
    const plain = await call(`${gw.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: stats }) });
    expect(plain.status).toBe(415);
  });

  it('Accept: graphql-response+json gets spec status codes; application/json, */* and none get 200 with JSON', async () => {
    const ok = await post(gw, { query: stats }, { accept: 'application/graphql-response+json' });
    expect([ok.status, ok.headers['content-type']]).toEqual([200, 'application/graphql-response+json; charset=utf-8']);
    const parse = await post(gw, { query: '{ stats {' }, { accept: 'application/graphql-response+json' });
    expect(parse.status).toBe(400);
    const invalid = await post(gw, { query: '{ stats { nope } }' }, { accept: 'application/graphql-response+json' });
    expect([invalid.status, invalid.body.errors[0].extensions.code]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
    for (const accept of ['application/json', '*/*', undefined]) {
      const answer = await post(gw, { query: '{ stats { nope } }' }, accept ? { accept } : {});
      expect(answer.status, String(accept)).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect((await post(gw, { query: stats }, { accept: 'text/html' })).status).toBe(406);
  });

  it('an operation over the limits is a request error: 400 under graphql-response+json, 200 under application/json', async () => {
    const query = '{ dependencyGraph(ecosystem: NPM, name: "x", version: "1.0.0", maxNodes: 50000) { nodeCount } }';
    const spec = await post(gw, { query }, { accept: 'application/graphql-response+json' });
    expect([spec.status, spec.body.errors[0].extensions.code]).toEqual([400, 'OPERATION_LIMIT']);
    expect(spec.body.errors[0].extensions.http).toBeUndefined();
    const legacy = await post(gw, { query }, { accept: 'application/json' });
    expect([legacy.status, legacy.body.errors[0].extensions.code]).toEqual([200, 'OPERATION_LIMIT']);
  });

  it('batched requests (an array body) are refused with a clear 400', async () => {
    const answer = await post(gw, [{ query: stats }, { query: stats }]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toBe('Batching is not supported.');
  });

  it('operationName picks one operation; a missing or unknown name says which operations exist', async () => {
    const document = 'query Packages { stats { packages } } query Versions { stats { versions } }';
    const picked = await post(gw, { query: document, operationName: 'Versions' });
    expect(picked.body.data.stats).toEqual({ versions: expect.any(Number) });
    const missing = await post(gw, { query: document }, { accept: 'application/graphql-response+json' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].message).toBe('Cannot pick the operation to run: the document has 2 operations (Packages, Versions): send operationName to pick one');
    const unknown = await post(gw, { query: document, operationName: 'Other' });
    expect(unknown.body.errors[0].message).toMatch(/operationName "Other" is not in the document, whose operations are: Packages, Versions/);
    expect(unknown.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
  });

  it('variables of the wrong type: an error naming the variable, with a code', async () => {
    const query = 'query ($eco: Ecosystem!, $name: String!) { package(ecosystem: $eco, name: $name) { name } }';
    const wrong = await post(gw, { query, variables: { eco: 'NPM', name: 5 } }, { accept: 'application/graphql-response+json' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].message).toMatch(/^Variable "\$name" got invalid value 5/);
    expect(wrong.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const enumCase = await post(gw, { query, variables: { eco: 'npm', name: 'lodash' } });
    expect(enumCase.body.errors[0].message).toMatch(/Variable "\$eco" got invalid value "npm".*Did you mean the enum value "NPM"/);
    const missing = await post(gw, { query, variables: { eco: 'NPM' } });
    expect(missing.body.errors[0].message).toMatch(/Variable "\$name" of required type "String!" was not provided/);
    const notObject = await post(gw, { query, variables: '{"eco":"NPM"}' });
    expect(notObject.body.errors[0].message).toMatch(/"variables" param to be empty or an object/);
  });
});

describe('automatic persisted queries (Apollo Client, urql)', () => {
  const query = 'query Tiny { package(ecosystem: NPM, name: "tiny-tool") { name } }';
  const hash = sha256(query);
  const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

  it('hash alone -> PersistedQueryNotFound (200, not cacheable); hash + query registers; then GET by hash runs it', async () => {
    const miss = await post(gw, { operationName: 'Tiny', extensions: apq(hash) }, { accept: 'application/graphql-response+json, application/json;q=0.9' });
    expect(miss.status).toBe(200);
    expect(miss.body.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    expect(miss.headers['cache-control']).toMatch(/no-cache/);
    const register = await post(gw, { query, operationName: 'Tiny', extensions: apq(hash) });
    expect(register.body.data.package.name).toBe('tiny-tool');
    // Apollo's useGETForHashedQueries: the hash in the URL, no query.
    const hit = await get(gw, { operationName: 'Tiny', variables: '{}', extensions: JSON.stringify(apq(hash.toUpperCase())) });
    expect(hit.status).toBe(200);
    expect(hit.body.data.package.name).toBe('tiny-tool');
  });

  it('a hash that is not the document\'s, a bad hash or version: 400 with a reason', async () => {
    const mismatch = await post(gw, { query, extensions: apq(sha256('something else')) });
    expect([mismatch.status, mismatch.body.errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
    expect(mismatch.body.errors[0].message).toMatch(/provided sha does not match query/);
    expect((await post(gw, { extensions: apq('abc') })).body.errors[0].message).toMatch(/64 hex digits/);
    expect((await post(gw, { extensions: { persistedQuery: { version: 2, sha256Hash: hash } } })).body.errors[0].message).toMatch(/Unsupported persisted query version/);
  });

  it('remembers only documents that may run: invalid or over-limit documents stay unknown', async () => {
    for (const bad of ['{ stats { nope } }', '{ dependencyGraph(ecosystem: NPM, name: "x", version: "1.0.0", maxNodes: 50000) { nodeCount } }']) {
      const sent = await post(gw, { query: bad, extensions: apq(sha256(bad)) });
      expect(sent.body.errors).toBeDefined();
      const again = await post(gw, { extensions: apq(sha256(bad)) });
      expect(again.body.errors[0].message).toBe('PersistedQueryNotFound');
    }
  });

  it('SCOUT_REGISTRY_APQ=false: a hash alone gets PersistedQueryNotSupported (clients then send full queries)', async () => {
    const off = await startTestGateway(upstream.url, { SCOUT_REGISTRY_APQ: 'false' });
    try {
      const answer = await post(off, { extensions: apq(hash) });
      expect(answer.body.errors[0]).toMatchObject({ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } });
      const full = await post(off, { query, extensions: apq(hash) });
      expect(full.body.data.package.name).toBe('tiny-tool');
      expect((await post(off, { extensions: apq(hash) })).body.errors[0].message).toBe('PersistedQueryNotSupported');
    } finally {
      await off.close();
    }
  });

  it('SCOUT_REGISTRY_PERSISTED_ONLY still refuses unknown documents, sent with a hash or registered APQ-style', async () => {
    const manifest = path.join(root, 'examples/generated/persisted-documents.json');
    const allowed = Object.entries(JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, string>)[0]!;
    const only = await startTestGateway(upstream.url, { SCOUT_REGISTRY_PERSISTED_ONLY: 'true', SCOUT_REGISTRY_PERSISTED_DOCUMENTS: manifest });
    try {
      const register = await post(only, { query, extensions: apq(hash) });
      expect([register.status, register.body.errors[0].extensions.code]).toEqual([403, 'PERSISTED_QUERY_NOT_ALLOWED']);
      const byHash = await post(only, { extensions: apq(hash) });
      expect([byHash.status, byHash.body.errors[0].extensions.code]).toEqual([403, 'PERSISTED_QUERY_NOT_ALLOWED']);
      expect(byHash.headers['cache-control']).toMatch(/no-cache/);
      const listed = await post(only, { extensions: apq(allowed[0].slice('sha256:'.length)), variables: { name: 'lodash', ecosystem: 'NPM' } });
      expect(listed.body.errors?.[0]?.extensions?.code).not.toBe('PERSISTED_QUERY_NOT_ALLOWED');
    } finally {
      await only.close();
    }
  });
});

describe('CORS: a browser frontend on another origin', () => {
  const origin = 'https://frontend.example';

  it('preflight then POST to /graphql; preflight then GET to /api/v1 (default SCOUT_REGISTRY_CORS_ORIGINS=*)', async () => {
    const preflight = await call(`${gw.gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, apollographql-client-name' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type, authorization, apollographql-client-name');
    expect(Number(preflight.headers['access-control-max-age'])).toBeGreaterThan(0);
    const answer = await post(gw, { query: '{ stats { packages } }' }, { origin });
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    expect(answer.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);

    const restPreflight = await call(`${gw.gateway.url}/api/v1/npm/lodash`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-request-id' } });
    expect(restPreflight.status).toBe(204);
    expect(restPreflight.headers['access-control-allow-headers']).toBe('x-request-id');
    const read = await call(`${gw.gateway.url}/api/v1/npm/lodash`, { headers: { origin } });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe('*');
    expect(read.headers['access-control-expose-headers']).toMatch(/ETag/);
    // Operational endpoints stay out of reach of other origins' scripts.
    const metrics = await call(`${gw.gateway.url}/metrics`, { headers: { origin } });
    expect(metrics.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('SCOUT_REGISTRY_CORS_ORIGINS lists the origins: those get their origin back (with credentials), others nothing', async () => {
    const listed = await startTestGateway(upstream.url, { SCOUT_REGISTRY_CORS_ORIGINS: `${origin}, http://localhost:3000` });
    try {
      for (const url of [`${listed.gateway.url}/graphql`, `${listed.gateway.url}/api/v1/npm/lodash`]) {
        const ok = await call(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
        expect(ok.headers['access-control-allow-origin']).toBe(origin);
        expect(ok.headers['access-control-allow-credentials']).toBe('true');
        expect(ok.headers.vary).toMatch(/Origin/);
        const foreign = await call(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
        expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      }
      const graphql = await post(listed, { query: '{ stats { packages } }' }, { origin: 'http://localhost:3000' });
      expect(graphql.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      // yoga writes its own headers: Origin must survive next to Accept-Encoding.
      expect(graphql.headers.vary).toMatch(/Origin/);
      expect(graphql.headers.vary).toMatch(/Accept-Encoding/);
      const page = await call(`${listed.gateway.url}/graphql`, { headers: { accept: 'text/html', origin: 'https://evil.example' } });
      expect(page.headers.vary).toBe('Origin, Accept-Encoding');
      const rest = await call(`${listed.gateway.url}/api/v1/npm/lodash`, { headers: { origin: 'https://evil.example' } });
      expect(rest.status).toBe(200);
      expect(rest.headers['access-control-allow-origin']).toBeUndefined();
      expect(rest.headers.vary).toMatch(/Origin/);
    } finally {
      await listed.close();
    }
  });
});

describe('REST with curl-style clients', () => {
  const api = (p: string, headers: Record<string, string> = {}, method = 'GET') => call(`${gw.gateway.url}/api/v1${p}`, { method, headers });

  it('no Accept, Accept: application/json, an unrelated Accept, a trailing slash: the same JSON', async () => {
    const plain = await api('/npm/lodash');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const [p, headers] of [['/npm/lodash', { accept: 'application/json' }], ['/npm/lodash', { accept: '*/*' }], ['/npm/lodash/', {}]] as const) {
      const answer = await api(p, headers);
      expect(answer.status, p).toBe(200);
      expect(answer.body.name).toBe('lodash');
    }
  });

  it('HEAD has the headers of GET and no body', async () => {
    const head = await api('/npm/lodash', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.raw.byteLength).toBe(0);
    expect(head.headers.etag).toBe((await api('/npm/lodash')).headers.etag);
  });

  it('scoped names: as they are, %40scope%2Fname, %40scope/name; double-encoded is read by the npm adapter as the same name', async () => {
    for (const p of ['/npm/@scope/widget', '/npm/%40scope%2Fwidget', '/npm/%40scope/widget', '/npm/@scope%2Fwidget', '/npm/%2540scope%252Fwidget']) {
      const answer = await api(p);
      expect(answer.status, p).toBe(200);
      expect(answer.body.name, p).toBe('@scope/widget');
    }
  });

  it('If-None-Match: the strong tag, its weak form, a list, *: 304', async () => {
    const { headers } = await api('/npm/lodash');
    const etag = headers.etag!;
    expect(etag).toMatch(/^"[^"]+"$/);
    for (const inm of [etag, `W/${etag}`, `"other", W/${etag}`, '*']) {
      const answer = await api('/npm/lodash', { 'if-none-match': inm });
      expect(answer.status, inm).toBe(304);
      expect(answer.raw.byteLength).toBe(0);
      expect(answer.headers.etag).toBe(etag);
    }
    expect((await api('/npm/lodash', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('gzip and brotli for large bodies: a 1500-version list shrinks to a fraction; small bodies stay plain', async () => {
    const identity = await api('/npm/many-versions/versions');
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toMatch(/Accept-Encoding/);
    const gzip = await api('/npm/many-versions/versions', { 'accept-encoding': 'gzip, deflate, br' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.text).toBe(identity.text);
    expect(Number(gzip.headers['content-length'])).toBe(gzip.raw.byteLength);
    // Measured: ~200 KB of JSON -> under a tenth.
    expect(gzip.raw.byteLength).toBeLessThan(identity.raw.byteLength / 8);
    // A compressed body carries the weak form of the tag, which still revalidates.
    expect(gzip.headers.etag).toBe(`W/${identity.headers.etag}`);
    expect((await api('/npm/many-versions/versions', { 'accept-encoding': 'gzip', 'if-none-match': gzip.headers.etag! })).status).toBe(304);
    const br = await api('/npm/many-versions/versions', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.text).toBe(identity.text);
    const small = await api('/stats', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('GraphQL answers are compressed too (an introspection result)', async () => {
    const query = getIntrospectionQuery();
    const plain = await post(gw, { query });
    const gzip = await post(gw, { query }, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.text).toBe(plain.text);
    expect(gzip.raw.byteLength).toBeLessThan(plain.raw.byteLength / 4);
  });

  it('Accept-Encoding negotiation honours q-values and *', () => {
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('gzip');
    expect(negotiateEncoding('br;q=1.0, gzip;q=0.8')).toBe('br');
    expect(negotiateEncoding('gzip;q=0, br')).toBe('br');
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('*')).toBe('gzip');
    expect(negotiateEncoding('*;q=0')).toBeNull();
    expect(negotiateEncoding(undefined)).toBeNull();
  });
});

describe('GraphiQL without internet', () => {
  it('loads no script, style or font from another host; served once, revalidated, compressed', async () => {
    const page = await call(`${gw.gateway.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'accept-encoding': 'gzip, deflate, br' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toMatch(/<title>Scout Registry<\/title>/);
    // Every <script src> and <link href> of the page itself is inline (data:) or relative: nothing to fetch.
    const tags = [...page.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!);
    for (const url of tags) expect(url, url).toMatch(/^(data:|\$\{|'\+|\/(?!\/)|\.)/);
    expect(page.text).not.toMatch(/unpkg\.com|cdn\.jsdelivr\.net|esm\.sh|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com/);
    // ~9 MB inlined: gzip takes it to about a quarter; the ETag spares even that on reload.
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.raw.byteLength).toBeLessThan(page.text.length / 3);
    expect(page.headers['cache-control']).toBe('no-cache');
    const again = await call(`${gw.gateway.url}/graphql`, { headers: { accept: 'text/html', 'if-none-match': page.headers.etag! } });
    expect(again.status).toBe(304);
  });
});
