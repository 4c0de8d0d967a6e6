import type { EcosystemId } from '../ecosystems/ids.js';

export interface LimitDefaults {
  /** Minimum seconds between two requests. */
  rateLimit: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Why these numbers. */
  source: string;
}

/**
 * Default politeness per upstream. Each row cites where its number comes from; every value can be
 * overridden with SCOUT_REGISTRY_<ECO>_RATE_LIMIT / _CONCURRENCY.
 */
export const DEFAULT_LIMITS: Record<EcosystemId, LimitDefaults> = {
  npm: { rateLimit: 0.1, concurrency: 8, source: 'Original Scout Registry default (0.1 s); npm publishes no numeric read limit, see https://docs.npmjs.com/policies/open-source-terms (acceptable use)' },
  pypi: { rateLimit: 0.1, concurrency: 4, source: 'Original Scout Registry default (0.1 s); https://docs.pypi.org/api/ asks API clients to be considerate and cache' },
  cargo: { rateLimit: 1.0, concurrency: 1, source: 'crates.io crawler policy: at most 1 request per second, https://crates.io/data-access' },
  rubygems: { rateLimit: 0.1, concurrency: 4, source: 'RubyGems.org API limit 10 requests/second, https://guides.rubygems.org/rubygems-org-rate-limits/' },
  packagist: { rateLimit: 0.1, concurrency: 4, source: 'Original Scout Registry default (0.1 s); https://packagist.org/apidoc (static p2 files served by CDN)' },
  hex: { rateLimit: 0.6, concurrency: 2, source: 'hex.pm API: 100 requests/minute per IP unauthenticated, https://github.com/hexpm/specifications/blob/master/apiary.apib' },
  maven: { rateLimit: 0.5, concurrency: 2, source: 'Original Scout Registry default (0.5 s); Maven Central terms, https://central.sonatype.org/terms/' },
  nuget: { rateLimit: 0, concurrency: 8, source: 'NuGet V3 resources (registration, flat container) are static CDN blobs with no published limit; https://learn.microsoft.com/nuget/api/rate-limits limits only V1/V2, push and gallery pages' },
  go: { rateLimit: 0.1, concurrency: 4, source: 'Original Scout Registry default (0.1 s); https://proxy.golang.org/ (privacy/usage notes)' },
  pub: { rateLimit: 0.1, concurrency: 4, source: 'Original Scout Registry pattern (0.1 s); https://github.com/dart-lang/pub/blob/master/doc/repository-spec-v2.md' },
};

/** Public base URLs; npm's default is read from npm's own configuration instead (see config.ts). */
export const DEFAULT_BASE_URLS: Record<EcosystemId, string> = {
  npm: 'http://127.0.0.1:1', // never used: config.ts asks npm's configuration
  pypi: 'https://pypi.org',
  cargo: 'https://crates.io',
  rubygems: 'https://rubygems.org',
  packagist: 'https://repo.packagist.org',
  hex: 'https://hex.pm',
  maven: 'https://repo1.maven.org/maven2',
  nuget: 'https://api.nuget.org/v3',
  go: 'https://proxy.golang.org',
  pub: 'https://pub.dev',
};
