import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../src/store/fs/blob-store.js';
import { encodeKeySegment } from '../src/store/keys.js';
import { startFakeNpm, type FakeUpstream } from './helpers/fake-upstream.js';
import { tempDir, testEnv } from './helpers/gateway.js';
import { packument, packumentPath } from './helpers/packument.js';

/**
 * Crash safety (issue 8, item 4): the real gateway, as a child process, is killed with SIGKILL while it
 * stores a large package; after a restart on the same data directory the store must be consistent and
 * the package fetched again.
 */

const root = path.resolve(import.meta.dirname, '..');
const NAME = 'huge-package';
const VERSIONS = 5000;
const versions = Array.from({ length: VERSIONS }, (_, i) => `${Math.floor(i / 100)}.${i % 100}.0`);

/** 5000 versions with a kilobyte of text each: the raw blobs make thousands of files to write. */
function bigPackument(): Buffer {
  const doc = packument(NAME, { versions }) as { versions: Record<string, Record<string, unknown>> };
  for (const manifest of Object.values(doc.versions)) manifest.readme = `# ${NAME}\n\n${'Lorem ipsum dolor sit amet. '.repeat(40)}`;
  return Buffer.from(JSON.stringify(doc));
}

interface Child {
  process: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startChild(dataDir: string, upstreamUrl: string): Promise<Child> {
  const env = { ...testEnv(upstreamUrl, dataDir, { SCOUT_REGISTRY_LOG_LEVEL: 'info', SCOUT_REGISTRY_HTTP_TIMEOUT: '60' }), PATH: process.env.PATH ?? '' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { cwd: root, env });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    void exited.then(({ code }) => reject(new Error(`gateway exited (${code}) before listening: ${out}`)));
  });
  return { process: child, url, exited };
}

async function query(url: string, text: string): Promise<{ data?: any; errors?: { message: string }[] }> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/** The invariants a crash must never break, read straight from the files. */
function inspect(dataDir: string) {
  const db = new Database(path.join(dataDir, 'scout-registry.sqlite'));
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const orphanVersions = db.prepare('SELECT count(*) AS n FROM versions v WHERE NOT EXISTS (SELECT 1 FROM packages p WHERE p.ecosystem = v.ecosystem AND p.name = v.name)').get() as { n: number };
    const miscounted = db.prepare('SELECT count(*) AS n FROM packages p WHERE version_count != (SELECT count(*) FROM versions v WHERE v.ecosystem = p.ecosystem AND v.name = p.name)').get() as { n: number };
    const pkg = db.prepare("SELECT version_count FROM packages WHERE ecosystem = 'npm' AND name = ?").get(NAME) as { version_count: number } | undefined;
    const files = walk(path.join(dataDir, 'blobs'));
    const temp = files.filter((file) => file.endsWith('.tmp'));
    // A blob under its real key is always whole (written to a temp file, then renamed).
    const torn = files.filter((file) => !file.endsWith('.tmp')).filter((file) => {
      try {
        JSON.parse(fs.readFileSync(file, 'utf8'));
        return false;
      } catch {
        return true;
      }
    });
    const packageBlobs = fs.existsSync(path.join(dataDir, 'blobs', 'npm', encodeKeySegment(NAME)))
      ? fs.readdirSync(path.join(dataDir, 'blobs', 'npm', encodeKeySegment(NAME))).filter((file) => file.endsWith('.json')).length
      : 0;
    return { integrity, orphanVersions: orphanVersions.n, miscounted: miscounted.n, versionCount: pkg?.version_count ?? null, temp, torn, packageBlobs };
  } finally {
    db.close();
  }
}

let fake: FakeUpstream;
let dataDir: string;
const children: Child[] = [];

beforeAll(async () => {
  fake = await startFakeNpm();
  dataDir = tempDir('scout-crash-');
});
afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL');
  await fake.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('survives SIGKILL in the middle of storing a large package: consistent store, package fetched again after restart', async () => {
    const body = bigPackument();
    fake.setDocument(packumentPath(NAME), body);
    // Sent in pieces, as a big packument arrives over a real network.
    fake.script(packumentPath(NAME), [{ body, trickle: { size: 512 * 1024, intervalMs: 20 } }]);

    const first = await startChild(dataDir, fake.url);
    children.push(first);
    const folder = path.join(dataDir, 'blobs', 'npm', encodeKeySegment(NAME));
    const pending = query(first.url, `{ package(ecosystem: NPM, name: "${NAME}") { name versionCount } }`).catch((error: unknown) => error);

    // Kill as soon as the blob folder is being written: the documents have not been committed yet.
    let seen = 0;
    const deadline = Date.now() + 60_000;
    while (seen === 0) {
      if (Date.now() > deadline) throw new Error('the gateway never started storing the package');
      seen = fs.existsSync(folder) ? fs.readdirSync(folder).length : 0;
      if (seen === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    first.process.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await pending).toBeInstanceOf(Error);
    expect(fake.count(packumentPath(NAME))).toBe(1);

    const afterCrash = inspect(dataDir);
    // Killed mid-write: some blobs, not all of them, and no package documents.
    expect(afterCrash.packageBlobs).toBeLessThan(VERSIONS + 1);
    expect(afterCrash).toMatchObject({ integrity: 'ok', orphanVersions: 0, miscounted: 0, versionCount: null, torn: [] });

    const second = await startChild(dataDir, fake.url);
    children.push(second);
    expect(await (await fetch(`${second.url}/readyz`)).json()).toMatchObject({ status: 'ready' });
    // Nothing about the interrupted fetch was remembered: the package is fetched again and answered whole.
    const again = await query(second.url, `{ package(ecosystem: NPM, name: "${NAME}") { name versionCount latestVersion { version } } }`);
    expect(again.errors).toBeUndefined();
    expect(again.data.package).toEqual({ name: NAME, versionCount: VERSIONS, latestVersion: { version: versions.at(-1) } });
    expect(fake.count(packumentPath(NAME))).toBe(2);
    const versionsPage = await query(second.url, `{ version(ecosystem: NPM, name: "${NAME}", version: "17.3.0") { version extended } }`);
    expect(versionsPage.errors).toBeUndefined();
    expect(versionsPage.data.version).toMatchObject({ version: '17.3.0', extended: { name: NAME, version: '17.3.0' } });

    second.process.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const afterRestart = inspect(dataDir);
    expect(afterRestart).toEqual({ integrity: 'ok', orphanVersions: 0, miscounted: 0, versionCount: VERSIONS, temp: [], torn: [], packageBlobs: VERSIONS + 1 });
  });

  it('the blob store removes temp files of dead writers when it opens, and never those of live ones', async () => {
    const root = tempDir('scout-sweep-');
    try {
      const temp = path.join(root, '_tmp');
      fs.mkdirSync(temp, { recursive: true });
      // Above the kernel's pid limit (2^22): a process that cannot be running.
      fs.writeFileSync(path.join(temp, '99999999.0.tmp'), 'half a blo');
      fs.writeFileSync(path.join(temp, `${process.pid}.zz.tmp`), 'being written');
      const store = new FsBlobStore(root);
      await store.put('npm/x/1.0.0.json', '{}');
      await store.close();
      expect(fs.readdirSync(temp)).toEqual([`${process.pid}.zz.tmp`]);
      expect(fs.readFileSync(path.join(root, 'npm', 'x', '1.0.0.json'), 'utf8')).toBe('{}');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('stores keys with segments longer than a file name can be (an upstream\'s 5000-character version)', async () => {
    const root = tempDir('scout-long-');
    try {
      const store = new FsBlobStore(root);
      const long = `npm/x/${'9'.repeat(5000)}.json`;
      const other = `npm/x/${'9'.repeat(4999)}8.json`;
      await store.putMany([[long, 'long'], [other, 'other']]);
      expect((await store.get(long))?.toString()).toBe('long');
      expect((await store.get(other))?.toString()).toBe('other');
      await store.delete(long);
      expect(await store.get(long)).toBeNull();
      await store.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
