import type { EcosystemId } from '../ecosystems/ids.js';
import { ecosystemFromOsv, packageNameKey } from './ecosystems.js';
import { osvHitSchema, osvRecordSchema, type OsvHit, type OsvRecord } from './schema.js';
import { z } from 'zod';

/** One OSV query as sent: OSV's ecosystem name, the package name and version as OSV spells them. */
export interface OsvQueryKey {
  ecosystem: string;
  name: string;
  version: string;
}

/** OSV's answer to one query (ids and `modified` only), and when it came. */
export interface StoredOsvQuery extends OsvQueryKey {
  hits: OsvHit[];
  /** Epoch milliseconds. */
  fetchedAt: number;
}

/** A package as the offline index knows it: our ecosystem and the folded name (packageNameKey). */
export interface OsvPackageKey {
  ecosystem: EcosystemId;
  nameKey: string;
}

/**
 * Where OSV data lives: records by id (from the API or `osv import`), an index of the packages each
 * record affects (offline matching), and per-version query answers with their fetch time (TTL).
 */
export interface OsvStore {
  readonly backend: 'sqlite' | 'mongodb';
  getQueries(keys: readonly OsvQueryKey[]): Promise<(StoredOsvQuery | null)[]>;
  putQueries(entries: readonly StoredOsvQuery[]): Promise<void>;
  getRecords(ids: readonly string[]): Promise<(OsvRecord | null)[]>;
  /** Upserts by id; a stored copy with a later `modified` wins. Returns how many were written. */
  putRecords(records: readonly OsvRecord[]): Promise<number>;
  /** Every stored record with an `affected` entry for each package (offline mode). */
  recordsForPackages(keys: readonly OsvPackageKey[]): Promise<OsvRecord[][]>;
  counts(): Promise<{ records: number; queries: number }>;
  close(): Promise<void>;
}

/** The packages of ours a record names, deduplicated: the offline index rows of that record. */
export function indexKeys(record: OsvRecord): OsvPackageKey[] {
  const keys = new Map<string, OsvPackageKey>();
  for (const affected of record.affected ?? []) {
    const pkg = affected.package;
    const ecosystem = pkg ? ecosystemFromOsv(pkg.ecosystem) : null;
    if (!pkg || !ecosystem || pkg.name === '') continue;
    const nameKey = packageNameKey(ecosystem, pkg.name);
    keys.set(`${ecosystem}\0${nameKey}`, { ecosystem, nameKey });
  }
  return [...keys.values()];
}

export function modifiedMs(record: { modified: string }): number {
  return Date.parse(record.modified);
}

/** Stored documents are re-validated on the way out: the store is a boundary like any other. */
export function readStoredRecord(json: string): OsvRecord | null {
  try {
    const parsed = osvRecordSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const hitsSchema = z.array(osvHitSchema);

export function readStoredHits(json: string): OsvHit[] | null {
  try {
    const parsed = hitsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
