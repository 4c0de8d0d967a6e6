import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPackagistAdapter } from '../src/ecosystems/packagist/index.js';
import type { NormalizedPackage, RawDocument } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { parseStability, phpVersionCompare } from '../src/versioning/composer.js';

const sharedRoot = path.resolve(import.meta.dirname, '..', '..', 'shared', 'upstream-fixtures');
const root = path.join(sharedRoot, 'packagist');
const p2Root = path.join(root, 'repo.packagist.org', 'p2');
const exists = fs.existsSync(p2Root);
const BASE = 'https://repo.packagist.example';

type Entry = Record<string, unknown> & { version: string; version_normalized?: string; time?: string };

interface Case {
  name: string;
  tagged: { minified?: string; packages: Record<string, Entry[]>; 'security-advisories'?: unknown[] };
  dev: { packages: Record<string, Entry[]> } | null;
}

/** `p2/<vendor>/<package>.json` files (tagged releases), with their `~dev.json` sibling when recorded. */
function cases(): Case[] {
  const out: Case[] = [];
  for (const vendor of fs.readdirSync(p2Root)) {
    for (const file of fs.readdirSync(path.join(p2Root, vendor))) {
      if (!file.endsWith('.json') || file.endsWith('~dev.json') || file.includes('.404.')) continue;
      const name = `${vendor}/${file.slice(0, -'.json'.length)}`;
      const devFile = path.join(p2Root, vendor, file.replace(/\.json$/, '~dev.json'));
      out.push({
        name,
        tagged: JSON.parse(fs.readFileSync(path.join(p2Root, vendor, file), 'utf8')) as Case['tagged'],
        dev: fs.existsSync(devFile) ? (JSON.parse(fs.readFileSync(devFile, 'utf8')) as Case['dev']) : null,
      });
    }
  }
  return out;
}

/** Serves the recorded files by request path; `.404.json` files answer 404. */
function recordedClient(): UpstreamClient {
  return {
    async get(_upstream, url): Promise<GetResult> {
      const relative = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '');
      const file = path.join(root, 'repo.packagist.org', relative);
      if (fs.existsSync(file)) return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'application/json', validators: { etag: null, lastModified: null } };
      return { kind: 'not-found', status: 404 };
    },
  };
}

/** An independent reading of the minified format (keys carried over, `__unset` deletes), to cross-check the adapter. */
function referenceExpand(entries: Entry[]): Entry[] {
  const out: Entry[] = [];
  let previous: Entry | null = null;
  for (const entry of entries) {
    const next: Entry = previous ? { ...previous } : ({} as Entry);
    for (const [key, value] of Object.entries(entry)) {
      if (previous && value === '__unset') delete next[key];
      else next[key] = value;
    }
    out.push(next);
    previous = next;
  }
  return out;
}

async function load(c: Case, devVersions: boolean): Promise<{ raw: RawDocument; normalized: NormalizedPackage }> {
  const adapter = createPackagistAdapter({ baseUrl: BASE, devVersions });
  const result = await adapter.fetch(c.name, { http: recordedClient(), conditional: null });
  if (result.kind !== 'ok') throw new Error(`${c.name}: fetch gave ${result.kind}`);
  return { raw: result.raw, normalized: adapter.normalize(c.name, result.raw) };
}

const all = exists ? cases() : [];

describe.skipIf(!exists)(`Packagist conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${p2Root} not found)`}`, () => {
  it('finds the recorded packages', () => {
    expect(all.map((c) => c.name).sort()).toEqual(expect.arrayContaining(['monolog/monolog', 'psr/log', 'drewm/mailchimp-api']));
  });

  for (const c of all) {
    describe(c.name, () => {
      const entries = c.tagged.packages[c.name]!;
      const expected = referenceExpand(entries);

      it('stores every entry expanded, keyed by version, with the top level (advisories) as the package part', async () => {
        const { raw } = await load(c, false);
        expect(Object.keys(raw.versions)).toEqual(expected.map((e) => e.version));
        for (const entry of expected) expect(raw.versions[entry.version], entry.version).toEqual(entry);
        const { packages: _packages, ...topLevel } = c.tagged;
        expect(raw.package).toEqual(topLevel);
        // Minified files: later entries really are partial, so the expansion did something.
        if (c.tagged.minified === 'composer/2.0' && entries.length > 1) expect(Object.keys(entries[1]!).length).toBeLessThan(Object.keys(expected[1]!).length);
      });

      it('normalizes every version from its expanded entry', async () => {
        const { normalized } = await load(c, false);
        expect(normalized.versions).toHaveLength(expected.length);
        for (const entry of expected) {
          const record = normalized.versions.find((v) => v.version === entry.version)!;
          expect(record, entry.version).toBeDefined();
          expect(record.releaseDate).toBe(new Date(entry.time!).toISOString());
          expect(record.prerelease).toBe(parseStability(entry.version) !== 'stable');
          const require = (entry.require ?? {}) as Record<string, string>;
          const requireDev = (entry['require-dev'] ?? {}) as Record<string, string>;
          expect(record.dependencies.filter((d) => d.kind === 'RUNTIME').map((d) => [d.name, d.constraint])).toEqual(Object.entries(require));
          expect(record.dependencies.filter((d) => d.kind === 'DEVELOPMENT').map((d) => [d.name, d.constraint])).toEqual(Object.entries(requireDev));
          const dist = entry.dist as { url: string; shasum: string } | undefined;
          expect(record.artifactUrl).toBe(dist?.url ?? null);
          expect(record.checksums).toEqual(dist?.shasum ? [{ algorithm: 'sha1', value: dist.shasum.toLowerCase() }] : []);
          expect(record.license?.spdx).toBe((entry.license as string[]).join(' OR '));
          const authors = (entry.authors ?? []) as Array<{ name?: string }>;
          expect(record.maintainers.map((p) => p.name)).toEqual(authors.map((a) => a.name ?? null));
          expect(record.status).toBe(entry.abandoned ? 'DEPRECATED' : 'ACTIVE');
          const source = entry.source as { url: string } | undefined;
          if (source?.url.startsWith('https://github.com/')) expect(record.links.repository).toBe(source.url.replace(/\.git$/, ''));
          expect(record.engines).toEqual(Object.fromEntries(Object.entries(require).filter(([name]) => name === 'php' || name.startsWith('ext-'))));
        }
      });

      it('orders versions newest first by version_normalized and picks the latest stable', async () => {
        const { normalized } = await load(c, false);
        const byVersion = new Map(expected.map((e) => [e.version, e.version_normalized!]));
        for (let i = 1; i < normalized.versions.length; i++) {
          const newer = byVersion.get(normalized.versions[i - 1]!.version)!;
          const older = byVersion.get(normalized.versions[i]!.version)!;
          expect(phpVersionCompare(newer, older), `${newer} >= ${older}`).toBeGreaterThanOrEqual(0);
        }
        const stable = expected.filter((e) => parseStability(e.version) === 'stable');
        const highest = stable.reduce((best, e) => (phpVersionCompare(e.version_normalized!, best.version_normalized!) > 0 ? e : best), stable[0]!);
        expect(normalized.package.latestVersion).toBe(highest.version);
        expect(normalized.package.versionCount).toBe(expected.length);
        expect(normalized.package.description).toBe(expected.find((e) => e.version === highest.version)!.description);
      });

      if (c.dev) {
        it('adds the ~dev branches when dev versions are on', async () => {
          const devExpected = referenceExpand(c.dev!.packages[c.name]!);
          const { raw, normalized } = await load(c, true);
          for (const entry of devExpected) expect(raw.versions[entry.version], entry.version).toEqual(entry);
          expect(normalized.versions).toHaveLength(expected.length + devExpected.length);
          expect(normalized.package.latestVersion).toBe((await load(c, false)).normalized.package.latestVersion);
          for (const entry of devExpected) expect(normalized.versions.find((v) => v.version === entry.version)?.prerelease).toBe(true);
        });
      }
    });
  }

  it('monolog: "__unset" removes inherited fields; advisories stay in the package part', async () => {
    const c = all.find((x) => x.name === 'monolog/monolog')!;
    const { raw, normalized } = await load(c, false);
    expect(raw.versions['2.0.2']).not.toHaveProperty('funding');
    expect(raw.versions['2.0.1']).not.toHaveProperty('funding');
    expect(raw.versions['1.0.2']).not.toHaveProperty('require-dev');
    expect(raw.versions['1.0.2']).not.toHaveProperty('suggest');
    expect(raw.versions['1.10.0']).not.toHaveProperty('provide');
    expect((raw.package as { 'security-advisories': unknown[] })['security-advisories']).toEqual([{ advisoryId: 'PKSA-dmw8-jd8k-q3c6', affectedVersions: '>=1.8.0,<1.12.0' }]);
    expect(normalized.package.latestVersion).toBe('3.2.0');
    expect(normalized.package.latestPrerelease).toBeNull();
    expect(normalized.versions.find((v) => v.version === '3.0.0-RC1')?.prerelease).toBe(true);
    expect(normalized.versions.find((v) => v.version === '2.0.0-beta2')?.prerelease).toBe(true);
    const latest = normalized.versions[0]!;
    expect(latest.dependencies.find((d) => d.name === 'ext-json')).toMatchObject({ kind: 'DEVELOPMENT', constraint: '*' });
    expect(latest.dependencies.map((d) => d.name)).not.toContain('ext-curl');
  });

  it('psr/log: the expanded p2 entries equal the full (non-minified) package API of packagist.org', async () => {
    const apiFile = path.join(root, 'packagist.org', 'packages', 'psr', 'log.json');
    if (!fs.existsSync(apiFile)) return;
    const api = JSON.parse(fs.readFileSync(apiFile, 'utf8')) as { package: { versions: Record<string, unknown> } };
    const { raw } = await load(all.find((x) => x.name === 'psr/log')!, false);
    for (const [version, entry] of Object.entries(raw.versions)) expect(entry, version).toEqual(api.package.versions[version]);
  });

  it('drewm/mailchimp-api: v-prefixed versions sort by version_normalized', async () => {
    const { normalized } = await load(all.find((x) => x.name === 'drewm/mailchimp-api')!, false);
    expect(normalized.package.latestVersion).toBe('v2.5.4');
    expect(normalized.versions.slice(0, 5).map((v) => v.version)).toEqual(['v2.5.4', 'v2.5.3', 'v2.5.2', 'v2.5.1', 'v2.5']);
    expect(normalized.versions.at(-1)?.version).toBe('v1.0');
  });

  it('answers the recorded 404 with not-found', async () => {
    const adapter = createPackagistAdapter({ baseUrl: BASE });
    const notFound: UpstreamClient = {
      async get(): Promise<GetResult> {
        return { kind: 'not-found', status: 404 };
      },
    };
    expect(fs.existsSync(path.join(p2Root, 'wpackagist-plugin', 'acf-to-rest-api.404.json'))).toBe(true);
    expect(await adapter.fetch('wpackagist-plugin/acf-to-rest-api', { http: notFound, conditional: null })).toEqual({ kind: 'not-found' });
  });
});
