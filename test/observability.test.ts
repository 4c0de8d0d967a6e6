import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';
import { parse } from 'graphql';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { GatewayMetrics } from '../src/observability/metrics.js';
import { operationLabel } from '../src/observability/graphql.js';
import { requestIdFrom, routeOf } from '../src/observability/request.js';
import { loadTracer, noopTracer, type OtelApi, type Span, type SpanAttributes, type Tracer } from '../src/observability/tracing.js';
import { startGateway, type Gateway } from '../src/server.js';
import { instrumentDocumentStore } from '../src/store/instrumented.js';
import type { DocumentStore } from '../src/store/types.js';
import { FakeUpstream, startFakeNpm } from './helpers/fake-upstream.js';
import { startTestGateway, tempDir, testEnv, type TestGateway } from './helpers/gateway.js';
import { packument, packumentPath } from './helpers/packument.js';

/** One sample of the exposition text: `name{labels} value`, matched on a subset of labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(gateway: Gateway): Promise<string> {
  const response = await request(`${gateway.url}/metrics`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.body.text();
}

const PACKAGE_QUERY = 'query Pkg($name: String!) { package(ecosystem: NPM, name: $name) { name latestVersion { version } } }';

describe('request ids', () => {
  it('keeps a sane x-request-id and replaces anything else with a UUID', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom('4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7')).toBe('4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'has space', 'line\nbreak', 'x'.repeat(129), '<script>', ['a', 'b'], 'a, b']) {
      expect(requestIdFrom(bad), JSON.stringify(bad)).toMatch(uuid);
    }
    expect(requestIdFrom(['only-one'])).toBe('only-one');
  });

  it('labels routes with a bounded set of names', () => {
    const isRest = (path: string) => path.startsWith('/api/v1') || path === '/docs';
    expect(['/graphql', '/metrics', '/healthz', '/readyz', '/api/v1/packages', '/docs', '/favicon.ico'].map((p) => routeOf(p, isRest))).toEqual(['graphql', 'metrics', 'health', 'health', 'rest', 'rest', 'other']);
  });
});

describe('operationLabel', () => {
  it('names an operation by its root fields, through aliases and fragments', () => {
    expect(operationLabel(parse('{ package(ecosystem: NPM, name: "a") { name } }'))).toBe('package');
    expect(operationLabel(parse('{ b: version(ecosystem: NPM, name: "a", version: "1") { version } a: package(ecosystem: NPM, name: "a") { name } x: package(ecosystem: NPM, name: "b") { name } }'))).toBe('package+version');
    expect(operationLabel(parse('query Q { ...Root ... on Query { search(query: "a") { totalCount } } } fragment Root on Query { dependencyGraph(ecosystem: NPM, name: "a", version: "1") { nodeCount } }'))).toBe('dependencyGraph+search');
    expect(operationLabel(parse('{ a: stats { backends { documents } } b: search(query: "x") { totalCount } c: package(ecosystem: NPM, name: "a") { name } d: version(ecosystem: NPM, name: "a", version: "1") { version } }'))).toBe('multiple');
    // The client's operation name picks the operation but never becomes the label.
    expect(operationLabel(parse('query One { stats { backends { documents } } } query Two { search(query: "a") { totalCount } }'), 'Two')).toBe('search');
    expect(operationLabel(parse('query One { stats { backends { documents } } } query Two { search(query: "a") { totalCount } }'))).toBe('invalid');
  });
});

describe('tracing hooks', () => {
  it('is a no-op when the API cannot be imported, has the wrong shape, or OTEL_SDK_DISABLED is true', async () => {
    expect(await loadTracer({ importer: () => Promise.reject(new Error('Cannot find package')) })).toBe(noopTracer);
    expect(await loadTracer({ importer: () => Promise.resolve({ trace: {} }) })).toBe(noopTracer);
    expect(await loadTracer({ importer: () => Promise.resolve(fakeOtel().api), env: { OTEL_SDK_DISABLED: 'true' } })).toBe(noopTracer);
    const span = noopTracer.startSpan('x');
    span.end(new Error('ignored'));
    expect(noopTracer.withSpan?.(span, () => 42)).toBe(42);
  });

  it('goes through @opentelemetry/api when it resolves: attributes, parent context, recorded errors', async () => {
    const otel = fakeOtel();
    const tracer = await loadTracer({ importer: () => Promise.resolve(otel.api), env: {} });
    expect(tracer).not.toBe(noopTracer);
    const parent = tracer.startSpan('query package', { 'scout.operation': 'package' });
    const inner = tracer.withSpan!(parent, () => tracer.startSpan('upstream npm', { 'scout.upstream': 'npm' }));
    inner.end(new Error('HTTP 503'));
    parent.end();
    parent.end(); // twice: ended once
    expect(otel.spans).toEqual([
      { name: 'query package', attributes: { 'scout.operation': 'package' }, parent: null, ended: 1, exceptions: [], status: null },
      { name: 'upstream npm', attributes: { 'scout.upstream': 'npm' }, parent: 'query package', ended: 1, exceptions: ['HTTP 503'], status: { code: 2, message: 'HTTP 503' } },
    ]);
  });

  it('finds @opentelemetry/api by a dynamic import when it is resolvable (never a dependency of this package)', async () => {
    let resolvable = true;
    try {
      await import('@opentelemetry/api' as string);
    } catch {
      resolvable = false;
    }
    const tracer = await loadTracer({ env: {} });
    expect(tracer === noopTracer).toBe(!resolvable);
    // Without an SDK registered the API hands out non-recording spans: calls must still be harmless.
    tracer.startSpan('x', { a: 1 }).end(new Error('e'));
  });
});

describe('instrumented document store', () => {
  it('times every call by operation and counts failures, keeping results and errors as they are', async () => {
    const metrics = new GatewayMetrics();
    const fake = {
      backend: 'fake',
      getPackages: async () => [null],
      stats: async () => {
        throw new Error('disk on fire');
      },
    } as unknown as DocumentStore;
    const store = instrumentDocumentStore(fake, metrics, undefined);
    expect(store.backend).toBe('fake');
    expect(await store.getPackages([{ ecosystem: 'npm', name: 'a' }])).toEqual([null]);
    await expect(store.stats()).rejects.toThrow('disk on fire');
    const text = await metrics.registry.metrics();
    expect(sample(text, 'scout_store_operation_duration_seconds_count', { store: 'documents', backend: 'fake', operation: 'getPackages' })).toBe(1);
    expect(sample(text, 'scout_store_operation_duration_seconds_count', { operation: 'stats' })).toBe(1);
    expect(sample(text, 'scout_store_errors_total', { operation: 'stats' })).toBe(1);
    expect(sample(text, 'scout_store_errors_total', { operation: 'getPackages' })).toBeUndefined();
  });
});

describe('metrics of a running gateway', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startFakeNpm();
    upstream.setDocument(packumentPath('obs-pkg'), packument('obs-pkg'));
    gw = await startTestGateway(upstream.url);
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });

  it('exposes process and gateway metrics at /metrics, in a registry per gateway', async () => {
    const text = await scrape(gw.gateway);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'scout_upstream_limiter_queued', { upstream: 'npm' })).toBe(0);
    expect(sample(text, 'scout_upstream_limiter_running', { upstream: 'pypi' })).toBe(0);
    expect(sample(text, 'scout_http_open_connections')).toBeGreaterThanOrEqual(1);
    expect(gw.gateway.metrics.registry).not.toBe((await import('prom-client')).register);
  });

  it('counts operations, upstream requests, cache lookups and store calls as queries run', async () => {
    const cold = await gw.query(PACKAGE_QUERY, { name: 'obs-pkg' });
    expect(cold.errors).toBeUndefined();
    let text = await scrape(gw.gateway);
    expect(sample(text, 'scout_graphql_operations_total', { operation: 'package', type: 'query', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'scout_graphql_operation_duration_seconds_count', { operation: 'package', type: 'query' })).toBe(1);
    expect(sample(text, 'scout_upstream_requests_total', { upstream: 'npm', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'scout_upstream_request_duration_seconds_count', { upstream: 'npm' })).toBe(1);
    expect(sample(text, 'scout_cache_events_total', { ecosystem: 'npm', event: 'miss' })).toBe(1);
    expect(sample(text, 'scout_cache_hit_ratio', { ecosystem: 'npm' })).toBe(0);
    expect(sample(text, 'scout_store_operation_duration_seconds_count', { store: 'documents', backend: 'sqlite', operation: 'replacePackage' })).toBe(1);
    expect(sample(text, 'scout_store_operation_duration_seconds_count', { store: 'blobs', backend: 'filesystem', operation: 'putMany' })).toBe(1);
    expect(sample(text, 'scout_http_requests_total', { route: 'graphql', method: 'POST', status: '200' })).toBe(1);

    const warm = await gw.query(PACKAGE_QUERY, { name: 'obs-pkg' });
    expect(warm.data).toEqual(cold.data);
    text = await scrape(gw.gateway);
    expect(sample(text, 'scout_graphql_operations_total', { operation: 'package', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'scout_cache_events_total', { ecosystem: 'npm', event: 'hit' })).toBe(1);
    expect(sample(text, 'scout_cache_hit_ratio', { ecosystem: 'npm' })).toBe(0.5);
    // The warm query was a store hit: no second upstream request.
    expect(sample(text, 'scout_upstream_requests_total', { upstream: 'npm', outcome: 'ok' })).toBe(1);
    expect(upstream.count(packumentPath('obs-pkg'))).toBe(1);
  });

  it('counts upstream failures by code and status, 404s, remembered 404s, and failed operations', async () => {
    upstream.script('/obs-broken', [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 500 }]);
    const broken = await gw.query(PACKAGE_QUERY, { name: 'obs-broken' });
    expect(broken.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    await gw.query(PACKAGE_QUERY, { name: 'obs-missing' });
    await gw.query(PACKAGE_QUERY, { name: 'obs-missing' });
    await gw.query('{ package(ecosystem: NPM, name: ');
    const text = await scrape(gw.gateway);
    // Three retries after the first attempt: four requests, each counted with its status.
    expect(sample(text, 'scout_upstream_errors_total', { upstream: 'npm', code: 'UPSTREAM_UNAVAILABLE', status: '503' })).toBe(3);
    expect(sample(text, 'scout_upstream_errors_total', { upstream: 'npm', code: 'UPSTREAM_UNAVAILABLE', status: '500' })).toBe(1);
    expect(sample(text, 'scout_upstream_requests_total', { upstream: 'npm', outcome: 'error' })).toBe(4);
    expect(sample(text, 'scout_upstream_requests_total', { upstream: 'npm', outcome: 'not_found' })).toBe(1);
    expect(sample(text, 'scout_cache_events_total', { ecosystem: 'npm', event: 'negative_hit' })).toBe(1);
    expect(sample(text, 'scout_graphql_operations_total', { operation: 'package', outcome: 'error' })).toBe(1);
    expect(sample(text, 'scout_graphql_operations_total', { operation: 'invalid', type: 'unknown', outcome: 'error' })).toBe(1);
  });

  it('shows requests waiting in a registry limiter while they wait', async () => {
    const narrow = await startTestGateway(upstream.url, { SCOUT_REGISTRY_NPM_CONCURRENCY: '1' });
    let queries: Promise<{ errors?: unknown[] }>[] = [];
    try {
      const names = ['queue-a', 'queue-b', 'queue-c'];
      for (const name of names) {
        upstream.setDocument(packumentPath(name), packument(name));
        upstream.script(packumentPath(name), [{ fixture: true, delayMs: 500 }]);
      }
      queries = names.map((name) => narrow.query(PACKAGE_QUERY, { name }));
      // Scraped until all three reached the limiter and the first one is on the wire (a busy machine may take a moment).
      let during = '';
      for (const until = Date.now() + 3000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 20))) {
        during = await scrape(narrow.gateway);
        if (sample(during, 'scout_upstream_limiter_queued', { upstream: 'npm' }) === 2 && sample(during, 'scout_upstream_sockets', { state: 'running' }) === 1) break;
      }
      expect(sample(during, 'scout_upstream_limiter_running', { upstream: 'npm' })).toBe(1);
      expect(sample(during, 'scout_upstream_limiter_queued', { upstream: 'npm' })).toBe(2);
      expect(sample(during, 'scout_upstream_sockets', { state: 'running' })).toBe(1);
      for (const result of await Promise.all(queries)) expect(result.errors).toBeUndefined();
      const after = await scrape(narrow.gateway);
      expect(sample(after, 'scout_upstream_limiter_queued', { upstream: 'npm' })).toBe(0);
      expect(sample(after, 'scout_upstream_limiter_running', { upstream: 'npm' })).toBe(0);
      expect(sample(after, 'scout_upstream_requests_total', { upstream: 'npm', outcome: 'ok' })).toBe(3);
    } finally {
      await Promise.allSettled(queries);
      await narrow.close();
    }
  });

  it('keeps the counts of each gateway apart', async () => {
    const other = await startTestGateway(upstream.url);
    try {
      const text = await scrape(other.gateway);
      // Process metrics are the process's: present once, whatever the number of gateways.
      expect(text.split('\n').filter((line) => line.startsWith('# HELP process_resident_memory_bytes'))).toHaveLength(1);
      expect(sample(text, 'scout_graphql_operations_total')).toBeUndefined();
      expect(sample(text, 'scout_upstream_requests_total')).toBeUndefined();
      expect(sample(await scrape(gw.gateway), 'scout_graphql_operations_total', { operation: 'package', outcome: 'ok' })).toBe(4);
    } finally {
      await other.close();
    }
  });
});

interface RecordedSpan {
  name: string;
  attributes: SpanAttributes;
  parent: RecordedSpan | null;
  error: unknown;
  ended: boolean;
}

/** A tracer that keeps every span, with parents tracked the way an OpenTelemetry context manager does. */
function recordingTracer(): Tracer & { spans: RecordedSpan[] } {
  const current = new AsyncLocalStorage<RecordedSpan>();
  const spans: RecordedSpan[] = [];
  const handles = new WeakMap<Span, RecordedSpan>();
  return {
    spans,
    startSpan(name, attributes = {}) {
      const recorded: RecordedSpan = { name, attributes, parent: current.getStore() ?? null, error: undefined, ended: false };
      spans.push(recorded);
      const handle: Span = {
        end(error) {
          recorded.ended = true;
          recorded.error = error;
        },
      };
      handles.set(handle, recorded);
      return handle;
    },
    withSpan(span, fn) {
      const recorded = handles.get(span);
      return recorded ? current.run(recorded, fn) : fn();
    },
  };
}

describe('request ids, logs and spans through the gateway', () => {
  let upstream: FakeUpstream;
  let gateway: Gateway;
  const lines: Record<string, unknown>[] = [];
  const tracer = recordingTracer();
  const dataDir = tempDir();
  beforeAll(async () => {
    upstream = await startFakeNpm();
    upstream.setDocument(packumentPath('traced-pkg'), packument('traced-pkg'));
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    const config = loadConfig(testEnv(upstream.url, dataDir));
    gateway = await startGateway(config, { logger: pino({ level: 'info' }, stream), tracer });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });
  afterEach(() => {
    lines.length = 0;
    tracer.spans.length = 0;
  });

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await request(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const json = (await response.body.json()) as { data?: unknown; errors?: unknown[] };
    return { headers: response.headers, json };
  }

  it('echoes a sane x-request-id and logs the request with it and its operation', async () => {
    const { headers, json } = await post({ query: PACKAGE_QUERY, variables: { name: 'traced-pkg' }, operationName: 'Pkg' }, { 'x-request-id': 'client-req-42' });
    expect(json.errors).toBeUndefined();
    expect(headers['x-request-id']).toBe('client-req-42');
    await new Promise((resolve) => setImmediate(resolve));
    const line = lines.find((l) => l.msg === 'request completed' && l.requestId === 'client-req-42');
    expect(line).toMatchObject({ level: 30, method: 'POST', path: '/graphql', status: 200, route: 'graphql', operation: 'package', operationName: 'Pkg' });
    expect(typeof line?.ms).toBe('number');
  });

  it('generates an id for a request without a sane one, on every route', async () => {
    const { headers } = await post({ query: '{ stats { backends { documents } } }' }, { 'x-request-id': 'bad id with spaces' });
    const id = String(headers['x-request-id']);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.some((l) => l.requestId === id && l.operation === 'stats')).toBe(true);
    const health = await request(`${gateway.url}/healthz`);
    await health.body.dump();
    expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(health.headers['x-request-id']).not.toBe(id);
  });

  it('calls the tracer for the operation, with upstream and store spans nested under it', async () => {
    upstream.setDocument(packumentPath('traced-cold-2'), packument('traced-cold-2'));
    const { json } = await post({ query: PACKAGE_QUERY, variables: { name: 'traced-cold-2' }, operationName: 'Pkg' });
    expect(json.errors).toBeUndefined();
    const operation = tracer.spans.find((s) => s.name === 'query package');
    expect(operation).toMatchObject({ ended: true, error: undefined, parent: null, attributes: { 'graphql.operation.type': 'query', 'scout.operation': 'package', 'graphql.operation.name': 'Pkg' } });
    const upstreamSpan = tracer.spans.find((s) => s.name === 'upstream npm');
    expect(upstreamSpan).toMatchObject({ ended: true, error: undefined, attributes: { 'scout.upstream': 'npm', 'url.full': `${upstream.url}/traced-cold-2`, 'server.address': new URL(upstream.url).host } });
    expect(upstreamSpan?.parent).toBe(operation);
    const storeSpan = tracer.spans.find((s) => s.name === 'store documents.replacePackage');
    expect(storeSpan).toMatchObject({ ended: true, attributes: { 'db.system': 'sqlite', 'db.operation.name': 'replacePackage' } });
    expect(storeSpan?.parent).toBe(operation);
    expect(tracer.spans.every((s) => s.ended)).toBe(true);
  });

  it('ends spans with the error when the upstream fails', async () => {
    upstream.script('/traced-broken', Array.from({ length: 4 }, () => ({ status: 502 })));
    const { json } = await post({ query: PACKAGE_QUERY, variables: { name: 'traced-broken' } });
    expect(json.errors).toHaveLength(1);
    const attempts = tracer.spans.filter((s) => s.name === 'upstream npm');
    expect(attempts).toHaveLength(4);
    expect(attempts.every((s) => s.error instanceof Error && /HTTP 502/.test(s.error.message))).toBe(true);
    const operation = tracer.spans.find((s) => s.name === 'query package');
    expect(operation?.error).toBeInstanceOf(Error);
    expect(operation?.error).toMatchObject({ name: 'UpstreamError', code: 'UPSTREAM_UNAVAILABLE' });
  });
});

/** A stand-in for `@opentelemetry/api`: records spans, and tracks the active span as its context API would. */
function fakeOtel() {
  interface FakeSpan { name: string; attributes: SpanAttributes; parent: string | null; ended: number; exceptions: string[]; status: { code: number; message?: string } | null }
  const spans: FakeSpan[] = [];
  const byHandle = new WeakMap<object, FakeSpan>();
  let active: { span: FakeSpan | null } = { span: null };
  const api: OtelApi = {
    trace: {
      getTracer: () => ({
        startSpan(name, options, context) {
          const span: FakeSpan = { name, attributes: options?.attributes ?? {}, parent: (context as { span: FakeSpan | null } | undefined)?.span?.name ?? null, ended: 0, exceptions: [], status: null };
          spans.push(span);
          const handle = {
            end: () => void span.ended++,
            recordException: (exception: Error | string) => void span.exceptions.push(exception instanceof Error ? exception.message : exception),
            setStatus: (status: { code: number; message?: string }) => void (span.status = status),
          };
          byHandle.set(handle, span);
          return handle;
        },
      }),
      setSpan: (_context, span) => ({ span: byHandle.get(span) ?? null }),
    },
    context: {
      active: () => active,
      with(context, fn) {
        const previous = active;
        active = context as { span: FakeSpan | null };
        try {
          return fn();
        } finally {
          active = previous;
        }
      },
    },
  };
  return { api, spans };
}
