/**
 * Offline data: OSV's per-ecosystem dumps (`https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip`,
 * one JSON record per file) or loose record files, streamed into the OSV store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { osvRecordSchema, type OsvRecord } from './schema.js';
import { indexKeys, type OsvStore } from './store.js';

export interface ImportProgress {
  /** Archive or JSON file being read. */
  file: string;
  files: number;
  /** Records read (valid or not). */
  records: number;
  /** Records written (new, or newer than the stored copy). */
  stored: number;
  /** Valid records for no ecosystem served here, or older than the stored copy. */
  skipped: number;
  /** Files that were not an OSV record. */
  invalid: number;
}

const BATCH = 500;

class Importer {
  readonly progress: ImportProgress = { file: '', files: 0, records: 0, stored: 0, skipped: 0, invalid: 0 };
  private batch: OsvRecord[] = [];

  constructor(private readonly store: OsvStore, private readonly onProgress: (progress: ImportProgress) => void) {}

  /** One file's text: a record, or (tolerated) an array of records. */
  accept(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.progress.records++;
      this.progress.invalid++;
      return;
    }
    for (const item of Array.isArray(json) ? json : [json]) {
      this.progress.records++;
      const parsed = osvRecordSchema.safeParse(item);
      if (!parsed.success) this.progress.invalid++;
      else if (indexKeys(parsed.data).length === 0) this.progress.skipped++;
      else this.batch.push(parsed.data);
    }
  }

  get full(): boolean {
    return this.batch.length >= BATCH;
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    const written = await this.store.putRecords(records);
    this.progress.stored += written;
    this.progress.skipped += records.length - written;
    this.onProgress(this.progress);
  }

  async zip(file: string): Promise<void> {
    let failure: Error | null = null;
    const unzip = new Unzip((entry) => {
      if (!entry.name.toLowerCase().endsWith('.json')) {
        // Not a record (a folder entry, a README): read past it.
        entry.ondata = () => undefined;
        entry.start();
        return;
      }
      const chunks: Uint8Array[] = [];
      entry.ondata = (error, chunk, final) => {
        if (error) {
          failure ??= new Error(`${file}: ${entry.name}: ${error.message}`);
          return;
        }
        chunks.push(chunk);
        if (final) this.accept(Buffer.concat(chunks).toString('utf8'));
      };
      entry.start();
    });
    unzip.register(UnzipInflate);
    unzip.register(UnzipPassThrough);
    const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // Entries are inflated synchronously inside push(): the batch is flushed between chunks.
      unzip.push(chunk, false);
      if (failure) throw failure;
      if (this.full) await this.flush();
    }
    unzip.push(new Uint8Array(0), true);
    if (failure) throw failure;
  }

  async file(file: string): Promise<void> {
    this.progress.file = file;
    this.progress.files++;
    if (file.toLowerCase().endsWith('.zip')) await this.zip(file);
    else this.accept(await fs.promises.readFile(file, 'utf8'));
    if (this.full) await this.flush();
    this.onProgress(this.progress);
  }
}

/** `.zip` and `.json` files under a directory, depth first, in name order (a stable import order). */
async function collect(dir: string): Promise<string[]> {
  const entries = (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await collect(full)));
    else if (entry.isFile() && /\.(zip|json)$/i.test(entry.name)) files.push(full);
  }
  return files;
}

/** Loads a dump (`all.zip`), a record file, or a directory of them. Newer stored copies are kept. */
export async function importOsv(store: OsvStore, source: string, onProgress: (progress: ImportProgress) => void = () => undefined): Promise<ImportProgress> {
  const stat = await fs.promises.stat(source);
  const files = stat.isDirectory() ? await collect(source) : [source];
  if (!stat.isDirectory() && !/\.(zip|json)$/i.test(source)) throw new Error(`${source}: expected a .zip dump, a .json record or a directory of them`);
  const importer = new Importer(store, onProgress);
  for (const file of files) await importer.file(file);
  await importer.flush();
  onProgress(importer.progress);
  return importer.progress;
}
