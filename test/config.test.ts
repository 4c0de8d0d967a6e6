import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const root = path.resolve(import.meta.dirname, '..');

describe('config', () => {
  it('has the original Scout Registry defaults', () => {
    const config = loadConfig({ SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9/' });
    expect(config.apiPort).toBe(8001);
    expect(config.apiHost).toBe('0.0.0.0');
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.upstreams.npm.baseUrl).toBe('http://127.0.0.1:9');
    expect(config.upstreams.cargo.rateLimit).toBe(1);
    expect(config.upstreams.pypi.baseUrl).toBe('https://pypi.org');
  });

  it('defaults npm to the registry npm is configured with', () => {
    const config = loadConfig({ npm_config_registry: 'http://mirror.test:4873/' });
    expect(config.upstreams.npm.baseUrl).toBe('http://mirror.test:4873');
    const fromNpmrc = loadConfig({});
    expect(fromNpmrc.upstreams.npm.baseUrl).toMatch(/^https?:\/\//);
  });

  it('takes per-registry overrides', () => {
    const config = loadConfig({ SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9', SCOUT_REGISTRY_CARGO_RATE_LIMIT: '2.5', SCOUT_REGISTRY_NPM_CONCURRENCY: '3', SCOUT_REGISTRY_API_PORT: '9000' });
    expect(config.upstreams.cargo.rateLimit).toBe(2.5);
    expect(config.upstreams.npm.concurrency).toBe(3);
    expect(config.apiPort).toBe(9000);
  });

  it('names every bad variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9', SCOUT_REGISTRY_API_PORT: 'eighty', SCOUT_REGISTRY_CARGO_RATE_LIMIT: '-1', SCOUT_REGISTRY_PYPI_URL: 'ftp://pypi', SCOUT_REGISTRY_LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/SCOUT_REGISTRY_API_PORT="eighty": expected a port/);
    expect(message).toMatch(/SCOUT_REGISTRY_CARGO_RATE_LIMIT="-1": expected a number of seconds >= 0/);
    expect(message).toMatch(/SCOUT_REGISTRY_PYPI_URL="ftp:\/\/pypi": expected an http\(s\) URL/);
    expect(message).toMatch(/SCOUT_REGISTRY_LOG_LEVEL="loud": expected one of/);
  });

  it('CORS origins: * by default, a list of origins, or none; anything else is named', () => {
    const base = { SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9' };
    expect(loadConfig(base).cors.origins).toBe('*');
    expect(loadConfig({ ...base, SCOUT_REGISTRY_CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' }).cors.origins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    expect(loadConfig({ ...base, SCOUT_REGISTRY_CORS_ORIGINS: 'none' }).cors.origins).toEqual([]);
    for (const bad of ['https://app.example.com/', 'app.example.com', 'https://a.example/path', '']) {
      expect(() => loadConfig({ ...base, SCOUT_REGISTRY_CORS_ORIGINS: bad }), bad).toThrow(/SCOUT_REGISTRY_CORS_ORIGINS=.*expected \*, none, or comma-separated origins/);
    }
  });

  it('automatic persisted queries: on with 1000 documents by default', () => {
    const base = { SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9' };
    expect(loadConfig(base).apq).toEqual({ enabled: true, maxEntries: 1000 });
    expect(loadConfig({ ...base, SCOUT_REGISTRY_APQ: 'false', SCOUT_REGISTRY_APQ_CACHE_SIZE: '50' }).apq).toEqual({ enabled: false, maxEntries: 50 });
    expect(() => loadConfig({ ...base, SCOUT_REGISTRY_APQ_CACHE_SIZE: '0' })).toThrow(/SCOUT_REGISTRY_APQ_CACHE_SIZE="0"/);
  });

  it('stops the CLI with a non-zero exit and the message on a bad value', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: root,
      env: { PATH: process.env.PATH, SCOUT_REGISTRY_API_PORT: '70000', SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/SCOUT_REGISTRY_API_PORT="70000": expected a port 0-65535/);
  });
});
