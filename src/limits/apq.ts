import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Longer documents still run when sent in full, but are not remembered (bounds the cache's memory). */
export const APQ_MAX_DOCUMENT_CHARS = 64 * 1024;

/** Apollo's codes and messages: Apollo Client's and urql's links match on them to resend the full query. */
function apqError(message: string, code: string, status: number, reason?: string): GraphQLError {
  // 200 for a miss, as Apollo Server and Router answer it; never cached, even for GET.
  return new GraphQLError(message, { extensions: { code, ...(reason ? { reason } : {}), http: { status, headers: { 'cache-control': 'private, no-cache, must-revalidate' } } } });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Registration {
  hash: string;
  query: string;
}

/**
 * Automatic persisted queries (Apollo's `extensions.persistedQuery`, also urql's persistedExchange):
 * a request with only the hash runs the document remembered for it, or gets `PersistedQueryNotFound`,
 * upon which the client sends hash and document together. A document is remembered (LRU, `maxEntries`)
 * only once it has parsed, validated and passed the operation limits, so garbage never fills the cache.
 * Turned off (SCOUT_REGISTRY_APQ=false), a hash alone gets `PersistedQueryNotSupported`, on which
 * those clients stop sending hashes; a hash next to a full document is ignored.
 * Not used with SCOUT_REGISTRY_PERSISTED_ONLY: there only the allow-list names documents.
 */
export function automaticPersistedQueriesPlugin(options: { enabled: boolean; maxEntries: number }): Plugin {
  const documents = new Map<string, string>();
  const pending = new WeakMap<Request, Registration>();
  const remember = ({ hash, query }: Registration) => {
    documents.delete(hash);
    documents.set(hash, query);
    while (documents.size > options.maxEntries) documents.delete(documents.keys().next().value!);
  };
  return {
    onParams({ params, request, setParams }) {
      const extension = params.extensions?.persistedQuery as unknown;
      if (extension === undefined || extension === null) return;
      const { version, sha256Hash } = (typeof extension === 'object' ? extension : {}) as { version?: unknown; sha256Hash?: unknown };
      if (version !== 1) throw apqError('Unsupported persisted query version: only extensions.persistedQuery.version 1 is supported', 'BAD_REQUEST', 400);
      if (typeof sha256Hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256Hash)) {
        throw apqError('extensions.persistedQuery.sha256Hash must be the SHA-256 of the document, in 64 hex digits', 'BAD_REQUEST', 400);
      }
      const hash = sha256Hash.toLowerCase();
      const query = typeof params.query === 'string' && params.query.length > 0 ? params.query : null;
      if (!options.enabled) {
        // The exact message: older clients compare it, not the code.
        if (query === null) throw apqError('PersistedQueryNotSupported', 'PERSISTED_QUERY_NOT_SUPPORTED', 200, 'automatic persisted queries are off here (SCOUT_REGISTRY_APQ=false): send the query');
        return;
      }
      if (query === null) {
        const remembered = documents.get(hash);
        if (remembered === undefined) throw apqError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 200, 'no document is remembered for this hash: send it again with the query');
        remember({ hash, query: remembered });
        setParams({ ...params, query: remembered });
        return;
      }
      if (sha256(query) !== hash) throw apqError('provided sha does not match query: extensions.persistedQuery.sha256Hash must be the SHA-256 of the query text as sent', 'BAD_REQUEST', 400);
      if (query.length <= APQ_MAX_DOCUMENT_CHARS && !documents.has(hash)) pending.set(request, { hash, query });
    },
    onExecute({ args }) {
      // Reached only by documents that parsed, validated and passed the limits (those plugins run first).
      const request = (args.contextValue as { request?: Request }).request;
      const registration = request ? pending.get(request) : undefined;
      if (registration) remember(registration);
    },
  };
}
