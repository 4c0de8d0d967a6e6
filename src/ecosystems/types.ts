import type { EcosystemId } from './ids.js';
import type { UpstreamClient, UpstreamName } from '../http/client.js';
import type { Versioning } from '../versioning/types.js';

export type DependencyKind = 'RUNTIME' | 'DEVELOPMENT' | 'OPTIONAL' | 'PEER' | 'BUILD';
export type VersionStatus = 'ACTIVE' | 'DEPRECATED' | 'YANKED' | 'UNLISTED' | 'RETRACTED' | 'UNPUBLISHED';

export interface Person {
  name: string | null;
  email: string | null;
  url: string | null;
}

export interface LicenseInfo {
  /** SPDX expression (AND/OR/WITH kept), or null when the declared value maps to none. */
  spdx: string | null;
  /** The value as declared upstream (joined when the registry gives a list). */
  name: string | null;
  /** Where the value came from, e.g. `package.json#license`. */
  source: string | null;
}

export interface DependencyRecord {
  /** The name the dependent uses (npm: the key in `dependencies`). */
  name: string;
  /** The registry package it installs: differs from `name` for npm aliases (`npm:pkg@range`) and Cargo renames. */
  packageName: string;
  constraint: string;
  kind: DependencyKind;
  optional: boolean;
  /** npm: listed in bundleDependencies (shipped inside the tarball). */
  bundled: boolean;
  /** Python: the PEP 508 environment marker (`python_version < "3.8"`, `extra == "socks"`). */
  marker?: string | null;
  /** Python: extras asked of the dependency (`requests[socks]`). */
  extras?: string[];
  /** Cargo: the cfg expression or target triple the dependency is limited to. */
  target?: string | null;
  /** Cargo: features enabled on the dependency, and whether its default features are. */
  features?: string[];
  defaultFeatures?: boolean;
  /** NuGet: the dependency group's target framework (null: any framework). */
  targetFramework?: string | null;
  /** Composer: a platform package (`php`, `ext-*`, `lib-*`), not installable from the registry. */
  platform?: boolean;
  /** Go: marked `// indirect` in go.mod. */
  indirect?: boolean;
  /** The ecosystem's own finer label (Maven scope: compile, runtime, provided, system, test). */
  scope?: string | null;
  /** Maven exclusions as `groupId:artifactId` (`*` allowed). */
  exclusions?: string[];
}

export interface Links {
  repository: string | null;
  homepage: string | null;
  documentation: string | null;
  changelog: string | null;
  issues: string | null;
}

export interface Checksum {
  algorithm: string;
  /** Lower-case hex digest. */
  value: string;
}

/** One version in the normalized cross-ecosystem format (the original Scout Registry's, camelCased). */
export interface VersionRecord {
  ecosystem: EcosystemId;
  name: string;
  version: string;
  license: LicenseInfo | null;
  releaseDate: string | null;
  status: VersionStatus;
  prerelease: boolean;
  deprecatedMessage: string | null;
  maintainers: Person[];
  author: Person | null;
  dependencies: DependencyRecord[];
  links: Links;
  checksums: Checksum[];
  sizeBytes: number | null;
  keywords: string[];
  description: string | null;
  engines: Record<string, string>;
  /** Where the installable artifact lives (npm: dist.tarball). */
  artifactUrl: string | null;
  /**
   * True when some fields (dependencies, license, description ...) need a per-version request that the
   * package fetch does not make (PyPI requires_dist, Go go.mod); the service completes it on first need.
   */
  detailsPending?: boolean;
  /** Platforms the version is published for (RubyGems: `ruby` first, then binary platforms). */
  platforms?: string[];
  /** Cargo: the feature map (`features` merged with index v2 `features2`). */
  features?: Record<string, string[]>;
  /** NuGet: every dependency group's target framework, empty groups included (null = any framework). */
  frameworkGroups?: (string | null)[];
  /** Maven: the effective POM's dependencyManagement (`groupId:artifactId` -> version), for the root of a graph. */
  managedDependencies?: { name: string; constraint: string }[];
}

export interface PackageRecord {
  ecosystem: EcosystemId;
  name: string;
  description: string | null;
  homepage: string | null;
  repositoryUrl: string | null;
  license: LicenseInfo | null;
  keywords: string[];
  maintainers: Person[];
  deprecated: boolean;
  deprecationMessage: string | null;
  /** The registry's notion of latest stable (npm: dist-tags.latest). */
  latestVersion: string | null;
  /** The highest prerelease that is newer than latestVersion, if any. */
  latestPrerelease: string | null;
  distTags: Record<string, string>;
  versionCount: number;
  createdAt: string | null;
  modifiedAt: string | null;
  /** Total downloads where the registry gives them (crates.io, RubyGems, Hex ...). */
  downloads?: number | null;
  /** The registry's display spelling when the canonical name is folded (NuGet `Newtonsoft.Json`). */
  displayName?: string | null;
}

/** The raw upstream document, split so each version's part can be kept as its own blob. */
export interface RawDocument {
  package: unknown;
  versions: Record<string, unknown>;
}

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface NormalizedPackage {
  package: PackageRecord;
  /** Newest first. */
  versions: VersionRecord[];
}

export type FetchResult =
  | { kind: 'not-found' }
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'ok'; raw: RawDocument; validators: Validators };

export interface FetchContext {
  http: UpstreamClient;
  /** Validators of the stored copy, for conditional revalidation. */
  conditional: Validators | null;
}

export type DetailsResult = { kind: 'ok'; raw: unknown } | { kind: 'not-found' };

/** Lazy per-version data: fetched only when a query asks for a field that needs it, then stored. */
export interface VersionDetailsSupport {
  /** One upstream round for one version's details; never retries or sleeps on its own. */
  fetch(name: string, version: string, context: FetchContext): Promise<DetailsResult>;
  /**
   * Pure: the stored raw version part with the details merged in (`details` is null when the upstream
   * has none), so normalize() over stored raw data reproduces the completed record without refetching.
   */
  attach(rawVersion: unknown, details: unknown): unknown;
  /**
   * Immutable details already merged into a stored raw version (null when none): a refetch of the package
   * re-attaches them instead of fetching them again.
   */
  kept?(rawVersion: unknown): { details: unknown } | null;
}

export interface EcosystemAdapter {
  readonly id: EcosystemId;
  /** Package URL type (purl spec), e.g. `npm`, `pypi`, `gem`. */
  readonly purlType: string;
  readonly versioning: Versioning;
  /** Validates a client-given name and returns its canonical form; throws InvalidInputError. */
  normalizeName(name: string): string;
  /** One upstream round (may be several requests); never retries or sleeps on its own. */
  fetch(name: string, context: FetchContext): Promise<FetchResult>;
  /** Pure: raw upstream document -> normalized records. Re-runnable on stored raw data. */
  normalize(name: string, raw: RawDocument): NormalizedPackage;
  /** Purl namespace/name split of a canonical name, and the inverse. */
  toPurlParts(name: string): { namespace: string | null; name: string };
  fromPurlParts(namespace: string | null, name: string): string;
  /** Present when some version fields need a per-version request (see VersionRecord.detailsPending). */
  readonly versionDetails?: VersionDetailsSupport;
  /**
   * Where a version's source archive is and the digest the registry publishes for it. Without this hook
   * the service uses `artifactUrl` and the strongest of `checksums`; null when the version has none.
   */
  sourceArchive?(record: VersionRecord): SourceArchiveSpec | null;
  /** Hosts archives may be fetched from (besides the adapter's base URL host). */
  readonly sourceHosts?: readonly string[];
  /**
   * Hosts the upstream may redirect a request to (besides the request's own origin, the base URL host
   * and `sourceHosts`); any other cross-host redirect is refused as UPSTREAM_INVALID (src/http/upstream.ts).
   */
  readonly redirectHosts?: readonly string[];
  /** The limiter archive downloads go through (default: the ecosystem's own). */
  readonly sourceUpstream?: UpstreamName;
  /** The canonical spelling of a client-given version (NuGet `1.0.0.0` -> `1.0.0`); identity when absent. */
  normalizeVersion?(version: string): string;
}

export interface SourceArchiveSpec {
  url: string;
  /** File extension for the blob key: `tgz`, `tar.gz`, `zip`, `crate`, `gem`, `nupkg`, `jar` ... */
  extension: string;
  /** The digest the registry publishes for the archive (lower-case hex), when it publishes one. */
  digest: Checksum | null;
}
