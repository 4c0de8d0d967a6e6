import { MongoClient, MongoServerError, ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import { ECOSYSTEM_IDS, type EcosystemId } from '../../ecosystems/ids.js';
import type { PackageRecord, Validators, VersionRecord } from '../../ecosystems/types.js';
import type {
  DocumentStore,
  EcosystemCount,
  PackageKey,
  SearchPage,
  SearchQuery,
  SourceRecord,
  StoredPackage,
  StoredVersion,
  VersionKey,
  VersionListQuery,
  VersionPage,
  VersionSummary,
} from '../types.js';

const WITHDRAWN = new Set(['YANKED', 'RETRACTED', 'UNPUBLISHED']);
const DUPLICATE_KEY = 11000;

/** Maps become arrays so that keys such as `node.js` or `$ref` never turn into BSON paths. */
type Pairs = { k: string; v: string }[];
type StoredPackageRecord = Omit<PackageRecord, 'distTags'> & { distTags: Pairs };
type StoredVersionRecord = Omit<VersionRecord, 'engines'> & { engines: Pairs };

interface PackageDoc {
  ecosystem: EcosystemId;
  name: string;
  /** Lower-case name: exact and prefix search use its index. */
  nameLower: string;
  /** The fetch generation whose version documents are current (written last: the commit point). */
  gen: ObjectId;
  fetchedAt: number;
  etag: string | null;
  lastModified: string | null;
  versionCount: number;
  record: StoredPackageRecord;
}

interface VersionDoc {
  name: string;
  version: string;
  gen: ObjectId;
  seq: number;
  prerelease: boolean;
  withdrawn: boolean;
  record: StoredVersionRecord;
}

interface SourceDoc extends SourceRecord {}

export interface MongoDocumentStoreOptions {
  uri: string;
  database: string;
  /** Milliseconds to find a server before start-up fails. */
  serverSelectionTimeoutMs?: number;
}

/**
 * The production document store, in the original Scout Registry's layout: `_packages` holds one summary
 * per package, and one collection per ecosystem (`npm`, `pypi`, ...) holds its versions.
 *
 * Readers never see half a fetch: a fetch writes its versions under a new generation id, then switches
 * the summary's `gen` to it (one atomic document write: the commit point), then deletes older
 * generations. Readers only take versions of the generation the summary names. So (name, version) is
 * unique per generation, and unique outright once the previous generation is cleaned up.
 */
export class MongoDocumentStore implements DocumentStore {
  readonly backend = 'mongodb';

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  static async connect(options: MongoDocumentStoreOptions): Promise<MongoDocumentStore> {
    const client = new MongoClient(options.uri, {
      retryReads: true,
      retryWrites: true,
      maxPoolSize: 50,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      appName: 'scout-registry',
    });
    try {
      await client.connect();
      const db = client.db(options.database);
      await db.command({ ping: 1 });
      const store = new MongoDocumentStore(client, db);
      await store.ensureIndexes();
      return store;
    } catch (error) {
      await client.close().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot reach MongoDB at ${redactUri(options.uri)} (SCOUT_REGISTRY_MONGODB_URI): ${reason}`, { cause: error });
    }
  }

  private get packages(): Collection<PackageDoc> {
    return this.db.collection<PackageDoc>('_packages');
  }

  private get sources(): Collection<SourceDoc> {
    return this.db.collection<SourceDoc>('_sources');
  }

  private versions(ecosystem: EcosystemId): Collection<VersionDoc> {
    return this.db.collection<VersionDoc>(ecosystem);
  }

  /** Idempotent: createIndexes with the same spec is a no-op. */
  async ensureIndexes(): Promise<void> {
    await Promise.all([
      this.packages.createIndexes([
        { key: { ecosystem: 1, name: 1 }, name: 'ecosystem_name', unique: true },
        { key: { nameLower: 1, ecosystem: 1 }, name: 'name_lower' },
        { key: { ecosystem: 1, nameLower: 1 }, name: 'ecosystem_name_lower' },
        {
          key: { name: 'text', 'record.description': 'text', 'record.keywords': 'text' },
          name: 'search_text',
          weights: { name: 10, 'record.keywords': 5, 'record.description': 2 },
          default_language: 'none',
        },
      ]),
      this.sources.createIndexes([
        { key: { ecosystem: 1, name: 1, version: 1 }, name: 'ecosystem_name_version', unique: true },
        { key: { ecosystem: 1, status: 1 }, name: 'ecosystem_status' },
      ]),
      ...ECOSYSTEM_IDS.map((ecosystem) =>
        this.versions(ecosystem).createIndexes([
          { key: { name: 1, version: 1, gen: 1 }, name: 'name_version_gen', unique: true },
          { key: { name: 1, gen: 1, seq: 1 }, name: 'name_gen_seq' },
        ]),
      ),
    ]);
  }

  async getPackages(keys: readonly PackageKey[]): Promise<(StoredPackage | null)[]> {
    const docs = await this.findPackages(keys);
    return keys.map((key) => {
      const doc = docs.get(packageId(key));
      return doc ? toStoredPackage(doc) : null;
    });
  }

  /** One round trip for any number of keys: `$or` of `{ecosystem, name: {$in}}` per ecosystem. */
  private async findPackages(keys: readonly PackageKey[], projection?: Record<string, 0 | 1>): Promise<Map<string, PackageDoc>> {
    const result = new Map<string, PackageDoc>();
    if (keys.length === 0) return result;
    const byEcosystem = groupNames(keys);
    const filter: Filter<PackageDoc> = { $or: [...byEcosystem].map(([ecosystem, names]) => ({ ecosystem, name: { $in: [...names] } })) };
    const cursor = this.packages.find(filter, projection ? { projection } : {});
    for await (const doc of cursor) result.set(packageId(doc), doc);
    return result;
  }

  async getVersions(keys: readonly VersionKey[]): Promise<(StoredVersion | null)[]> {
    if (keys.length === 0) return [];
    const summaries = await this.findPackages(keys, { ecosystem: 1, name: 1, gen: 1 });
    const found = new Map<string, VersionDoc>();
    await Promise.all(
      [...groupNames(keys)].map(async ([ecosystem, names]) => {
        const gens = [...names].map((name) => summaries.get(packageId({ ecosystem, name }))?.gen).filter((gen): gen is ObjectId => gen !== undefined);
        if (gens.length === 0) return;
        const versions = [...new Set(keys.filter((k) => k.ecosystem === ecosystem).map((k) => k.version))];
        const cursor = this.versions(ecosystem).find({ name: { $in: [...names] }, version: { $in: versions }, gen: { $in: gens } });
        for await (const doc of cursor) {
          // Only the generation the summary names is current.
          if (summaries.get(packageId({ ecosystem, name: doc.name }))?.gen.equals(doc.gen)) found.set(versionId({ ecosystem, name: doc.name, version: doc.version }), doc);
        }
      }),
    );
    return keys.map((key) => {
      const doc = found.get(versionId(key));
      return doc ? { record: fromStoredVersion(doc.record), seq: doc.seq } : null;
    });
  }

  async listVersions(query: VersionListQuery): Promise<VersionPage> {
    const summary = await this.packages.findOne({ ecosystem: query.ecosystem, name: query.name }, { projection: { gen: 1 } });
    if (!summary) return { items: [], hasNextPage: false, totalCount: 0 };
    const filter: Filter<VersionDoc> = { name: query.name, gen: summary.gen };
    if (!query.includePrereleases) filter.prerelease = false;
    if (!query.includeWithdrawn) filter.withdrawn = false;
    const collection = this.versions(query.ecosystem);
    const [docs, total] = await Promise.all([
      collection.find({ ...filter, seq: { $gt: query.afterSeq ?? -1 } }).sort({ seq: 1 }).limit(query.first + 1).toArray(),
      collection.countDocuments(filter),
    ]);
    return {
      items: docs.slice(0, query.first).map((doc) => ({ record: fromStoredVersion(doc.record), seq: doc.seq })),
      hasNextPage: docs.length > query.first,
      totalCount: total,
    };
  }

  async versionSummaries(keys: readonly PackageKey[]): Promise<(VersionSummary[] | null)[]> {
    if (keys.length === 0) return [];
    const summaries = await this.findPackages(keys, { ecosystem: 1, name: 1, gen: 1 });
    const lists = new Map<string, VersionSummary[]>();
    await Promise.all(
      [...groupNames(keys)].map(async ([ecosystem, names]) => {
        const gens = [...names].map((name) => summaries.get(packageId({ ecosystem, name }))?.gen).filter((gen): gen is ObjectId => gen !== undefined);
        if (gens.length === 0) return;
        const cursor = this.versions(ecosystem)
          .find({ name: { $in: [...names] }, gen: { $in: gens } }, { projection: { name: 1, version: 1, gen: 1, seq: 1, prerelease: 1, 'record.status': 1, 'record.releaseDate': 1 } })
          .sort({ name: 1, seq: 1 });
        for await (const doc of cursor) {
          const id = packageId({ ecosystem, name: doc.name });
          if (!summaries.get(id)?.gen.equals(doc.gen)) continue;
          let list = lists.get(id);
          if (!list) lists.set(id, (list = []));
          list.push({ version: doc.version, seq: doc.seq, prerelease: doc.prerelease, status: doc.record.status, releaseDate: doc.record.releaseDate });
        }
      }),
    );
    return keys.map((key) => (summaries.has(packageId(key)) ? (lists.get(packageId(key)) ?? []) : null));
  }

  async replacePackage(pkg: StoredPackage, versions: readonly VersionRecord[]): Promise<void> {
    const { ecosystem, name } = pkg.record;
    const collection = this.versions(ecosystem);
    // ObjectIds grow with time, so "newer fetch" is well defined between concurrent writers.
    const gen = new ObjectId();
    if (versions.length > 0) {
      await collection.insertMany(
        versions.map((v, seq) => ({ name, version: v.version, gen, seq, prerelease: v.prerelease, withdrawn: WITHDRAWN.has(v.status), record: toStoredVersion(v) })),
        { ordered: false },
      );
    }
    const summary: Omit<PackageDoc, 'ecosystem' | 'name'> = {
      nameLower: name.toLowerCase(),
      gen,
      fetchedAt: pkg.fetchedAt,
      etag: pkg.validators.etag,
      lastModified: pkg.validators.lastModified,
      versionCount: versions.length,
      record: toStoredPackageRecord(pkg.record),
    };
    let committed = true;
    try {
      // The commit point: only a newer generation replaces the summary (a slower, older writer loses).
      await this.packages.updateOne(
        { ecosystem, name, $or: [{ gen: { $lt: gen } }, { gen: { $exists: false } }] },
        { $set: summary, $setOnInsert: { ecosystem, name } },
        { upsert: true },
      );
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) {
        await collection.deleteMany({ name, gen }).catch(() => undefined);
        throw error;
      }
      committed = false; // a newer generation is already current
    }
    if (committed) await collection.deleteMany({ name, gen: { $lt: gen } });
    else await collection.deleteMany({ name, gen });
  }

  async updateVersions(records: readonly VersionRecord[]): Promise<void> {
    if (records.length === 0) return;
    const summaries = await this.findPackages(records, { ecosystem: 1, name: 1, gen: 1 });
    await Promise.all(
      [...groupBy(records, (r) => r.ecosystem)].map(([ecosystem, group]) => {
        const operations = group.flatMap((v) => {
          const gen = summaries.get(packageId(v))?.gen;
          if (!gen) return [];
          return [{ updateOne: { filter: { name: v.name, version: v.version, gen }, update: { $set: { record: toStoredVersion(v), prerelease: v.prerelease, withdrawn: WITHDRAWN.has(v.status) } } } }];
        });
        return operations.length > 0 ? this.versions(ecosystem).bulkWrite(operations, { ordered: false }) : null;
      }),
    );
  }

  async touchPackage(key: PackageKey, fetchedAt: number, validators: Validators): Promise<void> {
    await this.packages.updateOne({ ecosystem: key.ecosystem, name: key.name }, { $set: { fetchedAt, etag: validators.etag, lastModified: validators.lastModified } });
  }

  async deletePackage(key: PackageKey): Promise<void> {
    await this.packages.deleteOne({ ecosystem: key.ecosystem, name: key.name });
    await this.versions(key.ecosystem).deleteMany({ name: key.name });
  }

  async listPackageKeys(ecosystem?: EcosystemId): Promise<PackageKey[]> {
    const docs = await this.packages
      .find(ecosystem ? { ecosystem } : {}, { projection: { ecosystem: 1, name: 1 } })
      .sort({ ecosystem: 1, name: 1 })
      .toArray();
    return docs.map((doc) => ({ ecosystem: doc.ecosystem, name: doc.name }));
  }

  async stats(): Promise<EcosystemCount[]> {
    const [counts, sources] = await Promise.all([
      this.packages.aggregate<{ _id: EcosystemId; packages: number; versions: number }>([
        { $group: { _id: '$ecosystem', packages: { $sum: 1 }, versions: { $sum: '$versionCount' } } },
        { $sort: { _id: 1 } },
      ]).toArray(),
      this.sources.aggregate<{ _id: EcosystemId; sources: number; bytes: number }>([
        { $match: { status: 'STORED' } },
        { $group: { _id: '$ecosystem', sources: { $sum: 1 }, bytes: { $sum: { $ifNull: ['$size', 0] } } } },
      ]).toArray(),
    ]);
    const bySource = new Map(sources.map((row) => [row._id, row]));
    return counts.map((row) => ({
      ecosystem: row._id,
      packages: row.packages,
      versions: row.versions,
      sources: bySource.get(row._id)?.sources ?? 0,
      sourceBytes: bySource.get(row._id)?.bytes ?? 0,
    }));
  }

  /** Exact name, then name prefix (the name index), then text relevance (the text index). */
  async search(query: SearchQuery): Promise<SearchPage> {
    const lower = query.text.trim().toLowerCase();
    if (!lower) return { items: [], totalCount: 0, hasNextPage: false };
    const scope: Filter<PackageDoc> = query.ecosystem ? { ecosystem: query.ecosystem } : {};
    const prefix = new RegExp(`^${escapeRegExp(lower)}`);
    // $text syntax: `-word` negates and `"..."` is a phrase. User text is words only (`left-pad` -> left pad).
    const words = lower.replace(/["\\-]/g, ' ').replace(/\s+/g, ' ').trim() || lower;
    const want = query.offset + query.first + 1;
    const [named, texted, total] = await Promise.all([
      this.packages.find({ ...scope, nameLower: prefix }).sort({ nameLower: 1, ecosystem: 1 }).limit(want).toArray(),
      this.packages
        .find({ ...scope, $text: { $search: words } }, { projection: { score: { $meta: 'textScore' } } })
        .sort({ score: { $meta: 'textScore' }, name: 1 })
        .limit(want)
        .toArray(),
      this.packages.countDocuments({ ...scope, $or: [{ nameLower: prefix }, { $text: { $search: words } }] }),
    ]);
    const ranked = [...named.filter((doc) => doc.nameLower === lower), ...named.filter((doc) => doc.nameLower !== lower), ...texted];
    const seen = new Set<string>();
    const unique = ranked.filter((doc) => {
      const id = packageId(doc);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const page = unique.slice(query.offset, query.offset + query.first + 1);
    return { items: page.slice(0, query.first).map((doc) => toStoredPackage(doc)), totalCount: Math.max(total, unique.length), hasNextPage: page.length > query.first };
  }

  async getSources(keys: readonly VersionKey[]): Promise<(SourceRecord | null)[]> {
    if (keys.length === 0) return [];
    const docs = await this.sources
      .find({ $or: keys.map((k) => ({ ecosystem: k.ecosystem, name: k.name, version: k.version })) }, { projection: { _id: 0 } })
      .toArray();
    const byKey = new Map(docs.map((doc) => [versionId(doc), doc as SourceRecord]));
    return keys.map((key) => byKey.get(versionId(key)) ?? null);
  }

  async putSource(record: SourceRecord): Promise<void> {
    await this.sources.replaceOne({ ecosystem: record.ecosystem, name: record.name, version: record.version }, record, { upsert: true });
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Tests: drop everything this store wrote. */
  async dropDatabase(): Promise<void> {
    await this.db.dropDatabase();
  }
}

function packageId(key: PackageKey): string {
  return `${key.ecosystem}\0${key.name}`;
}

function versionId(key: VersionKey): string {
  return `${key.ecosystem}\0${key.name}\0${key.version}`;
}

function groupNames(keys: readonly PackageKey[]): Map<EcosystemId, Set<string>> {
  const map = new Map<EcosystemId, Set<string>>();
  for (const key of keys) {
    let names = map.get(key.ecosystem);
    if (!names) map.set(key.ecosystem, (names = new Set()));
    names.add(key.name);
  }
  return map;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}

const toPairs = (map: Record<string, string>): Pairs => Object.entries(map).map(([k, v]) => ({ k, v }));
const fromPairs = (pairs: Pairs): Record<string, string> => Object.fromEntries(pairs.map(({ k, v }) => [k, v]));

function toStoredPackage(doc: PackageDoc): StoredPackage {
  const { distTags, ...rest } = doc.record;
  return {
    record: { ...rest, distTags: fromPairs(distTags) },
    fetchedAt: doc.fetchedAt,
    validators: { etag: doc.etag, lastModified: doc.lastModified },
  };
}

function toStoredPackageRecord(record: PackageRecord): StoredPackageRecord {
  return { ...record, distTags: toPairs(record.distTags) };
}

function toStoredVersion(record: VersionRecord): StoredVersionRecord {
  return { ...record, engines: toPairs(record.engines) };
}

function fromStoredVersion(record: StoredVersionRecord): VersionRecord {
  const { engines, ...rest } = record;
  return { ...rest, engines: fromPairs(engines) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The URI without its password, for error messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
