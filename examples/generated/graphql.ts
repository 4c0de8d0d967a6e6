/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What a dependency is needed for, mapped from each ecosystem's own sections or scopes. */
export type DependencyKind =
  /** Needed to build the package: Cargo build-dependencies. */
  | 'BUILD'
  /** Needed to develop or test the package only: npm `devDependencies`, Cargo dev-dependencies, RubyGems development (most recent version only), Composer `require-dev`, Maven test scope, pub `dev_dependencies`. */
  | 'DEVELOPMENT'
  /** Installed when possible or when asked for, not required: npm `optionalDependencies` (a failed install is not an error), PyPI dependencies of an extra (`extra == "socks"`), Maven `<optional>true</optional>` compile/runtime. */
  | 'OPTIONAL'
  /** Expected to be provided by the consumer: npm `peerDependencies`, Hex optional requirements, Maven provided/system scope. */
  | 'PEER'
  /** Needed at run time: npm `dependencies`, PyPI `Requires-Dist` without an extra, Cargo normal, RubyGems runtime, Go `require`, Composer `require`, Hex requirements, Maven compile/runtime scope, NuGet dependencies, pub `dependencies`. */
  | 'RUNTIME';

/** A package registry served by the gateway. Every one answers through the same types; field descriptions say where a registry fills a field differently or not at all. */
export type Ecosystem =
  /** crates.io (sparse index and web API). Names are lower-cased, `-` and `_` kept as given (`serde_json`). purl type `cargo`. */
  | 'CARGO'
  /** Go module proxy (GOPROXY protocol). Names are module paths, case-sensitive (`github.com/gin-gonic/gin`); versions carry their `v`. purl type `golang`. */
  | 'GO'
  /** Hex (hex.pm, Elixir and Erlang). Names such as `phoenix`; private organizations are not served. purl type `hex`. */
  | 'HEX'
  /** Maven Central (or any Maven 2 layout repository). Names `groupId:artifactId` (also `groupId/artifactId`), case-sensitive. purl type `maven`. */
  | 'MAVEN'
  /** npm: the registry npm itself is configured with. Names `lodash`, `@babel/core` (also `@babel%2fcore`). purl type `npm`. */
  | 'NPM'
  /** NuGet (V3 API). Names are case-insensitive and stored lower-case (`newtonsoft.json`; `Package.displayName` keeps `Newtonsoft.Json`). purl type `nuget`. */
  | 'NUGET'
  /** Packagist (Composer v2 repository). Names `vendor/package`, case-insensitive (`monolog/monolog`). purl type `composer`. */
  | 'PACKAGIST'
  /** pub.dev (Dart and Flutter). Names are letters, digits and `_`, lower-case but for a few legacy ones (`http`). purl type `pub`. */
  | 'PUB'
  /** PyPI (JSON and simple APIs). Names are PEP 503-normalized: `Flask` and `flask` are one package. purl type `pypi`. */
  | 'PYPI'
  /** RubyGems.org (compact index and API). Names are case-sensitive (`rails`). purl type `gem`. */
  | 'RUBYGEMS';

/** A version to look up: registry, package name and version. */
export type VersionRefInput = {
  /** The registry. */
  ecosystem: Ecosystem;
  /** Package name in the registry's own form (see `Ecosystem`), at most 1024 characters; canonicalized before lookup (PyPI PEP 503, NuGet and crates.io lower-case ...). A name the registry cannot have is INVALID_INPUT, with no upstream request. */
  name: string;
  /** An exact version as the registry lists it (Go: the leading `v` may be left out), or a dist-tag from `Package.distTags`; `latest` is `Package.latestVersion` in every ecosystem. */
  version: string;
};

/** Whether a version may be installed, as its registry flags it, mapped onto one scale. `deprecationMessage` carries the registry's note when it gives one. */
export type VersionStatus =
  /** Installable and not flagged. */
  | 'ACTIVE'
  /** Installable, but the publisher advises against it (`deprecationMessage` says why): npm `deprecated`, Go module `// Deprecated:`, NuGet deprecation, Hex retirement (any reason, e.g. `Retired (security): ...`), Maven relocation, Packagist abandoned, pub discontinued. Resolvers still pick it. */
  | 'DEPRECATED'
  /** Retracted by its author: Go `retract` directive (in the latest go.mod), pub.dev retracted. Resolvers skip it unless pinned exactly (a Go requirement naming it is still honoured); `Package.versions` hides it unless `includeYanked`. */
  | 'RETRACTED'
  /** NuGet unlisted: hidden from search, still downloadable. Resolvers skip it unless pinned exactly; `Package.versions` still lists it. */
  | 'UNLISTED'
  /** npm: removed from the registry; only its version and release date remain. Never resolved; `Package.versions` hides it unless `includeYanked`. */
  | 'UNPUBLISHED'
  /** Withdrawn by the publisher: crates.io yanked, PyPI yanked (PEP 592, every file of the release), RubyGems yanked (only seen for the most recent version). Resolvers skip it unless pinned exactly; `Package.versions` hides it unless `includeYanked`. */
  | 'YANKED';

export type PackageOverviewQueryVariables = Exact<{
  ecosystem: Ecosystem;
  name: string;
}>;


export type PackageOverviewQuery = { package: { id: string, name: string, purl: string, description: string | null, license: { spdx: string | null, name: string | null, source: string | null } | null, latestVersion: { version: string, publishedAt: string | null, normalized: { license: { spdx: string | null } | null, status: { deprecated: boolean, yanked: boolean, prerelease: boolean, deprecatedMessage: string | null }, dependencies: { runtime: Array<{ name: string, constraint: string }>, peer: Array<{ name: string, constraint: string, optional: boolean }> }, checksums: Array<{ algorithm: string, value: string }> } } | null, versions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { version: string, publishedAt: string | null, status: VersionStatus, isPrerelease: boolean } }> } } | null };

export type VersionsBulkQueryVariables = Exact<{
  refs: Array<VersionRefInput> | VersionRefInput;
}>;


export type VersionsBulkQuery = { versions: Array<{ name: string, version: string, license: { spdx: string | null } | null, dependencies: Array<{ name: string, constraint: string, kind: DependencyKind, optional: boolean }> } | null> };

export type RefreshMutationVariables = Exact<{
  ecosystem: Ecosystem;
  name: string;
}>;


export type RefreshMutation = { refreshPackage: { name: string, fetchedAt: string, isStale: boolean, versionCount: number } | null };


export const PackageOverviewDocument = {"__meta__":{"hash":"sha256:0845394354fd2470f20b13d363c5b363e14f78bc2e307f5b1abf3930d1d1ac36"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PackageOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Ecosystem"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"package"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ecosystem"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"purl"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"license"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"spdx"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestVersion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"publishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"normalized"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"license"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"spdx"}}]}},{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deprecated"}},{"kind":"Field","name":{"kind":"Name","value":"yanked"}},{"kind":"Field","name":{"kind":"Name","value":"prerelease"}},{"kind":"Field","name":{"kind":"Name","value":"deprecatedMessage"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dependencies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runtime"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"constraint"}}]}},{"kind":"Field","name":{"kind":"Name","value":"peer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"constraint"}},{"kind":"Field","name":{"kind":"Name","value":"optional"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"checksums"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"algorithm"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"versions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"publishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isPrerelease"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<PackageOverviewQuery, PackageOverviewQueryVariables>;
export const VersionsBulkDocument = {"__meta__":{"hash":"sha256:943f63806bc95d8b219afb6b226a1104be86098da83e3d4ce714e76fb92806b2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VersionsBulk"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"refs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"VersionRefInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"refs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"refs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"license"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"spdx"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dependencies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kinds"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"RUNTIME"},{"kind":"EnumValue","value":"PEER"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"constraint"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"optional"}}]}}]}}]}}]} as unknown as DocumentNode<VersionsBulkQuery, VersionsBulkQueryVariables>;
export const RefreshDocument = {"__meta__":{"hash":"sha256:a60d510f5bee1f8028ddf7d59981a5adf644c57bf9cd71bc3110eb542868b4c3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Refresh"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Ecosystem"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshPackage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ecosystem"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ecosystem"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fetchedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isStale"}},{"kind":"Field","name":{"kind":"Name","value":"versionCount"}}]}}]}}]} as unknown as DocumentNode<RefreshMutation, RefreshMutationVariables>;