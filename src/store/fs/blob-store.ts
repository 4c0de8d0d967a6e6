import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { assertSafeKey } from '../keys.js';
import type { BlobStore } from '../types.js';

const WRITE_CONCURRENCY = 32;

/** The embedded blob store: one file per key under a root folder, written atomically (temp + rename). */
export class FsBlobStore implements BlobStore {
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
    const temp = `${file}.${randomUUID()}.tmp`;
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
    const dirs = new Set(entries.map(([key]) => path.dirname(this.file(key))));
    await Promise.all([...dirs].map((dir) => fs.mkdir(dir, { recursive: true })));
    for (let i = 0; i < entries.length; i += WRITE_CONCURRENCY) {
      await Promise.all(entries.slice(i, i + WRITE_CONCURRENCY).map(([key, data]) => this.put(key, data)));
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  async close(): Promise<void> {}
}
