import path from 'node:path';
import type { Config } from '../config.js';
import { FsBlobStore } from './fs/blob-store.js';
import { SqliteDocumentStore } from './sqlite/document-store.js';
import type { BlobStore, DocumentStore } from './types.js';

export interface Stores {
  documents: DocumentStore;
  blobs: BlobStore;
}

/** Embedded default: SQLite + a folder under SCOUT_REGISTRY_DATA_DIR. MongoDB/S3 plug in here. */
export async function openStores(config: Config): Promise<Stores> {
  return {
    documents: new SqliteDocumentStore(path.join(config.dataDir, 'scout-registry.sqlite')),
    blobs: new FsBlobStore(path.join(config.dataDir, 'blobs')),
  };
}
