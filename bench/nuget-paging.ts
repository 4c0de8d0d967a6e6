/**
 * `npx tsx bench/nuget-paging.ts`: how long the NuGet adapter takes to read a 600-version package whose
 * registration index points at 8 non-inlined pages, against a fake upstream that adds 100 ms to every
 * request, through a real HttpUpstreamClient. Compared with a page-by-page fetch through the same client,
 * under the default nuget limits (0.1 s between requests, 8 concurrent) and with the rate limit at 0.
 * Prints the median of BENCH_RUNS (default 5) runs per figure. Never asserts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createNuGetAdapter } from '../src/ecosystems/nuget/index.js';
import { DEFAULT_LIMITS } from '../src/http/limits.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';

const LATENCY_MS = 100;
const VERSIONS = 600;
const PAGES = 8;
const ID = 'Bench.Package';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** A registration like nuget.org's for a big package: an index of page stubs, each page its own document. */
function buildDocuments(origin: string): Map<string, string> {
  const base = `${origin}/v3/registration5-gz-semver2/${ID.toLowerCase()}`;
  const versions = Array.from({ length: VERSIONS }, (_, i) => `${Math.floor(i / 100) + 1}.${Math.floor(i / 10) % 10}.${i % 10}`);
  const perPage = VERSIONS / PAGES;
  const docs = new Map<string, string>();
  const stubs = [];
  for (let p = 0; p < PAGES; p++) {
    const slice = versions.slice(p * perPage, (p + 1) * perPage);
    const url = `${base}/page/${slice[0]}/${slice.at(-1)}.json`;
    const items = slice.map((v) => ({
      '@id': `${base}/${v}.json`,
      '@type': 'Package',
      catalogEntry: {
        '@id': `${origin}/v3/catalog0/data/2024.01.01.00.00.00/${ID.toLowerCase()}.${v}.json`,
        '@type': 'PackageDetails',
        authors: 'Bench Team',
        dependencyGroups: [{ targetFramework: 'net8.0', dependencies: [{ id: 'Bench.Core', range: `[${v}, )` }] }],
        description: `Version ${v} of a benchmark package.`,
        id: ID,
        licenseExpression: 'MIT',
        listed: true,
        packageContent: `${origin}/v3-flatcontainer/${ID.toLowerCase()}/${v}/${ID.toLowerCase()}.${v}.nupkg`,
        projectUrl: 'https://github.com/example/bench',
        published: '2024-01-01T00:00:00+00:00',
        tags: ['bench'],
        version: v,
      },
      packageContent: `${origin}/v3-flatcontainer/${ID.toLowerCase()}/${v}/${ID.toLowerCase()}.${v}.nupkg`,
      registration: `${base}/index.json`,
    }));
    const page = { '@id': url, '@type': 'catalog:CatalogPage', count: slice.length, lower: slice[0], upper: slice.at(-1), parent: `${base}/index.json` };
    stubs.push(page);
    docs.set(new URL(url).pathname, JSON.stringify({ ...page, items }));
  }
  docs.set(new URL(`${base}/index.json`).pathname, JSON.stringify({ '@id': `${base}/index.json`, count: PAGES, items: stubs }));
  docs.set('/v3/index.json', JSON.stringify({
    version: '3.0.0',
    resources: [
      { '@id': `${origin}/v3/registration5-gz-semver2/`, '@type': 'RegistrationsBaseUrl/3.6.0' },
      { '@id': `${origin}/v3-flatcontainer/`, '@type': 'PackageBaseAddress/3.0.0' },
    ],
  }));
  return docs;
}

async function startUpstream(): Promise<{ origin: string; docs: Map<string, string>; close(): Promise<void> }> {
  let docs = new Map<string, string>();
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      const body = docs.get((req.url ?? '/').split('?')[0]!);
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }, LATENCY_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  docs = buildDocuments(origin);
  return {
    origin,
    docs,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function client(origin: string, rateLimit: string): HttpUpstreamClient {
  const config = loadConfig({
    SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9',
    SCOUT_REGISTRY_NUGET_URL: `${origin}/v3`,
    SCOUT_REGISTRY_NUGET_RATE_LIMIT: rateLimit,
    SCOUT_REGISTRY_LOG_LEVEL: 'silent',
  });
  return new HttpUpstreamClient(config, { logger: pino({ level: 'silent' }) });
}

async function timed(task: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Each run uses a fresh client, so no limiter state (minTime) carries over from the previous run. */
async function measure(origin: string, rateLimit: string) {
  const cold: number[] = [];
  const warm: number[] = [];
  const sequential: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const adapter = createNuGetAdapter({ baseUrl: `${origin}/v3` });
    let http = client(origin, rateLimit);
    cold.push(await timed(async () => {
      const result = await adapter.fetch(ID, { http, conditional: null });
      if (result.kind !== 'ok' || Object.keys(result.raw.versions).length !== VERSIONS) throw new Error(`unexpected result ${result.kind}`);
    }));
    // Same adapter (service index cached), fresh client: the registration index, then the 8 pages.
    http = client(origin, rateLimit);
    warm.push(await timed(async () => {
      const result = await adapter.fetch(ID, { http, conditional: null });
      if (result.kind !== 'ok') throw new Error(result.kind);
    }));
    // The baseline: the same two steps, one page after the other.
    http = client(origin, rateLimit);
    sequential.push(await timed(async () => {
      const index = await http.get('nuget', `${origin}/v3/registration5-gz-semver2/${ID.toLowerCase()}/index.json`);
      if (index.kind !== 'ok') throw new Error(index.kind);
      for (const page of (JSON.parse(index.body.toString('utf8')) as { items: Array<{ '@id': string }> }).items) {
        const response = await http.get('nuget', page['@id']);
        if (response.kind !== 'ok') throw new Error(response.kind);
      }
    }));
  }
  return { cold: median(cold), warm: median(warm), sequential: median(sequential) };
}

const upstream = await startUpstream();
try {
  const defaults = DEFAULT_LIMITS.nuget;
  console.log(`NuGet registration paging: ${VERSIONS} versions in ${PAGES} non-inlined pages, +${LATENCY_MS} ms per request, median of ${RUNS} runs`);
  console.log('warm = service index already cached by the adapter (registration index + pages); cold = service index fetched too');
  console.log('sequential = registration index, then each page after the previous one, through the same client\n');
  const rows: Array<[string, Awaited<ReturnType<typeof measure>>]> = [
    [`default limits (rate ${defaults.rateLimit} s, concurrency ${defaults.concurrency})`, await measure(upstream.origin, String(defaults.rateLimit))],
    [`rate limit 0 (concurrency ${defaults.concurrency})`, await measure(upstream.origin, '0')],
  ];
  for (const [label, r] of rows) {
    console.log(label);
    console.log(`  adapter warm   ${r.warm.toFixed(0).padStart(5)} ms  (${(r.warm / LATENCY_MS).toFixed(1)} round trips)`);
    console.log(`  adapter cold   ${r.cold.toFixed(0).padStart(5)} ms  (${(r.cold / LATENCY_MS).toFixed(1)} round trips)`);
    console.log(`  sequential     ${r.sequential.toFixed(0).padStart(5)} ms  (${(r.sequential / LATENCY_MS).toFixed(1)} round trips)`);
    console.log(`  ratio sequential / adapter warm: ${(r.sequential / r.warm).toFixed(2)}x\n`);
  }
} finally {
  await upstream.close();
}
