import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { ECOSYSTEM_IDS } from '../../src/ecosystems/ids.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway {
  gateway: Gateway;
  config: Config;
  dataDir: string;
  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * Test defaults: no politeness delays and fast retries, so fault tests stay quick. `upstreamUrl` is the
 * npm upstream; point other registries at their own fake with `SCOUT_REGISTRY_<ECO>_URL` in `env`.
 */
export function testEnv(upstreamUrl: string, dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  const noDelays = Object.fromEntries(ECOSYSTEM_IDS.map((id) => [`SCOUT_REGISTRY_${id.toUpperCase()}_RATE_LIMIT`, '0']));
  return {
    ...noDelays,
    SCOUT_REGISTRY_CARGO_INDEX_RATE_LIMIT: '0',
    SCOUT_REGISTRY_API_HOST: '127.0.0.1',
    SCOUT_REGISTRY_API_PORT: '0',
    SCOUT_REGISTRY_DATA_DIR: dataDir,
    SCOUT_REGISTRY_LOG_LEVEL: 'silent',
    SCOUT_REGISTRY_NPM_URL: upstreamUrl,
    SCOUT_REGISTRY_NPM_RATE_LIMIT: '0',
    SCOUT_REGISTRY_HTTP_RETRY_BASE_DELAY: '0.01',
    SCOUT_REGISTRY_HTTP_TIMEOUT: '5',
    ...env,
  };
}

export function tempDir(prefix = 'scout-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real gateway (HTTP server, SQLite file, blob folder) pointed at `upstreamUrl`. */
export async function startTestGateway(upstreamUrl: string, env: Record<string, string> = {}, dataDir = tempDir()): Promise<TestGateway> {
  const config = loadConfig(testEnv(upstreamUrl, dataDir, env));
  const gateway = await startGateway(config, { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  return {
    gateway,
    config,
    dataDir,
    async query(query, variables, headers = {}) {
      const response = await request(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.body.json()) as GraphQLResponse<never>;
    },
    async close() {
      await gateway.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
