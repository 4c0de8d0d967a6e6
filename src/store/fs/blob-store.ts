import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { constants as fsConstants, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { assertSafeKey } from '../keys.js';
import type { BlobStore } from '../types.js';

const WRITE_CONCURRENCY = 64;
const MAX_FILE_NAME = 255;
/**
 * Temp files live in one folder at the root (no key starts with `_`), named `{pid}.{n}.tmp`: a writer
 * killed mid-write leaves them there, and the next start removes those of dead processes without
 * walking the store.
 */
const TEMP_DIR = '_tmp';

/** The embedded blob store: one file per key under a root folder, written atomically (temp + rename). */
export class FsBlobStore implements BlobStore {
  readonly backend = 'filesystem';
  private counter = 0;
  private tempReady: Promise<unknown> | null = null;
  private readonly swept: Promise<void>;

  constructor(private readonly root: string) {
    this.swept = this.sweepTemp();
  }

  /** Removes temp files left by writers that are gone (SIGKILL, power loss); best effort. */
  private async sweepTemp(): Promise<void> {
    const dir = path.join(this.root, TEMP_DIR);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return;
    }
    await Promise.all(
      names.map(async (name) => {
        const pid = Number(name.split('.')[0]);
        if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return;
        await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
      }),
    );
  }

  private async tempFile(): Promise<string> {
    const dir = path.join(this.root, TEMP_DIR);
    this.tempReady ??= fs.mkdir(dir, { recursive: true }).catch((error: unknown) => {
      this.tempReady = null;
      throw error;
    });
    await this.tempReady;
    return path.join(dir, `${process.pid}.${(this.counter++).toString(36)}.tmp`);
  }

  private file(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, ...key.split('/').map(fileName));
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
    const temp = await this.tempFile();
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
    const temp = await this.tempFile();
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

  async close(): Promise<void> {
    await this.swept;
  }
}

/**
 * File systems cap a file name at 255 bytes (ext4, XFS, APFS), and a segment may be longer (an upstream's
 * 300-character version): such a segment becomes a prefix of it plus its SHA-256. `#` never occurs in a key,
 * so this cannot meet a real segment, and segments that fit are unchanged.
 */
function fileName(segment: string): string {
  if (segment.length <= MAX_FILE_NAME) return segment;
  return `${segment.slice(0, 180)}#${createHash('sha256').update(segment).digest('hex')}`;
}

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
