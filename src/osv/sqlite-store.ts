import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OsvRecord } from './schema.js';
import { indexKeys, modifiedMs, readStoredHits, readStoredRecord, type OsvPackageKey, type OsvQueryKey, type OsvStore, type StoredOsvQuery } from './store.js';

interface QueryRow {
  ecosystem: string;
  name: string;
  version: string;
  hits: string;
  fetched_at: number;
}

/** The embedded OSV store: its own SQLite file (`osv.sqlite`), so imports never lock the package store. */
export class SqliteOsvStore implements OsvStore {
  readonly backend = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS osv_vulns (
        id TEXT PRIMARY KEY,
        modified_ms INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS osv_affected (
        ecosystem TEXT NOT NULL,
        name_key TEXT NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (ecosystem, name_key, id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS osv_affected_id ON osv_affected (id);
      CREATE TABLE IF NOT EXISTS osv_queries (
        ecosystem TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        hits TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (ecosystem, name, version)
      ) WITHOUT ROWID;
    `);
    this.statements = {
      queries: this.db.prepare<[string], QueryRow>(
        `SELECT q.ecosystem, q.name, q.version, q.hits, q.fetched_at
           FROM json_each(?) AS k JOIN osv_queries AS q ON q.ecosystem = k.value ->> 0 AND q.name = k.value ->> 1 AND q.version = k.value ->> 2`,
      ),
      putQuery: this.db.prepare<[string, string, string, string, number]>(
        `INSERT INTO osv_queries (ecosystem, name, version, hits, fetched_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ecosystem, name, version) DO UPDATE SET hits = excluded.hits, fetched_at = excluded.fetched_at`,
      ),
      records: this.db.prepare<[string], { id: string; doc: string }>('SELECT v.id, v.doc FROM json_each(?) AS k JOIN osv_vulns AS v ON v.id = k.value'),
      modified: this.db.prepare<[string], { modified_ms: number }>('SELECT modified_ms FROM osv_vulns WHERE id = ?'),
      putRecord: this.db.prepare<[string, number, string]>(
        'INSERT INTO osv_vulns (id, modified_ms, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET modified_ms = excluded.modified_ms, doc = excluded.doc',
      ),
      clearIndex: this.db.prepare<[string]>('DELETE FROM osv_affected WHERE id = ?'),
      index: this.db.prepare<[string, string, string]>('INSERT OR IGNORE INTO osv_affected (ecosystem, name_key, id) VALUES (?, ?, ?)'),
      forPackages: this.db.prepare<[string], { ecosystem: string; name_key: string; doc: string }>(
        `SELECT a.ecosystem, a.name_key, v.doc
           FROM json_each(?) AS k
           JOIN osv_affected AS a ON a.ecosystem = k.value ->> 0 AND a.name_key = k.value ->> 1
           JOIN osv_vulns AS v ON v.id = a.id`,
      ),
      countRecords: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM osv_vulns'),
      countQueries: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM osv_queries'),
    };
  }

  async getQueries(keys: readonly OsvQueryKey[]): Promise<(StoredOsvQuery | null)[]> {
    if (keys.length === 0) return [];
    const rows = this.statements.queries.all(JSON.stringify(keys.map((key) => [key.ecosystem, key.name, key.version])));
    const byKey = new Map(rows.map((row) => [JSON.stringify([row.ecosystem, row.name, row.version]), row]));
    return keys.map((key) => {
      const row = byKey.get(JSON.stringify([key.ecosystem, key.name, key.version]));
      const hits = row ? readStoredHits(row.hits) : null;
      return row && hits ? { ecosystem: row.ecosystem, name: row.name, version: row.version, hits, fetchedAt: row.fetched_at } : null;
    });
  }

  async putQueries(entries: readonly StoredOsvQuery[]): Promise<void> {
    this.db.transaction(() => {
      for (const entry of entries) this.statements.putQuery.run(entry.ecosystem, entry.name, entry.version, JSON.stringify(entry.hits), entry.fetchedAt);
    })();
  }

  async getRecords(ids: readonly string[]): Promise<(OsvRecord | null)[]> {
    if (ids.length === 0) return [];
    const rows = this.statements.records.all(JSON.stringify(ids));
    const byId = new Map(rows.map((row) => [row.id, row.doc]));
    return ids.map((id) => {
      const doc = byId.get(id);
      return doc === undefined ? null : readStoredRecord(doc);
    });
  }

  async putRecords(records: readonly OsvRecord[]): Promise<number> {
    return this.db.transaction(() => {
      let written = 0;
      for (const record of records) {
        const incoming = modifiedMs(record);
        const existing = this.statements.modified.get(record.id);
        if (existing && existing.modified_ms > incoming) continue;
        this.statements.putRecord.run(record.id, incoming, JSON.stringify(record));
        this.statements.clearIndex.run(record.id);
        for (const key of indexKeys(record)) this.statements.index.run(key.ecosystem, key.nameKey, record.id);
        written++;
      }
      return written;
    })();
  }

  async recordsForPackages(keys: readonly OsvPackageKey[]): Promise<OsvRecord[][]> {
    if (keys.length === 0) return [];
    const unique = [...new Map(keys.map((key) => [`${key.ecosystem}\0${key.nameKey}`, [key.ecosystem, key.nameKey]])).values()];
    const rows = this.statements.forPackages.all(JSON.stringify(unique));
    const byKey = new Map<string, OsvRecord[]>();
    for (const row of rows) {
      const record = readStoredRecord(row.doc);
      if (!record) continue;
      const key = `${row.ecosystem}\0${row.name_key}`;
      const list = byKey.get(key);
      if (list) list.push(record);
      else byKey.set(key, [record]);
    }
    return keys.map((key) => byKey.get(`${key.ecosystem}\0${key.nameKey}`) ?? []);
  }

  async counts(): Promise<{ records: number; queries: number }> {
    return { records: this.statements.countRecords.get()?.n ?? 0, queries: this.statements.countQueries.get()?.n ?? 0 };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
