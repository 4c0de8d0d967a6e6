/**
 * The two OSV API calls used: `POST /v1/querybatch` (ids + modified per query, paginated per query with
 * `next_page_token`; at most 1000 queries per request) and `GET /v1/vulns/{id}` (the full record).
 * Docs: https://google.github.io/osv.dev/post-v1-querybatch/, https://google.github.io/osv.dev/get-v1-vulns/.
 * Limits, retries, timeouts and size caps come from the shared HTTP client (its `osv` limiter).
 */
import type { z } from 'zod';
import { UpstreamError } from '../errors.js';
import type { PostingClient, UpstreamClient } from '../http/client.js';
import { osvErrorSchema, osvRecordSchema, querybatchResponseSchema, type OsvHit, type OsvRecord } from './schema.js';
import type { OsvQueryKey } from './store.js';

/** OSV's documented ceiling of queries in one querybatch request. */
export const MAX_BATCH_QUERIES = 1000;
/** Pages followed per query before the answer counts as broken (1000 hits a page: a million hits). */
const MAX_PAGES = 1000;

function parseBody<T extends z.ZodType>(schema: T, body: Buffer, what: string, url: string): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new UpstreamError('UPSTREAM_INVALID', `OSV ${what} is not JSON`, { ecosystem: 'osv', url });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = osvErrorSchema.safeParse(json);
    const detail = error.success ? `OSV error: ${error.data.message}` : `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'wrong shape'}`;
    throw new UpstreamError('UPSTREAM_INVALID', `OSV ${what} has an unexpected shape (${detail})`, { ecosystem: 'osv', url });
  }
  return parsed.data;
}

export class OsvApi {
  constructor(private readonly http: UpstreamClient & PostingClient, private readonly baseUrl: string) {}

  /**
   * Hits per query, in the order asked, every page followed. Queries go in requests of at most 1000, run
   * side by side (the limiter paces them); a failed request fails only its own queries.
   */
  async queryBatch(queries: readonly OsvQueryKey[]): Promise<(OsvHit[] | UpstreamError)[]> {
    const chunks: OsvQueryKey[][] = [];
    for (let i = 0; i < queries.length; i += MAX_BATCH_QUERIES) chunks.push(queries.slice(i, i + MAX_BATCH_QUERIES));
    const answers = await Promise.all(
      chunks.map((chunk) =>
        this.queryChunk(chunk).catch((error: unknown) => {
          if (error instanceof UpstreamError) return chunk.map(() => error);
          throw error;
        }),
      ),
    );
    return answers.flat();
  }

  private async queryChunk(queries: readonly OsvQueryKey[]): Promise<OsvHit[][]> {
    const url = `${this.baseUrl}/v1/querybatch`;
    const hits: OsvHit[][] = queries.map(() => []);
    // Queries still to ask, each with the page token of its next page (none on the first round).
    let pending: { index: number; token: string | null }[] = queries.map((_, index) => ({ index, token: null }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_PAGES) throw new UpstreamError('UPSTREAM_INVALID', `OSV querybatch kept paginating after ${MAX_PAGES} pages`, { ecosystem: 'osv', url });
      const body = {
        queries: pending.map(({ index, token }) => {
          const query = queries[index]!;
          return { package: { ecosystem: query.ecosystem, name: query.name }, version: query.version, ...(token ? { page_token: token } : {}) };
        }),
      };
      const response = await this.http.post('osv', url, body);
      if (response.kind === 'not-found') throw new UpstreamError('UPSTREAM_UNAVAILABLE', `OSV answered HTTP ${response.status} to querybatch (is SCOUT_REGISTRY_OSV_URL right?)`, { ecosystem: 'osv', url, status: response.status });
      const answer = parseBody(querybatchResponseSchema, response.body, 'querybatch answer', url);
      if (answer.results.length !== pending.length) {
        throw new UpstreamError('UPSTREAM_INVALID', `OSV querybatch answered ${answer.results.length} results for ${pending.length} queries`, { ecosystem: 'osv', url });
      }
      const next: typeof pending = [];
      answer.results.forEach((result, i) => {
        const { index, token } = pending[i]!;
        hits[index]!.push(...(result.vulns ?? []));
        const nextToken = result.next_page_token;
        if (nextToken) {
          if (nextToken === token) throw new UpstreamError('UPSTREAM_INVALID', 'OSV querybatch repeated a page token', { ecosystem: 'osv', url });
          next.push({ index, token: nextToken });
        }
      });
      pending = next;
    }
    // A hit may repeat across pages; keep its latest `modified`.
    return hits.map((list) => {
      const byId = new Map<string, OsvHit>();
      for (const hit of list) {
        const seen = byId.get(hit.id);
        if (!seen || Date.parse(seen.modified) < Date.parse(hit.modified)) byId.set(hit.id, hit);
      }
      return [...byId.values()];
    });
  }

  /** The full record, or null when OSV does not have it (any more). */
  async getRecord(id: string): Promise<OsvRecord | null> {
    const url = `${this.baseUrl}/v1/vulns/${encodeURIComponent(id)}`;
    const response = await this.http.get('osv', url, { accept: 'application/json' });
    if (response.kind === 'not-found') return null;
    if (response.kind === 'not-modified') throw new UpstreamError('UPSTREAM_INVALID', 'OSV answered 304 to an unconditional request', { ecosystem: 'osv', url, status: 304 });
    const record = parseBody(osvRecordSchema, response.body, `record ${id}`, url);
    if (record.id !== id) throw new UpstreamError('UPSTREAM_INVALID', `OSV answered record ${record.id} for ${id}`, { ecosystem: 'osv', url });
    return record;
  }
}
