import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import S3rver from 's3rver';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../src/store/s3/blob-store.js';
import { FakeUpstream, NPM_FIXTURES, startFakeNpm } from './helpers/fake-upstream.js';
import { startTestGateway, tempDir, type TestGateway } from './helpers/gateway.js';
import { packument, packumentPath } from './helpers/packument.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const GOOD = randomBytes(600);
const BIG = randomBytes(5000);
const sri = (body: Buffer) => `sha512-${createHash('sha512').update(body).digest('base64')}`;
const sha512 = (body: Buffer) => createHash('sha512').update(body).digest('hex');

/** `src-pkg`: 1.0.0 genuine, 1.1.0 tampered (registry digest of other bytes), 1.2.0 on a foreign host, 1.3.0 too big. */
function serveSourcePackage(upstream: FakeUpstream): void {
  const doc = packument('src-pkg', { versions: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'] }) as { versions: Record<string, { dist: Record<string, unknown> }> };
  const tarball = (v: string) => `/src-pkg/-/src-pkg-${v}.tgz`;
  const dist = (url: string, integrity: string) => ({ tarball: url, integrity, shasum: undefined });
  doc.versions['1.0.0']!.dist = dist(`${upstream.url}${tarball('1.0.0')}`, sri(GOOD));
  doc.versions['1.1.0']!.dist = dist(`${upstream.url}${tarball('1.1.0')}`, sri(Buffer.from('the bytes the registry published')));
  doc.versions['1.2.0']!.dist = dist(`http://127.0.0.2:9${tarball('1.2.0')}`, sri(GOOD));
  doc.versions['1.3.0']!.dist = dist(`${upstream.url}${tarball('1.3.0')}`, sri(BIG));
  upstream.setDocument(packumentPath('src-pkg'), doc);
  upstream.setDocument(tarball('1.0.0'), GOOD, 'application/octet-stream');
  upstream.setDocument(tarball('1.1.0'), GOOD, 'application/octet-stream');
  upstream.setDocument(tarball('1.3.0'), BIG, 'application/octet-stream');
}

const ARCHIVE = `mutation ($v: String!) { archiveSource(ecosystem: NPM, name: "src-pkg", version: $v) { status key size algorithm digest verified storedAt error } }`;
const SOURCE = `query ($v: String!) { version(ecosystem: NPM, name: "src-pkg", version: $v) { source { status key digest verified } } }`;
const STATS = '{ stats { sources sourceBytes backends { documents blobs } ecosystems { ecosystem sources sourceBytes } } }';

function blobFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'blobs', 'sourceFiles');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('source archives (embedded store)', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startFakeNpm();
    serveSourcePackage(upstream);
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_MAX_SOURCE_BYTES: '1000' });
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });
  afterEach(() => upstream.reset());

  it('reports NONE before anything is archived', async () => {
    const result = await gw.query(SOURCE, { v: '1.0.0' });
    expect(result.data.version.source).toEqual({ status: 'NONE', key: null, digest: null, verified: false });
  });

  it('streams an archive into the blob store, verified against the published sha512', async () => {
    const result = await gw.query(ARCHIVE, { v: '1.0.0' });
    expect(result.errors).toBeUndefined();
    expect(result.data.archiveSource).toMatchObject({ status: 'STORED', key: 'sourceFiles/npm/src-pkg/1.0.0.tgz', size: 600, algorithm: 'sha512', digest: sha512(GOOD), verified: true, error: null });
    const stored = fs.readFileSync(path.join(gw.dataDir, 'blobs', 'sourceFiles', 'npm', 'src-pkg', '1.0.0.tgz'));
    expect(stored.equals(GOOD)).toBe(true);
    expect((await gw.query(SOURCE, { v: '1.0.0' })).data.version.source).toMatchObject({ status: 'STORED', verified: true });
    const stats = (await gw.query(STATS)).data.stats;
    expect(stats).toMatchObject({ sources: 1, sourceBytes: 600, backends: { documents: 'sqlite', blobs: 'filesystem' } });
  });

  it('refuses a tampered archive and keeps nothing', async () => {
    const result = await gw.query(ARCHIVE, { v: '1.1.0' });
    expect(result.data.archiveSource.status).toBe('FAILED');
    expect(result.data.archiveSource.error).toMatch(/sha512 mismatch/);
    expect(result.data.archiveSource.key).toBeNull();
    expect(blobFiles(gw.dataDir).some((file) => file.includes('1.1.0'))).toBe(false);
    expect((await gw.query(STATS)).data.stats.sources).toBe(1);
  });

  it('never fetches from a host the adapter does not allow', async () => {
    const result = await gw.query(ARCHIVE, { v: '1.2.0' });
    expect(result.data.archiveSource).toMatchObject({ status: 'FAILED' });
    expect(result.data.archiveSource.error).toMatch(/host 127\.0\.0\.2:9 is not allowed/);
  });

  it('refuses an archive over SCOUT_REGISTRY_MAX_SOURCE_BYTES', async () => {
    const result = await gw.query(ARCHIVE, { v: '1.3.0' });
    expect(result.data.archiveSource.status).toBe('FAILED');
    expect(result.data.archiveSource.error).toMatch(/1000-byte limit/);
    expect(blobFiles(gw.dataDir).some((file) => file.includes('1.3.0'))).toBe(false);
  });

  it('downloads once for concurrent requests of the same version', async () => {
    fs.rmSync(path.join(gw.dataDir, 'blobs', 'sourceFiles'), { recursive: true, force: true });
    const results = await Promise.all(Array.from({ length: 10 }, () => gw.query(ARCHIVE, { v: 'latest' })));
    for (const result of results) expect(result.data.archiveSource.status).toMatch(/STORED|FAILED/);
    expect(upstream.count('/src-pkg/-/src-pkg-1.3.0.tgz')).toBe(1);
    const archived = await Promise.all(Array.from({ length: 10 }, () => gw.query(ARCHIVE, { v: '1.0.0' })));
    expect(archived.every((r) => r.data.archiveSource.status === 'STORED')).toBe(true);
    expect(upstream.count('/src-pkg/-/src-pkg-1.0.0.tgz')).toBe(1);
  });

  it('names a version that does not exist', async () => {
    const result = await gw.query(ARCHIVE, { v: '9.9.9' });
    expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/src-pkg@9\.9\.9 does not exist/);
  });
});

describe('API keys for mutations', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await startFakeNpm();
    serveSourcePackage(upstream);
    gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_API_KEYS: 'key-one, key-two' });
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });

  it('needs a key for mutations, accepts any configured one, and leaves queries open', async () => {
    const refresh = 'mutation { refreshPackage(ecosystem: NPM, name: "tiny-tool") { name } }';
    const none = await gw.query(refresh);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await gw.query(refresh, {}, { authorization: 'Bearer key-three' });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(wrong)).not.toContain('key-one');
    expect(upstream.count()).toBe(0);
    const right = await gw.query(refresh, {}, { authorization: 'Bearer key-two' });
    expect(right.data.refreshPackage.name).toBe('tiny-tool');
    const archive = await gw.query(ARCHIVE, { v: '1.0.0' }, { authorization: 'Bearer key-one' });
    expect(archive.data.archiveSource.status).toBe('STORED');
    expect((await gw.query(ARCHIVE, { v: '1.0.0' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gw.query('{ package(ecosystem: NPM, name: "tiny-tool") { name } }')).data.package.name).toBe('tiny-tool');
  });
});

describe('search and health', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;
  beforeAll(async () => {
    upstream = await new FakeUpstream(NPM_FIXTURES).start();
    for (const name of ['zeta', 'zeta-utils', 'other-thing']) {
      const doc = packument(name) as { versions: Record<string, Record<string, unknown>> };
      for (const v of Object.values(doc.versions)) v.description = name === 'other-thing' ? 'works well with zeta' : `${name} package`;
      upstream.setDocument(packumentPath(name), doc);
    }
    gw = await startTestGateway(upstream.url);
    await gw.query('{ a: package(ecosystem: NPM, name: "zeta-utils") { name } b: package(ecosystem: NPM, name: "zeta") { name } c: package(ecosystem: NPM, name: "other-thing") { name } }');
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });

  it('ranks exact name, then prefix, then description, and pages with cursors', async () => {
    upstream.reset();
    const page = async (after?: string) =>
      (await gw.query('query ($after: String) { search(query: "zeta", first: 2, after: $after) { totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }', { after })).data.search;
    const first = await page();
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['zeta', 'zeta-utils']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['other-thing']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(upstream.count()).toBe(0);
  });

  it('filters by ecosystem and rejects an empty query', async () => {
    expect((await gw.query('{ search(query: "zeta", ecosystem: PYPI) { totalCount } }')).data.search.totalCount).toBe(0);
    const empty = await gw.query('{ search(query: "  ") { totalCount } }');
    expect(empty.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(empty.errors?.[0]?.message).toMatch(/query/);
  });

  it('answers /healthz and /readyz with the backends in use', async () => {
    const health = await request(`${gw.gateway.url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const ready = await request(`${gw.gateway.url}/readyz`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toEqual({ status: 'ready', documents: { backend: 'sqlite', status: 'ok' }, blobs: { backend: 'filesystem', status: 'ok' } });
  });
});

describe('gateway on S3 (s3rver)', () => {
  let upstream: FakeUpstream;
  let server: S3rver;
  let endpoint: string;
  const bucket = 'scout-e2e';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  beforeAll(async () => {
    upstream = await startFakeNpm();
    serveSourcePackage(upstream);
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tempDir('scout-s3rver-e2e-'), resetOnClose: true, configureBuckets: [{ name: bucket, configs: [] }] });
    endpoint = `http://127.0.0.1:${(await server.run()).port}`;
    // The gateway takes credentials from the standard AWS chain, here the environment.
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  });
  afterAll(async () => {
    await server.close();
    await upstream.close();
  });

  it('keeps raw data and archives in the bucket and reports ready', async () => {
    const gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_S3_BUCKET: bucket, SCOUT_REGISTRY_S3_ENDPOINT: endpoint, SCOUT_REGISTRY_S3_PREFIX: 'scout/' });
    try {
      const archived = await gw.query(ARCHIVE, { v: '1.0.0' });
      expect(archived.data.archiveSource).toMatchObject({ status: 'STORED', verified: true });
      const extended = await gw.query('{ version(ecosystem: NPM, name: "src-pkg", version: "1.0.0") { extended } }');
      expect(extended.data.version.extended).toMatchObject({ name: 'src-pkg', version: '1.0.0' });
      const direct = new S3BlobStore({ bucket, region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
      expect((await direct.get('scout/sourceFiles/npm/src-pkg/1.0.0.tgz'))?.equals(GOOD)).toBe(true);
      expect(JSON.parse((await direct.get('scout/npm/src-pkg/1.0.0.json'))!.toString()).version).toBe('1.0.0');
      await direct.close();
      const ready = await request(`${gw.gateway.url}/readyz`);
      expect(await ready.body.json()).toMatchObject({ status: 'ready', blobs: { backend: 's3', status: 'ok' } });
      expect((await gw.query(STATS)).data.stats.backends).toEqual({ documents: 'sqlite', blobs: 's3' });
    } finally {
      await gw.close();
    }
  });

  it('reports not ready (503) when the bucket cannot be reached', async () => {
    const gw = await startTestGateway(upstream.url, { SCOUT_REGISTRY_S3_BUCKET: 'no-such-bucket', SCOUT_REGISTRY_S3_ENDPOINT: endpoint });
    try {
      const ready = await request(`${gw.gateway.url}/readyz`);
      expect(ready.statusCode).toBe(503);
      expect(await ready.body.json()).toMatchObject({ status: 'unavailable', documents: { status: 'ok' }, blobs: { backend: 's3' } });
    } finally {
      await gw.close();
    }
  });
});
