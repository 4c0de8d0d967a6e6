import type { Readable } from 'node:stream';
import type { EcosystemId } from '../ecosystems/ids.js';
import type { PackageRecord, Validators, VersionRecord, VersionStatus } from '../ecosystems/types.js';

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

/** What version resolution needs of each version, without reading whole documents. */
export interface VersionSummary {
  version: string;
  seq: number;
  status: VersionStatus;
  prerelease: boolean;
  releaseDate: string | null;
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
  /** Source archives stored, and their bytes. */
  sources: number;
  sourceBytes: number;
}

/** What is known of one version's source archive (only attempts are recorded; none means NONE). */
export interface SourceRecord extends VersionKey {
  status: 'STORED' | 'FAILED';
  /** Blob key when stored. */
  key: string | null;
  url: string | null;
  size: number | null;
  algorithm: string | null;
  /** Lower-case hex. */
  digest: string | null;
  /** Epoch milliseconds of the attempt. */
  storedAt: number;
  error: string | null;
  /** True when the digest matched one the registry publishes (false: none published, digest computed here). */
  verified: boolean;
}

export interface SearchQuery {
  text: string;
  ecosystem: EcosystemId | null;
  first: number;
  offset: number;
}

export interface SearchPage {
  items: StoredPackage[];
  totalCount: number;
  hasNextPage: boolean;
}

/** Queryable documents. One call = one round trip; writes of one package are atomic. */
export interface DocumentStore {
  getPackages(keys: readonly PackageKey[]): Promise<(StoredPackage | null)[]>;
  getVersions(keys: readonly VersionKey[]): Promise<(StoredVersion | null)[]>;
  listVersions(query: VersionListQuery): Promise<VersionPage>;
  /** Every version of each package, newest first (null for a package not stored); one round trip. */
  versionSummaries(keys: readonly PackageKey[]): Promise<(VersionSummary[] | null)[]>;
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
  /** Packages already stored, ranked: exact name, then name prefix, then description/keyword relevance. */
  search(query: SearchQuery): Promise<SearchPage>;
  getSources(keys: readonly VersionKey[]): Promise<(SourceRecord | null)[]>;
  putSource(record: SourceRecord): Promise<void>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  /** `sqlite` or `mongodb`. */
  readonly backend: string;
  close(): Promise<void>;
}

/** Extended data and archives, by key (see keys.ts). */
export interface BlobStore {
  get(key: string): Promise<Buffer | null>;
  put(key: string, data: Buffer | string): Promise<void>;
  putMany(entries: ReadonlyArray<readonly [string, Buffer | string]>): Promise<void>;
  /**
   * Streams `source` to `key` and returns its size. Nothing is visible at `key` unless the whole stream
   * succeeds: a source that errors (e.g. a digest mismatch found at its end) leaves no blob behind.
   */
  putStream(key: string, source: Readable): Promise<number>;
  delete(key: string): Promise<void>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  /** `filesystem` or `s3`. */
  readonly backend: string;
  close(): Promise<void>;
}
