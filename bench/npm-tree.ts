/**
 * What npm and the gateway each say the install tree of one root package is, as sets of
 * `name@version`: shared by `npm run parity:npm` and `npm run bench:graph`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { loadConfig, npmConfiguredRegistry } from '../src/config.js';
import { startGateway, type Gateway } from '../src/server.js';

const run = promisify(execFile);

export interface Timed<T> {
  value: T;
  ms: number;
}

export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** `npm install --package-lock-only --ignore-scripts <spec>` in a fresh folder; the lockfile's packages as name@version. */
export async function npmLockTree(spec: string, cacheDir: string): Promise<Set<string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scout-npm-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'scout-parity-root', version: '0.0.0', private: true }));
    await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', cacheDir, spec], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; name?: string; link?: boolean }> };
    const out = new Set<string>();
    for (const [location, entry] of Object.entries(lock.packages)) {
      if (!location || entry.link || !entry.version) continue;
      // `node_modules/a/node_modules/@s/b` -> `@s/b`; an alias keeps its real name in `name`.
      const installedAs = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
      out.add(`${entry.name ?? installedAs}@${entry.version}`);
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A gateway on a fresh embedded store, upstream = the registry npm is configured with. */
export async function startLiveGateway(dataDir: string): Promise<Gateway> {
  const config = loadConfig({
    SCOUT_REGISTRY_API_HOST: '127.0.0.1',
    SCOUT_REGISTRY_API_PORT: '0',
    SCOUT_REGISTRY_DATA_DIR: dataDir,
    SCOUT_REGISTRY_LOG_LEVEL: 'silent',
    SCOUT_REGISTRY_NPM_URL: npmConfiguredRegistry(process.env),
    SCOUT_REGISTRY_NPM_RATE_LIMIT: process.env.SCOUT_REGISTRY_NPM_RATE_LIMIT ?? '0',
    SCOUT_REGISTRY_NPM_CONCURRENCY: process.env.SCOUT_REGISTRY_NPM_CONCURRENCY ?? '16',
  });
  return startGateway(config, { logger: pino({ level: 'silent' }) });
}

const GRAPH = `query Graph($name: String!, $version: String!) {
  dependencyGraph(ecosystem: NPM, name: $name, version: $version, maxNodes: 5000) {
    truncated nodes { id } unresolved { from name constraint reason }
  }
}`;

export interface GatewayTree {
  nodes: Set<string>;
  unresolved: { from: string; name: string; constraint: string; reason: string }[];
  truncated: boolean;
}

/** The gateway's graph for one root, through its HTTP GraphQL endpoint. */
export async function gatewayTree(gateway: Gateway, name: string, version: string): Promise<GatewayTree> {
  const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: GRAPH, variables: { name, version } }) });
  const body = (await response.json()) as { data?: { dependencyGraph: { truncated: boolean; nodes: { id: string }[]; unresolved: GatewayTree['unresolved'] } | null }; errors?: { message: string }[] };
  if (body.errors?.length || !body.data?.dependencyGraph) throw new Error(`graph query failed: ${JSON.stringify(body.errors ?? body.data)}`);
  const graph = body.data.dependencyGraph;
  return { nodes: new Set(graph.nodes.map((node) => node.id)), unresolved: graph.unresolved, truncated: graph.truncated };
}

/** `name@range` / `@scope/name@version` -> [name, version-or-range]. */
export function splitSpec(spec: string): [string, string] {
  const at = spec.lastIndexOf('@');
  return at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, 'latest'];
}
