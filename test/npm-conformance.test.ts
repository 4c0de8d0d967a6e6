import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, it, expect } from 'vitest';
import { createNpmAdapter } from '../src/ecosystems/npm/index.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import type { NormalizedPackage } from '../src/ecosystems/types.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const sharedRoot = path.resolve(repoRoot, '..', 'shared', 'upstream-fixtures');
const npmRoot = path.join(sharedRoot, 'npm');
const exists = fs.existsSync(sharedRoot);

const BASE = 'https://npm-registry.example';
const adapter = createNpmAdapter({ baseUrl: BASE });
const TIME_META = new Set(['created', 'modified', 'unpublished']);
const DIGEST_HEX = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 } as Record<string, number>;

interface Packument {
  name: string;
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, Record<string, unknown> & { deprecated?: unknown; dist?: { shasum?: string } }>;
  time?: Record<string, unknown>;
}

interface Case {
  file: string;
  doc: Packument;
  text: string;
}

/**
 * Packuments only: `<dir>/<name>.json` directly under registry/ and registry-archived/. Per-version manifests
 * (`express/4.18.2.json`), the dist-tags endpoint (`-/package/...`) and the `.404` body live in subfolders or
 * are not JSON files.
 */
function packuments(): Case[] {
  const cases: Case[] = [];
  for (const dir of ['registry', 'registry-archived']) {
    const folder = path.join(npmRoot, dir);
    if (!fs.existsSync(folder)) continue;
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
      const text = fs.readFileSync(path.join(folder, entry.name), 'utf8');
      const doc = JSON.parse(text) as Packument;
      if (typeof doc.name !== 'string' || (!doc.versions && !doc.time)) continue;
      cases.push({ file: `${dir}/${entry.name}`, doc, text });
    }
  }
  return cases;
}

/** Serves one file's bytes for whatever is asked: the fetch path is exercised on real upstream bodies. */
function clientFor(text: string): UpstreamClient {
  return {
    async get(): Promise<GetResult> {
      return { kind: 'ok', status: 200, body: Buffer.from(text), contentType: 'application/json', validators: { etag: null, lastModified: null } };
    },
  };
}

const loaded = new Map<Case, Promise<NormalizedPackage>>();

/** fetch + normalize once per file (react's packument has ~3000 versions). */
function load(c: Case): Promise<NormalizedPackage> {
  let result = loaded.get(c);
  if (!result) loaded.set(c, (result = fetchAndNormalize(c)));
  return result;
}

async function fetchAndNormalize(c: Case): Promise<NormalizedPackage> {
  const result = await adapter.fetch(c.doc.name, { http: clientFor(c.text), conditional: null });
  if (result.kind !== 'ok') throw new Error(`${c.file}: fetch gave ${result.kind}`);
  return adapter.normalize(c.doc.name, result.raw);
}

const cases = exists ? packuments() : [];
const byName = (name: string) => cases.filter((c) => c.doc.name === name);

describe.skipIf(!exists)(`npm conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${sharedRoot} not found)`}`, () => {
  it('finds the packuments', () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
  });

  describe.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    it('keeps the generic invariants', async () => {
      const result = await load(c);
      const versions = c.doc.versions ?? {};
      const time = c.doc.time ?? {};
      const published = Object.keys(versions);
      const unpublishedFromTime = Object.keys(time).filter((key) => !TIME_META.has(key) && !(key in versions));

      expect(result.package.name).toBe(c.doc.name);
      expect(result.package.versionCount).toBe(result.versions.length);
      expect(result.versions.length).toBe(published.length + unpublishedFromTime.length);
      expect(new Set(result.versions.map((v) => v.version)).size).toBe(result.versions.length);

      for (const record of result.versions) {
        const declared = time[record.version];
        if (typeof declared === 'string') expect(record.releaseDate, record.version).toBe(new Date(declared).toISOString());
        // Loose, as npm reads packuments: express 2.0.0rc3 is a prerelease.
        expect(record.prerelease, record.version).toBe((semver.prerelease(record.version, { loose: true })?.length ?? 0) > 0);
        const manifest = versions[record.version];
        if (!manifest) {
          expect(record.status).toBe('UNPUBLISHED');
          continue;
        }
        const deprecated = manifest.deprecated;
        if (typeof deprecated === 'string' && deprecated.trim()) {
          expect(record).toMatchObject({ status: 'DEPRECATED', deprecatedMessage: deprecated });
        } else {
          // Includes the mirror's `"deprecated": false`.
          expect(record).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null });
        }
        for (const checksum of record.checksums) {
          expect(checksum.value).toMatch(/^[0-9a-f]+$/);
          expect(checksum.value.length).toBe(DIGEST_HEX[checksum.algorithm]);
        }
        const shasum = manifest.dist?.shasum;
        if (shasum) expect(record.checksums).toContainEqual({ algorithm: 'sha1', value: shasum.toLowerCase() });
        const runtime = new Set(record.dependencies.filter((d) => d.kind === 'RUNTIME').map((d) => d.name));
        for (const dep of record.dependencies.filter((d) => d.kind === 'OPTIONAL')) expect(runtime.has(dep.name)).toBe(false);
      }

      // Newest first by publish time.
      const dates = result.versions.map((v) => (v.releaseDate ? Date.parse(v.releaseDate) : -Infinity));
      for (let i = 1; i < dates.length; i++) expect(dates[i]!).toBeLessThanOrEqual(dates[i - 1]!);

      const tagged = c.doc['dist-tags']?.latest;
      if (tagged && tagged in versions) expect(result.package.latestVersion).toBe(tagged);
      const { latestVersion, latestPrerelease } = result.package;
      if (latestPrerelease !== null) {
        expect(semver.prerelease(latestPrerelease)).not.toBeNull();
        if (latestVersion) expect(semver.gt(latestPrerelease, latestVersion)).toBe(true);
      }
      const latest = result.versions.find((v) => v.version === latestVersion);
      expect(result.package.deprecated).toBe(latest?.status === 'DEPRECATED');
    });
  });

  it('lodash is MIT in both shapes', async () => {
    const lodash = byName('lodash');
    expect(lodash.length).toBeGreaterThanOrEqual(2);
    for (const c of lodash) {
      const result = await load(c);
      expect(result.package.license?.spdx, c.file).toBe('MIT');
      expect(result.versions.find((v) => v.version === result.package.latestVersion)?.license?.spdx).toBe('MIT');
    }
  });

  it('jquery has deprecated versions with messages and an unpublished one', async () => {
    for (const c of byName('jquery')) {
      const result = await load(c);
      const deprecated = result.versions.filter((v) => v.status === 'DEPRECATED');
      expect(deprecated.length).toBeGreaterThan(0);
      for (const v of deprecated) expect(v.deprecatedMessage).toMatch(/\S/);
      expect(result.versions.find((v) => v.version === '1.11.0-pre')?.status).toBe('UNPUBLISHED');
    }
  });

  it('@opentelemetry/api latest matches dist-tags and keeps its deprecated release candidates', async () => {
    for (const c of byName('@opentelemetry/api')) {
      const result = await load(c);
      expect(result.package.latestVersion).toBe(c.doc['dist-tags']?.latest);
      expect(result.versions.filter((v) => v.status === 'DEPRECATED').every((v) => v.prerelease)).toBe(true);
      expect(result.package.license?.spdx).toBe('Apache-2.0');
    }
  });

  it('react: latestPrerelease is null or newer than latest; "deprecated": false is ACTIVE', async () => {
    for (const c of byName('react')) {
      const result = await load(c);
      const { latestVersion, latestPrerelease } = result.package;
      expect(latestVersion).toBe(c.doc['dist-tags']?.latest);
      if (latestPrerelease !== null) expect(semver.gt(latestPrerelease, latestVersion!)).toBe(true);
      const falseFlag = Object.entries(c.doc.versions ?? {}).filter(([, m]) => m.deprecated === false).map(([v]) => v);
      expect(falseFlag.length).toBeGreaterThan(0);
      for (const v of falseFlag) expect(result.versions.find((r) => r.version === v)?.status).toBe('ACTIVE');
    }
  });

  it('express (mirror shape) gets package fields from the latest manifest and has no DEPRECATED versions', async () => {
    for (const c of byName('express')) {
      const result = await load(c);
      expect(result.package.description).toMatch(/\S/);
      expect(result.package.repositoryUrl).toBe('https://github.com/expressjs/express');
      expect(result.package.maintainers).toEqual([]);
      expect(result.versions.every((v) => v.status === 'ACTIVE')).toBe(true);
      const v4182 = result.versions.find((v) => v.version === '4.18.2');
      expect(v4182?.dependencies.some((d) => d.name === 'body-parser' && d.kind === 'RUNTIME')).toBe(true);
      expect(v4182?.author?.name).toBe('TJ Holowaychuk');
    }
  });

  it('@babel/core links its monorepo folder and reads optional peers', async () => {
    for (const c of byName('@babel/core')) {
      const result = await load(c);
      expect(result.package.repositoryUrl).toBe('https://github.com/babel/babel/tree/HEAD/packages/babel-core');
      const withMeta = result.versions.find((v) => v.dependencies.some((d) => d.kind === 'PEER' && d.optional));
      expect(withMeta).toBeDefined();
    }
  });

  it('etag keeps dist-tags.latest although a newer deprecated version exists', async () => {
    for (const c of byName('etag')) {
      const result = await load(c);
      expect(result.package.latestVersion).toBe('1.7.0');
      expect(result.versions[0]).toMatchObject({ version: '2.0.0', status: 'DEPRECATED' });
    }
  });
});
