import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createHexAdapter } from '../src/ecosystems/hex/index.js';
import type { NormalizedPackage, RawDocument } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { HttpUpstreamClient } from '../src/http/upstream.js';
import { hexVersioning } from '../src/versioning/hex.js';
import { startFakeRegistry } from './helpers/fake-upstream.js';
import { testEnv } from './helpers/gateway.js';

const sharedRoot = path.resolve(import.meta.dirname, '..', '..', 'shared', 'upstream-fixtures');
const hexRoot = path.join(sharedRoot, 'hex', 'hex.pm');
const exists = fs.existsSync(hexRoot);
const BASE = 'https://hex.pm';
const adapter = createHexAdapter({ baseUrl: BASE });

interface Release {
  version: string;
  inserted_at?: string;
}
interface PackageDoc {
  name: string;
  releases: Release[];
  retirements?: Record<string, { reason?: string; message?: string | null }>;
  latest_stable_version?: string | null;
  owners?: Array<{ username?: string }>;
  meta?: { licenses?: string[]; description?: string };
}
interface ReleaseDoc {
  version: string;
  checksum: string;
  requirements: Record<string, { app?: string; requirement?: string; optional?: boolean }>;
  meta?: { elixir?: string | null };
  publisher?: { username?: string } | null;
  inserted_at: string;
}

const packagesDir = path.join(hexRoot, 'api', 'packages');
const packageFiles = exists ? fs.readdirSync(packagesDir).filter((file) => /^[a-z][a-z0-9_]*\.json$/.test(file)) : [];

/** Answers every request with the recorded file for that URL (`{url}.json`), as hex.pm would. */
const recorded: UpstreamClient = {
  async get(_upstream, url): Promise<GetResult> {
    const file = path.join(hexRoot, `${decodeURIComponent(new URL(url).pathname)}.json`);
    if (!fs.existsSync(file)) return { kind: 'not-found', status: 404 };
    return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'application/json', validators: { etag: null, lastModified: null } };
  },
};

async function load(name: string): Promise<{ raw: RawDocument; result: NormalizedPackage; doc: PackageDoc }> {
  const fetched = await adapter.fetch(name, { http: recorded, conditional: null });
  if (fetched.kind !== 'ok') throw new Error(`${name}: ${fetched.kind}`);
  const doc = JSON.parse(fs.readFileSync(path.join(packagesDir, `${name}.json`), 'utf8')) as PackageDoc;
  return { raw: fetched.raw, result: adapter.normalize(name, fetched.raw), doc };
}

describe.skipIf(!exists)(`hex conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${hexRoot} not found)`}`, () => {
  it('finds the package documents', () => {
    expect(packageFiles.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(packageFiles.map((file) => [file.slice(0, -'.json'.length)]))('%s', (name) => {
    it('keeps every release, ordered, dated, retired as recorded', async () => {
      const { result, doc } = await load(name);
      expect(result.package.name).toBe(doc.name);
      expect(result.versions.map((v) => v.version).sort()).toEqual([...new Set(doc.releases.map((r) => r.version))].sort());
      expect(result.package.versionCount).toBe(result.versions.length);
      for (let i = 1; i < result.versions.length; i++) expect(hexVersioning.compare(result.versions[i - 1]!.version, result.versions[i]!.version)).toBeGreaterThan(0);
      for (const release of doc.releases) {
        const record = result.versions.find((v) => v.version === release.version)!;
        expect(hexVersioning.isValid(record.version), record.version).toBe(true);
        expect(record.releaseDate).toBe(release.inserted_at ? new Date(release.inserted_at).toISOString() : null);
        expect(record.prerelease).toBe(record.version.includes('-'));
        expect(record.detailsPending).toBe(true);
        expect(record.artifactUrl).toBe(`https://repo.hex.pm/tarballs/${name}-${release.version}.tar`);
        const retirement = doc.retirements?.[release.version];
        if (retirement) {
          expect(record.status).toBe('DEPRECATED');
          expect(record.deprecatedMessage).toContain(`Retired (${retirement.reason})`);
          if (retirement.message) expect(record.deprecatedMessage).toContain(retirement.message);
        } else {
          expect(record).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null });
        }
      }
    });

    it('takes package-level fields from the document', async () => {
      const { result, doc } = await load(name);
      const versions = doc.releases.map((r) => r.version);
      const stable = versions.filter((v) => !v.includes('-')).sort(hexVersioning.compare);
      const declared = doc.latest_stable_version;
      expect(result.package.latestVersion).toBe(declared && versions.includes(declared) ? declared : (stable.at(-1) ?? null));
      if (result.package.latestPrerelease) {
        expect(result.package.latestPrerelease).toContain('-');
        expect(hexVersioning.compare(result.package.latestPrerelease, result.package.latestVersion ?? '0.0.0')).toBeGreaterThan(0);
      }
      expect(result.package.maintainers.map((p) => p.name)).toEqual((doc.owners ?? []).map((o) => o.username));
      expect(result.package.description).toBe(doc.meta?.description?.trim() || null);
      if (doc.meta?.licenses?.length) expect(result.package.license).toMatchObject({ name: doc.meta.licenses.join(' OR '), source: 'meta.licenses' });
      for (const url of Object.values(result.versions[0]!.links)) if (url !== null) expect(url).toMatch(/^https?:\/\//);
    });
  });

  const releasesDir = path.join(packagesDir, 'phoenix_copy', 'releases');
  const releaseFiles = fs.existsSync(releasesDir) ? fs.readdirSync(releasesDir).filter((file) => file.endsWith('.json')) : [];

  describe.each(releaseFiles.map((file) => [file.slice(0, -'.json'.length)]))('phoenix_copy release %s', (version) => {
    it('completes the version from the release document', async () => {
      const { raw } = await load('phoenix_copy');
      const details = await adapter.versionDetails!.fetch('phoenix_copy', version, { http: recorded, conditional: null });
      if (details.kind !== 'ok') throw new Error(details.kind);
      const release = details.raw as ReleaseDoc;
      const merged = adapter.versionDetails!.attach(raw.versions[version], release);
      const [record] = adapter.normalize('phoenix_copy', { package: raw.package, versions: { [version]: merged } }).versions;
      expect(record!.detailsPending).toBeUndefined();
      expect(record!.checksums).toEqual([{ algorithm: 'sha256', value: release.checksum.toLowerCase() }]);
      expect(record!.dependencies.map((d) => [d.packageName, d.name, d.constraint, d.optional])).toEqual(
        Object.entries(release.requirements).map(([key, req]) => [key, req.app ?? key, req.requirement ?? '>= 0.0.0', req.optional === true]),
      );
      expect(record!.engines).toEqual(release.meta?.elixir ? { elixir: release.meta.elixir } : {});
      expect(record!.author?.name ?? null).toBe(release.publisher?.username ?? null);
      expect(record!.releaseDate).toBe(new Date(release.inserted_at).toISOString());
    });
  });

  const notFoundFiles = exists ? fs.readdirSync(packagesDir).filter((file) => file.endsWith('.404.json')) : [];
  it.each(notFoundFiles)('answers the recorded 404 (%s) with not-found', async (file) => {
    const fake = await startFakeRegistry('hex');
    try {
      const name = file.slice(0, -'.404.json'.length);
      fake.script(`/api/packages/${name}`, [{ status: 404, body: fs.readFileSync(path.join(packagesDir, file), 'utf8') }]);
      const http = new HttpUpstreamClient(loadConfig(testEnv('http://127.0.0.1:9', '/tmp/unused')), { logger: pino({ level: 'silent' }) });
      expect(await createHexAdapter({ baseUrl: fake.url }).fetch(name, { http, conditional: null })).toEqual({ kind: 'not-found' });
    } finally {
      await fake.close();
    }
  });
});
