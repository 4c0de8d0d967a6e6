import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { createPubAdapter } from '../src/ecosystems/pub/index.js';
import type { NormalizedPackage, RawDocument } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';

const sharedRoot = path.resolve(import.meta.dirname, '..', '..', 'shared', 'upstream-fixtures');
const listingRoot = path.join(sharedRoot, 'pub', 'pub.dev', 'api', 'packages');
const exists = fs.existsSync(listingRoot);
const BASE = 'https://pub.example';

interface Entry {
  version: string;
  pubspec: Record<string, unknown> & { description?: string; environment?: Record<string, string>; dependencies?: Record<string, unknown>; dev_dependencies?: Record<string, unknown> };
  archive_url: string;
  archive_sha256?: string;
  published: string;
  retracted?: boolean;
}

interface Listing {
  name: string;
  latest: Entry;
  versions: Entry[];
}

/** `api/packages/<name>.json` listings; the recordings have no options/score documents, so those answer 404. */
function listings(): Listing[] {
  return fs
    .readdirSync(listingRoot)
    .filter((file) => file.endsWith('.json') && !file.includes('.404.'))
    .map((file) => JSON.parse(fs.readFileSync(path.join(listingRoot, file), 'utf8')) as Listing);
}

function recordedClient(): UpstreamClient {
  return {
    async get(_upstream, url): Promise<GetResult> {
      const match = /^\/api\/packages\/([^/]+)$/.exec(new URL(url).pathname);
      const file = match ? path.join(listingRoot, `${match[1]}.json`) : null;
      if (file && fs.existsSync(file)) return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'application/json', validators: { etag: null, lastModified: null } };
      return { kind: 'not-found', status: 404 };
    },
  };
}

async function load(name: string): Promise<{ raw: RawDocument; normalized: NormalizedPackage }> {
  const adapter = createPubAdapter({ baseUrl: BASE });
  const result = await adapter.fetch(name, { http: recordedClient(), conditional: null });
  if (result.kind !== 'ok') throw new Error(`${name}: fetch gave ${result.kind}`);
  return { raw: result.raw, normalized: adapter.normalize(name, result.raw) };
}

/** What the adapter should make of one pubspec dependency value, read independently here. */
function expectedConstraint(spec: unknown): string {
  if (spec === null) return 'any';
  if (typeof spec === 'string') return spec;
  const source = spec as { sdk?: string; git?: string | { url: string; ref?: string }; version?: string };
  if (source.sdk) return `sdk: ${source.sdk}`;
  if (source.git) {
    if (typeof source.git === 'string') return `git: ${source.git}`;
    return `git: ${source.git.url}${source.git.ref ? ` (ref: ${source.git.ref})` : ''}`;
  }
  return source.version ?? 'any';
}

const all = exists ? listings() : [];

describe.skipIf(!exists)(`pub conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${listingRoot} not found)`}`, () => {
  it('finds the recorded listings', () => {
    expect(all.map((l) => l.name).sort()).toEqual(expect.arrayContaining(['bloc', 'path', 'protobuf', 'shared_preferences']));
  });

  for (const listing of all) {
    describe(listing.name, () => {
      it('stores the listing top level and one entry per version', async () => {
        const { raw } = await load(listing.name);
        expect(Object.keys(raw.versions)).toEqual(listing.versions.map((v) => v.version));
        for (const entry of listing.versions) expect(raw.versions[entry.version]).toEqual(entry);
        const { versions: _versions, ...rest } = listing;
        expect(raw.package).toEqual({ listing: rest, options: null, score: null });
      });

      it('normalizes every version field from its pubspec', async () => {
        const { normalized } = await load(listing.name);
        expect(normalized.versions).toHaveLength(listing.versions.length);
        for (const entry of listing.versions) {
          const record = normalized.versions.find((v) => v.version === entry.version)!;
          expect(record, entry.version).toBeDefined();
          expect(record.releaseDate).toBe(new Date(entry.published).toISOString());
          expect(record.prerelease).toBe((semver.prerelease(entry.version)?.length ?? 0) > 0);
          expect(record.status).toBe(entry.retracted ? 'RETRACTED' : 'ACTIVE');
          expect(record.artifactUrl).toBe(entry.archive_url);
          expect(record.checksums).toEqual(entry.archive_sha256 ? [{ algorithm: 'sha256', value: entry.archive_sha256 }] : []);
          expect(record.description).toBe(entry.pubspec.description?.trim() || null);
          expect(record.engines).toEqual(entry.pubspec.environment ?? {});
          const expected = [
            ...Object.entries(entry.pubspec.dependencies ?? {}).map(([name, spec]) => ['RUNTIME', name, expectedConstraint(spec)]),
            ...Object.entries(entry.pubspec.dev_dependencies ?? {}).map(([name, spec]) => ['DEVELOPMENT', name, expectedConstraint(spec)]),
          ];
          expect(record.dependencies.map((d) => [d.kind, d.name, d.constraint]), entry.version).toEqual(expected);
          for (const d of record.dependencies) expect(d.packageName).toBe(d.name);
          expect(record.license).toBeNull();
        }
      });

      it('orders versions newest first (semver with builds) and takes latest from the listing', async () => {
        const { normalized } = await load(listing.name);
        for (let i = 1; i < normalized.versions.length; i++) {
          const newer = normalized.versions[i - 1]!.version;
          const older = normalized.versions[i]!.version;
          expect(semver.compareBuild(newer, older), `${newer} > ${older}`).toBe(1);
        }
        expect(normalized.package.latestVersion).toBe(listing.latest.version);
        expect(normalized.package.distTags).toEqual({ latest: listing.latest.version });
        expect(normalized.package.description).toBe(listing.latest.pubspec.description?.trim() ?? null);
        expect(normalized.package.deprecated).toBe(false);
        expect(normalized.package.versionCount).toBe(listing.versions.length);
        const latest = semver.parse(listing.latest.version)!;
        const newerPrereleases = listing.versions.filter((v) => semver.prerelease(v.version) && !v.retracted && semver.compareBuild(v.version, latest) > 0).map((v) => v.version);
        expect(normalized.package.latestPrerelease).toBe(newerPrereleases.sort(semver.compareBuild).at(-1) ?? null);
      });
    });
  }

  it('shared_preferences: the retracted 0.1.2 is RETRACTED; flutter SDK dependencies are marked', async () => {
    const { normalized } = await load('shared_preferences');
    expect(normalized.versions.find((v) => v.version === '0.1.2')?.status).toBe('RETRACTED');
    const latest = normalized.versions[0]!;
    expect(latest.version).toBe('0.5.8');
    expect(latest.dependencies.find((d) => d.name === 'flutter')).toMatchObject({ kind: 'RUNTIME', constraint: 'sdk: flutter' });
    expect(latest.dependencies.find((d) => d.name === 'flutter_driver')).toMatchObject({ kind: 'DEVELOPMENT', constraint: 'sdk: flutter' });
    expect(latest.engines).toEqual({ sdk: '>=2.1.0 <3.0.0', flutter: '>=1.12.13+hotfix.5 <2.0.0' });
  });

  it('bloc: a git dev dependency keeps its url and ref; prereleases sort below their release', async () => {
    const { normalized } = await load('bloc');
    const nullsafety = normalized.versions.find((v) => v.version === '7.0.0-nullsafety.0')!;
    expect(nullsafety.dependencies.find((d) => d.name === 'rxdart')).toMatchObject({ kind: 'DEVELOPMENT', constraint: 'git: https://github.com/felangel/rxdart (ref: nnbd)' });
    const order = normalized.versions.map((v) => v.version);
    expect(order.indexOf('8.0.0')).toBeLessThan(order.indexOf('8.0.0-dev.5'));
    expect(normalized.package.repositoryUrl).toBe('https://github.com/felangel/bloc/tree/master/packages/bloc');
  });

  it('protobuf: builds (0.2.0+1) sort after their release; `authors` lists become maintainers', async () => {
    const { normalized } = await load('protobuf');
    const order = normalized.versions.map((v) => v.version);
    expect(order.indexOf('0.2.0+3')).toBeLessThan(order.indexOf('0.2.0+1'));
    expect(order.indexOf('0.2.0+1')).toBeLessThan(order.indexOf('0.2.0'));
    const withAuthors = normalized.versions.find((v) => v.maintainers.some((p) => p.email === 'misc@dartlang.org'));
    expect(withAuthors?.maintainers[0]).toEqual({ name: 'Dart Team', email: 'misc@dartlang.org', url: null });
  });
});
