import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/gateway.js';

const root = path.resolve(import.meta.dirname, '..');

describe('command line', () => {
  it('`npx scout-registry` runs the built CLI from the bin entry', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(root, pkg.bin['scout-registry']!);
    expect(fs.existsSync(path.join(root, 'dist', 'main.js')), 'dist/ is built by `npm install` (prepare)').toBe(true);
    const result = spawnSync(process.execPath, [bin, 'help'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: scout-registry/);
    const unknown = spawnSync(process.execPath, [bin, 'frobnicate'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command: frobnicate/);
  });

  it('serves, answers /health and shuts down cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: root,
      env: { PATH: process.env.PATH, SCOUT_REGISTRY_API_HOST: '127.0.0.1', SCOUT_REGISTRY_API_PORT: '0', SCOUT_REGISTRY_DATA_DIR: dataDir, SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9' },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
      expect(fs.existsSync(path.join(dataDir, 'scout-registry.sqlite'))).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('renormalize command', () => {
  it('reports what it re-normalized and rejects unknown ecosystems', () => {
    const dataDir = tempDir();
    try {
      const env = { PATH: process.env.PATH, SCOUT_REGISTRY_DATA_DIR: dataDir, SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9', SCOUT_REGISTRY_LOG_LEVEL: 'silent' };
      const empty = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'renormalize', 'npm'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
      expect(empty.stdout).toMatch(/re-normalized 0 packages/);
      expect(empty.status).toBe(0);
      const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'renormalize', 'cpan'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/unknown ecosystem "cpan"/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
