import { parse, type DocumentNode } from 'graphql';
import { z } from 'zod';
import { Normalized, PackageSummary, SourceArchive, Stats, VersionDetails, VersionFull, VersionSummary } from './shapes.js';

/**
 * The persisted GraphQL operations behind the REST routes: fixed documents, executed with variables
 * against the same schema and context as /graphql. Field aliases give the original's snake_case
 * keys; `data` checks each result and converts it to the REST body (see shapes.ts).
 */
export interface Operation<S extends z.ZodType = z.ZodType> {
  name: string;
  /** The document as executed (with the fragments it uses). */
  text: string;
  document: DocumentNode;
  data: S;
}

const FRAGMENTS: Record<string, string> = {
  RestLicense: 'fragment RestLicense on License { spdx name source }',
  RestPerson: 'fragment RestPerson on Person { name email url }',
  RestLinks: 'fragment RestLinks on Links { repository homepage documentation changelog issues }',
  RestPackage: `fragment RestPackage on Package {
  ecosystem name purl description homepage
  repository_url: repositoryUrl
  license { ...RestLicense }
  keywords
  maintainers { ...RestPerson }
  deprecated
  deprecated_message: deprecationMessage
  dist_tags: distTags { tag version }
  latest_version: latestVersion { version }
  latest_prerelease: latestPrerelease { version }
  version_count: versionCount
  fetched_at: fetchedAt
  is_stale: isStale
}`,
  RestVersionSummary: `fragment RestVersionSummary on Version {
  ecosystem name version purl
  release_date: publishedAt
  status
  prerelease: isPrerelease
  yanked: isYanked
  deprecated: isDeprecated
  deprecated_message: deprecationMessage
}`,
  RestVersion: `fragment RestVersion on Version {
  ...RestVersionSummary
  description
  license { ...RestLicense }
  keywords
  maintainers { ...RestPerson }
  author { ...RestPerson }
  links { ...RestLinks }
  checksums { algorithm value }
  size_bytes: sizeBytes
  artifact_url: artifactUrl
  engines { name constraint }
  dependencies { name package_name: packageName constraint kind optional bundled }
}`,
  RestNormalizedDependency: 'fragment RestNormalizedDependency on NormalizedDependency { name constraint ecosystem optional }',
  RestNormalized: `fragment RestNormalized on NormalizedVersion {
  ecosystem name version
  license { ...RestLicense }
  release_date: releaseDate
  status { deprecated yanked prerelease deprecated_message: deprecatedMessage }
  maintainers { ...RestPerson }
  author { ...RestPerson }
  dependencies {
    runtime { ...RestNormalizedDependency }
    development { ...RestNormalizedDependency }
    optional { ...RestNormalizedDependency }
    build { ...RestNormalizedDependency }
    peer { ...RestNormalizedDependency }
  }
  links { ...RestLinks }
  checksums { algorithm value }
  size_bytes: sizeBytes
  keywords
  description
}`,
  RestSource: `fragment RestSource on SourceArchive {
  status key url size algorithm digest verified
  stored_at: storedAt
  error
}`,
};

/** The operation text plus every fragment it spreads, transitively (unused fragments are invalid). */
function withFragments(body: string): string {
  const used = new Set<string>();
  const visit = (text: string) => {
    for (const [, name] of text.matchAll(/\.\.\.\s*([A-Za-z_]\w*)/g)) {
      if (!name || used.has(name)) continue;
      const fragment = FRAGMENTS[name];
      if (fragment === undefined) throw new Error(`unknown fragment ${name}`);
      used.add(name);
      visit(fragment);
    }
  };
  visit(body);
  return [body, ...[...used].map((name) => FRAGMENTS[name]!)].join('\n\n');
}

function operation<S extends z.ZodType>(name: string, body: string, data: S): Operation<S> {
  const text = withFragments(body);
  return { name, text, document: parse(text), data };
}

/** `package(...) { version(...) { <selection> } }`: null package and null version stay distinguishable (two 404s). */
const inVersion = <S extends z.ZodType>(selection: S) => z.object({ package: z.object({ version: selection.nullable() }).nullable() });

const VERSION_VARIABLES = '$ecosystem: Ecosystem!, $name: String!, $version: String!';
const VERSION_PATH = (selection: string) =>
  `package(ecosystem: $ecosystem, name: $name) {\n    version(version: $version) {\n      ${selection}\n    }\n  }`;

export const operations = {
  package: operation(
    'RestPackage',
    'query RestPackage($ecosystem: Ecosystem!, $name: String!) {\n  package(ecosystem: $ecosystem, name: $name) { ...RestPackage }\n}',
    z.object({ package: PackageSummary.nullable() }),
  ),
  versions: operation(
    'RestVersions',
    `query RestVersions($ecosystem: Ecosystem!, $name: String!, $first: Int!, $after: String) {
  package(ecosystem: $ecosystem, name: $name) {
    name
    versions(first: $first, after: $after, includePrereleases: true, includeYanked: true) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...RestVersionSummary } }
    }
  }
}`,
    z.object({
      package: z
        .object({
          name: z.string(),
          versions: z.object({
            totalCount: z.number().int(),
            pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
            edges: z.array(z.object({ node: VersionSummary })),
          }),
        })
        .nullable(),
    }),
  ),
  version: operation('RestVersion', `query RestVersion(${VERSION_VARIABLES}) {\n  ${VERSION_PATH('...RestVersion')}\n}`, inVersion(VersionDetails)),
  versionFull: operation('RestVersionFull', `query RestVersionFull(${VERSION_VARIABLES}) {\n  ${VERSION_PATH('...RestVersion\n      extended')}\n}`, inVersion(VersionFull)),
  normalized: operation(
    'RestNormalized',
    `query RestNormalized(${VERSION_VARIABLES}) {\n  ${VERSION_PATH('normalized { ...RestNormalized }')}\n}`,
    inVersion(z.object({ normalized: Normalized }).transform((v) => v.normalized)),
  ),
  source: operation(
    'RestSource',
    `query RestSource(${VERSION_VARIABLES}) {\n  ${VERSION_PATH('source { ...RestSource }')}\n}`,
    inVersion(z.object({ source: SourceArchive.nullable() })),
  ),
  /** Tells an unknown package or version (404) from other bad input after a failed archiveSource. */
  versionExists: operation('RestVersionExists', `query RestVersionExists(${VERSION_VARIABLES}) {\n  ${VERSION_PATH('version')}\n}`, inVersion(z.object({ version: z.string() }))),
  archiveSource: operation(
    'RestArchiveSource',
    `mutation RestArchiveSource(${VERSION_VARIABLES}) {\n  archiveSource(ecosystem: $ecosystem, name: $name, version: $version) { ...RestSource }\n}`,
    z.object({ archiveSource: SourceArchive }),
  ),
  refresh: operation(
    'RestRefresh',
    'mutation RestRefresh($ecosystem: Ecosystem!, $name: String!) {\n  refreshPackage(ecosystem: $ecosystem, name: $name) { ...RestPackage }\n}',
    z.object({ refreshPackage: PackageSummary.nullable() }),
  ),
  search: operation(
    'RestSearch',
    `query RestSearch($query: String!, $ecosystem: Ecosystem, $first: Int!, $after: String) {
  search(query: $query, ecosystem: $ecosystem, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage }
    edges { node { ...RestPackage } }
  }
}`,
    z.object({
      search: z.object({
        totalCount: z.number().int(),
        pageInfo: z.object({ hasNextPage: z.boolean() }),
        edges: z.array(z.object({ node: PackageSummary })),
      }),
    }),
  ),
  bulk: operation(
    'RestBulk',
    `query RestBulk($packages: [PackageRefInput!]!, $versions: [VersionRefInput!]!) {
  packages(refs: $packages) { ...RestPackage }
  versions(refs: $versions) { ...RestVersion }
}`,
    z.object({ packages: z.array(PackageSummary.nullable()), versions: z.array(VersionDetails.nullable()) }),
  ),
  stats: operation(
    'RestStats',
    `query RestStats {
  stats {
    packages versions sources
    source_bytes: sourceBytes
    ecosystems { ecosystem packages versions sources source_bytes: sourceBytes }
    backends { documents blobs }
  }
}`,
    z.object({ stats: Stats }),
  ),
} satisfies Record<string, Operation>;
