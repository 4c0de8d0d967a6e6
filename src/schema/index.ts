import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './common.js';
import './version.js';
import './package.js';
import './query.js';
import './source.js';
import './graph.js';
import './vulnerability.js';

let schema: GraphQLSchema | null = null;

export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}

/** schema.graphql as committed: printed from the Pothos schema, lexicographically sorted. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(buildSchema()))}\n`;
}
