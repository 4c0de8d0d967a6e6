import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export interface OperationAnalysis {
  depth: number;
  aliases: number;
  cost: number;
}

/** Fields that may cost an upstream fetch (or a whole walk of them): priced higher than store reads. */
const UPSTREAM_FIELD_COST = 10;
const UPSTREAM_FIELDS = new Set([
  'Query.package', 'Query.version', 'Query.packageByPurl', 'Query.versionByPurl', 'Query.node', 'Query.nodes',
  'Dependency.package', 'Dependency.resolved', 'Mutation.refreshPackage', 'Mutation.archiveSource',
]);
/**
 * Version fields that may need the version's own details request (PyPI per-version JSON, a Maven POM, a Hex release,
 * Go .mod/.zip ...). However many of them a selection asks, one version costs one request: charged once per selection.
 */
const VERSION_DETAIL_FIELDS = new Set([
  'artifactUrl', 'author', 'checksums', 'dependencies', 'description', 'engines', 'keywords', 'license', 'links', 'maintainers',
  'normalized', 'platforms', 'publishedAt', 'sizeBytes',
]);
/** A list without a size argument is assumed to hold this many items. */
const DEFAULT_LIST_SIZE = 10;
/** Page sizes when `first` is not given (the connections' own defaults). */
const DEFAULT_FIRST: Record<string, number> = { 'Package.versions': 100, 'Query.search': 20 };

/**
 * Static analysis of one operation before anything runs: depth, alias count and a cost in which every
 * field costs 1 (upstream-capable fields 10), multiplied by the sizes of the lists around it
 * (`first`, the number of `refs`, a graph's `maxNodes`, else an assumed 10).
 */
export function analyzeOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | null = null;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return { depth: 0, aliases: 0, cost: 0 };
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return { depth: 0, aliases: 0, cost: 0 };
  let aliases = 0;
  let graphNodes = 1000;

  const argument = (node: { arguments?: readonly { name: { value: string }; value: Parameters<typeof valueFromASTUntyped>[0] }[] }, name: string): unknown => {
    const arg = node.arguments?.find((a) => a.name.value === name);
    return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
  };

  // Returns [depth, cost] of a selection set; `visiting` guards against fragment cycles (invalid anyway).
  const walk = (type: GraphQLNamedType, selectionSet: SelectionSetNode, multiplier: number, visiting: Set<string>): [number, number] => {
    let depth = 0;
    let cost = 0;
    if (type.name === 'Version' && selectionSet.selections.some((s) => s.kind === Kind.FIELD && VERSION_DETAIL_FIELDS.has(s.name.value))) {
      cost += UPSTREAM_FIELD_COST * multiplier;
    }
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        const fieldName = selection.name.value;
        if (fieldName.startsWith('__')) continue;
        const field = fieldsOf(type)?.[fieldName] as GraphQLField<unknown, unknown> | undefined;
        if (!field) continue;
        const coordinate = `${type.name}.${fieldName}`;
        const own = (UPSTREAM_FIELDS.has(coordinate) ? UPSTREAM_FIELD_COST : 1) * multiplier;
        let size = listSize(coordinate, field.type, (name) => argument(selection, name));
        cost += own * (coordinate === 'Query.packages' || coordinate === 'Query.versions' || coordinate === 'Query.audit' ? size * UPSTREAM_FIELD_COST : 1);
        if (coordinate === 'Query.dependencyGraph') {
          // The walk may fetch up to maxNodes packages; its node/edge lists are that long, the graph itself is one object.
          cost += UPSTREAM_FIELD_COST * size * multiplier;
          graphNodes = size;
          size = 1;
        } else if (type.name === 'DependencyGraph' && isListType(isNonNullType(field.type) ? field.type.ofType : field.type)) {
          size = graphNodes;
        }
        if (selection.selectionSet) {
          const [childDepth, childCost] = walk(getNamedType(field.type), selection.selectionSet, multiplier * size, visiting);
          depth = Math.max(depth, childDepth + 1);
          cost += childCost;
        } else depth = Math.max(depth, 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
        const [d, c] = walk(target, selection.selectionSet, multiplier, visiting);
        depth = Math.max(depth, d);
        cost += c;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        const target = schema.getType(fragment.typeCondition.name.value) ?? type;
        const [d, c] = walk(target, fragment.selectionSet, multiplier, new Set([...visiting, fragment.name.value]));
        depth = Math.max(depth, d);
        cost += c;
      }
    }
    return [depth, cost];
  };
  const [depth, cost] = walk(root, operation.selectionSet, 1, new Set());
  return { depth, aliases, cost: Math.round(cost) };
}

function fieldsOf(type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> | null {
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields();
  if (isUnionType(type)) return null;
  return null;
}

function listSize(coordinate: string, type: GraphQLOutputType, arg: (name: string) => unknown): number {
  // A connection's `edges` hold the `first` items its field already counted.
  if (/Connection\.edges$/.test(coordinate)) return 1;
  const first = arg('first');
  if (typeof first === 'number') return Math.max(first, 1);
  if (coordinate in DEFAULT_FIRST) return DEFAULT_FIRST[coordinate]!;
  const refs = arg('refs');
  if (Array.isArray(refs)) return Math.max(refs.length, 1);
  if (coordinate === 'Query.dependencyGraph') {
    const maxNodes = arg('maxNodes');
    return typeof maxNodes === 'number' ? maxNodes : 1000;
  }
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  return isListType(unwrapped) ? DEFAULT_LIST_SIZE : 1;
}

/** The first limit an analysis breaks, as a GraphQL error naming the limit and the computed figure. */
export function checkLimits(analysis: OperationAnalysis, limits: OperationLimits): GraphQLError | null {
  const over = (what: string, value: number, limit: number, variable: string) =>
    new GraphQLError(`Operation rejected: ${what} ${value} exceeds the limit of ${limit} (${variable})`, {
      // A request error (nothing ran): 400 under application/graphql-response+json, 200 for legacy application/json clients.
      extensions: { code: 'OPERATION_LIMIT', limit: what, value, max: limit, http: { spec: true, status: 400 } },
    });
  if (analysis.depth > limits.maxDepth) return over('depth', analysis.depth, limits.maxDepth, 'SCOUT_REGISTRY_MAX_DEPTH');
  if (analysis.aliases > limits.maxAliases) return over('alias count', analysis.aliases, limits.maxAliases, 'SCOUT_REGISTRY_MAX_ALIASES');
  if (analysis.cost > limits.maxCost) return over('cost', analysis.cost, limits.maxCost, 'SCOUT_REGISTRY_MAX_COST');
  return null;
}
