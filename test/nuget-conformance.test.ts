import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNuGetAdapter } from '../src/ecosystems/nuget/index.js';
import type { NormalizedPackage } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { normalizeNuGetVersion, nugetVersioning } from '../src/versioning/nuget.js';

const sharedRoot = path.resolve(import.meta.dirname, '..', '..', 'shared', 'upstream-fixtures');
const nugetRoot = path.join(sharedRoot, 'nuget', 'api.nuget.org');
const exists = fs.existsSync(path.join(nugetRoot, 'v3', 'index.json'));
const ORIGIN = 'https://api.nuget.org';
const HIVES = ['registration5-gz-semver2', 'registration5-gz-semver1', 'registration5-semver1'];

interface Leaf {
  packageContent?: string;
  catalogEntry: {
    id: string;
    version: string;
    listed?: boolean;
    published?: string;
    licenseExpression?: string;
    licenseUrl?: string;
    tags?: string[] | string;
    deprecation?: { reasons?: string[]; message?: string };
    dependencyGroups?: Array<{ dependencies?: Array<{ id: string; range?: string }> }>;
  };
}
interface Page {
  '@id': string;
  count?: number;
  lower?: string;
  upper?: string;
  items?: Leaf[];
}

/** Registration indexes recorded per package id (whatever hive they were recorded from). */
function registrations(): Array<{ id: string; file: string }> {
  const out: Array<{ id: string; file: string }> = [];
  for (const hive of HIVES) {
    const dir = path.join(nugetRoot, 'v3', hive);
    if (!fs.existsSync(dir)) continue;
    for (const id of fs.readdirSync(dir)) {
      const file = path.join(dir, id, 'index.json');
      if (fs.existsSync(file) && !out.some((entry) => entry.id === id)) out.push({ id, file });
    }
  }
  return out;
}

/** Serves the recorded files by URL path; a registration index is found in whichever hive it was recorded from. */
const recorded: UpstreamClient = {
  async get(_upstream, url): Promise<GetResult> {
    const { pathname } = new URL(url);
    let file = path.join(nugetRoot, pathname);
    const registration = /^\/v3\/[^/]+\/([^/]+)\/index\.json$/.exec(pathname);
    if (!fs.existsSync(file) && registration) file = registrations().find((entry) => entry.id === registration[1])?.file ?? file;
    if (!url.startsWith(ORIGIN) || !fs.existsSync(file)) return { kind: 'not-found', status: 404 };
    return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'application/json', validators: { etag: null, lastModified: null } };
  },
};

const adapter = createNuGetAdapter({ baseUrl: `${ORIGIN}/v3` });
const cases = exists ? registrations() : [];

function leavesOf(file: string): { pages: Page[]; leaves: Leaf[] } {
  const index = JSON.parse(fs.readFileSync(file, 'utf8')) as { items: Page[] };
  const pages = index.items.map((page) => (page.items ? page : (JSON.parse(fs.readFileSync(path.join(nugetRoot, new URL(page['@id']).pathname), 'utf8')) as Page)));
  return { pages, leaves: pages.flatMap((page) => page.items ?? []) };
}

const loaded = new Map<string, Promise<NormalizedPackage>>();
function load(id: string): Promise<NormalizedPackage> {
  let result = loaded.get(id);
  if (!result) {
    result = adapter.fetch(id, { http: recorded, conditional: null }).then((fetched) => {
      if (fetched.kind !== 'ok') throw new Error(`${id}: ${fetched.kind}`);
      return adapter.normalize(id, fetched.raw);
    });
    loaded.set(id, result);
  }
  return result;
}

const isUnlisted = (leaf: Leaf) => leaf.catalogEntry.listed === false || (leaf.catalogEntry.published ?? '').startsWith('1900-');

describe.skipIf(!exists)(`NuGet conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${nugetRoot} not found)`}`, () => {
  it('finds the registrations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    it('keeps every leaf under its normalized version with its status, date and URLs', async () => {
      const result = await load(id);
      const { leaves } = leavesOf(c.file);
      const keys = new Set(leaves.map((leaf) => normalizeNuGetVersion(leaf.catalogEntry.version)));
      expect(result.package.name).toBe(id);
      expect(result.versions.length).toBe(keys.size);
      expect(result.package.versionCount).toBe(keys.size);
      for (let i = 1; i < result.versions.length; i++) expect(nugetVersioning.compare(result.versions[i - 1]!.version, result.versions[i]!.version)).toBeGreaterThan(0);
      for (const leaf of leaves) {
        const entry = leaf.catalogEntry;
        expect(entry.id.toLowerCase()).toBe(id);
        const version = normalizeNuGetVersion(entry.version);
        expect(version, entry.version).not.toBeNull();
        expect(version).not.toContain('+');
        const record = result.versions.find((v) => v.version === version)!;
        expect(record, entry.version).toBeDefined();
        expect(record.prerelease).toBe(version!.includes('-'));
        expect(record.status).toBe(isUnlisted(leaf) ? 'UNLISTED' : entry.deprecation ? 'DEPRECATED' : 'ACTIVE');
        expect(record.deprecatedMessage !== null).toBe(entry.deprecation !== undefined);
        if (entry.deprecation?.reasons?.length) expect(record.deprecatedMessage).toContain(entry.deprecation.reasons.join(', '));
        expect(record.releaseDate).toBe(isUnlisted(leaf) || !entry.published ? null : new Date(entry.published).toISOString());
        expect(record.artifactUrl).toBe(leaf.packageContent);
        const dependencies = (entry.dependencyGroups ?? []).flatMap((group) => group.dependencies ?? []);
        expect(record.dependencies.map((d) => [d.packageName, d.constraint])).toEqual(dependencies.map((d) => [d.id, d.range?.trim() || '(, )']));
        const tags = (Array.isArray(entry.tags) ? entry.tags : (entry.tags ?? '').split(/\s+/)).map((t) => t.trim()).filter(Boolean);
        expect(record.keywords).toEqual([...new Set(tags)]);
        if (entry.licenseExpression) {
          expect(record.license).toMatchObject({ name: entry.licenseExpression, source: 'catalogEntry.licenseExpression' });
          expect(record.license?.spdx).not.toBeNull();
        } else if (entry.licenseUrl) {
          expect(record.license?.source).toBe('catalogEntry.licenseUrl');
        } else {
          expect(record.license).toBeNull();
        }
        for (const url of Object.values(record.links)) if (url !== null) expect(url).toMatch(/^https?:\/\//);
      }
    });

    it('picks the latest listed stable version and page bounds match the keys', async () => {
      const result = await load(id);
      const { pages, leaves } = leavesOf(c.file);
      const listedStable = leaves.filter((leaf) => !isUnlisted(leaf)).map((leaf) => normalizeNuGetVersion(leaf.catalogEntry.version)!).filter((v) => !v.includes('-'));
      const allStable = leaves.map((leaf) => normalizeNuGetVersion(leaf.catalogEntry.version)!).filter((v) => !v.includes('-'));
      const expected = (listedStable.length ? listedStable : allStable).sort(nugetVersioning.compare).at(-1) ?? null;
      expect(result.package.latestVersion).toBe(expected);
      const versions = new Set(result.versions.map((v) => v.version));
      // Page bounds are normalized versions without build metadata (the proxykit quirk: leaf `2.3.4+build.119`, upper `2.3.4`).
      for (const page of pages) {
        if (page.count !== page.items?.length) continue; // trimmed recordings
        if (page.upper) expect(versions.has(normalizeNuGetVersion(page.upper)!), page.upper).toBe(true);
        if (page.lower) expect(versions.has(normalizeNuGetVersion(page.lower)!), page.lower).toBe(true);
      }
    });
  });
});
