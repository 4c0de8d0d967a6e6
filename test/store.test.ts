import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../src/store/fs/blob-store.js';
import { assertSafeKey, encodeKeySegment, packageBlobKey, versionBlobKey } from '../src/store/keys.js';
import { SqliteDocumentStore } from '../src/store/sqlite/document-store.js';
import { packageRecord, versionRecord } from './helpers/records.js';
import { tempDir } from './helpers/gateway.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const pkg = (name: string, count: number) => packageRecord(name, count);
const version = versionRecord;

describe('blob keys', () => {
  it('encode names into one safe segment each', () => {
    expect(encodeKeySegment('@babel/core')).toBe('%40babel%2fcore');
    expect(encodeKeySegment('github.com/BurntSushi/toml')).toBe('github.com%2f!burnt!sushi%2ftoml');
    expect(encodeKeySegment('..')).toBe('%2e.');
    expect(encodeKeySegment('_package')).toBe('%5fpackage');
    expect(encodeKeySegment('org.apache:commons')).toBe('org.apache%3acommons');
    expect(encodeKeySegment('Foo')).not.toBe(encodeKeySegment('foo'));
    expect(versionBlobKey('npm', '@babel/core', '7.0.0')).toBe('npm/%40babel%2fcore/7.0.0.json');
    expect(packageBlobKey('npm', 'lodash')).toBe('npm/lodash/_package.json');
    expect(versionBlobKey('npm', 'x', '_package')).not.toBe(packageBlobKey('npm', 'x'));
  });

  it('never let a key escape its prefix', async () => {
    for (const bad of ['../x', 'a/../../b', '/abs', 'a//b', 'a/./b', '', 'a\\b']) expect(() => assertSafeKey(bad), bad).toThrow(/unsafe blob key/);
    const root = tempDir();
    dirs.push(root);
    const blobs = new FsBlobStore(path.join(root, 'blobs'));
    await expect(blobs.put('../escape.json', 'x')).rejects.toThrow(/unsafe/);
    expect(fs.existsSync(path.join(root, 'escape.json'))).toBe(false);
    await blobs.put(versionBlobKey('npm', '../../etc', '1.0.0'), '{}');
    expect(fs.readdirSync(path.join(root, 'blobs', 'npm'))).toEqual(['%2e.%2f..%2fetc']);
  });
});

describe('SQLite document store', () => {
  it('replaces a package and its versions together and reads them back in batches', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = new SqliteDocumentStore(path.join(dir, 'db.sqlite'));
    await store.replacePackage({ record: pkg('a', 3), fetchedAt: 1, validators: { etag: '"1"', lastModified: null } }, [version('a', '3.0.0-rc.1'), version('a', '2.0.0'), version('a', '1.0.0', { status: 'UNPUBLISHED' })]);
    await store.replacePackage({ record: pkg('b', 1), fetchedAt: 2, validators: { etag: null, lastModified: 'x' } }, [version('b', '1.0.0')]);
    const found = await store.getPackages([{ ecosystem: 'npm', name: 'b' }, { ecosystem: 'npm', name: 'zz' }, { ecosystem: 'npm', name: 'a' }]);
    expect(found.map((p) => p?.record.name ?? null)).toEqual(['b', null, 'a']);
    expect(found[0]?.validators).toEqual({ etag: null, lastModified: 'x' });
    const versions = await store.getVersions([{ ecosystem: 'npm', name: 'a', version: '2.0.0' }, { ecosystem: 'npm', name: 'a', version: '9.9.9' }]);
    expect(versions.map((v) => v?.seq ?? null)).toEqual([1, null]);

    const all = await store.listVersions({ ecosystem: 'npm', name: 'a', first: 10, afterSeq: null, includePrereleases: true, includeWithdrawn: true });
    expect(all.items.map((v) => v.record.version)).toEqual(['3.0.0-rc.1', '2.0.0', '1.0.0']);
    const stable = await store.listVersions({ ecosystem: 'npm', name: 'a', first: 10, afterSeq: null, includePrereleases: false, includeWithdrawn: false });
    expect(stable.items.map((v) => v.record.version)).toEqual(['2.0.0']);
    expect(stable.totalCount).toBe(1);

    // A new fetch drops versions that disappeared upstream.
    await store.replacePackage({ record: pkg('a', 1), fetchedAt: 3, validators: { etag: null, lastModified: null } }, [version('a', '2.0.0')]);
    expect((await store.getVersions([{ ecosystem: 'npm', name: 'a', version: '3.0.0-rc.1' }]))[0]).toBeNull();
    expect(await store.stats()).toEqual([{ ecosystem: 'npm', packages: 2, versions: 2, sources: 0, sourceBytes: 0 }]);

    await store.touchPackage({ ecosystem: 'npm', name: 'a' }, 99, { etag: '"2"', lastModified: null });
    expect((await store.getPackages([{ ecosystem: 'npm', name: 'a' }]))[0]).toMatchObject({ fetchedAt: 99, validators: { etag: '"2"' } });
    await store.deletePackage({ ecosystem: 'npm', name: 'b' });
    expect(await store.stats()).toEqual([{ ecosystem: 'npm', packages: 1, versions: 1, sources: 0, sourceBytes: 0 }]);
    await store.close();

    // Data survives a reopen; the schema migration is idempotent.
    const reopened = new SqliteDocumentStore(path.join(dir, 'db.sqlite'));
    expect((await reopened.getPackages([{ ecosystem: 'npm', name: 'a' }]))[0]?.fetchedAt).toBe(99);
    await reopened.close();
  });

  it('gives a second connection a consistent package (summary and versions of the same fetch)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'db.sqlite');
    const writer = new SqliteDocumentStore(file);
    const reader = new SqliteDocumentStore(file);
    const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => version('big', `${tag}.${i}.0`));
    await writer.replacePackage({ record: pkg('big', 500), fetchedAt: 1, validators: { etag: null, lastModified: null } }, many(500, '1'));
    await writer.replacePackage({ record: pkg('big', 800), fetchedAt: 2, validators: { etag: null, lastModified: null } }, many(800, '2'));
    const [summary] = await reader.getPackages([{ ecosystem: 'npm', name: 'big' }]);
    const page = await reader.listVersions({ ecosystem: 'npm', name: 'big', first: 1000, afterSeq: null, includePrereleases: true, includeWithdrawn: true });
    expect(summary?.record.versionCount).toBe(page.totalCount);
    expect(page.items.every((v) => v.record.version.startsWith('2.'))).toBe(true);
    await writer.close();
    await reader.close();
  });
});
