import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

export type Encoding = 'gzip' | 'br';

/** Smaller bodies are sent as they are: framing and CPU would eat the gain. */
export const MIN_COMPRESSED_BYTES = 1024;

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * The coding to answer `Accept-Encoding` with (RFC 9110 12.5.3: q-values, `*`), or null for identity.
 * gzip wins a tie: it costs a third of brotli's CPU for a few percent more bytes on JSON.
 */
export function negotiateEncoding(header: string | string[] | undefined): Encoding | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  const q = new Map<string, number>();
  for (const part of value.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = qParam ? Number(qParam.slice(2)) : 1;
    q.set(coding.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weight = (coding: Encoding) => q.get(coding) ?? q.get('*') ?? 0;
  const [g, b] = [weight('gzip'), weight('br')];
  if (g <= 0 && b <= 0) return null;
  return g >= b ? 'gzip' : 'br';
}

/** Text formats worth compressing (JSON, GraphQL responses, HTML, JavaScript ...). */
export function isCompressible(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') && type !== 'text/event-stream' ? true : /[/+](json|javascript|xml)$/.test(type);
}

export async function compress(body: Buffer | Uint8Array, encoding: Encoding): Promise<Buffer> {
  // Off the event loop (zlib's thread pool). Brotli quality 5: near gzip's speed, smaller output.
  return encoding === 'gzip'
    ? gzip(body)
    : brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } });
}

/** Adds `Accept-Encoding` to a Vary header value (kept as it was otherwise). */
export function varyOn(current: string | null | undefined, field = 'Accept-Encoding'): string {
  const fields = (current ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  return fields.some((f) => f.toLowerCase() === field.toLowerCase() || f === '*') ? fields.join(', ') : [...fields, field].join(', ');
}

/**
 * yoga plugin: compresses GraphQL responses (an introspection result is ~95 KB of JSON, a package's
 * version list can be larger) for clients that accept gzip or brotli. Streams (SSE, multipart) are
 * left alone: buffering them would break incremental delivery. `vary` adds fields to every answer's
 * Vary (yoga writes its own headers over those the HTTP handler set, so Origin must come through here).
 */
export function compressionPlugin(options: { vary?: readonly string[] } = {}): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const compressible = response.body !== null && !response.headers.has('content-encoding') && isCompressible(response.headers.get('content-type'));
      const fields = [...(options.vary ?? []), ...(compressible ? ['Accept-Encoding'] : [])];
      if (fields.length === 0) return;
      const vary = fields.reduce<string>((current, field) => varyOn(current, field), response.headers.get('vary') ?? '');
      const encoding = compressible ? negotiateEncoding(request.headers.get('accept-encoding') ?? undefined) : null;
      if (!encoding) {
        // The common case: only Vary changes, so the response is kept rather than re-wrapped around its body.
        response.headers.set('vary', vary);
        return;
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('vary', vary);
      const init = { status: response.status, statusText: response.statusText, headers };
      const body = await response.arrayBuffer();
      if (body.byteLength < MIN_COMPRESSED_BYTES) {
        setResponse(new fetchAPI.Response(body, init));
        return;
      }
      const compressed = new Uint8Array(await compress(new Uint8Array(body), encoding));
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(compressed.byteLength));
      setResponse(new fetchAPI.Response(compressed, init));
    },
  };
}

/** A fixed document (the GraphiQL page): its ETag, and each encoding computed once, on first request. */
export class StaticDocument {
  readonly body: Buffer;
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();

  constructor(
    text: string,
    readonly contentType: string,
  ) {
    this.body = Buffer.from(text);
    // Weak: the gzip and brotli bytes differ, but all encodings are the same page.
    this.etag = `W/"${createHash('sha256').update(this.body).digest('base64url').slice(0, 32)}"`;
  }

  encodedAs(encoding: Encoding): Promise<Buffer> {
    let pending = this.encoded.get(encoding);
    if (!pending) {
      pending = compress(this.body, encoding);
      this.encoded.set(encoding, pending);
    }
    return pending;
  }
}
