import fs from 'node:fs/promises';
import { constants as fsConstants, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { assertSafeKey } from '../keys.js';
import type { BlobStore } from '../types.js';

const WRITE_CONCURRENCY = 64;

/** The embedded blob store: one file per key under a root folder, written atomically (temp + rename). */
export class FsBlobStore implements BlobStore {
  readonly backend = 'filesystem';
  private counter = 0;

  constructor(private readonly root: string) {}

  private file(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async put(key: string, data: Buffer | string): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await this.writeAtomic(file, data);
  }

  /** Temp file + rename: a reader (or a crash) never sees half a blob. */
  private async writeAtomic(file: string, data: Buffer | string): Promise<void> {
    const temp = `${file}.${process.pid}.${(this.counter++).toString(36)}.tmp`;
    try {
      await fs.writeFile(temp, data);
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async putMany(entries: ReadonlyArray<readonly [string, Buffer | string]>): Promise<void> {
    for (const [key] of entries) assertSafeKey(key);
    const files = entries.map(([key, data]) => [this.file(key), data] as const);
    // One mkdir per folder, not per blob: a package with thousands of versions is one folder.
    const dirs = new Set(files.map(([file]) => path.dirname(file)));
    await Promise.all([...dirs].map((dir) => fs.mkdir(dir, { recursive: true })));
    for (let i = 0; i < files.length; i += WRITE_CONCURRENCY) {
      await Promise.all(files.slice(i, i + WRITE_CONCURRENCY).map(([file, data]) => this.writeAtomic(file, data)));
    }
  }

  async putStream(key: string, source: Readable): Promise<number> {
    const file = this.file(key);
    // The source may fail while the folder is made (before the pipeline listens): catch that here.
    let early: unknown = null;
    const onEarlyError = (error: unknown) => {
      early ??= error;
    };
    source.on('error', onEarlyError);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
    } finally {
      source.off('error', onEarlyError);
    }
    if (early !== null || source.errored) {
      source.destroy();
      throw early ?? source.errored;
    }
    const temp = `${file}.${process.pid}.${(this.counter++).toString(36)}.tmp`;
    let size = 0;
    try {
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            size += chunk.length;
            callback(null, chunk);
          },
        }),
        createWriteStream(temp),
      );
      await fs.rename(temp, file);
      return size;
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async ping(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fsConstants.W_OK);
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  async close(): Promise<void> {}
}
