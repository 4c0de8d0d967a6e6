import type { Readable } from 'node:stream';
import type { EcosystemId } from '../ecosystems/ids.js';
import type { Validators } from '../ecosystems/types.js';

/** One limiter each: the ten registries, the crates.io sparse index (separate policy) and OSV. */
export type UpstreamName = EcosystemId | 'cargo-index' | 'osv';

export interface GetOptions {
  accept?: string;
  conditional?: Validators | null;
}

export type GetResult =
  | { kind: 'ok'; status: number; body: Buffer; contentType: string | null; validators: Validators }
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'not-found'; status: number };

export interface StreamOptions {
  maxBytes: number;
}

export type StreamResult = { kind: 'ok'; body: Readable; contentLength: number | null } | { kind: 'not-found'; status: number };

/** Upstream HTTP for adapters: limits, retries, timeouts, size caps and decompression live here. */
export interface UpstreamClient {
  get(upstream: UpstreamName, url: string, options?: GetOptions): Promise<GetResult>;
}

/** Large binary bodies (source archives), streamed and size-capped; used by the sources service, not adapters. */
export interface StreamingClient {
  stream(upstream: UpstreamName, url: string, options: StreamOptions): Promise<StreamResult>;
}

export interface PostOptions {
  accept?: string;
}

export type PostResult = { kind: 'ok'; status: number; body: Buffer; contentType: string | null } | { kind: 'not-found'; status: number };

/**
 * Idempotent JSON POSTs (OSV's `/v1/querybatch` is a read): the same limiter, retries, timeout and size
 * cap as `get`. Never use it for a request that changes state upstream: a retry would repeat it.
 */
export interface PostingClient {
  post(upstream: UpstreamName, url: string, body: unknown, options?: PostOptions): Promise<PostResult>;
}
