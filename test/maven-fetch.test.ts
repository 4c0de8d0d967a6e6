import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createMavenAdapter, type MavenAdapter } from '../src/ecosystems/maven/index.js';
import type { MavenVersionDetails } from '../src/ecosystems/maven/schema.js';
import type { FetchContext, Validators } from '../src/ecosystems/types.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { startFakeRegistry, type FakeUpstream } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';

const CORE = '/maven2/org/example/widgets/widget-core';
const RELATED = [
  '/maven2/org/example/example-parent/3/example-parent-3.pom',
  '/maven2/org/example/example-root/1/example-root-1.pom',
  '/maven2/org/example/bom/platform-bom/2.4/platform-bom-2.4.pom',
  '/maven2/org/example/bom/base-bom/1.0/base-bom-1.0.pom',
  '/maven2/org/example/bom/bom-parent/1/bom-parent-1.pom',
];

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeRegistry('maven');
});
afterAll(async () => fake.close());

function pomXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>${body}</project>`;
}

function metadataXml(groupId: string, artifactId: string, versions: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<metadata><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><versioning><versions>${versions.map((v) => `<version>${v}</version>`).join('')}</versions></versioning></metadata>`;
}

describe('maven fetch through the HTTP client', () => {
  let http: HttpUpstreamClient;
  let adapter: MavenAdapter;
  const context = (conditional: Validators | null = null): FetchContext => ({ http, conditional });
  const paths = () => fake.requests.map((r) => r.path);

  beforeEach(() => {
    fake.reset();
    http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused', { SCOUT_REGISTRY_HTTP_RETRIES: '0' })), { logger: pino({ level: 'silent' }) });
    adapter = createMavenAdapter({ baseUrl: `${fake.url}/maven2/` });
  });

  it('reads maven-metadata.xml, then the latest version POM with its parents, BOMs and checksums', async () => {
    const result = await adapter.fetch('org.example.widgets:widget-core', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(paths()[0]).toBe(`${CORE}/maven-metadata.xml`);
    expect(paths()[1]).toBe(`${CORE}/1.1.0/widget-core-1.1.0.pom`);
    expect([...paths()].sort()).toEqual(
      [`${CORE}/maven-metadata.xml`, `${CORE}/1.1.0/widget-core-1.1.0.pom`, `${CORE}/1.1.0/widget-core-1.1.0.jar.sha1`, `${CORE}/1.1.0/widget-core-1.1.0.jar.sha256`, ...RELATED].sort(),
    );
    expect(fake.requests[0]!.headers.accept).toMatch(/^application\/xml/);
    expect(result.validators.etag).toMatch(/^"/);
    expect(Object.keys(result.raw.versions)).toEqual(['0.9', '1.0.0-alpha-1', '1.0.0', '1.1.0', '1.2.0-RC1']);
    const details = (result.raw.versions['1.1.0'] as { details: MavenVersionDetails }).details;
    expect(Object.keys(details.related).sort()).toEqual(['org.example.bom:base-bom:1.0', 'org.example.bom:bom-parent:1', 'org.example.bom:platform-bom:2.4', 'org.example:example-parent:3', 'org.example:example-root:1']);
    expect(Object.values(details.related).every((entry) => entry.status === 'ok')).toBe(true);
    expect(adapter.pomCacheSize()).toBe(5);
    const normalized = adapter.normalize('org.example.widgets:widget-core', result.raw);
    expect(normalized.package).toMatchObject({ latestVersion: '1.1.0', repositoryUrl: 'https://github.com/example/widgets' });
  });

  it('revalidates maven-metadata.xml with the stored validators: a 304 is not-modified and nothing else is asked', async () => {
    const first = await adapter.fetch('org.example.widgets:widget-core', context());
    if (first.kind !== 'ok') throw new Error(first.kind);
    fake.reset();
    const second = await adapter.fetch('org.example.widgets:widget-core', context(first.validators));
    expect(second).toEqual({ kind: 'not-modified', validators: first.validators });
    expect(paths()).toEqual([`${CORE}/maven-metadata.xml`]);
    expect(fake.requests[0]!.headers['if-none-match']).toBe(first.validators.etag);
  });

  it('fetches another version lazily: its POM and checksums only, the shared parents and BOMs come from the cache', async () => {
    await adapter.fetch('org.example.widgets:widget-core', context());
    fake.reset();
    const details = await adapter.versionDetails.fetch('org.example.widgets:widget-core', '1.0.0', context());
    expect(details.kind).toBe('ok');
    expect([...paths()].sort()).toEqual([`${CORE}/1.0.0/widget-core-1.0.0.jar.sha1`, `${CORE}/1.0.0/widget-core-1.0.0.jar.sha256`, `${CORE}/1.0.0/widget-core-1.0.0.pom`]);

    // A fresh adapter has an empty cache: the parent chain and the first BOM (it manages slf4j-api, the only
    // dependency, so the BOM nested in it is never consulted) are requested once each.
    fake.reset();
    const cold = createMavenAdapter({ baseUrl: `${fake.url}/maven2` });
    await cold.versionDetails.fetch('org.example.widgets:widget-core', '1.0.0', context());
    expect(paths().filter((p) => !p.startsWith(CORE)).sort()).toEqual(RELATED.slice(0, 3).sort());
    expect(new Set(paths()).size).toBe(paths().length);
  });

  it('answers 404s with not-found, for packages and versions', async () => {
    expect(await adapter.fetch('org.example:no-such-thing', context())).toEqual({ kind: 'not-found' });
    expect(await adapter.versionDetails.fetch('org.example.widgets:widget-core', '9.9.9', context())).toEqual({ kind: 'not-found' });
    expect(paths()).toEqual(['/maven2/org/example/no-such-thing/maven-metadata.xml', `${CORE}/9.9.9/widget-core-9.9.9.pom`]);
  });

  it('rejects invalid names and versions without any request', async () => {
    for (const name of ['widget-core', 'org.example:widget-core:1.0', '../etc:passwd', 'org..example:x', 'org.example:a/b', '']) {
      await expect(adapter.fetch(name, context()), name).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(adapter.versionDetails.fetch('org.example.widgets:widget-core', '..', context())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(adapter.versionDetails.fetch('org.example.widgets:widget-core', '1.0/../../x', context())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(fake.count()).toBe(0);
  });

  it('turns a 200 that is not artifact metadata into UPSTREAM_INVALID', async () => {
    const url = '/maven2/org/example/broken/maven-metadata.xml';
    const bodies = [
      '<html><body><h1>Service Unavailable</h1><p>Try later',
      '{"error": "not xml"}',
      pomXml('<artifactId>broken</artifactId>'),
      metadataXml('org.example', 'someone-else', ['1.0']),
    ];
    for (const body of bodies) {
      fake.setDocument(url, body, 'text/xml');
      await expect(adapter.fetch('org.example:broken', context()), body).rejects.toMatchObject({ code: 'UPSTREAM_INVALID' });
    }
  });

  it('keeps the version list when the latest POM is broken: that version stays pending and fails on its own', async () => {
    fake.setDocument('/maven2/org/example/half/maven-metadata.xml', metadataXml('org.example', 'half', ['1.0', '2.0']), 'text/xml');
    fake.setDocument('/maven2/org/example/half/2.0/half-2.0.pom', '<project><unclosed></project>', 'text/xml');
    const result = await adapter.fetch('org.example:half', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    const normalized = adapter.normalize('org.example:half', result.raw);
    expect(normalized.versions.map((v) => [v.version, v.detailsPending])).toEqual([['2.0', true], ['1.0', true]]);
    await expect(adapter.versionDetails.fetch('org.example:half', '2.0', context())).rejects.toMatchObject({ code: 'UPSTREAM_INVALID' });
  });

  it('fails the package fetch when the latest POM is unavailable (5xx), so nothing incomplete is stored', async () => {
    fake.setDocument('/maven2/org/example/busy/maven-metadata.xml', metadataXml('org.example', 'busy', ['1.0']), 'text/xml');
    fake.setDocument('/maven2/org/example/busy/1.0/busy-1.0.pom', pomXml('<groupId>org.example</groupId><artifactId>busy</artifactId><version>1.0</version>'), 'text/xml');
    fake.script('/maven2/org/example/busy/1.0/busy-1.0.pom', [{ status: 503 }]);
    await expect(adapter.fetch('org.example:busy', context())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const again = await adapter.fetch('org.example:busy', context());
    expect(again.kind === 'ok' && (again.raw.versions['1.0'] as { details?: unknown }).details).toBeTruthy();
  });

  it('fails a details fetch whose parent answers 5xx (nothing broken is stored or cached)', async () => {
    fake.setDocument('/maven2/org/example/kid/maven-metadata.xml', metadataXml('org.example', 'kid', ['1.0']), 'text/xml');
    fake.setDocument('/maven2/org/example/kid/1.0/kid-1.0.pom', pomXml('<parent><groupId>org.example</groupId><artifactId>flaky-parent</artifactId><version>1</version></parent><artifactId>kid</artifactId>'), 'text/xml');
    fake.setDocument('/maven2/org/example/flaky-parent/1/flaky-parent-1.pom', pomXml('<groupId>org.example</groupId><artifactId>flaky-parent</artifactId><version>1</version><url>https://flaky.example</url>'), 'text/xml');
    fake.script('/maven2/org/example/flaky-parent/1/flaky-parent-1.pom', [{ status: 503 }]);
    await expect(adapter.versionDetails.fetch('org.example:kid', '1.0', context())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(adapter.pomCacheSize()).toBe(0);
    const retry = await adapter.versionDetails.fetch('org.example:kid', '1.0', context());
    expect(retry.kind === 'ok' && (retry.raw as MavenVersionDetails).related['org.example:flaky-parent:1']?.status).toBe('ok');
  });

  it('degrades a version whose parent POM is not readable XML, as if the parent were missing', async () => {
    // Old POMs on Central with an unescaped `&` in a URL are not well-formed; the child must still be read.
    fake.setDocument('/maven2/org/example/orphan/maven-metadata.xml', metadataXml('org.example', 'orphan', ['1.0']), 'text/xml');
    fake.setDocument(
      '/maven2/org/example/orphan/1.0/orphan-1.0.pom',
      pomXml('<parent><groupId>org.example</groupId><artifactId>amp-parent</artifactId><version>2</version></parent><artifactId>orphan</artifactId><description>Still here</description><dependencies><dependency><groupId>org.example</groupId><artifactId>dep</artifactId><version>1.0</version></dependency></dependencies>'),
      'text/xml',
    );
    fake.setDocument('/maven2/org/example/amp-parent/2/amp-parent-2.pom', pomXml('<groupId>org.example</groupId><artifactId>amp-parent</artifactId><version>2</version><url>https://example.org/?a=1&b=2</url>'), 'text/xml');
    const result = await adapter.fetch('org.example:orphan', context());
    if (result.kind !== 'ok') throw new Error(result.kind);
    const details = (result.raw.versions['1.0'] as { details: MavenVersionDetails }).details;
    expect(details.related['org.example:amp-parent:2']).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/not valid XML/) });
    const [version] = adapter.normalize('org.example:orphan', result.raw).versions;
    expect(version).toMatchObject({ version: '1.0', description: 'Still here', dependencies: [expect.objectContaining({ name: 'org.example:dep', constraint: '1.0' })] });
    expect(version!.detailsPending).toBeUndefined();
    expect(adapter.pomCacheSize()).toBe(0);
  });

  it('falls back to the jar when a custom packaging has no file of its own', async () => {
    fake.setDocument('/maven2/org/example/plugin-thing/maven-metadata.xml', metadataXml('org.example', 'plugin-thing', ['1.0']), 'text/xml');
    fake.setDocument('/maven2/org/example/plugin-thing/1.0/plugin-thing-1.0.pom', pomXml('<groupId>org.example</groupId><artifactId>plugin-thing</artifactId><version>1.0</version><packaging>hpi</packaging>'), 'text/xml');
    fake.setDocument('/maven2/org/example/plugin-thing/1.0/plugin-thing-1.0.jar.sha1', '0123456789abcdef0123456789abcdef01234567', 'text/plain');
    const details = await adapter.versionDetails.fetch('org.example:plugin-thing', '1.0', context());
    if (details.kind !== 'ok') throw new Error(details.kind);
    expect((details.raw as MavenVersionDetails).artifact).toMatchObject({ extension: 'jar', url: `${fake.url}/maven2/org/example/plugin-thing/1.0/plugin-thing-1.0.jar` });
    expect(paths().filter((p) => /\.sha(1|256)$/.test(p)).sort()).toEqual([
      '/maven2/org/example/plugin-thing/1.0/plugin-thing-1.0.hpi.sha1',
      '/maven2/org/example/plugin-thing/1.0/plugin-thing-1.0.hpi.sha256',
      '/maven2/org/example/plugin-thing/1.0/plugin-thing-1.0.jar.sha1',
      '/maven2/org/example/plugin-thing/1.0/plugin-thing-1.0.jar.sha256',
    ]);
  });

  it('never turns parent or BOM coordinates from a POM into a path outside the repository layout', async () => {
    fake.setDocument(
      '/maven2/org/example/sneaky/1.0/sneaky-1.0.pom',
      pomXml('<parent><groupId>..</groupId><artifactId>..</artifactId><version>1</version></parent><groupId>org.example</groupId><artifactId>sneaky</artifactId><version>1.0</version>'),
      'text/xml',
    );
    const details = await adapter.versionDetails.fetch('org.example:sneaky', '1.0', context());
    if (details.kind !== 'ok') throw new Error(details.kind);
    expect((details.raw as MavenVersionDetails).related['..:..:1']).toMatchObject({ status: 'skipped' });
    expect(paths().every((p) => p.startsWith('/maven2/org/example/sneaky/1.0/'))).toBe(true);
  });

  it('limits the parent chain depth and the parent/BOM POMs requested per version', async () => {
    for (let i = 0; i < 12; i++) {
      fake.setDocument(`/maven2/org/deep/p${i}/1/p${i}-1.pom`, pomXml(`<parent><groupId>org.deep</groupId><artifactId>p${i + 1}</artifactId><version>1</version></parent><artifactId>p${i}</artifactId>`), 'text/xml');
    }
    fake.setDocument('/maven2/org/deep/leaf/1/leaf-1.pom', pomXml('<parent><groupId>org.deep</groupId><artifactId>p0</artifactId><version>1</version></parent><artifactId>leaf</artifactId>'), 'text/xml');
    await adapter.versionDetails.fetch('org.deep:leaf', '1', context());
    expect(paths().filter((p) => /\/p\d+-1\.pom$/.test(p))).toHaveLength(10);

    fake.reset();
    const imports = Array.from({ length: 45 }, (_, i) => `<dependency><groupId>org.boms</groupId><artifactId>bom${i}</artifactId><version>1</version><type>pom</type><scope>import</scope></dependency>`).join('');
    for (let i = 0; i < 45; i++) fake.setDocument(`/maven2/org/boms/bom${i}/1/bom${i}-1.pom`, pomXml(`<groupId>org.boms</groupId><artifactId>bom${i}</artifactId><version>1</version><packaging>pom</packaging>`), 'text/xml');
    fake.setDocument(
      '/maven2/org/boms/wide/1/wide-1.pom',
      pomXml(`<groupId>org.boms</groupId><artifactId>wide</artifactId><version>1</version><dependencyManagement><dependencies>${imports}</dependencies></dependencyManagement><dependencies><dependency><groupId>x</groupId><artifactId>unmanaged</artifactId></dependency></dependencies>`),
      'text/xml',
    );
    const wide = await adapter.versionDetails.fetch('org.boms:wide', '1', context());
    if (wide.kind !== 'ok') throw new Error(wide.kind);
    const related = Object.values((wide.raw as MavenVersionDetails).related);
    expect(related.filter((entry) => entry.status === 'ok')).toHaveLength(40);
    expect(related.filter((entry) => entry.status === 'skipped')).toHaveLength(5);
    expect(paths().filter((p) => /\/bom\d+-1\.pom$/.test(p))).toHaveLength(40);
  });
});
