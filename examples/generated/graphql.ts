/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type DependencyKind =
  /** Needed to build the package (e.g. Cargo build-dependencies). */
  | 'BUILD'
  /** Needed to develop or test the package only. */
  | 'DEVELOPMENT'
  /** Installed when possible; failure to install is not an error. */
  | 'OPTIONAL'
  /** Expected to be provided by the consumer. */
  | 'PEER'
  /** Needed at run time. */
  | 'RUNTIME';

/** A package registry. Values derive from the list of ecosystem ids. */
export type Ecosystem =
  | 'CARGO'
  | 'GO'
  | 'HEX'
  | 'MAVEN'
  | 'NPM'
  | 'NUGET'
  | 'PACKAGIST'
  | 'PUB'
  | 'PYPI'
  | 'RUBYGEMS';

export type VersionRefInput = {
  ecosystem: Ecosystem;
  name: string;
  /** An exact version, or a dist-tag such as `latest`. */
  version: string;
};

export type VersionStatus =
  /** Installable and not flagged. */
  | 'ACTIVE'
  /** Installable, but the publisher advises against it (see deprecationMessage). */
  | 'DEPRECATED'
  /** Retracted by the module author (Go). */
  | 'RETRACTED'
  /** Hidden from search and resolution, still downloadable (NuGet). */
  | 'UNLISTED'
  /** Removed from the registry; only its record remains. */
  | 'UNPUBLISHED'
  /** Withdrawn by the publisher; resolvers skip it unless pinned exactly. */
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