import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { cargoIndexPath, createCargoAdapter } from '../src/ecosystems/cargo/index.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { cargoVersioning } from '../src/versioning/cargo.js';

/*
 * Replays ../shared/upstream-fixtures/crates (real crates.io answers) through fetch + normalize and checks every
 * crate field by field against the raw data. The corpus never pairs an index file with its API answer, so the
 * index crates (libc, amethyst, cfg-if) run index-first and the API crates (bitflags, es-entity,
 * parameters_lib) run the API-only path. libc's only API recording is the `?include=` answer: it is served for
 * libc's API request, which exercises the `versions: null` shape on real data.
 */
const sharedRoot = path.resolve(import.meta.dirname, '..', '..', 'shared', 'upstream-fixtures');
const root = path.join(sharedRoot, 'crates');
const exists = fs.existsSync(root);

const API = 'https://crates.io';
const INDEX = 'https://index.crates.io';
const adapter = createCargoAdapter({ baseUrl: API, indexUrl: INDEX });

interface IndexLine {
  name: string;
  vers: string;
  cksum: string;
  yanked: boolean;
  deps: Array<{ name: string; req: string; kind?: string | null; optional?: boolean; package?: string | null; target?: string | null; features?: string[]; default_features?: boolean }>;
}
interface ApiVersion {
  num: string;
  yanked: boolean;
  license?: unknown;
  created_at: string;
  checksum?: string;
  crate_size?: number;
  rust_version?: unknown;
}
interface ApiAnswer {
  crate: { name: string; description?: unknown; homepage?: unknown; documentation?: unknown; repository?: unknown; default_version?: string; max_stable_version?: string | null; keywords?: string[] | null };
  versions: ApiVersion[] | null;
}

function fileFor(url: string): string | null {
  const parsed = new URL(url);
  if (url.startsWith(INDEX)) return path.join(root, 'index.crates.io', parsed.pathname);
  const apiPath = decodeURIComponent(parsed.pathname);
  const full = path.join(root, 'crates.io', `${apiPath}.json`);
  if (fs.existsSync(full)) return full;
  const minimal = path.join(root, 'crates.io', `${apiPath}@include=.json`);
  return fs.existsSync(minimal) ? minimal : null;
}

const client: UpstreamClient = {
  async get(_upstream, url): Promise<GetResult> {
    const file = fileFor(url);
    if (!file || !fs.existsSync(file)) return { kind: 'not-found', status: 404 };
    return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: null, validators: { etag: null, lastModified: null } };
  },
};

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

const indexCrates = walk(path.join(root, 'index.crates.io')).map((file) => path.basename(file));
const apiCrates = exists
  ? fs
      .readdirSync(path.join(root, 'crates.io', 'api', 'v1', 'crates'))
      .filter((file) => file.endsWith('.json') && !file.includes('.404') && !file.includes('@'))
      .map((file) => file.replace(/\.json$/, ''))
  : [];

function indexLines(name: string): IndexLine[] {
  return fs
    .readFileSync(path.join(root, 'index.crates.io', cargoIndexPath(name)), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as IndexLine);
}

function apiAnswer(name: string): ApiAnswer | null {
  const file = fileFor(`${API}/api/v1/crates/${name}`);
  return file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ApiAnswer) : null;
}

async function load(name: string): Promise<{ raw: RawDocument; result: NormalizedPackage }> {
  const fetched = await adapter.fetch(name, { http: client, conditional: null });
  if (fetched.kind !== 'ok') throw new Error(`${name}: fetch gave ${fetched.kind}`);
  return { raw: fetched.raw, result: adapter.normalize(name, fetched.raw) };
}

function byVersion(result: NormalizedPackage): Map<string, VersionRecord> {
  return new Map(result.versions.map((record) => [record.version, record]));
}

/** An independent oracle for the expected latest: npm's semver reads these plain SemVer versions the same way. */
function highestStable(versions: Array<{ version: string; yanked: boolean }>): string | null {
  const stable = versions.filter((v) => !v.yanked && semver.valid(v.version) && !semver.prerelease(v.version)).map((v) => v.version);
  return stable.sort(semver.compareBuild).at(-1) ?? null;
}

function expectNewestFirst(result: NormalizedPackage): void {
  for (let i = 1; i < result.versions.length; i++) {
    expect(cargoVersioning.compare(result.versions[i - 1]!.version, result.versions[i]!.version)).toBeGreaterThan(0);
  }
}

const KIND: Record<string, string> = { normal: 'RUNTIME', dev: 'DEVELOPMENT', build: 'BUILD' };
const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

describe.skipIf(!exists)(`cargo conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${root} not found)`}`, () => {
  it('finds the corpus', () => {
    expect(indexCrates.sort()).toEqual(['amethyst', 'cfg-if', 'libc']);
    expect(apiCrates.sort()).toEqual(['bitflags', 'es-entity', 'parameters_lib']);
  });

  describe.each(indexCrates)('index crate %s', (name) => {
    it('has every index line as a version, newest first, with status, checksum and dependencies from its line', async () => {
      const lines = indexLines(name);
      const { result, raw } = await load(name);
      const records = byVersion(result);
      expect(result.package.versionCount).toBe(lines.length);
      expect([...records.keys()].sort()).toEqual(lines.map((line) => line.vers).sort());
      expectNewestFirst(result);
      for (const line of lines) {
        const record = records.get(line.vers)!;
        expect(raw.versions[line.vers]).toMatchObject({ index: { vers: line.vers } });
        expect(record.status, line.vers).toBe(line.yanked ? 'YANKED' : 'ACTIVE');
        expect(record.prerelease).toBe(semver.prerelease(line.vers) !== null);
        expect(record.checksums).toEqual([{ algorithm: 'sha256', value: line.cksum.toLowerCase() }]);
        expect(record.artifactUrl).toBe(`https://static.crates.io/crates/${line.name}/${line.vers}/download`);
        expect(record.detailsPending).toBeUndefined();
        expect(record.dependencies).toEqual(
          line.deps.map((dep) => ({
            name: dep.name,
            packageName: dep.package ?? dep.name,
            constraint: dep.req,
            kind: KIND[dep.kind ?? 'normal'],
            optional: dep.optional === true,
            bundled: false,
            target: dep.target ?? null,
            features: dep.features ?? [],
            defaultFeatures: dep.default_features !== false,
          })),
        );
      }
      const expectedLatest = highestStable(lines.map((line) => ({ version: line.vers, yanked: line.yanked })));
      expect(result.package.latestVersion).toBe(expectedLatest);
    });

    it('takes the crate metadata from the API answer when there is one', async () => {
      const api = apiAnswer(name);
      const { result } = await load(name);
      if (!api) {
        expect(result.package).toMatchObject({ description: null, homepage: null, repositoryUrl: null, keywords: [] });
        return;
      }
      expect(result.package.description).toBe(text(api.crate.description));
      expect(result.package.homepage).toBe(text(api.crate.homepage));
      expect(result.package.repositoryUrl).toBe(text(api.crate.repository));
      // `?include=` answers carry no versions: no per-version license or date then.
      if (api.versions === null) for (const record of result.versions) expect(record.license).toBeNull();
    });
  });

  it('cfg-if keeps the rename of rustc-std-workspace-core', async () => {
    const { result } = await load('cfg-if');
    const deps = byVersion(result).get('1.0.0')!.dependencies;
    expect(deps).toContainEqual(expect.objectContaining({ name: 'core', packageName: 'rustc-std-workspace-core', constraint: '^1.0.0', kind: 'RUNTIME', optional: true, bundled: false }));
  });

  it('amethyst has target-specific, build and dev dependencies', async () => {
    const lines = indexLines('amethyst');
    const { result } = await load('amethyst');
    const targeted = lines.flatMap((line) => line.deps.filter((dep) => dep.target).map((dep) => [line.vers, dep.name] as const));
    expect(targeted.length).toBeGreaterThan(0);
    for (const [vers, dep] of targeted) expect(byVersion(result).get(vers)!.dependencies.map((d) => d.name)).toContain(dep);
    const kinds = new Set(result.versions.flatMap((v) => v.dependencies.map((d) => d.kind)));
    expect(kinds).toEqual(new Set(['RUNTIME', 'BUILD', 'DEVELOPMENT']));
  });

  describe.each(apiCrates)('API-only crate %s', (name) => {
    it('has every API version with license, date, yank state, checksum and size from the API', async () => {
      const api = apiAnswer(name)!;
      const { result } = await load(name);
      const records = byVersion(result);
      expect(result.package.name).toBe(name);
      expect([...records.keys()].sort()).toEqual(api.versions!.map((v) => v.num).sort());
      expectNewestFirst(result);
      for (const v of api.versions!) {
        const record = records.get(v.num)!;
        expect(record.status, v.num).toBe(v.yanked ? 'YANKED' : 'ACTIVE');
        expect(record.releaseDate).toBe(new Date(v.created_at).toISOString());
        const declared = text(v.license);
        expect(record.license?.name ?? null).toBe(declared);
        if (declared) expect(record.license?.spdx).toBe(declared.split('/').join(' OR '));
        expect(record.checksums).toEqual(typeof v.checksum === 'string' ? [{ algorithm: 'sha256', value: v.checksum }] : []);
        expect(record.sizeBytes).toBe(typeof v.crate_size === 'number' ? v.crate_size : null);
        expect(record.engines).toEqual(text(v.rust_version) ? { rust: text(v.rust_version) } : {});
        expect(record.detailsPending).toBe(true);
        expect(record.dependencies).toEqual([]);
      }
      const expected = highestStable(api.versions!.map((v) => ({ version: v.num, yanked: v.yanked })));
      expect(result.package.latestVersion).toBe(expected);
      expect(result.package.description).toBe(text(api.crate.description));
      expect(result.package.homepage).toBe(text(api.crate.homepage));
      expect(result.package.keywords).toEqual(api.crate.keywords ?? []);
    });
  });

  it('es-entity: `{}` where crates.io sends null degrades to null, per-version fields are read', async () => {
    const { result } = await load('es-entity');
    const latest = byVersion(result).get('0.3.23')!;
    expect(latest.links.homepage).toBeNull();
    expect(latest.links.documentation).toBeNull();
    expect(latest.links.repository).toBe('https://github.com/GaloyMoney/cala');
    expect(latest.engines).toEqual({});
    expect(latest.maintainers).toEqual([{ name: 'Justin Carter', email: null, url: 'https://github.com/bodymindarts' }]);
  });

  it('parameters_lib 0.1.0 completes its dependencies from the recorded dependencies answer', async () => {
    const { raw } = await load('parameters_lib');
    const details = await adapter.versionDetails!.fetch('parameters_lib', '0.1.0', { http: client, conditional: null });
    expect(details.kind).toBe('ok');
    const merged = adapter.versionDetails!.attach(raw.versions['0.1.0'], details.kind === 'ok' ? details.raw : null);
    const record = adapter.normalize('parameters_lib', { package: raw.package, versions: { '0.1.0': merged } }).versions[0]!;
    expect(record.detailsPending).toBeUndefined();
    expect(record.dependencies).toEqual([{ name: 'regex', packageName: 'regex', constraint: '^1.5.0', kind: 'RUNTIME', optional: false, bundled: false }]);
  });

  it('bitflags marks its yanked versions and reads the old `/` license form', async () => {
    const { result } = await load('bitflags');
    expect(result.versions.filter((v) => v.status === 'YANKED').map((v) => v.version)).toEqual(['0.7.1', '0.3.4', '0.2.0']);
    expect(result.versions[0]?.license).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT/Apache-2.0', source: 'Cargo.toml#license' });
  });

  it('the recorded 404 crate is not-found', async () => {
    expect(await adapter.fetch('nonexistent', { http: client, conditional: null })).toEqual({ kind: 'not-found' });
  });
});
