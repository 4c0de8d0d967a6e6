import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { z } from 'zod';

/** graphql-codegen's persisted-documents.json: `"sha256:<hex>"` -> document text. */
const manifestSchema = z.record(z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'keys must be sha256:<64 hex digits>' }), z.string().min(1));

export function loadPersistedDocuments(file: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`SCOUT_REGISTRY_PERSISTED_DOCUMENTS: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text) as unknown);
  if (!parsed.success) throw new Error(`SCOUT_REGISTRY_PERSISTED_DOCUMENTS: ${file} is not a persisted-documents manifest (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
  return new Map(Object.entries(parsed.data));
}

// 403 as Apollo Router answers a document off its safelist; never cached (GET requests too).
const rejected = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', http: { status: 403, headers: { 'cache-control': 'private, no-cache, must-revalidate' } } } });

/**
 * Only allow-listed operations run: a request names one by `documentId` (`sha256:<hex>`, the
 * GraphQL-over-HTTP persisted-document form) or by Apollo's `extensions.persistedQuery.sha256Hash`, or
 * sends a document whose sha256 is on the list. Anything else gets an error and executes nothing.
 */
export function persistedOnlyPlugin(documents: Map<string, string>): Plugin {
  return {
    onParams({ params, setParams }) {
      const extended = params as typeof params & { documentId?: unknown };
      const apq = (params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      const id = typeof extended.documentId === 'string' ? extended.documentId : typeof apq === 'string' ? `sha256:${apq}` : null;
      if (id !== null) {
        const query = documents.get(id);
        if (query === undefined) throw rejected(`persisted document ${JSON.stringify(id.slice(0, 80))} is not on the allow-list (SCOUT_REGISTRY_PERSISTED_ONLY)`);
        setParams({ ...params, query });
        return;
      }
      if (typeof params.query === 'string' && documents.has(`sha256:${createHash('sha256').update(params.query).digest('hex')}`)) return;
      throw rejected('only persisted operations are allowed here: send a documentId from the allow-list (SCOUT_REGISTRY_PERSISTED_ONLY)');
    },
  };
}
