import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Zip, ZipDeflate, strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { importOsv, type ImportProgress } from '../src/osv/import.js';
import { SqliteOsvStore } from '../src/osv/sqlite-store.js';
import { loadFixtureRecords, type OsvFixtureRecord } from './helpers/fake-osv.js';
import { startTestGateway, tempDir } from './helpers/gateway.js';

const root = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
const newDir = () => {
  const dir = tempDir('scout-osv-import-');
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const fixtures = loadFixtureRecords();
const alpineOnly: OsvFixtureRecord = {
  id: 'ALPINE-CVE-2099-0001',
  modified: '2025-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'Alpine:v3.20', name: 'musl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.5-r1' }] }] }],
};

/** An all.zip as OSV publishes it: one `<ID>.json` per record, deflated. */
function dumpZip(records: readonly object[], extra: Record<string, Uint8Array> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = { ...extra };
  for (const record of records) files[`${(record as { id: string }).id}.json`] = strToU8(JSON.stringify(record));
  return zipSync(files, { level: 6 });
}

/** The same through fflate's streaming writer, which sets the data-descriptor flag (sizes after the data). */
async function streamedZip(records: readonly object[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await new Promise<void>((resolve, reject) => {
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      parts.push(chunk);
      if (final) resolve();
    });
    for (const record of records) {
      const entry = new ZipDeflate(`osv/${(record as { id: string }).id}.json`, { level: 6 });
      zip.add(entry);
      entry.push(strToU8(JSON.stringify(record)), true);
    }
    zip.end();
  });
  return Buffer.concat(parts);
}

describe('osv import', () => {
  it('loads an all.zip: records stored and indexed, other ecosystems and non-records counted, progress reported', async () => {
    const dir = newDir();
    const file = path.join(dir, 'all.zip');
    fs.writeFileSync(file, dumpZip([...fixtures, alpineOnly], { 'README.md': strToU8('not a record'), 'broken.json': strToU8('{"id": ') }));
    const store = new SqliteOsvStore(path.join(dir, 'osv.sqlite'));
    const seen: ImportProgress[] = [];
    try {
      const result = await importOsv(store, file, (progress) => seen.push({ ...progress }));
      expect(result).toMatchObject({ files: 1, records: fixtures.length + 2, stored: fixtures.length, skipped: 1, invalid: 1 });
      expect(seen.length).toBeGreaterThan(0);
      expect((await store.counts()).records).toBe(fixtures.length);
      const [tinyMerge, fancy, musl] = await store.recordsForPackages([
        { ecosystem: 'npm', nameKey: 'tiny-merge' },
        { ecosystem: 'pypi', nameKey: 'fancy-parser' },
        { ecosystem: 'npm', nameKey: 'musl' },
      ]);
      expect(tinyMerge!.map((r) => r.id).sort()).toEqual(['GHSA-2v5c-9rq4-7hxf', 'GHSA-8fjq-m2rw-6g5p', 'GHSA-h3m7-4pqw-x9cv', 'GHSA-wq7c-3x9v-j4mh']);
      // `Fancy.Parser` and `fancy_parser` both index as the PEP 503 name.
      expect(fancy!.map((r) => r.id).sort()).toEqual(['GHSA-5xg9-q2c8-rv4h', 'PYSEC-2024-9001']);
      expect(musl).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('streams large dumps with data descriptors, and a folder of zips and records keeps the newest copy of each id', async () => {
    const dir = newDir();
    const many = Array.from({ length: 1800 }, (_, i) => ({
      id: `GHSA-gen-${String(i).padStart(4, '0')}`,
      modified: '2025-03-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: `gen-${i % 50}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: `1.${i}.0` }] }] }],
    }));
    fs.mkdirSync(path.join(dir, 'npm'));
    fs.writeFileSync(path.join(dir, 'npm', 'all.zip'), await streamedZip(many));
    // A loose record: an older copy of one in the zip (must not win) and a newer copy of another (must win).
    fs.writeFileSync(path.join(dir, 'a-older.json'), JSON.stringify({ ...many[0], modified: '2020-01-01T00:00:00Z', summary: 'old' }));
    fs.writeFileSync(path.join(dir, 'z-newer.json'), JSON.stringify({ ...many[1], modified: '2026-01-01T00:00:00Z', summary: 'new' }));
    const store = new SqliteOsvStore(path.join(dir, 'osv.sqlite'));
    try {
      const result = await importOsv(store, dir);
      expect(result).toMatchObject({ files: 3, records: 1802, invalid: 0 });
      expect((await store.counts()).records).toBe(1800);
      const [first, second] = await store.getRecords(['GHSA-gen-0000', 'GHSA-gen-0001']);
      expect(first?.summary).toBeUndefined();
      expect(second?.summary).toBe('new');
      const [gen7] = await store.recordsForPackages([{ ecosystem: 'npm', nameKey: 'gen-7' }]);
      expect(gen7).toHaveLength(36);
    } finally {
      await store.close();
    }
  });

  it('`scout-registry osv import` fills the data dir for offline mode, with a progress line on stderr', async () => {
    const dataDir = newDir();
    const file = path.join(newDir(), 'all.zip');
    fs.writeFileSync(file, dumpZip(fixtures));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'osv', 'import', file], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, SCOUT_REGISTRY_DATA_DIR: dataDir, SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9', SCOUT_REGISTRY_LOG_LEVEL: 'silent' },
    });
    expect(result.stderr).toMatch(new RegExp(`osv import: 1 file, ${fixtures.length} records read, ${fixtures.length} stored, 0 skipped, 0 invalid`));
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'osv.sqlite'))).toBe(true);
    const usage = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'osv', 'export'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, SCOUT_REGISTRY_DATA_DIR: dataDir, SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9' } });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/osv import <dir-or-zip>/);

    // Offline: an audit answers from the import alone (OSV and the registries are unreachable here).
    const gw = await startTestGateway('http://127.0.0.1:9', { SCOUT_REGISTRY_OSV_MODE: 'offline', SCOUT_REGISTRY_OSV_URL: 'http://127.0.0.1:9' }, dataDir);
    try {
      const response = await gw.query<{ audit: { ref: { name: string; version: string }; vulnerabilities: { id: string }[] }[] }>(
        `{ audit(refs: [{ ecosystem: NPM, name: "tiny-merge", version: "1.2.2" }, { ecosystem: PYPI, name: "Fancy_Parser", version: "2.0.0b3" }, { ecosystem: MAVEN, name: "org.example:widget-core", version: "2.10.0" }]) {
            ref { name version } vulnerabilities { id } } }`,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.audit).toEqual([
        { ref: { name: 'tiny-merge', version: '1.2.2' }, vulnerabilities: [{ id: 'GHSA-2v5c-9rq4-7hxf' }] },
        { ref: { name: 'fancy-parser', version: '2.0.0b3' }, vulnerabilities: [{ id: 'GHSA-5xg9-q2c8-rv4h' }] },
        { ref: { name: 'org.example:widget-core', version: '2.10.0' }, vulnerabilities: [] },
      ]);
    } finally {
      await gw.close();
    }
  });
});
