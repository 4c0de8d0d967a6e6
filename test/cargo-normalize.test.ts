import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cargoDownloadUrl,
  cargoFeatures,
  cargoIndexPath,
  cargoLicense,
  createCargoAdapter,
  normalizeCargoCrate,
  normalizeCargoName,
} from '../src/ecosystems/cargo/index.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import type { GetResult, UpstreamClient, UpstreamName } from '../src/http/client.js';
import { cargoVersioning } from '../src/versioning/cargo.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'cargo');
const API = 'https://crates.test';
const INDEX = 'https://index.crates.test';
const adapter = createCargoAdapter({ baseUrl: API, indexUrl: INDEX });

/** Serves test/fixtures/cargo: the API under `/api/...`, the index under `/index/...` (query strings ignored). */
function fixtureClient(overrides: Record<string, string | object> = {}): UpstreamClient & { calls: Array<{ upstream: UpstreamName; url: string }> } {
  const calls: Array<{ upstream: UpstreamName; url: string }> = [];
  return {
    calls,
    async get(upstream, url): Promise<GetResult> {
      calls.push({ upstream, url });
      const { pathname } = new URL(url);
      const relative = url.startsWith(INDEX) ? `index${pathname}` : pathname.slice(1);
      const override = overrides[relative];
      if (override !== undefined) {
        return { kind: 'ok', status: 200, body: Buffer.from(typeof override === 'string' ? override : JSON.stringify(override)), contentType: null, validators: { etag: null, lastModified: null } };
      }
      const file = path.join(FIXTURES, relative);
      if (!fs.existsSync(file)) return { kind: 'not-found', status: 404 };
      return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: null, validators: { etag: '"v1"', lastModified: null } };
    },
  };
}

async function rawOf(name: string, overrides: Record<string, string | object> = {}): Promise<RawDocument> {
  const result = await adapter.fetch(name, { http: fixtureClient(overrides), conditional: null });
  if (result.kind !== 'ok') throw new Error(`fetch gave ${result.kind}`);
  return result.raw;
}

async function normalized(name: string, overrides: Record<string, string | object> = {}): Promise<NormalizedPackage> {
  const key = adapter.normalizeName(name);
  return adapter.normalize(key, await rawOf(name, overrides));
}

function version(result: NormalizedPackage, v: string): VersionRecord {
  const record = result.versions.find((entry) => entry.version === v);
  if (!record) throw new Error(`no version ${v}`);
  return record;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('cargo versioning', () => {
  it('orders by SemVer precedence: prereleases below the release, numeric identifiers numerically', () => {
    const sorted = ['1.0.0', '1.0.0-rc.1', '0.10.0', '1.0.0-alpha.10', '0.9.0', '1.0.0-alpha.2', '1.0.0-alpha', '1.0.0-alpha.beta'].sort(cargoVersioning.compare);
    expect(sorted).toEqual(['0.9.0', '0.10.0', '1.0.0-alpha', '1.0.0-alpha.2', '1.0.0-alpha.10', '1.0.0-alpha.beta', '1.0.0-rc.1', '1.0.0']);
  });

  it('breaks precedence ties by build metadata (a total order, as the Rust semver crate does)', () => {
    expect(cargoVersioning.compare('1.0.0+b', '1.0.0+a')).toBeGreaterThan(0);
    expect(cargoVersioning.compare('1.0.0', '1.0.0+a')).toBeLessThan(0);
    expect(cargoVersioning.compare('1.0.0', '1.0.0')).toBe(0);
  });

  it('accepts only strict SemVer (what Cargo and crates.io accept) and u64 numbers', () => {
    for (const valid of ['0.0.0', '1.2.3-beta.1+sha.5114f85', '18446744073709551615.0.0', '1.0.0-0a']) expect(cargoVersioning.isValid(valid), valid).toBe(true);
    for (const bad of ['v1.0.0', '1.0', '01.0.0', '1.0.0-01', '1.0.0-', '18446744073709551616.0.0', ' 1.0.0', '1.0.0.0']) expect(cargoVersioning.isValid(bad), bad).toBe(false);
    expect(cargoVersioning.compare('18446744073709551615.0.0', '9007199254740993.0.0')).toBeGreaterThan(0);
  });

  it('calls a version with a pre-release part a prerelease, build metadata alone not', () => {
    expect(cargoVersioning.isPrerelease('1.0.0-rc.1')).toBe(true);
    expect(cargoVersioning.isPrerelease('1.0.0+build.7')).toBe(false);
    expect(cargoVersioning.isPrerelease('not-a-version')).toBe(false);
  });

  it('sorts unparseable versions before parseable ones', () => {
    expect(['1.0.0', 'zzz', '0.1.0'].sort(cargoVersioning.compare)).toEqual(['zzz', '0.1.0', '1.0.0']);
  });
});

describe('cargo names', () => {
  it('lower-cases (crates.io is case-insensitive) and keeps - and _ as given', () => {
    expect(normalizeCargoName('Serde_JSON')).toBe('serde_json');
    expect(normalizeCargoName('proc-macro2')).toBe('proc-macro2');
    expect(normalizeCargoName('  Tidy-Widget ')).toBe('tidy-widget');
    expect(normalizeCargoName('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it('rejects names crates.io cannot have, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['   ', /empty/],
      ['1password', /start with an ASCII letter/],
      ['_private', /start with an ASCII letter/],
      ['-dash', /start with an ASCII letter/],
      ['has space', /only contain/],
      ['../etc/passwd', /only contain/],
      ['serde/derive', /only contain/],
      ['café', /only contain/],
      ['name.with.dots', /only contain/],
      ['a'.repeat(65), /at most 64/],
    ];
    for (const [name, reason] of cases) {
      const error = catchError(() => normalizeCargoName(name));
      expect(error, name).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).message, name).toMatch(reason);
      expect((error as InvalidInputError).field).toBe('name');
    }
  });

  it('puts index files under Cargo prefixes of the lower-cased name', () => {
    expect(cargoIndexPath('a')).toBe('1/a');
    expect(cargoIndexPath('ab')).toBe('2/ab');
    expect(cargoIndexPath('xyz')).toBe('3/x/xyz');
    expect(cargoIndexPath('cfg-if')).toBe('cf/g-/cfg-if');
    expect(cargoIndexPath('Inflector')).toBe('in/fl/inflector');
  });

  it('has no purl namespace', () => {
    expect(adapter.toPurlParts('serde')).toEqual({ namespace: null, name: 'serde' });
    expect(adapter.fromPurlParts(null, 'serde')).toBe('serde');
    expect(adapter.purlType).toBe('cargo');
  });
});

describe('cargo helpers', () => {
  it('builds download URLs the way Cargo reads the index config `dl`', () => {
    expect(cargoDownloadUrl('https://static.crates.io/crates', 'Inflector', '0.11.4', null)).toBe('https://static.crates.io/crates/Inflector/0.11.4/download');
    expect(cargoDownloadUrl('https://static.crates.io/crates/', 'a', '1.0.0+build.1', null)).toBe('https://static.crates.io/crates/a/1.0.0%2Bbuild.1/download');
    expect(cargoDownloadUrl('https://dl.test/{lowerprefix}/{crate}/{crate}-{version}.crate?sum={sha256-checksum}', 'Serde', '1.0.0', 'ab')).toBe(
      'https://dl.test/se/rd/Serde/Serde-1.0.0.crate?sum=ab',
    );
    expect(cargoDownloadUrl('https://dl.test/{prefix}/{crate}', 'Serde', '1.0.0', null)).toBe('https://dl.test/Se/rd/Serde');
    expect(cargoDownloadUrl('https://dl.test/{sha256-checksum}', 'serde', '1.0.0', null)).toBeNull();
  });

  it('reads the old `/` license separator as OR and keeps the declared text', () => {
    expect(cargoLicense('MIT/Apache-2.0')).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT/Apache-2.0', source: 'Cargo.toml#license' });
    expect(cargoLicense('MIT OR Apache-2.0')).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'Cargo.toml#license' });
    expect(cargoLicense('Apache-2.0 WITH LLVM-exception')?.spdx).toBe('Apache-2.0 WITH LLVM-exception');
    // A legacy `/` run next to another operator stays one choice (AND binds tighter than OR).
    expect(cargoLicense('MIT/Apache-2.0 AND BSD-2-Clause')?.spdx).toBe('(MIT OR Apache-2.0) AND BSD-2-Clause');
    expect(cargoLicense('Unlicense / MIT')?.spdx).toBe('Unlicense OR MIT');
    expect(cargoLicense(' ')).toBeNull();
    expect(cargoLicense({})).toBeNull();
  });

  it('merges the v2 features2 map into features', () => {
    expect(cargoFeatures({ features: { default: ['std'], std: [] }, features2: { serde: ['dep:serde'] } })).toEqual({ default: ['std'], std: [], serde: ['dep:serde'] });
    expect(cargoFeatures({ features: undefined, features2: null })).toEqual({});
    // A name in both maps keeps both value lists (Cargo extends, it does not replace).
    expect(cargoFeatures({ features: { full: ['std'] }, features2: { full: ['dep:serde'] } })).toEqual({ full: ['std', 'dep:serde'] });
  });
});

describe('cargo normalize: index + API', () => {
  it('lists the index versions newest first by SemVer, ignoring API versions the index does not have yet', async () => {
    const result = await normalized('tidy-widget');
    expect(result.versions.map((v) => v.version)).toEqual(['1.1.0-rc.1', '1.0.0', '1.0.0-beta.1', '0.2.0', '0.1.0']);
    expect(result.package.versionCount).toBe(5);
  });

  it('takes latest from default_version and the highest newer prerelease', async () => {
    const { package: pkg } = await normalized('tidy-widget');
    expect(pkg.latestVersion).toBe('1.0.0');
    expect(pkg.latestPrerelease).toBe('1.1.0-rc.1');
    expect(pkg.distTags).toEqual({});
    expect(pkg.deprecated).toBe(false);
    expect(pkg.downloads).toBe(123456);
  });

  it('maps dependency kinds, optional flags and renames', async () => {
    const deps = version(await normalized('tidy-widget'), '1.0.0').dependencies;
    expect(deps).toMatchObject([
      { name: 'serde', packageName: 'serde', constraint: '^1.0.100', kind: 'RUNTIME', optional: true, bundled: false, target: null, features: ['derive'], defaultFeatures: false },
      { name: 'widget_core', packageName: 'widget-core-impl', constraint: '=0.4.2', kind: 'RUNTIME', optional: false, bundled: false, target: null, features: [], defaultFeatures: true },
      { name: 'winapi', packageName: 'winapi', constraint: '^0.3', kind: 'RUNTIME', optional: false, bundled: false, target: 'cfg(windows)', features: ['winuser'], defaultFeatures: true },
      { name: 'cc', packageName: 'cc', constraint: '^1.0', kind: 'BUILD', optional: false, bundled: false, target: null, features: [], defaultFeatures: true },
      { name: 'proptest', packageName: 'proptest', constraint: '^1', kind: 'DEVELOPMENT', optional: false, bundled: false },
    ]);
  });

  it('reads a dependency without `kind` (old index entries) as normal', async () => {
    expect(version(await normalized('tidy-widget'), '0.1.0').dependencies).toMatchObject([
      { name: 'libc', packageName: 'libc', constraint: '^0.2', kind: 'RUNTIME', optional: false, bundled: false, defaultFeatures: true },
    ]);
  });

  it('marks yanked versions, with the yank message', async () => {
    const result = await normalized('tidy-widget');
    const yanked = version(result, '0.2.0');
    expect(yanked.status).toBe('YANKED');
    expect(yanked.deprecatedMessage).toBe('use 1.0: 0.2.0 corrupts widgets');
    expect(version(result, '0.1.0').status).toBe('ACTIVE');
    expect(version(result, '0.1.0').deprecatedMessage).toBeNull();
  });

  it('takes checksums from the index cksum (lower-case hex), rust_version as engines.rust', async () => {
    const v = version(await normalized('tidy-widget'), '1.0.0');
    const raw = fs.readFileSync(path.join(FIXTURES, 'index/ti/dy/tidy-widget'), 'utf8').split('\n')[3]!;
    const cksum = (JSON.parse(raw) as { cksum: string }).cksum;
    expect(cksum).toMatch(/[A-F]/);
    expect(v.checksums).toEqual([{ algorithm: 'sha256', value: cksum.toLowerCase() }]);
    expect(v.engines).toEqual({ rust: '1.70' });
    expect(version(await normalized('tidy-widget'), '0.1.0').engines).toEqual({});
  });

  it('dates versions by the index pubtime, else the API created_at (ISO, Z)', async () => {
    const result = await normalized('tidy-widget');
    expect(version(result, '1.0.0').releaseDate).toBe('2025-03-04T05:06:07.000Z');
    expect(version(result, '0.2.0').releaseDate).toBe('2017-02-03T04:05:06.789Z');
    expect(version(result, '1.0.0-beta.1').releaseDate).toBe('2024-12-24T00:00:00.000Z');
  });

  it('takes each version its license from the API (old `/` form included)', async () => {
    const result = await normalized('tidy-widget');
    expect(version(result, '1.0.0').license).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'Cargo.toml#license' });
    expect(version(result, '0.1.0').license).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT/Apache-2.0', source: 'Cargo.toml#license' });
    expect(version(result, '1.1.0-rc.1').license?.spdx).toBe('MIT');
    expect(result.package.license?.spdx).toBe('MIT OR Apache-2.0');
  });

  it('reads size, publisher, per-version description and links, falling back to the crate for `{}`/missing ones', async () => {
    const result = await normalized('tidy-widget');
    const v = version(result, '1.0.0');
    expect(v.sizeBytes).toBe(3800);
    expect(v.maintainers).toEqual([{ name: 'Wanda Dev', email: null, url: 'https://github.com/wdev' }]);
    expect(v.author).toBeNull();
    expect(v.description).toBe('Tidy widgets (1.0).');
    expect(v.links).toEqual({
      repository: 'https://github.com/wdev/tidy-widget',
      homepage: 'https://tidy-widget.example',
      documentation: 'https://docs.rs/tidy-widget',
      changelog: null,
      issues: 'https://github.com/wdev/tidy-widget/issues',
    });
    const old = version(result, '0.1.0');
    expect(old.description).toBe('Tidy widgets for\nterminal UIs.');
    expect(old.maintainers).toEqual([]);
    expect(old.sizeBytes).toBeNull();
    expect(version(result, '1.0.0-beta.1').maintainers).toEqual([]);
  });

  it('points artifactUrl at the static download of the version', async () => {
    const result = await normalized('tidy-widget');
    expect(version(result, '1.0.0').artifactUrl).toBe('https://static.crates.io/crates/tidy-widget/1.0.0/download');
    expect(adapter.sourceArchive?.(version(result, '1.0.0'))).toEqual({
      url: 'https://static.crates.io/crates/tidy-widget/1.0.0/download',
      extension: 'crate',
      digest: version(result, '1.0.0').checksums[0],
    });
    expect(adapter.sourceHosts).toEqual(['static.crates.io']);
  });

  it('fills the package from the API crate object', async () => {
    const { package: pkg } = await normalized('tidy-widget');
    expect(pkg).toMatchObject({
      ecosystem: 'cargo',
      name: 'tidy-widget',
      description: 'Tidy widgets for\nterminal UIs.',
      homepage: 'https://tidy-widget.example',
      repositoryUrl: 'https://github.com/wdev/tidy-widget',
      keywords: ['widgets', 'tidy'],
      maintainers: [{ name: 'Wanda Dev', email: null, url: 'https://github.com/wdev' }],
      createdAt: '2016-05-01T12:00:00.000Z',
      modifiedAt: '2025-06-01T10:00:00.123Z',
    });
    expect(version(await normalized('tidy-widget'), '0.1.0').keywords).toEqual(['widgets', 'tidy']);
  });

  it('flags prereleases per SemVer', async () => {
    const result = await normalized('tidy-widget');
    expect(result.versions.filter((v) => v.prerelease).map((v) => v.version)).toEqual(['1.1.0-rc.1', '1.0.0-beta.1']);
    expect(result.versions.every((v) => v.detailsPending === undefined)).toBe(true);
  });

  it('is pure and re-runnable, also over a subset of versions', async () => {
    const raw = await rawOf('tidy-widget');
    const copy = JSON.parse(JSON.stringify(raw)) as RawDocument;
    const first = adapter.normalize('tidy-widget', raw);
    expect(adapter.normalize('tidy-widget', copy)).toEqual(first);
    const one = adapter.normalize('tidy-widget', { package: copy.package, versions: { '1.0.0': copy.versions['1.0.0'] } });
    expect(one.versions).toEqual([version(first, '1.0.0')]);
  });
});

describe('cargo normalize: special cases', () => {
  it('index without the API: real-cased name in the download URL, build metadata encoded, no metadata', async () => {
    const result = await normalized('FANCY_PARSER');
    expect(result.package.name).toBe('fancy_parser');
    expect(result.versions.map((v) => v.version)).toEqual(['0.3.1+build.7', '0.3.0']);
    const v = version(result, '0.3.1+build.7');
    expect(v.artifactUrl).toBe('https://static.crates.io/crates/Fancy_Parser/0.3.1%2Bbuild.7/download');
    expect(v.license).toBeNull();
    expect(v.releaseDate).toBeNull();
    expect(v.prerelease).toBe(false);
    expect(v.dependencies).toHaveLength(1);
    expect(result.package).toMatchObject({ latestVersion: '0.3.1+build.7', description: null, license: null, keywords: [], createdAt: null, downloads: null });
  });

  it('a crate whose every version is yanked has no latest', async () => {
    const result = await normalized('xyz');
    expect(result.package.latestVersion).toBeNull();
    expect(result.package.latestPrerelease).toBeNull();
    expect(result.versions.map((v) => [v.version, v.status])).toEqual([['0.0.1', 'YANKED']]);
  });

  it('handles the `?include=` answer shape (versions and keywords null)', async () => {
    const minimal = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'api/v1/crates/tidy-widget'), 'utf8')) as { crate: Record<string, unknown> };
    const answer = { categories: null, crate: { ...minimal.crate, keywords: null, categories: null, versions: null, max_version: '0.0.0', newest_version: '0.0.0', max_stable_version: null }, keywords: null, versions: null };
    const result = await normalized('tidy-widget', { 'api/v1/crates/tidy-widget': answer });
    expect(result.versions).toHaveLength(5);
    expect(result.package.description).toBe('Tidy widgets for\nterminal UIs.');
    expect(result.package.keywords).toEqual([]);
    expect(result.package.latestVersion).toBe('1.0.0');
    expect(version(result, '1.0.0').license).toBeNull();
    expect(version(result, '1.0.0').releaseDate).toBe('2025-03-04T05:06:07.000Z');
  });

  it('prefers the highest stable when default_version is missing or not in the index', async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'api/v1/crates/tidy-widget'), 'utf8')) as { crate: Record<string, unknown> };
    doc.crate.default_version = '9.9.9';
    doc.crate.max_stable_version = null;
    expect((await normalized('tidy-widget', { 'api/v1/crates/tidy-widget': doc })).package.latestVersion).toBe('1.0.0');
  });

  it('API-only crate (not in the index yet): versions from the API, dependencies pending until versionDetails', async () => {
    const raw = await rawOf('fresh-crate');
    const result = adapter.normalize('fresh-crate', raw);
    const v = version(result, '0.1.0');
    expect(v).toMatchObject({ detailsPending: true, dependencies: [], status: 'ACTIVE', license: { spdx: 'Apache-2.0' }, engines: { rust: '1.80' }, sizeBytes: 1200 });
    expect(v.checksums[0]?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(v.artifactUrl).toBe('https://static.crates.io/crates/fresh-crate/0.1.0/download');

    const details = [{ id: 1, version_id: 7001, crate_id: 'rand', req: '^0.8', optional: false, default_features: true, features: [], target: null, kind: 'dev', downloads: 0 }];
    const attached = adapter.versionDetails!.attach(raw.versions['0.1.0'], details);
    const completed = version(adapter.normalize('fresh-crate', { package: raw.package, versions: { '0.1.0': attached } }), '0.1.0');
    expect(completed.detailsPending).toBeUndefined();
    expect(completed.dependencies).toEqual([{ name: 'rand', packageName: 'rand', constraint: '^0.8', kind: 'DEVELOPMENT', optional: false, bundled: false }]);
    // A version the API has no dependency list for is settled with none.
    const none = adapter.versionDetails!.attach(raw.versions['0.1.0'], null);
    expect(version(adapter.normalize('fresh-crate', { package: raw.package, versions: { '0.1.0': none } }), '0.1.0')).toMatchObject({ dependencies: [] });
    expect(version(adapter.normalize('fresh-crate', { package: raw.package, versions: { '0.1.0': none } }), '0.1.0').detailsPending).toBeUndefined();
  });

  it('stored raw data of the wrong shape is UPSTREAM_INVALID, not a crash', () => {
    const error = catchError(() => normalizeCargoCrate('x', { package: {}, versions: { '1.0.0': 'nope' } }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_INVALID');
  });

  it('tolerates unknown fields and index format versions it does not know', () => {
    const line = { name: 'future', vers: '1.0.0', deps: [], cksum: 'a'.repeat(64), features: {}, yanked: false, v: 3, brand_new: { x: 1 } };
    const result = normalizeCargoCrate('future', { package: { api: null }, versions: { '1.0.0': { index: line, api: null } } });
    expect(result.versions[0]).toMatchObject({ version: '1.0.0', status: 'ACTIVE', checksums: [{ algorithm: 'sha256', value: 'a'.repeat(64) }] });
  });
});
