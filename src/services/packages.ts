import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EcosystemId } from '../ecosystems/ids.js';
import { requireAdapter, type AdapterRegistry } from '../ecosystems/registry.js';
import type { EcosystemAdapter, PackageRecord, VersionDetailsSupport, VersionRecord } from '../ecosystems/types.js';
import { UpstreamError } from '../errors.js';
import type { UpstreamClient } from '../http/client.js';
import type { CacheEvent, CacheObserver } from '../observability/metrics.js';
import { packageBlobKey, versionBlobKey } from '../store/keys.js';
import type { BlobStore, DocumentStore, EcosystemCount, PackageKey, SearchQuery, StoredPackage, StoredVersion, VersionKey, VersionListQuery, VersionPage, VersionSummary } from '../store/types.js';

export interface PackageRequest extends PackageKey {
  /** Seconds: a stored copy older than this is refetched before answering. */
  maxAge?: number | undefined;
}

/** A package as served: the stored copy and whether it is older than the TTL or its refresh failed. */
export interface PackageView {
  record: PackageRecord;
  fetchedAt: number;
  stale: boolean;
}

/** A version that was missing from a stored copy older than this triggers one refetch (newly published). */
const MISSING_VERSION_REFETCH_AFTER_MS = 60_000;
const MEMORY_MAP_MAX_ENTRIES = 10_000;
/** After a failed background refresh, stale reads wait this long before trying the upstream again. */
const BACKGROUND_RETRY_AFTER_MS = 30_000;

export interface PackageServiceDeps {
  config: Config;
  adapters: AdapterRegistry;
  documents: DocumentStore;
  blobs: BlobStore;
  http: UpstreamClient;
  logger: Logger;
  now?: () => number;
  /** Told what each package lookup found (store hit, stale, remembered 404, fetch): /metrics. */
  metrics?: CacheObserver | undefined;
}

/**
 * Fetch-on-demand: store first; on a miss one single-flight upstream fetch per package, normalized
 * and stored before answering. Stale copies are served at once and refreshed in the background.
 */
export class PackageService {
  private readonly inflight = new Map<string, Promise<PackageView | null>>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly notFound = new Map<string, number>();
  private readonly refreshFailedAt = new Map<string, number>();
  private readonly detailsInflight = new Map<string, Promise<VersionRecord>>();
  /** Versions whose details request answered 404, until when: not asked again before then, and nothing stored. */
  private readonly detailsMissing = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly deps: PackageServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  adapter(ecosystem: EcosystemId): EcosystemAdapter {
    return requireAdapter(this.deps.adapters, ecosystem);
  }

  /** Validated canonical key for a client-given name (throws InvalidInputError / NotImplementedError). */
  packageKey(ecosystem: EcosystemId, name: string): PackageKey {
    return { ecosystem, name: this.adapter(ecosystem).normalizeName(name) };
  }

  /** As getPackagesSettled, but the first failed fetch throws. */
  async getPackages(requests: readonly PackageRequest[]): Promise<(PackageView | null)[]> {
    return (await this.getPackagesSettled(requests)).map((item) => {
      if (item instanceof Error) throw item;
      return item;
    });
  }

  /** As getPackages, but a failed fetch is that request's Error: the other packages of a DataLoader batch still answer. */
  async getPackagesSettled(requests: readonly PackageRequest[]): Promise<(PackageView | null | Error)[]> {
    const stored = await this.deps.documents.getPackages(requests);
    const settled = await Promise.allSettled(requests.map((request, i) => this.resolve(request, stored[i] ?? null)));
    return settled.map((result) => (result.status === 'fulfilled' ? result.value : result.reason instanceof Error ? result.reason : new Error(String(result.reason))));
  }

  private async resolve(request: PackageRequest, stored: StoredPackage | null): Promise<PackageView | null> {
    const age = this.now() - (stored?.fetchedAt ?? 0);
    if (stored) {
      const maxAgeMs = request.maxAge === undefined ? Infinity : request.maxAge * 1000;
      if (age > maxAgeMs) {
        this.cacheEvent(request, 'expired');
        return this.fetchThrough(request, stored);
      }
      const stale = age > this.deps.config.cacheTtl * 1000;
      this.cacheEvent(request, stale ? 'stale' : 'hit');
      if (stale) this.refreshInBackground(request, stored);
      return { record: stored.record, fetchedAt: stored.fetchedAt, stale };
    }
    if (this.isKnownMissing(request)) {
      this.cacheEvent(request, 'negative_hit');
      return null;
    }
    this.cacheEvent(request, 'miss');
    return this.fetchThrough(request, null);
  }

  private cacheEvent(key: PackageKey, event: CacheEvent): void {
    this.deps.metrics?.cacheEvent(key.ecosystem, event);
  }

  /** Forces a refetch (Mutation.refreshPackage); a failing upstream leaves the stored copy served, marked stale. */
  async refresh(key: PackageKey): Promise<PackageView | null> {
    const [stored] = await this.deps.documents.getPackages([key]);
    this.notFound.delete(cacheKey(key));
    return this.fetchThrough(key, stored ?? null);
  }

  async getVersions(keys: readonly VersionKey[]): Promise<(StoredVersion | null)[]> {
    const found = await this.deps.documents.getVersions(keys);
    const missing = keys.filter((_, i) => !found[i]);
    if (missing.length === 0) return found;
    // A version missing from an older copy may have been published since: refetch those packages once.
    const packageKeys = uniqueKeys(missing);
    const packages = await this.deps.documents.getPackages(packageKeys);
    const refetched = packageKeys.filter((_, i) => {
      const pkg = packages[i];
      return pkg && this.now() - pkg.fetchedAt > MISSING_VERSION_REFETCH_AFTER_MS;
    });
    if (refetched.length === 0) return found;
    // Failures here are not this read's error: the version simply stays missing.
    await Promise.allSettled(refetched.map((key) => this.fetchThrough(key, packages[packageKeys.indexOf(key)] ?? null)));
    const again = await this.deps.documents.getVersions(missing);
    let j = 0;
    return found.map((version) => version ?? again[j++] ?? null);
  }

  /**
   * Completes versions whose details need a per-version request (VersionRecord.detailsPending): one
   * single-flight fetch per version, merged into the stored raw blob, re-normalized and stored, so the
   * next query reads it from the store. Records without pending details are returned as they are.
   */
  async completeVersions(records: readonly VersionRecord[]): Promise<VersionRecord[]> {
    return Promise.all(records.map((record) => (record.detailsPending ? this.completeVersion(record) : record)));
  }

  private completeVersion(record: VersionRecord): Promise<VersionRecord> {
    const support = this.adapter(record.ecosystem).versionDetails;
    if (!support) return Promise.resolve(record);
    const id = `${cacheKey(record)}\0${record.version}`;
    const missingUntil = this.detailsMissing.get(id);
    if (missingUntil !== undefined && missingUntil > this.now()) return Promise.resolve(record);
    let flight = this.detailsInflight.get(id);
    if (!flight) {
      flight = this.fetchDetails(record, support).finally(() => this.detailsInflight.delete(id));
      this.detailsInflight.set(id, flight);
    }
    return flight;
  }

  private async fetchDetails(record: VersionRecord, support: NonNullable<EcosystemAdapter['versionDetails']>): Promise<VersionRecord> {
    const { documents, blobs, http } = this.deps;
    const { ecosystem, name, version } = record;
    const result = await support.fetch(name, version, { http, conditional: null });
    if (result.kind === 'not-found') {
      // Often a registry's per-version document lagging a new release (PyPI's JSON API behind its simple index):
      // keep the details pending so a later query completes them, instead of storing the version as detail-less.
      const ttl = this.deps.config.negativeCacheTtl * 1000;
      if (ttl > 0) setBounded(this.detailsMissing, `${cacheKey(record)}\0${version}`, this.now() + ttl);
      return record;
    }
    const [packageBlob, versionBlob] = await Promise.all([blobs.get(packageBlobKey(ecosystem, name)), blobs.get(versionBlobKey(ecosystem, name, version))]);
    if (!packageBlob || !versionBlob) return record; // raw data gone (package refetched meanwhile): serve what we have
    const rawVersion = support.attach(JSON.parse(versionBlob.toString('utf8')) as unknown, result.kind === 'ok' ? result.raw : null);
    const normalized = this.adapter(ecosystem).normalize(name, {
      package: JSON.parse(packageBlob.toString('utf8')) as unknown,
      versions: { [version]: rawVersion },
    });
    const completed = normalized.versions.find((v) => v.version === version);
    if (!completed) return record;
    await blobs.put(versionBlobKey(ecosystem, name, version), JSON.stringify(rawVersion));
    await documents.updateVersions([completed]);
    return completed;
  }

  /** Every version of each package (no document parsing), for resolution; null where not stored. */
  versionSummaries(keys: readonly PackageKey[]): Promise<(VersionSummary[] | null)[]> {
    return this.deps.documents.versionSummaries(keys);
  }

  listVersions(query: VersionListQuery): Promise<VersionPage> {
    return this.deps.documents.listVersions(query);
  }

  /** The raw upstream data of one version (the `extended` blob), or null when none is stored. */
  async getExtended(key: VersionKey): Promise<unknown> {
    const blob = await this.deps.blobs.get(versionBlobKey(key.ecosystem, key.name, key.version));
    return blob ? (JSON.parse(blob.toString('utf8')) as unknown) : null;
  }

  stats(): Promise<EcosystemCount[]> {
    return this.deps.documents.stats();
  }

  /** Search over what is already stored (no upstream request): exact name, prefix, then relevance. */
  async search(query: SearchQuery): Promise<{ items: PackageView[]; totalCount: number; hasNextPage: boolean }> {
    const page = await this.deps.documents.search(query);
    const ttl = this.deps.config.cacheTtl * 1000;
    return { ...page, items: page.items.map((item) => ({ record: item.record, fetchedAt: item.fetchedAt, stale: this.now() - item.fetchedAt > ttl })) };
  }

  /** Which store backends serve this gateway (stats). */
  backends(): { documents: string; blobs: string } {
    return { documents: this.deps.documents.backend, blobs: this.deps.blobs.backend };
  }

  /**
   * Re-runs the adapter's normalizer over the stored raw upstream documents (no upstream request),
   * keeping fetchedAt and validators: how a better normalizer reaches data already stored.
   * Returns false when the raw data is missing (the package is then left as it is).
   */
  async renormalize(key: PackageKey): Promise<boolean> {
    const { documents, blobs } = this.deps;
    const [stored] = await documents.getPackages([key]);
    const packageBlob = await blobs.get(packageBlobKey(key.ecosystem, key.name));
    if (!stored || !packageBlob) return false;
    const versions: Record<string, unknown> = {};
    for (let afterSeq: number | null = null; ; ) {
      const page: VersionPage = await documents.listVersions({ ...key, first: 1000, afterSeq, includePrereleases: true, includeWithdrawn: true });
      const withRaw = page.items.filter((item) => item.record.status !== 'UNPUBLISHED');
      const raws = await Promise.all(withRaw.map((item) => blobs.get(versionBlobKey(key.ecosystem, key.name, item.record.version))));
      withRaw.forEach((item, i) => {
        const raw = raws[i];
        if (raw) versions[item.record.version] = JSON.parse(raw.toString('utf8')) as unknown;
      });
      if (!page.hasNextPage) break;
      afterSeq = page.items.at(-1)?.seq ?? null;
    }
    const normalized = this.adapter(key.ecosystem).normalize(key.name, { package: JSON.parse(packageBlob.toString('utf8')) as unknown, versions });
    await documents.replacePackage({ record: normalized.package, fetchedAt: stored.fetchedAt, validators: stored.validators }, normalized.versions);
    return true;
  }

  /** Waits for background refreshes (tests and graceful shutdown). */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private isKnownMissing(key: PackageKey): boolean {
    const until = this.notFound.get(cacheKey(key));
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.notFound.delete(cacheKey(key));
    return false;
  }

  private rememberMissing(key: PackageKey): void {
    const ttl = this.deps.config.negativeCacheTtl * 1000;
    if (ttl <= 0) return;
    setBounded(this.notFound, cacheKey(key), this.now() + ttl);
  }

  private refreshInBackground(key: PackageKey, stored: StoredPackage): void {
    const id = cacheKey(key);
    if (this.inflight.has(id)) return;
    // A registry that is down is not asked again by every stale read: one try per cool-down.
    const failedAt = this.refreshFailedAt.get(id);
    if (failedAt !== undefined && this.now() - failedAt < BACKGROUND_RETRY_AFTER_MS) return;
    const task = this.fetchThrough(key, stored)
      .then((view) => {
        if (view?.stale) setBounded(this.refreshFailedAt, id, this.now());
        else this.refreshFailedAt.delete(id);
      })
      .catch((error: unknown) => {
        setBounded(this.refreshFailedAt, id, this.now());
        this.deps.logger.warn({ err: error, ...key }, 'background refresh failed');
      });
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  /** Re-attaches immutable per-version details from the stored raw blobs to a fresh fetch's versions. */
  private async keepDetails(key: PackageKey, support: VersionDetailsSupport, versions: Record<string, unknown>): Promise<void> {
    const names = Object.keys(versions);
    const blobs = await Promise.all(names.map((version) => this.deps.blobs.get(versionBlobKey(key.ecosystem, key.name, version)).catch(() => null)));
    names.forEach((version, i) => {
      const blob = blobs[i];
      if (!blob) return;
      let old: unknown;
      try {
        old = JSON.parse(blob.toString('utf8')) as unknown;
      } catch {
        return;
      }
      const kept = support.kept?.(old);
      if (kept) versions[version] = support.attach(versions[version], kept.details);
    });
  }

  /** Single-flight: concurrent callers for one package share one upstream fetch. */
  private fetchThrough(key: PackageKey, stored: StoredPackage | null): Promise<PackageView | null> {
    const id = cacheKey(key);
    let flight = this.inflight.get(id);
    if (!flight) {
      flight = this.fetchAndStore(key, stored).finally(() => this.inflight.delete(id));
      this.inflight.set(id, flight);
    }
    return flight;
  }

  private async fetchAndStore(key: PackageKey, stored: StoredPackage | null): Promise<PackageView | null> {
    const adapter = this.adapter(key.ecosystem);
    const { documents, blobs, http, logger } = this.deps;
    try {
      const result = await adapter.fetch(key.name, { http, conditional: stored?.validators ?? null });
      const fetchedAt = this.now();
      if (result.kind === 'not-found') {
        this.rememberMissing(key);
        if (stored) await documents.deletePackage(key);
        return null;
      }
      if (result.kind === 'not-modified') {
        if (!stored) throw new UpstreamError('UPSTREAM_INVALID', `${key.ecosystem} upstream answered 304 to an unconditional request for ${key.name}`);
        await documents.touchPackage(key, fetchedAt, result.validators);
        return { record: stored.record, fetchedAt, stale: false };
      }
      if (stored && adapter.versionDetails?.kept) await this.keepDetails(key, adapter.versionDetails, result.raw.versions);
      const normalized = adapter.normalize(key.name, result.raw);
      // Blobs first, then the documents that point at them, so no reader sees a version without its blob.
      await blobs.putMany([
        [packageBlobKey(key.ecosystem, key.name), JSON.stringify(result.raw.package)],
        // An empty version key (upstream data) can be no version's raw part and has no blob key.
        ...Object.entries(result.raw.versions).filter(([version]) => version !== '').map(([version, raw]) => [versionBlobKey(key.ecosystem, key.name, version), JSON.stringify(raw)] as const),
      ]);
      await documents.replacePackage({ record: normalized.package, fetchedAt, validators: result.validators }, normalized.versions);
      this.notFound.delete(cacheKey(key));
      return { record: normalized.package, fetchedAt, stale: false };
    } catch (error) {
      if (stored && error instanceof UpstreamError) {
        logger.warn({ err: error, ...key }, 'upstream failed; serving the stored copy as stale');
        this.cacheEvent(key, 'stale_on_error');
        return { record: stored.record, fetchedAt: stored.fetchedAt, stale: true };
      }
      throw error;
    }
  }
}

/** Map.set that drops the oldest entry past MEMORY_MAP_MAX_ENTRIES, so in-memory caches stay bounded. */
function setBounded<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  if (map.size >= MEMORY_MAP_MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

function cacheKey(key: PackageKey): string {
  return `${key.ecosystem}\0${key.name}`;
}

function uniqueKeys(keys: readonly PackageKey[]): PackageKey[] {
  const seen = new Map<string, PackageKey>();
  for (const key of keys) seen.set(cacheKey(key), { ecosystem: key.ecosystem, name: key.name });
  return [...seen.values()];
}
