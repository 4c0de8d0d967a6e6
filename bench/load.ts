/**
 * `npm run bench:load`: the gateway (a child process, NODE_ENV=production, embedded store) under a
 * mixed warm workload (package, version, search, dependencyGraph over a few stored npm packages) at a
 * fixed concurrency for a fixed time, while a background cold workload asks for never-seen packages
 * from a fake upstream that answers after a delay. Prints throughput, p50/p99, errors (must be 0),
 * peak RSS and open sockets before/after; then fires concurrent cold queries for one package, which
 * must cost exactly one upstream request.
 * BENCH_DURATION (seconds, 10), BENCH_CONNECTIONS (warm, 10), BENCH_COLD_CONCURRENCY (4),
 * BENCH_UPSTREAM_DELAY_MS (200), BENCH_HERD (200).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/server.js';
import { packument } from '../test/helpers/packument.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const COLD_CONCURRENCY = Number(process.env.BENCH_COLD_CONCURRENCY ?? 4);
const UPSTREAM_DELAY_MS = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? 200);
const HERD = Number(process.env.BENCH_HERD ?? 200);

const VERSIONS = Array.from({ length: 40 }, (_, i) => `${Math.floor(i / 10)}.${i % 10}.0`);
/** A small tree: the graph query resolves all of it (root -> a, b -> c, d; b -> a again). */
const WARM: Record<string, Record<string, string>> = {
  'load-app': { 'load-a': '^3.0.0', 'load-b': '~2.5.0' },
  'load-a': { 'load-c': '^1.0.0', 'load-d': '>=2.0.0' },
  'load-b': { 'load-a': '^3.2.0', 'load-e': '^0.1.0' },
  'load-c': {},
  'load-d': {},
  'load-e': {},
};

const QUERIES = {
  package: `query P($name: String!) { package(ecosystem: NPM, name: $name) { name description license { spdx } latestVersion { version publishedAt } versions(first: 20) { totalCount edges { node { version status } } } } }`,
  version: `query V($name: String!, $version: String!) { version(ecosystem: NPM, name: $name, version: $version) { version publishedAt normalized { license { spdx } dependencies { runtime { name constraint } } checksums { algorithm value } } } }`,
  search: `query S($q: String!) { search(query: $q, first: 10) { totalCount edges { node { name latestVersion { version } } } } }`,
  graph: `query G($name: String!) { dependencyGraph(ecosystem: NPM, name: $name, version: "latest") { nodeCount truncated nodes { id depth } edges { from to } } }`,
};

// ---------------------------------------------------------------- gateway child process

async function serveGateway(): Promise<void> {
  const config = loadConfig({
    SCOUT_REGISTRY_API_HOST: '127.0.0.1',
    SCOUT_REGISTRY_API_PORT: '0',
    SCOUT_REGISTRY_DATA_DIR: process.env.BENCH_DATA_DIR!,
    SCOUT_REGISTRY_NPM_URL: process.env.BENCH_UPSTREAM!,
    // Production defaults otherwise (npm limiter 0.1 s, 8 in flight); warnings would show a problem.
    SCOUT_REGISTRY_LOG_LEVEL: 'warn',
  });
  const gateway = await startGateway(config);
  process.send!({ port: Number(new URL(gateway.url).port) });
}

// ---------------------------------------------------------------- fake upstream

/** Warm packages answer at once; any other name is a cold package, generated after the delay. */
function startUpstream(): Promise<{ url: string; count: (name: string) => number; total: () => number; close: () => Promise<void> }> {
  const counts = new Map<string, number>();
  const bodies = new Map(Object.entries(WARM).map(([name, dependencies]) => [name, JSON.stringify(packument(name, { versions: VERSIONS, dependencies }))]));
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0]!);
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const warm = bodies.get(name);
    const send = (body: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (warm) send(warm);
    else setTimeout(() => send(JSON.stringify(packument(name, { versions: ['1.0.0', '1.1.0', '2.0.0'] }))), UPSTREAM_DELAY_MS);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        count: (name) => counts.get(name) ?? 0,
        total: () => [...counts.values()].reduce((a, b) => a + b, 0),
        close: () => {
          server.closeAllConnections();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

// ---------------------------------------------------------------- measuring the child

interface Snapshot {
  rss: number;
  /** Socket descriptors the process holds (/proc), null where /proc is not available. */
  sockets: number | null;
  clientConnections: number;
  upstreamSockets: number;
  npmQueued: number;
}

function metricValue(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

function socketDescriptors(pid: number): number | null {
  try {
    const dir = `/proc/${pid}/fd`;
    return fs.readdirSync(dir).filter((fd) => {
      try {
        return fs.readlinkSync(path.join(dir, fd)).startsWith('socket:');
      } catch {
        return false; // closed meanwhile
      }
    }).length;
  } catch {
    return null;
  }
}

function peakRssFromProc(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function snapshot(base: string, pid: number): Promise<Snapshot> {
  // Counted before the scrape, whose own connection would otherwise be in the figure.
  const sockets = socketDescriptors(pid);
  const response = await request(`${base}/metrics`, { reset: true });
  const text = await response.body.text();
  return {
    rss: metricValue(text, 'process_resident_memory_bytes'),
    sockets,
    clientConnections: metricValue(text, 'scout_http_open_connections') - 1,
    upstreamSockets: metricValue(text, 'scout_upstream_sockets', '{state="connected"}'),
    npmQueued: metricValue(text, 'scout_upstream_limiter_queued', '{upstream="npm"}'),
  };
}

/** Per operation label: count and mean latency, from the gateway's own histogram. */
function operationFigures(text: string): { operation: string; count: number; meanMs: number }[] {
  const sums = new Map<string, { count: number; sum: number }>();
  for (const line of text.split('\n')) {
    const match = /^scout_graphql_operation_duration_seconds_(sum|count)\{operation="([^"]+)",type="[^"]*"\} (\S+)$/.exec(line);
    if (!match) continue;
    const entry = sums.get(match[2]!) ?? { count: 0, sum: 0 };
    if (match[1] === 'sum') entry.sum += Number(match[3]);
    else entry.count += Number(match[3]);
    sums.set(match[2]!, entry);
  }
  return [...sums].map(([operation, { count, sum }]) => ({ operation, count, meanMs: (sum / count) * 1000 })).sort((a, b) => b.count - a.count);
}

// ---------------------------------------------------------------- workloads

type GraphQLBody = { data?: Record<string, unknown> | null; errors?: unknown[] };

async function graphql(base: string, query: string, variables: Record<string, unknown>, dispatcher?: Agent): Promise<GraphQLBody> {
  const response = await request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), ...(dispatcher ? { dispatcher } : {}) });
  if (response.statusCode !== 200) {
    await response.body.dump();
    return { errors: [`HTTP ${response.statusCode}`] };
  }
  return (await response.body.json()) as GraphQLBody;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Never-seen packages, one after another per worker, until `stop` says so. */
async function coldWorkload(base: string, dispatcher: Agent, stop: () => boolean): Promise<{ latencies: number[]; errors: number; detail: string[] }> {
  const latencies: number[] = [];
  const detail: string[] = [];
  let errors = 0;
  let next = 0;
  await Promise.all(Array.from({ length: COLD_CONCURRENCY }, async () => {
    while (!stop()) {
      const name = `cold-${process.pid}-${next++}`;
      const started = performance.now();
      try {
        const body = await graphql(base, QUERIES.package, { name }, dispatcher);
        const pkg = body.data?.package as { name?: string } | null | undefined;
        if (body.errors || pkg?.name !== name) {
          errors++;
          if (detail.length < 3) detail.push(JSON.stringify(body).slice(0, 200));
        }
      } catch (error) {
        errors++;
        if (detail.length < 3) detail.push(String(error));
      }
      latencies.push(performance.now() - started);
    }
  }));
  return { latencies: latencies.sort((a, b) => a - b), errors, detail };
}

function warmRequests(errors: { count: number; detail: string[] }): autocannon.Request[] {
  const names = ['load-app', 'load-a', 'load-b'];
  const bodies = names.flatMap((name) => [
    { query: QUERIES.package, variables: { name } },
    { query: QUERIES.version, variables: { name, version: 'latest' } },
    { query: QUERIES.search, variables: { q: name === 'load-app' ? 'load' : name } },
    { query: QUERIES.graph, variables: { name } },
  ]);
  // A 200 carrying GraphQL errors is an error too.
  const onResponse = (status: number, body: string) => {
    if (status === 200 && !body.includes('"errors"')) return;
    errors.count++;
    if (errors.detail.length < 3) errors.detail.push(`${status} ${body.slice(0, 200)}`);
  };
  return bodies.map((body) => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), onResponse }));
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scout-bench-load-'));
  let child: ChildProcess | null = null;
  const failures: string[] = [];
  try {
    child = fork(new URL(import.meta.url).pathname, ['gateway'], { execArgv: ['--import', 'tsx'], env: { ...process.env, NODE_ENV: 'production', BENCH_DATA_DIR: dataDir, BENCH_UPSTREAM: upstream.url } });
    const started = child;
    const port = await new Promise<number>((resolve, reject) => {
      started.once('message', (message) => resolve((message as { port: number }).port));
      started.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    });
    const pid = started.pid!;
    const base = `http://127.0.0.1:${port}`;

    // Warm-up: every warm package fetched and stored, the graph resolved once. The bench's own
    // keep-alive pools are closed before sockets are counted, so the counts are the gateway's.
    const warmUpAgent = new Agent();
    for (const name of Object.keys(WARM)) {
      const body = await graphql(base, QUERIES.package, { name }, warmUpAgent);
      if (body.errors) throw new Error(`warm-up of ${name} failed: ${JSON.stringify(body.errors)}`);
    }
    const graph = await graphql(base, QUERIES.graph, { name: 'load-app' }, warmUpAgent);
    await warmUpAgent.close();
    const nodeCount = (graph.data?.dependencyGraph as { nodeCount?: number } | undefined)?.nodeCount;
    if (nodeCount !== Object.keys(WARM).length) throw new Error(`warm-up graph has ${nodeCount} nodes: ${JSON.stringify(graph).slice(0, 300)}`);
    const warmUpstream = upstream.total();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await snapshot(base, pid);

    console.log(`Scout Registry load bench: ${DURATION}s, warm ${CONNECTIONS} connections (package/version/search/dependencyGraph over 3 stored packages),`);
    console.log(`cold ${COLD_CONCURRENCY} workers on never-seen packages (upstream answers after ${UPSTREAM_DELAY_MS} ms, npm limiter at production defaults),`);
    console.log(`${os.cpus().length} cores, Node ${process.version}, gateway pid ${pid}`);

    let peakRss = before.rss;
    let peakQueued = 0;
    let peakClientConnections = before.clientConnections;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const s = await snapshot(base, pid).catch(() => null);
        if (!s) continue;
        peakRss = Math.max(peakRss, s.rss);
        peakQueued = Math.max(peakQueued, s.npmQueued);
        peakClientConnections = Math.max(peakClientConnections, s.clientConnections);
      }
    })();

    const warmErrors = { count: 0, detail: [] as string[] };
    let warmDone = false;
    const coldAgent = new Agent();
    const cold = coldWorkload(base, coldAgent, () => warmDone);
    const warm = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, requests: warmRequests(warmErrors) });
    warmDone = true;
    const coldResult = await cold;
    await coldAgent.close();
    sampling = false;
    await sampler;

    // Idle past the fake upstream's 5 s keep-alive, so sockets still held after that would be leaks.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const after = await snapshot(base, pid);

    // The herd: concurrent cold queries for one package that is not stored yet.
    const herdName = 'herd-package';
    const herdAgent = new Agent({ connections: HERD + 8 });
    const herdStart = performance.now();
    const herd = await Promise.all(Array.from({ length: HERD }, () => graphql(base, QUERIES.package, { name: herdName }, herdAgent).catch((error: unknown) => ({ errors: [String(error)] }) as GraphQLBody)));
    const herdMs = performance.now() - herdStart;
    await herdAgent.close();
    const herdErrors = herd.filter((body) => body.errors || (body.data?.package as { name?: string } | undefined)?.name !== herdName).length;
    const herdUpstream = upstream.count(herdName);

    const metricsText = await (await request(`${base}/metrics`, { reset: true })).body.text();
    const warmTotalErrors = warm.errors + warm.timeouts + warm.non2xx + warmErrors.count;
    const row = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
    const mb = (bytes: number | null) => (bytes === null || Number.isNaN(bytes) ? 'n/a' : `${(bytes / 1048576).toFixed(1)} MB`);
    console.log('');
    row('warm throughput', `${warm.requests.average.toFixed(0)} req/s (${warm.requests.total} requests)`);
    row('warm latency p50 / p99', `${warm.latency.p50} ms / ${warm.latency.p99} ms (max ${warm.latency.max} ms)`);
    row('warm errors', String(warmTotalErrors));
    row('cold throughput', `${(coldResult.latencies.length / DURATION).toFixed(1)} req/s (${coldResult.latencies.length} new packages)`);
    row('cold latency p50 / p99', `${percentile(coldResult.latencies, 50).toFixed(0)} ms / ${percentile(coldResult.latencies, 99).toFixed(0)} ms`);
    row('cold errors', String(coldResult.errors));
    row('npm limiter queue, peak', String(peakQueued));
    row('RSS before / peak (sampled) / after', `${mb(before.rss)} / ${mb(peakRss)} / ${mb(after.rss)} (VmHWM ${mb(peakRssFromProc(pid))})`);
    row('sockets held by the gateway, before / after 6 s idle', `${before.sockets ?? 'n/a'} / ${after.sockets ?? 'n/a'}`);
    row('  client connections before / peak / after', `${before.clientConnections} / ${peakClientConnections} / ${after.clientConnections}`);
    row('  upstream sockets before / after', `${before.upstreamSockets} / ${after.upstreamSockets}`);
    row(`herd: ${HERD} concurrent cold queries, one package`, `${herdUpstream} upstream request(s), ${herdErrors} errors, ${herdMs.toFixed(0)} ms`);
    row('upstream requests (warm-up / whole run)', `${warmUpstream} / ${upstream.total()} (gateway's own count: ${metricValue(metricsText, 'scout_upstream_requests_total', '{upstream="npm",outcome="ok"}')})`);
    row('npm cache hit ratio (gateway metric)', metricValue(metricsText, 'scout_cache_hit_ratio', '{ecosystem="npm"}').toFixed(3));
    console.log('server-side time per operation (gateway metrics, whole run; package = warm, cold and herd together):');
    for (const f of operationFigures(metricsText)) row(`  ${f.operation}`, `${f.count} operations, mean ${f.meanMs.toFixed(1)} ms`);

    if (warmTotalErrors > 0) failures.push(`warm errors: ${warmTotalErrors} ${warmErrors.detail.join(' | ')}`);
    if (coldResult.errors > 0) failures.push(`cold errors: ${coldResult.errors} ${coldResult.detail.join(' | ')}`);
    if (herdUpstream !== 1) failures.push(`herd: ${herdUpstream} upstream requests, expected exactly 1`);
    if (herdErrors > 0) failures.push(`herd: ${herdErrors} failed queries`);
    if (after.clientConnections > before.clientConnections) failures.push(`client connections not released: ${before.clientConnections} before, ${after.clientConnections} after`);
  } finally {
    child?.kill();
    await upstream.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('');
  if (failures.length > 0) {
    for (const failure of failures) console.log(`FAIL ${failure}`);
    process.exitCode = 1;
  } else {
    console.log('OK: no errors, exactly one upstream request for the herd, client connections released');
  }
}

if (process.argv[2] === 'gateway') void serveGateway();
else main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
