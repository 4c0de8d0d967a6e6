import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { AuthError, InvalidInputError, NotImplementedError, UpstreamError } from './errors.js';

/**
 * Yoga's maskError: domain errors become GraphQL errors with `extensions.code`; anything else is a
 * bug, logged with its stack and answered as a bare INTERNAL error.
 */
export function createErrorMasker(logger: Logger) {
  return (error: unknown): Error => {
    // Duck-typed: yoga's executor and Pothos may load different copies (ESM/CJS) of graphql, so
    // `instanceof GraphQLError` is not reliable here.
    const graphqlError = isGraphQLErrorLike(error) ? error : null;
    const original = graphqlError ? graphqlError.originalError : error;
    const location = graphqlError ? { nodes: graphqlError.nodes, path: graphqlError.path, source: graphqlError.source, positions: graphqlError.positions } : {};
    if (original instanceof InvalidInputError) {
      return new GraphQLError(original.message, { ...location, extensions: { code: 'INVALID_INPUT', ...(original.field ? { field: original.field } : {}) } });
    }
    if (original instanceof AuthError) {
      return new GraphQLError(original.message, { ...location, extensions: { code: original.code } });
    }
    if (original instanceof NotImplementedError) {
      return new GraphQLError(original.message, { ...location, extensions: { code: 'NOT_IMPLEMENTED' } });
    }
    if (original instanceof UpstreamError) {
      const { ecosystem, status, retryAfterSeconds } = original.details;
      return new GraphQLError(original.message, {
        ...location,
        extensions: { code: original.code, ecosystem, ...(status ? { upstreamStatus: status } : {}), ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}) },
      });
    }
    // GraphQL's own errors (syntax, validation, variable coercion) are already safe to show.
    if (graphqlError && (!graphqlError.originalError || isGraphQLErrorLike(graphqlError.originalError))) return graphqlError;
    logger.error({ err: original }, 'internal error while resolving a query');
    return new GraphQLError('Internal server error', { ...location, extensions: { code: 'INTERNAL' } });
  };
}

function isGraphQLErrorLike(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && 'extensions' in error && 'path' in error;
}
