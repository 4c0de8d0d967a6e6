import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../src/store/fs/blob-store.js';
import { MongoDocumentStore } from '../src/store/mongo/document-store.js';
import { S3BlobStore } from '../src/store/s3/blob-store.js';
import { SqliteDocumentStore } from '../src/store/sqlite/document-store.js';
import type { BlobStore, DocumentStore, SourceRecord } from '../src/store/types.js';
import { tempDir } from './helpers/gateway.js';
import { packageRecord, versionRecord } from './helpers/records.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * One contract per interface, run against every implementation: SQLite and the filesystem always, S3
 * against s3rver started here, MongoDB when SCOUT_REGISTRY_MONGODB_URI is set.
 */
interface Backend<T> {
  name: string;
  skip: string | null;
  open(): Promise<T>;
  close(store: T): Promise<void>;
}

const mongoUri = process.env.SCOUT_REGISTRY_MONGODB_URI;

const documentBackends: Backend<DocumentStore>[] = [
  {
    name: 'SQLite',
    skip: null,
    open: async () => new SqliteDocumentStore(path.join(tempDir('scout-sqlite-'), 'store.sqlite')),
    close: (store) => store.close(),
  },
  {
    name: 'MongoDB',
    skip: mongoUri ? null : 'SCOUT_REGISTRY_MONGODB_URI is not set (no MongoDB server here; see docker-compose.yml)',
    open: async () => MongoDocumentStore.connect({ uri: mongoUri ?? '', database: `scout_contract_${process.pid}_${Date.now()}` }),
    close: async (store) => {
      await (store as MongoDocumentStore).dropDatabase();
      await store.close();
    },
  },
];

/** A package whose versions all carry `marker` in their description: a reader can tell generations apart. */
function generation(name: string, marker: string, count: number) {
  const versions = Array.from({ length: count }, (_, i) => versionRecord(name, `${count - i}.0.0`, { description: marker }));
  return { pkg: { record: packageRecord(name, count, { description: marker, latestVersion: `${count}.0.0` }), fetchedAt: Date.now(), validators: { etag: `"${marker}"`, lastModified: null } }, versions };
}

function sourceRecord(name: string, version: string, extra: Partial<SourceRecord> = {}): SourceRecord {
  return { ecosystem: 'npm', name, version, status: 'STORED', key: `sourceFiles/npm/${name}/${version}.tgz`, url: 'https://example.test/a.tgz', size: 100, algorithm: 'sha512', digest: 'ab', storedAt: 1, error: null, verified: true, ...extra };
}

for (const backend of documentBackends) {
  describe.skipIf(backend.skip !== null)(`DocumentStore contract: ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`, () => {
    let store: DocumentStore;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      if (store) await backend.close(store);
    });

    it('reads batches in the order asked, null where missing, and odd names and map keys round-trip', async () => {
      const odd = '@scope/na.me$';
      await store.replacePackage(
        { record: packageRecord(odd, 2, { distTags: { latest: '2.0.0', 'v1.x': '1.0.0', $weird: '1.0.0' } }), fetchedAt: 5, validators: { etag: '"e"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' } },
        [versionRecord(odd, '2.0.0', { engines: { 'node.js': '>=18', $x: '1' } }), versionRecord(odd, '1.0.0')],
      );
      const [missing, found] = await store.getPackages([{ ecosystem: 'npm', name: 'nope' }, { ecosystem: 'npm', name: odd }]);
      expect(missing).toBeNull();
      expect(found?.record.distTags).toEqual({ latest: '2.0.0', 'v1.x': '1.0.0', $weird: '1.0.0' });
      expect(found?.validators).toEqual({ etag: '"e"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
      const versions = await store.getVersions([
        { ecosystem: 'npm', name: odd, version: '1.0.0' },
        { ecosystem: 'npm', name: odd, version: '9.9.9' },
        { ecosystem: 'pypi', name: odd, version: '2.0.0' },
        { ecosystem: 'npm', name: odd, version: '2.0.0' },
      ]);
      expect(versions.map((v) => v?.record.version ?? null)).toEqual(['1.0.0', null, null, '2.0.0']);
      expect(versions[3]?.record.engines).toEqual({ 'node.js': '>=18', $x: '1' });
      expect(versions[3]?.seq).toBe(0);
    });

    it('pages versions newest first with filters and totals', async () => {
      const name = 'paged';
      const versions = [
        versionRecord(name, '3.0.0-beta.1'),
        versionRecord(name, '2.0.0', { status: 'YANKED' }),
        versionRecord(name, '1.1.0'),
        versionRecord(name, '1.0.0'),
      ];
      await store.replacePackage({ record: packageRecord(name, 4), fetchedAt: 1, validators: { etag: null, lastModified: null } }, versions);
      const all = await store.listVersions({ ecosystem: 'npm', name, first: 2, afterSeq: null, includePrereleases: true, includeWithdrawn: true });
      expect(all.items.map((i) => i.record.version)).toEqual(['3.0.0-beta.1', '2.0.0']);
      expect(all).toMatchObject({ hasNextPage: true, totalCount: 4 });
      const next = await store.listVersions({ ecosystem: 'npm', name, first: 2, afterSeq: all.items[1]!.seq, includePrereleases: true, includeWithdrawn: true });
      expect(next.items.map((i) => i.record.version)).toEqual(['1.1.0', '1.0.0']);
      expect(next.hasNextPage).toBe(false);
      const stable = await store.listVersions({ ecosystem: 'npm', name, first: 10, afterSeq: null, includePrereleases: false, includeWithdrawn: false });
      expect(stable.items.map((i) => i.record.version)).toEqual(['1.1.0', '1.0.0']);
      expect(stable.totalCount).toBe(2);
    });

    it('replaces a package whole: versions of the previous fetch are gone', async () => {
      const a = generation('replaced', 'A', 5);
      const b = generation('replaced', 'B', 2);
      await store.replacePackage(a.pkg, a.versions);
      await store.replacePackage(b.pkg, b.versions);
      const page = await store.listVersions({ ecosystem: 'npm', name: 'replaced', first: 100, afterSeq: null, includePrereleases: true, includeWithdrawn: true });
      expect(page.items.map((i) => i.record.version)).toEqual(['2.0.0', '1.0.0']);
      expect(page.items.every((i) => i.record.description === 'B')).toBe(true);
      expect((await store.getVersions([{ ecosystem: 'npm', name: 'replaced', version: '5.0.0' }]))[0]).toBeNull();
      expect((await store.stats()).find((row) => row.ecosystem === 'npm')?.versions).toBeGreaterThanOrEqual(2);
    });

    it('two writers of one package leave exactly one whole fetch, and readers never see a mix', async () => {
      const name = 'contested';
      const a = generation(name, 'A', 30);
      const b = generation(name, 'B', 7);
      await store.replacePackage(a.pkg, a.versions);
      let reading = true;
      const seen: string[] = [];
      const reader = (async () => {
        while (reading) {
          const [pkg] = await store.getPackages([{ ecosystem: 'npm', name }]);
          const page = await store.listVersions({ ecosystem: 'npm', name, first: 100, afterSeq: null, includePrereleases: true, includeWithdrawn: true });
          const markers = new Set(page.items.map((i) => i.record.description));
          // Between the two reads a write may commit; within one read the versions are of one fetch.
          expect(markers.size).toBe(1);
          expect(page.totalCount).toBe(page.items.length);
          expect([7, 30]).toContain(page.items.length);
          seen.push(`${pkg?.record.description}/${[...markers][0]}`);
        }
      })();
      for (let round = 0; round < 10; round++) {
        await Promise.all([store.replacePackage(a.pkg, a.versions), store.replacePackage(b.pkg, b.versions)]);
      }
      reading = false;
      await reader;
      expect(seen.length).toBeGreaterThan(0);
      const [pkg] = await store.getPackages([{ ecosystem: 'npm', name }]);
      const page = await store.listVersions({ ecosystem: 'npm', name, first: 100, afterSeq: null, includePrereleases: true, includeWithdrawn: true });
      expect(page.items.length).toBe(pkg?.record.versionCount);
      expect(new Set(page.items.map((i) => i.record.description))).toEqual(new Set([pkg?.record.description]));
    });

    it('updates versions in place, touches freshness, deletes, and lists keys', async () => {
      const name = 'touched';
      await store.replacePackage({ record: packageRecord(name, 1), fetchedAt: 1, validators: { etag: '"1"', lastModified: null } }, [versionRecord(name, '1.0.0', { detailsPending: true })]);
      await store.updateVersions([versionRecord(name, '1.0.0', { description: 'completed', detailsPending: false }), versionRecord(name, '9.0.0')]);
      const [updated] = await store.getVersions([{ ecosystem: 'npm', name, version: '1.0.0' }]);
      expect(updated?.record).toMatchObject({ description: 'completed', detailsPending: false });
      await store.touchPackage({ ecosystem: 'npm', name }, 99, { etag: '"2"', lastModified: null });
      expect((await store.getPackages([{ ecosystem: 'npm', name }]))[0]).toMatchObject({ fetchedAt: 99, validators: { etag: '"2"' } });
      expect(await store.listPackageKeys('npm')).toContainEqual({ ecosystem: 'npm', name });
      await store.deletePackage({ ecosystem: 'npm', name });
      expect((await store.getPackages([{ ecosystem: 'npm', name }]))[0]).toBeNull();
      expect((await store.getVersions([{ ecosystem: 'npm', name, version: '1.0.0' }]))[0]).toBeNull();
      expect(await store.listPackageKeys('npm')).not.toContainEqual({ ecosystem: 'npm', name });
    });

    it('searches: exact name first, then prefix, then description and keywords; filters and pages', async () => {
      const put = (name: string, description: string, keywords: string[], ecosystem: 'npm' | 'pypi' = 'npm') =>
        store.replacePackage({ record: packageRecord(name, 0, { description, keywords }, ecosystem), fetchedAt: 1, validators: { etag: null, lastModified: null } }, []);
      await put('zebra-tools', 'helpers for zebra crossings', ['stripes']);
      await put('zebra', 'the zebra package', []);
      await put('crossing', 'unrelated', ['zebra']);
      await put('zebra', 'python zebra', [], 'pypi');
      await put('nothing-here', 'plain', []);
      const all = await store.search({ text: 'zebra', ecosystem: null, first: 10, offset: 0 });
      const names = all.items.map((p) => `${p.record.ecosystem}:${p.record.name}`);
      expect(names.slice(0, 2).sort()).toEqual(['npm:zebra', 'pypi:zebra']);
      expect(names[2]).toBe('npm:zebra-tools');
      expect(names).toContain('npm:crossing');
      expect(names).not.toContain('npm:nothing-here');
      expect(all.totalCount).toBe(4);
      const npmOnly = await store.search({ text: 'zebra', ecosystem: 'npm', first: 1, offset: 1 });
      expect(npmOnly.items.map((p) => p.record.name)).toEqual(['zebra-tools']);
      expect(npmOnly.hasNextPage).toBe(true);
      expect((await store.search({ text: 'stripes', ecosystem: null, first: 10, offset: 0 })).items.map((p) => p.record.name)).toEqual(['zebra-tools']);
      // Query syntax in user input is inert.
      expect((await store.search({ text: 'zebra" OR * NEAR(', ecosystem: null, first: 10, offset: 0 })).items).toBeDefined();
      await store.deletePackage({ ecosystem: 'npm', name: 'crossing' });
      expect((await store.search({ text: 'zebra', ecosystem: 'npm', first: 10, offset: 0 })).items.map((p) => p.record.name)).not.toContain('crossing');
    });

    it('records source archives and counts them in stats', async () => {
      await store.replacePackage({ record: packageRecord('archived', 1), fetchedAt: 1, validators: { etag: null, lastModified: null } }, [versionRecord('archived', '1.0.0')]);
      await store.putSource(sourceRecord('archived', '1.0.0', { status: 'FAILED', key: null, size: null, error: 'sha512 mismatch' }));
      await store.putSource(sourceRecord('archived', '1.0.0', { size: 1234 }));
      const [none, stored] = await store.getSources([{ ecosystem: 'npm', name: 'archived', version: '0.1.0' }, { ecosystem: 'npm', name: 'archived', version: '1.0.0' }]);
      expect(none).toBeNull();
      expect(stored).toMatchObject({ status: 'STORED', size: 1234, verified: true });
      const npm = (await store.stats()).find((row) => row.ecosystem === 'npm');
      expect(npm?.sources).toBeGreaterThanOrEqual(1);
      expect(npm?.sourceBytes).toBeGreaterThanOrEqual(1234);
    });

    it('answers ping and names its backend', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(['sqlite', 'mongodb']).toContain(store.backend);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------

let s3rver: S3rver | null = null;
let s3Endpoint = '';
const BUCKET = 'scout-contract';

const blobBackends: Backend<BlobStore>[] = [
  {
    name: 'filesystem',
    skip: null,
    open: async () => new FsBlobStore(tempDir('scout-blobs-')),
    close: (store) => store.close(),
  },
  {
    name: 'S3 (s3rver)',
    skip: null,
    open: async () => {
      const directory = tempDir('scout-s3rver-');
      s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
      const { port } = await s3rver.run();
      s3Endpoint = `http://127.0.0.1:${port}`;
      return new S3BlobStore({ bucket: BUCKET, region: 'us-east-1', endpoint: s3Endpoint, forcePathStyle: true, prefix: 'contract/', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    },
    close: async (store) => {
      await store.close();
      await s3rver?.close();
    },
  },
];

/** A stream of `chunks` that fails after sending them (a digest mismatch found at the end, a cut connection). */
function failingStream(chunks: Buffer[]): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else this.destroy(new Error('digest mismatch'));
    },
  });
}

for (const backend of blobBackends) {
  describe(`BlobStore contract: ${backend.name}`, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      if (store) await backend.close(store);
    });

    it('puts, gets and deletes; a missing key is null', async () => {
      expect(await store.get('npm/missing/1.0.0.json')).toBeNull();
      await store.put('npm/a/1.0.0.json', '{"a":1}');
      await store.putMany([['npm/a/2.0.0.json', '{"a":2}'], ['npm/a/_package.json', Buffer.from('{"p":true}')]]);
      expect((await store.get('npm/a/1.0.0.json'))?.toString()).toBe('{"a":1}');
      expect((await store.get('npm/a/2.0.0.json'))?.toString()).toBe('{"a":2}');
      expect((await store.get('npm/a/_package.json'))?.toString()).toBe('{"p":true}');
      await store.delete('npm/a/1.0.0.json');
      expect(await store.get('npm/a/1.0.0.json')).toBeNull();
      await expect(store.delete('npm/a/never-there.json')).resolves.toBeUndefined();
    });

    it('refuses keys that could escape their prefix, before touching storage', async () => {
      for (const key of ['../escape.json', '/absolute.json', 'npm//double.json', 'npm/./dot.json', 'npm/../../x', 'npm/a b.json', '', 'npm/a\0.json']) {
        await expect(store.get(key), key).rejects.toThrow(/unsafe blob key/);
        await expect(store.put(key, 'x'), key).rejects.toThrow(/unsafe blob key/);
        await expect(store.putStream(key, Readable.from([Buffer.from('x')])), key).rejects.toThrow(/unsafe blob key/);
        await expect(store.delete(key), key).rejects.toThrow(/unsafe blob key/);
      }
      await expect(store.putMany([['npm/ok.json', 'x'], ['../bad.json', 'x']])).rejects.toThrow(/unsafe blob key/);
    });

    it('streams a body in and reports its size', async () => {
      const body = randomBytes(3 * 1024 * 1024 + 17);
      const chunks = Array.from({ length: Math.ceil(body.length / 65536) }, (_, i) => body.subarray(i * 65536, (i + 1) * 65536));
      const size = await store.putStream('sourceFiles/npm/big/1.0.0.tgz', Readable.from(chunks));
      expect(size).toBe(body.length);
      expect((await store.get('sourceFiles/npm/big/1.0.0.tgz'))?.equals(body)).toBe(true);
    });

    it('keeps nothing when the stream fails, small or multipart-sized', async () => {
      await expect(store.putStream('sourceFiles/npm/bad/1.0.0.tgz', failingStream([Buffer.from('partial')]))).rejects.toThrow(/digest mismatch/);
      expect(await store.get('sourceFiles/npm/bad/1.0.0.tgz')).toBeNull();
      const big = Array.from({ length: 10 }, () => randomBytes(1024 * 1024));
      await expect(store.putStream('sourceFiles/npm/bad/2.0.0.tgz', failingStream(big))).rejects.toThrow(/digest mismatch/);
      expect(await store.get('sourceFiles/npm/bad/2.0.0.tgz')).toBeNull();
    }, 60_000);

    it('concurrent writers of one key leave one whole value; readers never see a partial one', async () => {
      const key = 'npm/contested/1.0.0.json';
      // s3rver rewrites an object's file in place (readers can see a torn object, and two writers of one key
      // break its connections); S3 itself replaces objects atomically, last writer wins
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel). So against
      // s3rver the writers take turns, nobody reads meanwhile, and only the final value is checked.
      const checkReaders = store.backend !== 's3';
      const a = Buffer.alloc(256 * 1024, 'a');
      const b = Buffer.alloc(192 * 1024, 'b');
      await store.put(key, a);
      let reading = checkReaders;
      const reader = (async () => {
        while (reading) {
          const value = await store.get(key);
          expect(value === null || value.equals(a) || value.equals(b)).toBe(true);
        }
      })();
      for (let round = 0; round < 5; round++) {
        const writes = [() => store.put(key, a), () => store.put(key, b), () => store.putStream(key, Readable.from([a]))];
        if (checkReaders) await Promise.all(writes.map((write) => write()));
        else for (const write of writes) await write();
      }
      reading = false;
      await reader;
      const final = await store.get(key);
      expect(final?.equals(a) || final?.equals(b)).toBe(true);
    });

    it('answers ping and names its backend', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(['filesystem', 's3']).toContain(store.backend);
    });
  });
}

describe('S3 blob store prefix', () => {
  it('keeps every key under the configured prefix', async () => {
    const directory = tempDir('scout-s3rver-prefix-');
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
    const { port } = await server.run();
    try {
      const options = { bucket: BUCKET, region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
      const prefixed = new S3BlobStore({ ...options, prefix: 'tenant-a/' });
      const bare = new S3BlobStore(options);
      await prefixed.put('npm/x/1.0.0.json', 'inside');
      expect((await bare.get('tenant-a/npm/x/1.0.0.json'))?.toString()).toBe('inside');
      expect(await bare.get('npm/x/1.0.0.json')).toBeNull();
      await prefixed.close();
      await bare.close();
    } finally {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
