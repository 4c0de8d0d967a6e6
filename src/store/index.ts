import path from 'node:path';
import type { Config } from '../config.js';
import { FsBlobStore } from './fs/blob-store.js';
import { MongoDocumentStore } from './mongo/document-store.js';
import { S3BlobStore } from './s3/blob-store.js';
import { SqliteDocumentStore } from './sqlite/document-store.js';
import type { BlobStore, DocumentStore } from './types.js';

export interface Stores {
  documents: DocumentStore;
  blobs: BlobStore;
}

/**
 * MongoDB when SCOUT_REGISTRY_MONGODB_URI is set, else SQLite under SCOUT_REGISTRY_DATA_DIR; S3 when
 * SCOUT_REGISTRY_S3_BUCKET is set, else a folder there. Each choice is independent.
 */
export async function openStores(config: Config): Promise<Stores> {
  const documents = config.mongo
    ? await MongoDocumentStore.connect(config.mongo)
    : new SqliteDocumentStore(path.join(config.dataDir, 'scout-registry.sqlite'));
  const blobs = config.s3 ? new S3BlobStore(config.s3) : new FsBlobStore(path.join(config.dataDir, 'blobs'));
  return { documents, blobs };
}
