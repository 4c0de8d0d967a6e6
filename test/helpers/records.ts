import type { EcosystemId } from '../../src/ecosystems/ids.js';
import type { PackageRecord, VersionRecord } from '../../src/ecosystems/types.js';

/** A minimal package summary for store tests. */
export function packageRecord(name: string, count: number, extra: Partial<PackageRecord> = {}, ecosystem: EcosystemId = 'npm'): PackageRecord {
  return {
    ecosystem, name, description: null, homepage: null, repositoryUrl: null, license: null, keywords: [], maintainers: [], deprecated: false,
    deprecationMessage: null, latestVersion: null, latestPrerelease: null, distTags: {}, versionCount: count, createdAt: null, modifiedAt: null, ...extra,
  };
}

/** A minimal version record for store tests. */
export function versionRecord(name: string, v: string, extra: Partial<VersionRecord> = {}, ecosystem: EcosystemId = 'npm'): VersionRecord {
  return {
    ecosystem, name, version: v, license: null, releaseDate: null, status: 'ACTIVE', prerelease: v.includes('-'), deprecatedMessage: null,
    maintainers: [], author: null, dependencies: [], links: { repository: null, homepage: null, documentation: null, changelog: null, issues: null },
    checksums: [], sizeBytes: null, keywords: [], description: null, engines: {}, artifactUrl: null, ...extra,
  };
}
