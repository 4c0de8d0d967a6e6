import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { InvalidInputError, NotImplementedError, UpstreamError } from './errors.js';

/**
 * Yoga's maskError: domain errors become GraphQL errors with `extensions.code`; anything else is a
 * bug, logged with its stack and answered as a bare INTERNAL error.
 */
export function createErrorMasker(logger: Logger) {
  return (error: unknown): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    const location = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path, source: error.source, positions: error.positions } : {};
    if (original instanceof InvalidInputError) {
      return new GraphQLError(original.message, { ...location, extensions: { code: 'INVALID_INPUT', ...(original.field ? { field: original.field } : {}) } });
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
    if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
    logger.error({ err: original }, 'internal error while resolving a query');
    return new GraphQLError('Internal server error', { ...location, extensions: { code: 'INTERNAL' } });
  };
}
