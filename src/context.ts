import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { AuthState } from './auth.js';
import type { VersionRecord } from './ecosystems/types.js';
import type { PackageRequest, PackageService, PackageView } from './services/packages.js';
import type { SourceService } from './services/sources.js';
import { createOsvLoader, type OsvLoader } from './osv/loader.js';
import type { OsvService } from './osv/service.js';
import type { PackageKey, SourceRecord, StoredVersion, VersionKey, VersionSummary } from './store/types.js';

export interface Loaders {
  package: DataLoader<PackageRequest, PackageView | null, string>;
  version: DataLoader<VersionKey, StoredVersion | null, string>;
  extended: DataLoader<VersionKey, unknown, string>;
  /** Versions with their lazily fetched per-version details (see VersionRecord.detailsPending). */
  detailed: DataLoader<VersionRecord, VersionRecord, string>;
  source: DataLoader<VersionKey, SourceRecord | null, string>;
  /** Every version of a package (fetched on demand), for resolving constraints. */
  candidates: DataLoader<PackageKey, VersionSummary[] | null, string>;
}

export interface GatewayContext {
  service: PackageService;
  sources: SourceService;
  loaders: Loaders;
  logger: Logger;
  auth: AuthState;
  apiKeys: readonly string[];
  osv: OsvService;
  /** Vulnerabilities per version: one OSV lookup per tick for every version asked (see src/osv/). */
  vulnerabilities: OsvLoader;
}

const packageCacheKey = (key: PackageRequest) => `${key.ecosystem}\0${key.name}\0${key.maxAge ?? ''}`;
const versionCacheKey = (key: VersionKey) => `${key.ecosystem}\0${key.name}\0${key.version}`;

/** One loader set per request: every package/version read in a query is batched and deduplicated. */
export function createLoaders(service: PackageService, sources: SourceService): Loaders {
  const packageLoader = new DataLoader<PackageRequest, PackageView | null, string>(
    // Settled per key: one registry failing must not fail every other package loaded in the same tick.
    async (keys) => service.getPackagesSettled(keys),
    { cacheKeyFn: packageCacheKey },
  );
  const versionLoader = new DataLoader<VersionKey, StoredVersion | null, string>(
    async (keys) => {
      // Fetch-on-demand happens at the package level; a version is then read from the store.
      const packages = await packageLoader.loadMany(keys.map(({ ecosystem, name }) => ({ ecosystem, name })));
      const resolved: (VersionKey | Error | null)[] = keys.map((key, i) => {
        const pkg = packages[i];
        if (pkg instanceof Error) return pkg;
        if (!pkg) return null;
        // A dist-tag (`latest`, `next`) names the version it points at; `latest` works in every ecosystem.
        // `latest` is the registry's latest stable (Maven's `<latest>` tag may name a prerelease or a SNAPSHOT).
        const tagged = key.version === 'latest' ? (pkg.record.latestVersion ?? pkg.record.distTags.latest) : Object.hasOwn(pkg.record.distTags, key.version) ? pkg.record.distTags[key.version] : undefined;
        if (tagged) return { ...key, version: tagged };
        const adapter = service.adapter(key.ecosystem);
        return adapter.normalizeVersion ? { ...key, version: adapter.normalizeVersion(key.version) } : key;
      });
      const lookups = resolved.filter((key): key is VersionKey => key !== null && !(key instanceof Error));
      const found = lookups.length > 0 ? await service.getVersions(lookups) : [];
      let j = 0;
      return resolved.map((key) => (key === null || key instanceof Error ? key : (found[j++] ?? null)));
    },
    { cacheKeyFn: versionCacheKey },
  );
  const extendedLoader = new DataLoader<VersionKey, unknown, string>(
    async (keys) => Promise.all(keys.map((key) => service.getExtended(key))),
    { cacheKeyFn: versionCacheKey },
  );
  const detailedLoader = new DataLoader<VersionRecord, VersionRecord, string>(async (records) => service.completeVersions(records), {
    cacheKeyFn: versionCacheKey,
  });
  const sourceLoader = new DataLoader<VersionKey, SourceRecord | null, string>(async (keys) => sources.get(keys), { cacheKeyFn: versionCacheKey });
  const candidatesLoader = new DataLoader<PackageKey, VersionSummary[] | null, string>(
    async (keys) => {
      // Through the package loader first: a package not stored yet is fetched on demand.
      const packages = await packageLoader.loadMany(keys);
      const present = keys.filter((_, i) => packages[i] !== null && !(packages[i] instanceof Error));
      const summaries = present.length > 0 ? await service.versionSummaries(present) : [];
      let j = 0;
      return keys.map((_, i) => {
        const pkg = packages[i];
        if (pkg instanceof Error) return pkg;
        return pkg ? (summaries[j++] ?? null) : null;
      });
    },
    { cacheKeyFn: (key) => `${key.ecosystem}\0${key.name}` },
  );
  return { package: packageLoader, version: versionLoader, extended: extendedLoader, detailed: detailedLoader, source: sourceLoader, candidates: candidatesLoader };
}

export interface ContextDeps {
  service: PackageService;
  sources: SourceService;
  logger: Logger;
  apiKeys: readonly string[];
  osv: OsvService;
}

export function createContext(deps: ContextDeps, token: string | null = null): GatewayContext {
  return {
    service: deps.service,
    sources: deps.sources,
    logger: deps.logger,
    apiKeys: deps.apiKeys,
    auth: { required: deps.apiKeys.length > 0, token },
    loaders: createLoaders(deps.service, deps.sources),
    osv: deps.osv,
    vulnerabilities: createOsvLoader(deps.osv),
  };
}
