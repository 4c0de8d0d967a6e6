/**
 * Vulnerabilities of versions, batched: online from the OSV API (querybatch, then records by id, both
 * stored), offline only from records loaded with `scout-registry osv import`, matched here.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EcosystemId } from '../ecosystems/ids.js';
import { UpstreamError } from '../errors.js';
import type { PostingClient, UpstreamClient } from '../http/client.js';
import { OsvApi } from './api.js';
import { OSV_ECOSYSTEMS, osvVersion, packageNameKey } from './ecosystems.js';
import { recordAffects } from './match.js';
import { MongoOsvStore } from './mongo-store.js';
import type { OsvHit, OsvRecord } from './schema.js';
import { SqliteOsvStore } from './sqlite-store.js';
import type { OsvQueryKey, OsvStore, StoredOsvQuery } from './store.js';

/** One version to look up, by our ecosystem id and canonical name. */
export interface OsvLookup {
  ecosystem: EcosystemId;
  name: string;
  version: string;
  /**
   * The spelling to send to OSV when it differs from the canonical name only by case (NuGet ids and
   * crate names are folded to lower case here, while OSV matches them case-sensitively).
   */
  spelling?: string | null;
}

/** MongoDB when SCOUT_REGISTRY_MONGODB_URI is set (collections `_osv_*`), else `osv.sqlite` in the data dir. */
export async function openOsvStore(config: Config): Promise<OsvStore> {
  return config.mongo ? MongoOsvStore.connect(config.mongo) : new SqliteOsvStore(path.join(config.dataDir, 'osv.sqlite'));
}

const CASE_FOLDED: ReadonlySet<EcosystemId> = new Set(['nuget', 'cargo']);

/** The name OSV should be asked about. */
export function osvQueryName(lookup: Pick<OsvLookup, 'ecosystem' | 'name' | 'spelling'>): string {
  const spelling = lookup.spelling?.trim();
  if (spelling && CASE_FOLDED.has(lookup.ecosystem) && spelling.toLowerCase() === lookup.name.toLowerCase()) return spelling;
  return lookup.name;
}

const queryKeyOf = (query: OsvQueryKey) => JSON.stringify([query.ecosystem, query.name, query.version]);

export interface OsvServiceDeps {
  config: Config;
  store: OsvStore;
  http: UpstreamClient & PostingClient;
  logger: Logger;
  now?: () => number;
}

export class OsvService {
  readonly store: OsvStore;
  private readonly api: OsvApi;
  private readonly now: () => number;
  /** Record fetches in flight, by `id\0modified`: concurrent requests share one GET. */
  private readonly inflight = new Map<string, Promise<OsvRecord | null>>();

  constructor(private readonly deps: OsvServiceDeps) {
    this.store = deps.store;
    this.api = new OsvApi(deps.http, deps.config.osv.baseUrl);
    this.now = deps.now ?? Date.now;
  }

  get mode(): 'online' | 'offline' {
    return this.deps.config.osv.mode;
  }

  /** Every record that affects each version (withdrawn ones included: callers decide), sorted by id. */
  async lookup(lookups: readonly OsvLookup[]): Promise<(OsvRecord[] | Error)[]> {
    if (lookups.length === 0) return [];
    return this.mode === 'offline' ? this.lookupOffline(lookups) : this.lookupOnline(lookups);
  }

  private async lookupOffline(lookups: readonly OsvLookup[]): Promise<OsvRecord[][]> {
    const keys = lookups.map((lookup) => ({ ecosystem: lookup.ecosystem, nameKey: packageNameKey(lookup.ecosystem, lookup.name) }));
    const candidates = await this.store.recordsForPackages(keys);
    return lookups.map((lookup, i) =>
      (candidates[i] ?? []).filter((record) => recordAffects(record, lookup.ecosystem, lookup.name, lookup.version)).sort((a, b) => compareIds(a.id, b.id)),
    );
  }

  private async lookupOnline(lookups: readonly OsvLookup[]): Promise<(OsvRecord[] | Error)[]> {
    const queries = lookups.map((lookup): OsvQueryKey => ({
      ecosystem: OSV_ECOSYSTEMS[lookup.ecosystem],
      name: osvQueryName(lookup),
      version: osvVersion(lookup.ecosystem, lookup.version),
    }));
    const unique = [...new Map(queries.map((query) => [queryKeyOf(query), query])).values()];
    const hitsByQuery = await this.hits(unique);

    // Records: stored copies that are as new as OSV says, else one GET per id (deduplicated).
    const wanted = new Map<string, string>();
    for (const hits of hitsByQuery.values()) {
      if (hits instanceof Error) continue;
      for (const hit of hits) {
        const seen = wanted.get(hit.id);
        if (seen === undefined || Date.parse(seen) < Date.parse(hit.modified)) wanted.set(hit.id, hit.modified);
      }
    }
    const ids = [...wanted.keys()];
    const stored = await this.store.getRecords(ids);
    const records = new Map<string, OsvRecord | null | Error>();
    const stale: string[] = [];
    const storedById = new Map<string, OsvRecord>();
    ids.forEach((id, i) => {
      const record = stored[i];
      if (record) storedById.set(id, record);
      if (record && Date.parse(record.modified) >= Date.parse(wanted.get(id)!)) records.set(id, record);
      else stale.push(id);
    });
    const fetched = await Promise.all(stale.map((id) => this.fetchRecord(id, wanted.get(id)!).catch((error: unknown) => toError(error))));
    const fresh: OsvRecord[] = [];
    stale.forEach((id, i) => {
      const result = fetched[i]!;
      const previous = storedById.get(id) ?? null;
      if (result instanceof Error) {
        // An older stored copy beats no answer at all (the design's stale-on-failure rule).
        if (previous) this.deps.logger.warn({ id, err: result }, 'OSV record refresh failed; serving the stored copy');
        records.set(id, previous ?? result);
      } else {
        records.set(id, result);
        if (result) fresh.push(result);
      }
    });
    if (fresh.length > 0) await this.store.putRecords(fresh);

    return queries.map((query) => {
      const hits = hitsByQuery.get(queryKeyOf(query));
      if (hits === undefined) return new Error('OSV query lost');
      if (hits instanceof Error) return hits;
      const found: OsvRecord[] = [];
      for (const hit of hits) {
        const record = records.get(hit.id);
        if (record instanceof Error) return record;
        // Gone from OSV since the query (404): nothing to show.
        if (record) found.push(record);
      }
      return found.sort((a, b) => compareIds(a.id, b.id));
    });
  }

  /** Hits per query key: fresh stored answers, else OSV (stored on success), else a stale stored answer, else the error. */
  private async hits(queries: readonly OsvQueryKey[]): Promise<Map<string, OsvHit[] | Error>> {
    const result = new Map<string, OsvHit[] | Error>();
    const stored = await this.store.getQueries(queries);
    const ttl = this.deps.config.osv.ttl * 1000;
    const now = this.now();
    const missing: OsvQueryKey[] = [];
    const staleCopies = new Map<string, StoredOsvQuery>();
    queries.forEach((query, i) => {
      const copy = stored[i];
      if (copy && now - copy.fetchedAt < ttl) result.set(queryKeyOf(query), copy.hits);
      else {
        missing.push(query);
        if (copy) staleCopies.set(queryKeyOf(query), copy);
      }
    });
    if (missing.length === 0) return result;
    const answers = await this.api.queryBatch(missing);
    const toStore: StoredOsvQuery[] = [];
    missing.forEach((query, i) => {
      const key = queryKeyOf(query);
      const answer = answers[i]!;
      if (answer instanceof Error) {
        const copy = staleCopies.get(key);
        if (copy) this.deps.logger.warn({ query, err: answer }, 'OSV query failed; serving the stored answer');
        result.set(key, copy ? copy.hits : answer);
      } else {
        result.set(key, answer);
        toStore.push({ ...query, hits: answer, fetchedAt: now });
      }
    });
    if (toStore.length > 0) await this.store.putQueries(toStore);
    return result;
  }

  private fetchRecord(id: string, modified: string): Promise<OsvRecord | null> {
    const key = `${id}\0${modified}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = this.api.getRecord(id).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

function toError(error: unknown): Error {
  if (error instanceof UpstreamError) return error;
  return error instanceof Error ? error : new Error(String(error));
}

/** Ids in a stable, readable order: by prefix, then numerically where the rest is numeric-ish. */
function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
