/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query PackageOverview($ecosystem: Ecosystem!, $name: String!) {\n  package(ecosystem: $ecosystem, name: $name) {\n    id\n    name\n    purl\n    description\n    license {\n      spdx\n      name\n      source\n    }\n    latestVersion {\n      version\n      publishedAt\n      normalized {\n        license {\n          spdx\n        }\n        status {\n          deprecated\n          yanked\n          prerelease\n          deprecatedMessage\n        }\n        dependencies {\n          runtime {\n            name\n            constraint\n          }\n          peer {\n            name\n            constraint\n            optional\n          }\n        }\n        checksums {\n          algorithm\n          value\n        }\n      }\n    }\n    versions(first: 50) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          version\n          publishedAt\n          status\n          isPrerelease\n        }\n      }\n    }\n  }\n}\n\nquery VersionsBulk($refs: [VersionRefInput!]!) {\n  versions(refs: $refs) {\n    name\n    version\n    license {\n      spdx\n    }\n    dependencies(kinds: [RUNTIME, PEER]) {\n      name\n      constraint\n      kind\n      optional\n    }\n  }\n}\n\nmutation Refresh($ecosystem: Ecosystem!, $name: String!) {\n  refreshPackage(ecosystem: $ecosystem, name: $name) {\n    name\n    fetchedAt\n    isStale\n    versionCount\n  }\n}": typeof types.PackageOverviewDocument,
};
const documents: Documents = {
    "query PackageOverview($ecosystem: Ecosystem!, $name: String!) {\n  package(ecosystem: $ecosystem, name: $name) {\n    id\n    name\n    purl\n    description\n    license {\n      spdx\n      name\n      source\n    }\n    latestVersion {\n      version\n      publishedAt\n      normalized {\n        license {\n          spdx\n        }\n        status {\n          deprecated\n          yanked\n          prerelease\n          deprecatedMessage\n        }\n        dependencies {\n          runtime {\n            name\n            constraint\n          }\n          peer {\n            name\n            constraint\n            optional\n          }\n        }\n        checksums {\n          algorithm\n          value\n        }\n      }\n    }\n    versions(first: 50) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          version\n          publishedAt\n          status\n          isPrerelease\n        }\n      }\n    }\n  }\n}\n\nquery VersionsBulk($refs: [VersionRefInput!]!) {\n  versions(refs: $refs) {\n    name\n    version\n    license {\n      spdx\n    }\n    dependencies(kinds: [RUNTIME, PEER]) {\n      name\n      constraint\n      kind\n      optional\n    }\n  }\n}\n\nmutation Refresh($ecosystem: Ecosystem!, $name: String!) {\n  refreshPackage(ecosystem: $ecosystem, name: $name) {\n    name\n    fetchedAt\n    isStale\n    versionCount\n  }\n}": types.PackageOverviewDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PackageOverview($ecosystem: Ecosystem!, $name: String!) {\n  package(ecosystem: $ecosystem, name: $name) {\n    id\n    name\n    purl\n    description\n    license {\n      spdx\n      name\n      source\n    }\n    latestVersion {\n      version\n      publishedAt\n      normalized {\n        license {\n          spdx\n        }\n        status {\n          deprecated\n          yanked\n          prerelease\n          deprecatedMessage\n        }\n        dependencies {\n          runtime {\n            name\n            constraint\n          }\n          peer {\n            name\n            constraint\n            optional\n          }\n        }\n        checksums {\n          algorithm\n          value\n        }\n      }\n    }\n    versions(first: 50) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          version\n          publishedAt\n          status\n          isPrerelease\n        }\n      }\n    }\n  }\n}\n\nquery VersionsBulk($refs: [VersionRefInput!]!) {\n  versions(refs: $refs) {\n    name\n    version\n    license {\n      spdx\n    }\n    dependencies(kinds: [RUNTIME, PEER]) {\n      name\n      constraint\n      kind\n      optional\n    }\n  }\n}\n\nmutation Refresh($ecosystem: Ecosystem!, $name: String!) {\n  refreshPackage(ecosystem: $ecosystem, name: $name) {\n    name\n    fetchedAt\n    isStale\n    versionCount\n  }\n}"): (typeof documents)["query PackageOverview($ecosystem: Ecosystem!, $name: String!) {\n  package(ecosystem: $ecosystem, name: $name) {\n    id\n    name\n    purl\n    description\n    license {\n      spdx\n      name\n      source\n    }\n    latestVersion {\n      version\n      publishedAt\n      normalized {\n        license {\n          spdx\n        }\n        status {\n          deprecated\n          yanked\n          prerelease\n          deprecatedMessage\n        }\n        dependencies {\n          runtime {\n            name\n            constraint\n          }\n          peer {\n            name\n            constraint\n            optional\n          }\n        }\n        checksums {\n          algorithm\n          value\n        }\n      }\n    }\n    versions(first: 50) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          version\n          publishedAt\n          status\n          isPrerelease\n        }\n      }\n    }\n  }\n}\n\nquery VersionsBulk($refs: [VersionRefInput!]!) {\n  versions(refs: $refs) {\n    name\n    version\n    license {\n      spdx\n    }\n    dependencies(kinds: [RUNTIME, PEER]) {\n      name\n      constraint\n      kind\n      optional\n    }\n  }\n}\n\nmutation Refresh($ecosystem: Ecosystem!, $name: String!) {\n  refreshPackage(ecosystem: $ecosystem, name: $name) {\n    name\n    fetchedAt\n    isStale\n    versionCount\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;