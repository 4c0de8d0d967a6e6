import { MongoClient, type Collection, type Db } from 'mongodb';
import { redactUri } from '../store/mongo/document-store.js';
import type { OsvRecord } from './schema.js';
import { indexKeys, modifiedMs, readStoredHits, readStoredRecord, type OsvPackageKey, type OsvQueryKey, type OsvStore, type StoredOsvQuery } from './store.js';

/** Records are kept as JSON text: OSV's free-form `*_specific` objects may hold keys BSON paths cannot. */
interface VulnDoc {
  _id: string;
  modifiedMs: number;
  /** `ecosystem\0nameKey` of every package of ours the record affects (multikey index). */
  packages: string[];
  doc: string;
}

interface QueryDoc {
  /** JSON `[ecosystem, name, version]`. */
  _id: string;
  hits: string;
  fetchedAt: number;
}

const queryId = (key: OsvQueryKey) => JSON.stringify([key.ecosystem, key.name, key.version]);
const packageId = (key: OsvPackageKey) => `${key.ecosystem}\0${key.nameKey}`;

/** The production OSV store: collections `_osv_vulns` and `_osv_queries` next to the package store's. */
export class MongoOsvStore implements OsvStore {
  readonly backend = 'mongodb';

  private constructor(private readonly client: MongoClient, private readonly db: Db) {}

  static async connect(options: { uri: string; database: string; serverSelectionTimeoutMs?: number }): Promise<MongoOsvStore> {
    const client = new MongoClient(options.uri, {
      retryReads: true,
      retryWrites: true,
      maxPoolSize: 20,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      appName: 'scout-registry-osv',
    });
    try {
      await client.connect();
      const store = new MongoOsvStore(client, client.db(options.database));
      await store.vulns.createIndexes([{ key: { packages: 1 }, name: 'packages' }]);
      return store;
    } catch (error) {
      await client.close().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot reach MongoDB at ${redactUri(options.uri)} (SCOUT_REGISTRY_MONGODB_URI) for OSV data: ${reason}`, { cause: error });
    }
  }

  private get vulns(): Collection<VulnDoc> {
    return this.db.collection<VulnDoc>('_osv_vulns');
  }

  private get queries(): Collection<QueryDoc> {
    return this.db.collection<QueryDoc>('_osv_queries');
  }

  async getQueries(keys: readonly OsvQueryKey[]): Promise<(StoredOsvQuery | null)[]> {
    if (keys.length === 0) return [];
    const docs = await this.queries.find({ _id: { $in: [...new Set(keys.map(queryId))] } }).toArray();
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    return keys.map((key) => {
      const doc = byId.get(queryId(key));
      const hits = doc ? readStoredHits(doc.hits) : null;
      return doc && hits ? { ...key, hits, fetchedAt: doc.fetchedAt } : null;
    });
  }

  async putQueries(entries: readonly StoredOsvQuery[]): Promise<void> {
    if (entries.length === 0) return;
    await this.queries.bulkWrite(
      entries.map((entry) => ({
        replaceOne: { filter: { _id: queryId(entry) }, replacement: { _id: queryId(entry), hits: JSON.stringify(entry.hits), fetchedAt: entry.fetchedAt }, upsert: true },
      })),
      { ordered: false },
    );
  }

  async getRecords(ids: readonly string[]): Promise<(OsvRecord | null)[]> {
    if (ids.length === 0) return [];
    const docs = await this.vulns.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    const byId = new Map(docs.map((doc) => [doc._id, doc.doc]));
    return ids.map((id) => {
      const doc = byId.get(id);
      return doc === undefined ? null : readStoredRecord(doc);
    });
  }

  async putRecords(records: readonly OsvRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    // Newest copy per id within the batch, then only those not older than what is stored.
    const latest = new Map<string, OsvRecord>();
    for (const record of records) {
      const seen = latest.get(record.id);
      if (!seen || modifiedMs(seen) <= modifiedMs(record)) latest.set(record.id, record);
    }
    const stored = await this.vulns.find({ _id: { $in: [...latest.keys()] } }, { projection: { modifiedMs: 1 } }).toArray();
    const storedMs = new Map(stored.map((doc) => [doc._id, doc.modifiedMs]));
    const writes = [...latest.values()].filter((record) => (storedMs.get(record.id) ?? -Infinity) <= modifiedMs(record));
    if (writes.length === 0) return 0;
    await this.vulns.bulkWrite(
      writes.map((record) => ({
        replaceOne: {
          // Read-then-write: a concurrent writer may interleave, but both write OSV's own copies of the record.
          filter: { _id: record.id },
          replacement: { _id: record.id, modifiedMs: modifiedMs(record), packages: indexKeys(record).map(packageId), doc: JSON.stringify(record) },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    return writes.length;
  }

  async recordsForPackages(keys: readonly OsvPackageKey[]): Promise<OsvRecord[][]> {
    if (keys.length === 0) return [];
    const wanted = [...new Set(keys.map(packageId))];
    const docs = await this.vulns.find({ packages: { $in: wanted } }).toArray();
    const byKey = new Map<string, OsvRecord[]>();
    for (const doc of docs) {
      const record = readStoredRecord(doc.doc);
      if (!record) continue;
      for (const key of doc.packages) {
        const list = byKey.get(key);
        if (list) list.push(record);
        else byKey.set(key, [record]);
      }
    }
    return keys.map((key) => byKey.get(packageId(key)) ?? []);
  }

  async counts(): Promise<{ records: number; queries: number }> {
    const [records, queries] = await Promise.all([this.vulns.estimatedDocumentCount(), this.queries.estimatedDocumentCount()]);
    return { records, queries };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
