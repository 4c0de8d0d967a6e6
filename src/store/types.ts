import type { EcosystemId } from '../ecosystems/ids.js';
import type { PackageRecord, Validators, VersionRecord } from '../ecosystems/types.js';

export interface PackageKey {
  ecosystem: EcosystemId;
  name: string;
}

export interface VersionKey extends PackageKey {
  version: string;
}

export interface StoredPackage {
  record: PackageRecord;
  /** Epoch milliseconds of the last successful upstream answer (200 or 304). */
  fetchedAt: number;
  validators: Validators;
}

export interface StoredVersion {
  record: VersionRecord;
  /** Position in the package's newest-first order (0 = newest). */
  seq: number;
}

export interface VersionListQuery extends PackageKey {
  first: number;
  /** Only versions with a larger seq (cursor pagination). */
  afterSeq: number | null;
  includePrereleases: boolean;
  /** Include YANKED / RETRACTED / UNPUBLISHED versions. */
  includeWithdrawn: boolean;
}

export interface VersionPage {
  items: StoredVersion[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface EcosystemCount {
  ecosystem: EcosystemId;
  packages: number;
  versions: number;
}

/** Queryable documents. One call = one round trip; writes of one package are atomic. */
export interface DocumentStore {
  getPackages(keys: readonly PackageKey[]): Promise<(StoredPackage | null)[]>;
  getVersions(keys: readonly VersionKey[]): Promise<(StoredVersion | null)[]>;
  listVersions(query: VersionListQuery): Promise<VersionPage>;
  /** Replaces the package summary and all its versions in one step: readers see the old or the new, never a mix. */
  replacePackage(pkg: StoredPackage, versions: readonly VersionRecord[]): Promise<void>;
  /** Replaces stored versions' documents in place (order and package untouched); unknown versions are ignored. */
  updateVersions(records: readonly VersionRecord[]): Promise<void>;
  /** A 304: the stored copy is still right; only its freshness moves. */
  touchPackage(key: PackageKey, fetchedAt: number, validators: Validators): Promise<void>;
  deletePackage(key: PackageKey): Promise<void>;
  /** Every stored package key (optionally of one ecosystem), for maintenance such as re-normalizing. */
  listPackageKeys(ecosystem?: EcosystemId): Promise<PackageKey[]>;
  stats(): Promise<EcosystemCount[]>;
  close(): Promise<void>;
}

/** Extended data and archives, by key (see keys.ts). */
export interface BlobStore {
  get(key: string): Promise<Buffer | null>;
  put(key: string, data: Buffer | string): Promise<void>;
  putMany(entries: ReadonlyArray<readonly [string, Buffer | string]>): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
