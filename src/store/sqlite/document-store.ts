import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EcosystemId } from '../../ecosystems/ids.js';
import type { PackageRecord, Validators, VersionRecord } from '../../ecosystems/types.js';
import type { DocumentStore, EcosystemCount, PackageKey, StoredPackage, StoredVersion, VersionKey, VersionListQuery, VersionPage } from '../types.js';

const SCHEMA_VERSION = 1;

const WITHDRAWN = new Set(['YANKED', 'RETRACTED', 'UNPUBLISHED']);

interface PackageRow {
  ecosystem: string;
  name: string;
  doc: string;
  fetched_at: number;
  etag: string | null;
  last_modified: string | null;
}

interface VersionRow {
  ecosystem: string;
  name: string;
  version: string;
  seq: number;
  doc: string;
}

/** The embedded document store: one SQLite file in WAL mode (readers never block the writer). */
export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.statements = {
      packages: this.db.prepare<[string], PackageRow>(
        `SELECT p.ecosystem, p.name, p.doc, p.fetched_at, p.etag, p.last_modified
           FROM json_each(?) AS k JOIN packages AS p ON p.ecosystem = k.value ->> 0 AND p.name = k.value ->> 1`,
      ),
      versions: this.db.prepare<[string], VersionRow>(
        `SELECT v.ecosystem, v.name, v.version, v.seq, v.doc
           FROM json_each(?) AS k JOIN versions AS v ON v.ecosystem = k.value ->> 0 AND v.name = k.value ->> 1 AND v.version = k.value ->> 2`,
      ),
      page: this.db.prepare<[string, string, number, number, number, number], VersionRow>(
        `SELECT ecosystem, name, version, seq, doc FROM versions
          WHERE ecosystem = ? AND name = ? AND seq > ? AND (prerelease = 0 OR ?) AND (withdrawn = 0 OR ?)
          ORDER BY seq LIMIT ?`,
      ),
      count: this.db.prepare<[string, string, number, number], { n: number }>(
        `SELECT count(*) AS n FROM versions WHERE ecosystem = ? AND name = ? AND (prerelease = 0 OR ?) AND (withdrawn = 0 OR ?)`,
      ),
      deleteVersions: this.db.prepare<[string, string]>('DELETE FROM versions WHERE ecosystem = ? AND name = ?'),
      deletePackage: this.db.prepare<[string, string]>('DELETE FROM packages WHERE ecosystem = ? AND name = ?'),
      insertVersion: this.db.prepare<[string, string, string, number, number, number, string]>(
        'INSERT INTO versions (ecosystem, name, version, seq, prerelease, withdrawn, doc) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertPackage: this.db.prepare<[string, string, string, number, string | null, string | null, number]>(
        `INSERT INTO packages (ecosystem, name, doc, fetched_at, etag, last_modified, version_count) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (ecosystem, name) DO UPDATE SET doc = excluded.doc, fetched_at = excluded.fetched_at, etag = excluded.etag,
           last_modified = excluded.last_modified, version_count = excluded.version_count`,
      ),
      updateVersion: this.db.prepare<[number, number, string, string, string, string]>(
        'UPDATE versions SET prerelease = ?, withdrawn = ?, doc = ? WHERE ecosystem = ? AND name = ? AND version = ?',
      ),
      touch: this.db.prepare<[number, string | null, string | null, string, string]>(
        'UPDATE packages SET fetched_at = ?, etag = ?, last_modified = ? WHERE ecosystem = ? AND name = ?',
      ),
      keys: this.db.prepare<[string | null, string | null], { ecosystem: string; name: string }>(
        'SELECT ecosystem, name FROM packages WHERE (? IS NULL OR ecosystem = ?) ORDER BY ecosystem, name',
      ),
      stats: this.db.prepare<[], { ecosystem: string; packages: number; versions: number }>(
        'SELECT ecosystem, count(*) AS packages, sum(version_count) AS versions FROM packages GROUP BY ecosystem ORDER BY ecosystem',
      ),
    };
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) throw new Error(`SQLite store has schema version ${current}, newer than this gateway (${SCHEMA_VERSION})`);
    if (current === SCHEMA_VERSION) return;
    this.db.exec(`
      -- Rowid tables (not WITHOUT ROWID): documents are a few KB, too large for clustered rows.
      CREATE TABLE IF NOT EXISTS packages (
        ecosystem TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL, fetched_at INTEGER NOT NULL,
        etag TEXT, last_modified TEXT, version_count INTEGER NOT NULL,
        UNIQUE (ecosystem, name));
      CREATE TABLE IF NOT EXISTS versions (
        ecosystem TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, seq INTEGER NOT NULL,
        prerelease INTEGER NOT NULL, withdrawn INTEGER NOT NULL, doc TEXT NOT NULL,
        UNIQUE (ecosystem, name, version));
      -- Pages and their counts are answered from this index; only the page's rows touch the table.
      CREATE INDEX IF NOT EXISTS versions_by_seq ON versions (ecosystem, name, seq, prerelease, withdrawn);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  async getPackages(keys: readonly PackageKey[]): Promise<(StoredPackage | null)[]> {
    const rows = this.statements.packages.all(JSON.stringify(keys.map((k) => [k.ecosystem, k.name])));
    const byKey = new Map(rows.map((row) => [`${row.ecosystem}\0${row.name}`, row]));
    return keys.map((key) => {
      const row = byKey.get(`${key.ecosystem}\0${key.name}`);
      return row ? toStoredPackage(row) : null;
    });
  }

  async getVersions(keys: readonly VersionKey[]): Promise<(StoredVersion | null)[]> {
    const rows = this.statements.versions.all(JSON.stringify(keys.map((k) => [k.ecosystem, k.name, k.version])));
    const byKey = new Map(rows.map((row) => [`${row.ecosystem}\0${row.name}\0${row.version}`, row]));
    return keys.map((key) => {
      const row = byKey.get(`${key.ecosystem}\0${key.name}\0${key.version}`);
      return row ? { record: JSON.parse(row.doc) as VersionRecord, seq: row.seq } : null;
    });
  }

  async listVersions(query: VersionListQuery): Promise<VersionPage> {
    const pre = query.includePrereleases ? 1 : 0;
    const withdrawn = query.includeWithdrawn ? 1 : 0;
    const rows = this.statements.page.all(query.ecosystem, query.name, query.afterSeq ?? -1, pre, withdrawn, query.first + 1);
    const total = this.statements.count.get(query.ecosystem, query.name, pre, withdrawn)?.n ?? 0;
    return {
      items: rows.slice(0, query.first).map((row) => ({ record: JSON.parse(row.doc) as VersionRecord, seq: row.seq })),
      hasNextPage: rows.length > query.first,
      totalCount: total,
    };
  }

  async replacePackage(pkg: StoredPackage, versions: readonly VersionRecord[]): Promise<void> {
    const { ecosystem, name } = pkg.record;
    const s = this.statements;
    // One transaction: a reader sees the old summary with old versions or the new with new.
    this.db.transaction(() => {
      s.deleteVersions.run(ecosystem, name);
      versions.forEach((v, seq) => {
        s.insertVersion.run(ecosystem, name, v.version, seq, v.prerelease ? 1 : 0, WITHDRAWN.has(v.status) ? 1 : 0, JSON.stringify(v));
      });
      s.upsertPackage.run(ecosystem, name, JSON.stringify(pkg.record), pkg.fetchedAt, pkg.validators.etag, pkg.validators.lastModified, versions.length);
    })();
  }

  async updateVersions(records: readonly VersionRecord[]): Promise<void> {
    const s = this.statements;
    this.db.transaction(() => {
      for (const v of records) s.updateVersion.run(v.prerelease ? 1 : 0, WITHDRAWN.has(v.status) ? 1 : 0, JSON.stringify(v), v.ecosystem, v.name, v.version);
    })();
  }

  async touchPackage(key: PackageKey, fetchedAt: number, validators: Validators): Promise<void> {
    this.statements.touch.run(fetchedAt, validators.etag, validators.lastModified, key.ecosystem, key.name);
  }

  async deletePackage(key: PackageKey): Promise<void> {
    this.db.transaction(() => {
      this.statements.deleteVersions.run(key.ecosystem, key.name);
      this.statements.deletePackage.run(key.ecosystem, key.name);
    })();
  }

  async listPackageKeys(ecosystem?: EcosystemId): Promise<PackageKey[]> {
    return this.statements.keys.all(ecosystem ?? null, ecosystem ?? null).map((row) => ({ ecosystem: row.ecosystem as EcosystemId, name: row.name }));
  }

  async stats(): Promise<EcosystemCount[]> {
    return this.statements.stats.all().map((row) => ({ ecosystem: row.ecosystem as EcosystemId, packages: row.packages, versions: row.versions }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toStoredPackage(row: PackageRow): StoredPackage {
  return {
    record: JSON.parse(row.doc) as PackageRecord,
    fetchedAt: row.fetched_at,
    validators: { etag: row.etag, lastModified: row.last_modified },
  };
}
