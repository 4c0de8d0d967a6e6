/**
 * `npm run bench`: a warm typical query (a package, its latest version, 50 versions) through the
 * whole gateway, next to a graphql-yoga hello world and the same reads through the store with no
 * GraphQL layer, each served from its own child process and driven by autocannon in this one.
 * Prints req/s, p50/p99 and the ratios. BENCH_DURATION (seconds, default 10), BENCH_CONNECTIONS (10).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { createSchema, createYoga } from 'graphql-yoga';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/server.js';
import { FakeUpstream } from '../test/helpers/fake-upstream.js';
import { packument } from '../test/helpers/packument.js';

const QUERY = `query Bench($name: String!) {
  package(ecosystem: NPM, name: $name) {
    name description license { spdx }
    latestVersion { version publishedAt normalized { license { spdx } dependencies { runtime { name constraint } } checksums { algorithm value } } }
    versions(first: 50) { totalCount edges { node { version publishedAt status isPrerelease } } }
  }
}`;
const PACKAGE = 'bench-package';
const VERSIONS = Array.from({ length: 200 }, (_, i) => `${Math.floor(i / 20)}.${i % 20}.0`);

type Target = 'gateway' | 'hello' | 'store';

async function serveTarget(kind: Target): Promise<void> {
  const dataDir = process.env.BENCH_DATA_DIR!;
  if (kind === 'hello') {
    const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }), logging: false });
    const server = http.createServer(yoga);
    server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
    return;
  }
  const config = loadConfig({ SCOUT_REGISTRY_API_HOST: '127.0.0.1', SCOUT_REGISTRY_API_PORT: '0', SCOUT_REGISTRY_DATA_DIR: dataDir, SCOUT_REGISTRY_NPM_URL: process.env.BENCH_UPSTREAM!, SCOUT_REGISTRY_LOG_LEVEL: 'silent' });
  const gateway = await startGateway(config, { logger: pino({ level: 'silent' }) });
  if (kind === 'gateway') {
    process.send!({ port: Number(new URL(gateway.url).port) });
    return;
  }
  // The same reads the query needs, straight from the service and store, serialized as JSON.
  const service = gateway.service;
  const server = http.createServer((req, res) => {
    void (async () => {
      const [pkg] = await service.getPackages([{ ecosystem: 'npm', name: PACKAGE }]);
      const [latest] = await service.getVersions([{ ecosystem: 'npm', name: PACKAGE, version: pkg!.record.latestVersion! }]);
      const page = await service.listVersions({ ecosystem: 'npm', name: PACKAGE, first: 50, afterSeq: null, includePrereleases: true, includeWithdrawn: false });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ package: pkg!.record, latest: latest!.record, versions: page.items.map((item) => item.record), total: page.totalCount }));
    })();
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

interface Figures { name: string; rps: number; p50: number; p99: number; errors: number }

async function drive(name: string, port: number, body: string, duration: number, connections: number): Promise<Figures> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/graphql`, method: 'POST', headers: { 'content-type': 'application/json' }, body, duration, connections });
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const upstream = await new FakeUpstream(fs.mkdtempSync(path.join(os.tmpdir(), 'scout-bench-fixtures-'))).start();
  upstream.setDocument(`/${PACKAGE}`, packument(PACKAGE, { versions: VERSIONS, dependencies: { 'dep-a': '^1.0.0', 'dep-b': '~2.1.0' } }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scout-bench-'));
  const children: ChildProcess[] = [];
  const start = (kind: Target) => new Promise<number>((resolve, reject) => {
    const child = fork(new URL(import.meta.url).pathname, [kind], { execArgv: ['--import', 'tsx'], env: { ...process.env, NODE_ENV: 'production', BENCH_DATA_DIR: dataDir, BENCH_UPSTREAM: upstream.url } });
    children.push(child);
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  try {
    const gatewayPort = await start('gateway');
    const graphqlBody = JSON.stringify({ query: QUERY, variables: { name: PACKAGE } });
    // Warm: the first query fetches from the fake upstream and stores; every later one is a store hit.
    const warm = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: graphqlBody });
    const warmBody = (await warm.json()) as { data?: { package?: { versions?: { edges: unknown[] } } } };
    if (warmBody.data?.package?.versions?.edges.length !== 50) throw new Error(`warm-up failed: ${JSON.stringify(warmBody).slice(0, 300)}`);
    const helloPort = await start('hello');
    const storePort = await start('store');
    console.log(`Scout Registry bench: ${duration}s per target, ${connections} connections, ${os.cpus().length} cores, Node ${process.version}`);
    const figures = [
      await drive('gateway (warm package + latest + 50 versions)', gatewayPort, graphqlBody, duration, connections),
      await drive('yoga hello world', helloPort, JSON.stringify({ query: '{ hello }' }), duration, connections),
      await drive('same reads, store only (no GraphQL)', storePort, '{}', duration, connections),
    ];
    console.log('');
    console.log('target'.padEnd(48), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7));
    for (const f of figures) console.log(f.name.padEnd(48), f.rps.toFixed(0).padStart(9), String(f.p50).padStart(8), String(f.p99).padStart(8), String(f.errors).padStart(7));
    const [gw, hello, store] = figures as [Figures, Figures, Figures];
    console.log('');
    console.log(`gateway / yoga hello world: ${(gw.rps / hello.rps).toFixed(2)}x throughput`);
    console.log(`gateway / store only:       ${(gw.rps / store.rps).toFixed(2)}x throughput (the cost of the GraphQL layer)`);
    console.log(`upstream requests during the run: ${upstream.count()} (1 expected: the warm-up)`);
  } finally {
    for (const child of children) child.kill();
    await upstream.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const role = process.argv[2] as Target | undefined;
if (role) void serveTarget(role);
else main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
