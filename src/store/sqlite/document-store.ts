import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EcosystemId } from '../../ecosystems/ids.js';
import type { PackageRecord, Validators, VersionRecord, VersionStatus } from '../../ecosystems/types.js';
import type { DocumentStore, EcosystemCount, PackageKey, SearchPage, SearchQuery, SourceRecord, StoredPackage, StoredVersion, VersionKey, VersionListQuery, VersionPage, VersionSummary } from '../types.js';

const SCHEMA_VERSION = 3;

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
  readonly backend = 'sqlite';
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
      insertVersion: this.db.prepare<[string, string, string, number, number, number, string, string, string | null]>(
        'INSERT INTO versions (ecosystem, name, version, seq, prerelease, withdrawn, doc, status, release_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      summaries: this.db.prepare<[string], { ecosystem: string; name: string; version: string; seq: number; prerelease: number; status: string; release_date: string | null }>(
        `SELECT v.ecosystem, v.name, v.version, v.seq, v.prerelease, v.status, v.release_date
           FROM json_each(?) AS k JOIN versions AS v ON v.ecosystem = k.value ->> 0 AND v.name = k.value ->> 1 ORDER BY v.seq`,
      ),
      upsertPackage: this.db.prepare<[string, string, string, number, string | null, string | null, number]>(
        `INSERT INTO packages (ecosystem, name, doc, fetched_at, etag, last_modified, version_count) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (ecosystem, name) DO UPDATE SET doc = excluded.doc, fetched_at = excluded.fetched_at, etag = excluded.etag,
           last_modified = excluded.last_modified, version_count = excluded.version_count`,
      ),
      updateVersion: this.db.prepare<[number, number, string, string, string | null, string, string, string]>(
        'UPDATE versions SET prerelease = ?, withdrawn = ?, doc = ?, status = ?, release_date = ? WHERE ecosystem = ? AND name = ? AND version = ?',
      ),
      touch: this.db.prepare<[number, string | null, string | null, string, string]>(
        'UPDATE packages SET fetched_at = ?, etag = ?, last_modified = ? WHERE ecosystem = ? AND name = ?',
      ),
      packageRowid: this.db.prepare<[string, string], { rowid: number }>('SELECT rowid FROM packages WHERE ecosystem = ? AND name = ?'),
      ftsDelete: this.db.prepare<[number]>('DELETE FROM packages_fts WHERE rowid = ?'),
      ftsInsert: this.db.prepare<[number, string, string, string]>('INSERT INTO packages_fts (rowid, name, description, keywords) VALUES (?, ?, ?, ?)'),
      search: this.db.prepare<[string, string | null, string | null, string, string, string, number, number], PackageRow>(
        `SELECT p.ecosystem, p.name, p.doc, p.fetched_at, p.etag, p.last_modified
           FROM packages_fts AS f JOIN packages AS p ON p.rowid = f.rowid
          WHERE packages_fts MATCH ? AND (? IS NULL OR p.ecosystem = ?)
          ORDER BY CASE WHEN lower(p.name) = ? THEN 0 WHEN substr(lower(p.name), 1, length(?)) = ? THEN 1 ELSE 2 END,
                   bm25(packages_fts, 10.0, 2.0, 5.0), p.name, p.ecosystem
          LIMIT ? OFFSET ?`,
      ),
      searchCount: this.db.prepare<[string, string | null, string | null], { n: number }>(
        `SELECT count(*) AS n FROM packages_fts AS f JOIN packages AS p ON p.rowid = f.rowid
          WHERE packages_fts MATCH ? AND (? IS NULL OR p.ecosystem = ?)`,
      ),
      sources: this.db.prepare<[string], { doc: string }>(
        `SELECT s.doc FROM json_each(?) AS k JOIN sources AS s ON s.ecosystem = k.value ->> 0 AND s.name = k.value ->> 1 AND s.version = k.value ->> 2`,
      ),
      putSource: this.db.prepare<[string, string, string, string, string, number | null]>(
        `INSERT INTO sources (ecosystem, name, version, doc, status, size) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (ecosystem, name, version) DO UPDATE SET doc = excluded.doc, status = excluded.status, size = excluded.size`,
      ),
      sourceStats: this.db.prepare<[], { ecosystem: string; sources: number; bytes: number }>(
        `SELECT ecosystem, count(*) AS sources, coalesce(sum(size), 0) AS bytes FROM sources WHERE status = 'STORED' GROUP BY ecosystem`,
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
    if (current < 1) this.db.exec(`
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
    `);
    if (current < 2) {
      this.db.exec(`
        -- Search: one FTS5 row per package, rowid = packages.rowid (kept in step by replacePackage/deletePackage).
        CREATE VIRTUAL TABLE IF NOT EXISTS packages_fts USING fts5(name, description, keywords, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO packages_fts (rowid, name, description, keywords)
          SELECT rowid, name, coalesce(doc ->> '$.description', ''), coalesce((SELECT group_concat(value, ' ') FROM json_each(doc -> '$.keywords')), '') FROM packages;
        CREATE TABLE IF NOT EXISTS sources (
          ecosystem TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, doc TEXT NOT NULL,
          status TEXT NOT NULL, size INTEGER, UNIQUE (ecosystem, name, version));
      `);
    }
    if (current < 3) {
      this.db.exec(`
        -- Resolution reads these for every version of a package: columns, so no document is parsed.
        ALTER TABLE versions ADD COLUMN status TEXT NOT NULL DEFAULT 'ACTIVE';
        ALTER TABLE versions ADD COLUMN release_date TEXT;
        UPDATE versions SET status = coalesce(doc ->> '$.status', 'ACTIVE'), release_date = doc ->> '$.releaseDate';
      `);
    }
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
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

  async versionSummaries(keys: readonly PackageKey[]): Promise<(VersionSummary[] | null)[]> {
    const rows = this.statements.summaries.all(JSON.stringify(keys.map((k) => [k.ecosystem, k.name])));
    const byKey = new Map<string, VersionSummary[]>();
    for (const row of rows) {
      const id = `${row.ecosystem}\0${row.name}`;
      let list = byKey.get(id);
      if (!list) byKey.set(id, (list = []));
      list.push({ version: row.version, seq: row.seq, status: row.status as VersionStatus, prerelease: row.prerelease === 1, releaseDate: row.release_date });
    }
    const stored = await this.getPackages(keys);
    return keys.map((key, i) => (stored[i] ? (byKey.get(`${key.ecosystem}\0${key.name}`) ?? []) : null));
  }

  async replacePackage(pkg: StoredPackage, versions: readonly VersionRecord[]): Promise<void> {
    const { ecosystem, name } = pkg.record;
    const s = this.statements;
    // One transaction: a reader sees the old summary with old versions or the new with new.
    this.db.transaction(() => {
      s.deleteVersions.run(ecosystem, name);
      versions.forEach((v, seq) => {
        s.insertVersion.run(ecosystem, name, v.version, seq, v.prerelease ? 1 : 0, WITHDRAWN.has(v.status) ? 1 : 0, JSON.stringify(v), v.status, v.releaseDate);
      });
      s.upsertPackage.run(ecosystem, name, JSON.stringify(pkg.record), pkg.fetchedAt, pkg.validators.etag, pkg.validators.lastModified, versions.length);
      const rowid = s.packageRowid.get(ecosystem, name)?.rowid;
      if (rowid !== undefined) {
        s.ftsDelete.run(rowid);
        s.ftsInsert.run(rowid, name, pkg.record.description ?? '', pkg.record.keywords.join(' '));
      }
    })();
  }

  async updateVersions(records: readonly VersionRecord[]): Promise<void> {
    const s = this.statements;
    this.db.transaction(() => {
      for (const v of records) s.updateVersion.run(v.prerelease ? 1 : 0, WITHDRAWN.has(v.status) ? 1 : 0, JSON.stringify(v), v.status, v.releaseDate, v.ecosystem, v.name, v.version);
    })();
  }

  async touchPackage(key: PackageKey, fetchedAt: number, validators: Validators): Promise<void> {
    this.statements.touch.run(fetchedAt, validators.etag, validators.lastModified, key.ecosystem, key.name);
  }

  async deletePackage(key: PackageKey): Promise<void> {
    this.db.transaction(() => {
      const rowid = this.statements.packageRowid.get(key.ecosystem, key.name)?.rowid;
      if (rowid !== undefined) this.statements.ftsDelete.run(rowid);
      this.statements.deleteVersions.run(key.ecosystem, key.name);
      this.statements.deletePackage.run(key.ecosystem, key.name);
    })();
  }

  async listPackageKeys(ecosystem?: EcosystemId): Promise<PackageKey[]> {
    return this.statements.keys.all(ecosystem ?? null, ecosystem ?? null).map((row) => ({ ecosystem: row.ecosystem as EcosystemId, name: row.name }));
  }

  async stats(): Promise<EcosystemCount[]> {
    const sources = new Map(this.statements.sourceStats.all().map((row) => [row.ecosystem, row]));
    return this.statements.stats.all().map((row) => ({
      ecosystem: row.ecosystem as EcosystemId,
      packages: row.packages,
      versions: row.versions,
      sources: sources.get(row.ecosystem)?.sources ?? 0,
      sourceBytes: sources.get(row.ecosystem)?.bytes ?? 0,
    }));
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    const match = ftsQuery(query.text);
    if (!match) return { items: [], totalCount: 0, hasNextPage: false };
    const lower = query.text.trim().toLowerCase();
    const rows = this.statements.search.all(match, query.ecosystem, query.ecosystem, lower, lower, lower, query.first + 1, query.offset);
    const total = this.statements.searchCount.get(match, query.ecosystem, query.ecosystem)?.n ?? 0;
    return { items: rows.slice(0, query.first).map(toStoredPackage), totalCount: total, hasNextPage: rows.length > query.first };
  }

  async getSources(keys: readonly VersionKey[]): Promise<(SourceRecord | null)[]> {
    const rows = this.statements.sources.all(JSON.stringify(keys.map((k) => [k.ecosystem, k.name, k.version])));
    const byKey = new Map(rows.map((row) => {
      const record = JSON.parse(row.doc) as SourceRecord;
      return [`${record.ecosystem}\0${record.name}\0${record.version}`, record];
    }));
    return keys.map((key) => byKey.get(`${key.ecosystem}\0${key.name}\0${key.version}`) ?? null);
  }

  async putSource(record: SourceRecord): Promise<void> {
    this.statements.putSource.run(record.ecosystem, record.name, record.version, JSON.stringify(record), record.status, record.size);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
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

/**
 * The user's words as an FTS5 query: each word quoted (so FTS syntax in input is inert) and
 * prefix-matched; all words must match. Null when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0).slice(0, 16);
  return words.length > 0 ? words.map((word) => `"${word}"*`).join(' ') : null;
}
