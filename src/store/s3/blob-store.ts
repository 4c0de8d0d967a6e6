import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertSafeKey } from '../keys.js';
import type { BlobStore } from '../types.js';

const WRITE_CONCURRENCY = 16;

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  endpoint: string | null;
  forcePathStyle: boolean;
  /** Prepended to every key (`scout/`), so one bucket can hold several deployments. */
  prefix?: string;
  /** Credentials for tests; production uses the standard AWS chain (env, profile, instance role). */
  credentials?: S3ClientConfig['credentials'];
}

/** The production blob store: one object per key in an S3 bucket (AWS, MinIO, any S3 API). */
export class S3BlobStore implements BlobStore {
  readonly backend = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Without these, streamed uploads use aws-chunked framing that some S3 APIs (s3rver, older MinIO)
      // store as the body itself: silently corrupt objects.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  private objectKey(key: string): string {
    assertSafeKey(key);
    return this.prefix + key;
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!response.Body) return null;
      return Buffer.from(await response.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return null;
      throw error;
    }
  }

  async put(key: string, data: Buffer | string): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: body, ContentType: contentType(key) }));
  }

  async putMany(entries: ReadonlyArray<readonly [string, Buffer | string]>): Promise<void> {
    for (const [key] of entries) assertSafeKey(key);
    for (let i = 0; i < entries.length; i += WRITE_CONCURRENCY) {
      await Promise.all(entries.slice(i, i + WRITE_CONCURRENCY).map(([key, data]) => this.put(key, data)));
    }
  }

  /**
   * Multipart upload from a stream (never whole in memory). S3 makes an object visible only when the
   * upload completes; if the source errors, lib-storage aborts the multipart upload, so nothing is kept.
   */
  async putStream(key: string, source: Readable): Promise<number> {
    let size = 0;
    let sourceError: unknown = null;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
    });
    source.once('error', (error) => {
      sourceError = error;
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.objectKey(key), Body: source, ContentType: contentType(key) },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    try {
      if (source.errored) throw source.errored;
      await upload.done();
    } catch (error) {
      // The source's own failure (a digest mismatch, a cut download) is the cause worth reporting,
      // not a follow-up error of the aborted upload.
      throw sourceError ?? error;
    }
    return size;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function contentType(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.tgz') || key.endsWith('.tar.gz') || key.endsWith('.gz')) return 'application/gzip';
  if (key.endsWith('.zip') || key.endsWith('.jar') || key.endsWith('.nupkg')) return 'application/zip';
  return 'application/octet-stream';
}
