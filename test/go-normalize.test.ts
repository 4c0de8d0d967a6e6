import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGoAdapter, normalizeGoModule, normalizeGoVersion, storedGoDetails } from '../src/ecosystems/go/index.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { UpstreamError } from '../src/errors.js';
import { summarizeModuleZip } from '../src/ecosystems/go/zip.js';
import { MIT_TEXT, WIDGET_README, moduleZip } from './fixtures/go/module-zip.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'go');
const BASE = 'https://proxy.example';
const adapter = createGoAdapter({ baseUrl: `${BASE}/` });

/** Serves test/fixtures/go by URL path (as the proxy would), in memory. */
const fixtures: UpstreamClient = {
  async get(_upstream, url): Promise<GetResult> {
    const file = path.join(FIXTURES, decodeURIComponent(new URL(url).pathname));
    if (!fs.existsSync(file)) return { kind: 'not-found', status: 404 };
    return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: null, validators: { etag: '"x"', lastModified: null } };
  },
};

async function fetchRaw(name: string): Promise<RawDocument> {
  const result = await adapter.fetch(name, { http: fixtures, conditional: null });
  if (result.kind !== 'ok') throw new Error(`${name}: ${result.kind}`);
  // As stored: JSON round trip.
  return JSON.parse(JSON.stringify(result.raw)) as RawDocument;
}

function byVersion(normalized: NormalizedPackage): Map<string, VersionRecord> {
  return new Map(normalized.versions.map((record) => [record.version, record]));
}

describe('normalize: tagged module with retractions (github.com/Acme/Widget)', () => {
  let raw: RawDocument;
  let normalized: NormalizedPackage;
  let versions: Map<string, VersionRecord>;
  beforeAll(async () => {
    raw = await fetchRaw('github.com/Acme/Widget');
    normalized = adapter.normalize('github.com/Acme/Widget', raw);
    versions = byVersion(normalized);
  });

  it('lists every version from @v/list, newest first by Go semver precedence', () => {
    expect(normalized.versions.map((v) => v.version)).toEqual(['v1.2.0-beta.1', 'v1.1.0', 'v1.1.0-rc.1', 'v1.0.1', 'v1.0.0', 'v0.2.0', 'v0.1.0']);
    expect(normalized.versions.map((v) => v.prerelease)).toEqual([true, false, true, false, false, false, false]);
  });

  it('marks versions retracted by the latest go.mod (single and [low, high]) with the rationale', () => {
    expect(versions.get('v1.0.1')).toMatchObject({ status: 'RETRACTED', deprecatedMessage: 'Published with a data race in Widget.Spin.' });
    expect(versions.get('v0.2.0')).toMatchObject({ status: 'RETRACTED', deprecatedMessage: 'Pre-release API, do not use.' });
    expect(versions.get('v0.1.0')).toMatchObject({ status: 'RETRACTED', deprecatedMessage: 'Pre-release API, do not use.' });
    for (const active of ['v1.2.0-beta.1', 'v1.1.0', 'v1.1.0-rc.1', 'v1.0.0']) expect(versions.get(active)).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null });
  });

  it('computes latest (Go\'s @latest: highest release) and the prerelease above it', () => {
    expect(normalized.package).toMatchObject({
      ecosystem: 'go',
      name: 'github.com/Acme/Widget',
      latestVersion: 'v1.1.0',
      latestPrerelease: 'v1.2.0-beta.1',
      distTags: { latest: 'v1.1.0' },
      versionCount: 7,
      deprecated: false,
      deprecationMessage: null,
      repositoryUrl: 'https://github.com/Acme/Widget',
      homepage: null,
      keywords: [],
      maintainers: [],
      modifiedAt: '2024-03-01T10:00:00.000Z',
      // The oldest version's time is not known until its .info is fetched.
      createdAt: null,
    });
  });

  it('fills the latest version from the .info/.mod the package fetch read: time, requirements, go/toolchain', () => {
    const latest = versions.get('v1.1.0')!;
    expect(latest.releaseDate).toBe('2024-03-01T10:00:00.000Z');
    // replace/exclude apply only when this module is the main module: requirements are as written.
    expect(latest.dependencies).toEqual([
      { name: 'github.com/google/go-cmp', packageName: 'github.com/google/go-cmp', constraint: 'v0.6.0', kind: 'RUNTIME', optional: false, bundled: false, indirect: false },
      { name: 'golang.org/x/text', packageName: 'golang.org/x/text', constraint: 'v0.14.0', kind: 'RUNTIME', optional: false, bundled: false, indirect: true },
    ]);
    expect(latest.engines).toEqual({ go: '1.21', toolchain: 'go1.22.3' });
    expect(latest.detailsPending).toBe(true);
  });

  it('links the repository, issues, pkg.go.dev and the case-encoded zip', () => {
    expect(versions.get('v1.0.0')!.links).toEqual({
      repository: 'https://github.com/Acme/Widget',
      homepage: null,
      documentation: 'https://pkg.go.dev/github.com/Acme/Widget@v1.0.0',
      changelog: null,
      issues: 'https://github.com/Acme/Widget/issues',
    });
    expect(versions.get('v1.0.0')!.artifactUrl).toBe(`${BASE}/github.com/!acme/!widget/@v/v1.0.0.zip`);
  });

  it('leaves other versions to the lazy details (no time, no requirements yet)', () => {
    expect(versions.get('v1.0.0')).toMatchObject({ releaseDate: null, dependencies: [], engines: {}, license: null, description: null, checksums: [], sizeBytes: null, detailsPending: true });
  });

  it('completes a version from its details: .info time, .mod requirements, license/README/checksums from the zip', async () => {
    const zip = summarizeModuleZip('github.com/Acme/Widget', 'v1.0.0', moduleZip('github.com/Acme/Widget', 'v1.0.0', { LICENSE: MIT_TEXT, 'README.md': WIDGET_README, 'widget.go': 'package widget\n' }));
    const details = { info: { Version: 'v1.0.0', Time: '2023-06-15T08:30:00Z' }, mod: fs.readFileSync(path.join(FIXTURES, 'github.com/!acme/!widget/@v/v1.0.0.mod'), 'utf8'), zip };
    const merged = adapter.versionDetails!.attach(raw.versions['v1.0.0'], JSON.parse(JSON.stringify(details)));
    const completed = adapter.normalize('github.com/Acme/Widget', { package: raw.package, versions: { 'v1.0.0': merged } });
    const record = byVersion(completed).get('v1.0.0')!;
    expect(record.detailsPending).toBeUndefined();
    expect(record.releaseDate).toBe('2023-06-15T08:30:00.000Z');
    expect(record.dependencies.map((d) => [d.packageName, d.constraint])).toEqual([['github.com/google/go-cmp', 'v0.5.9']]);
    expect(record.engines).toEqual({ go: '1.20' });
    expect(record.license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'module zip: LICENSE' });
    expect(record.description).toBe('Widget spins tiny gophers in O(1). See the docs & enjoy.');
    expect(record.checksums).toEqual([
      { algorithm: 'sha256', value: zip.sha256 },
      { algorithm: 'h1', value: zip.h1 },
    ]);
    expect(record.sizeBytes).toBe(Buffer.byteLength(MIT_TEXT) + Buffer.byteLength(WIDGET_README) + 'package widget\n'.length);
    // Only the completed version changes; the package part is the same.
    expect(completed.package).toEqual(normalized.package);
  });

  it('package-level license and description come from the latest version once its details are stored', () => {
    const zip = summarizeModuleZip('github.com/Acme/Widget', 'v1.1.0', moduleZip('github.com/Acme/Widget', 'v1.1.0', { LICENSE: MIT_TEXT, 'README.md': WIDGET_README }));
    const merged = adapter.versionDetails!.attach(raw.versions['v1.1.0'], { info: null, mod: null, zip });
    const renormalized = adapter.normalize('github.com/Acme/Widget', { package: raw.package, versions: { ...raw.versions, 'v1.1.0': merged } });
    expect(renormalized.package.license?.spdx).toBe('MIT');
    expect(renormalized.package.description).toBe('Widget spins tiny gophers in O(1). See the docs & enjoy.');
    // .info/.mod of the package fetch still count when the details had none.
    expect(byVersion(renormalized).get('v1.1.0')!.releaseDate).toBe('2024-03-01T10:00:00.000Z');
  });

  it('a version the proxy no longer serves, or whose zip is unreadable, is not fetched again', () => {
    const gone = adapter.versionDetails!.attach({ version: 'v1.0.0' }, null);
    expect(gone).toEqual({ version: 'v1.0.0', missing: true });
    const tooBig = adapter.versionDetails!.attach({ version: 'v1.0.0' }, { info: null, mod: null, zip: { error: 'go response exceeds the 1024-byte limit' } });
    for (const value of [gone, tooBig]) {
      const record = byVersion(adapter.normalize('github.com/Acme/Widget', { package: raw.package, versions: { 'v1.0.0': value } })).get('v1.0.0')!;
      expect(record.detailsPending).toBeUndefined();
      expect(record.license).toBeNull();
    }
  });

  it('hands back the stored details of a completed version, so a refetch can keep them (immutable versions)', () => {
    const details = { info: { Version: 'v1.0.0', Time: '2023-06-15T08:30:00Z' }, mod: 'module github.com/Acme/Widget\n', zip: null };
    const completed = adapter.versionDetails!.attach({ version: 'v1.0.0' }, details);
    expect(storedGoDetails(completed)).toEqual({ details });
    expect(storedGoDetails(adapter.versionDetails!.attach({ version: 'v1.0.0' }, null))).toEqual({ details: null });
    expect(storedGoDetails({ version: 'v1.0.0' })).toBeNull();
    const carried = adapter.versionDetails!.attach({ version: 'v1.0.0' }, storedGoDetails(completed)!.details);
    expect(carried).toEqual(completed);
  });

  it('is pure and re-runnable on the stored raw document', () => {
    expect(adapter.normalize('github.com/Acme/Widget', JSON.parse(JSON.stringify(raw)) as RawDocument)).toEqual(normalized);
  });
});

describe('normalize: deprecated module that retracts its own latest (example.com/old/v2)', () => {
  let normalized: NormalizedPackage;
  beforeAll(async () => {
    normalized = adapter.normalize('example.com/old/v2', await fetchRaw('example.com/old/v2'));
  });

  it('reads "// Deprecated:" on the module line as a package deprecation applying to every version', () => {
    expect(normalized.package).toMatchObject({ deprecated: true, deprecationMessage: 'use example.com/new instead.' });
    expect(byVersion(normalized).get('v2.0.0')).toMatchObject({ status: 'DEPRECATED', deprecatedMessage: 'use example.com/new instead.' });
  });

  it('a retraction wins over the deprecation; latest skips the retracted version', () => {
    expect(byVersion(normalized).get('v2.1.0')).toMatchObject({ status: 'RETRACTED', deprecatedMessage: 'Broken build; deprecation notice only.' });
    expect(normalized.package.latestVersion).toBe('v2.0.0');
  });

  it('takes the repository of a vanity path from the proxy\'s Origin', () => {
    expect(normalized.package.repositoryUrl).toBe('https://git.example.com/old');
    expect(byVersion(normalized).get('v2.0.0')!.links.repository).toBe('https://git.example.com/old');
  });
});

describe('normalize: other version lists', () => {
  it('a module without tags: the @latest pseudo-version is its only version', async () => {
    const normalized = adapter.normalize('example.com/untagged', await fetchRaw('example.com/untagged'));
    const pseudo = 'v0.0.0-20240102030405-abcdefabcdef';
    expect(normalized.versions.map((v) => v.version)).toEqual([pseudo]);
    expect(normalized.package).toMatchObject({ latestVersion: pseudo, latestPrerelease: null, distTags: { latest: pseudo }, createdAt: '2024-01-02T03:04:05.000Z', versionCount: 1 });
    expect(normalized.versions[0]).toMatchObject({ prerelease: true, releaseDate: '2024-01-02T03:04:05.000Z', engines: { go: '1.22.0' } });
  });

  it('+incompatible versions count for latest only when the highest compatible version has no go.mod', async () => {
    const legacy = adapter.normalize('github.com/legacy/tool', await fetchRaw('github.com/legacy/tool'));
    expect(legacy.package.latestVersion).toBe('v3.1.0+incompatible');
    expect(legacy.versions.map((v) => v.version)).toEqual(['v3.1.0+incompatible', 'v2.0.0+incompatible', 'v1.0.0']);
    const modern = adapter.normalize('github.com/modern/tool', await fetchRaw('github.com/modern/tool'));
    expect(modern.package.latestVersion).toBe('v1.4.0');
    expect(modern.versions.map((v) => v.version)).toEqual(['v2.0.0+incompatible', 'v1.4.0', 'v1.3.0']);
  });

  function rawOf(list: string, mod: string | null, extra: Partial<{ source: string; latest: unknown }> = {}): RawDocument {
    const source = extra.source ?? 'v1.0.0';
    return { package: { module: 'example.com/m', list, latest: extra.latest ?? null, source, infos: {}, mods: mod === null ? {} : { [source]: mod } }, versions: {} };
  }

  it('a path required twice is one dependency at the higher version, indirect only when every line says so', () => {
    const mod = 'module example.com/m\nrequire (\n\texample.com/a v1.2.0 // indirect\n\texample.com/a v1.10.0\n\texample.com/b v0.1.0 // indirect\n)\n';
    const record = normalizeGoModule('example.com/m', rawOf('v1.0.0\n', mod), BASE).versions[0]!;
    expect(record.dependencies.map((d) => [d.packageName, d.constraint, d.indirect])).toEqual([
      ['example.com/a', 'v1.10.0', false],
      ['example.com/b', 'v0.1.0', true],
    ]);
  });

  it('pseudo-versions in a list get their commit time without any request and are never "latest"', () => {
    const normalized = normalizeGoModule('example.com/m', rawOf('v1.0.0\nv1.0.1-0.20240505050505-abcdefabcdef\nnot-a-version\nv2.0.0\nv1.2\n', 'module example.com/m\n'), BASE);
    expect(normalized.versions.map((v) => v.version)).toEqual(['v1.0.1-0.20240505050505-abcdefabcdef', 'v1.0.0']);
    expect(normalized.versions[0]).toMatchObject({ releaseDate: '2024-05-05T05:05:05.000Z', prerelease: true });
    expect(normalized.package.latestVersion).toBe('v1.0.0');
    expect(normalized.package.latestPrerelease).toBeNull();
  });

  it('with every version retracted there is no latest', () => {
    const normalized = normalizeGoModule('example.com/m', rawOf('v1.0.0\nv1.1.0\n', 'module example.com/m\nretract [v1.0.0, v1.1.0] // all bad\n', { source: 'v1.1.0' }), BASE);
    expect(normalized.package.latestVersion).toBeNull();
    expect(normalized.package.distTags).toEqual({});
    expect(normalized.versions.every((v) => v.status === 'RETRACTED' && v.deprecatedMessage === 'all bad')).toBe(true);
  });

  it('an empty "Deprecated:" paragraph does not deprecate', () => {
    const normalized = normalizeGoModule('example.com/m', rawOf('v1.0.0\n', '// Deprecated:\nmodule example.com/m\n'), BASE);
    expect(normalized.package.deprecated).toBe(false);
    expect(normalized.versions[0]!.status).toBe('ACTIVE');
  });

  it('only prereleases: latest is the highest prerelease (Go\'s @latest), nothing above it', () => {
    const normalized = normalizeGoModule('example.com/m', rawOf('v0.1.0-alpha\nv0.1.0-beta\n', 'module example.com/m\ngo 1.22\n', { source: 'v0.1.0-beta' }), BASE);
    expect(normalized.package.latestVersion).toBe('v0.1.0-beta');
    expect(normalized.package.latestPrerelease).toBeNull();
  });

  it('a stored document of the wrong shape is UPSTREAM_INVALID, not a crash', () => {
    expect(() => normalizeGoModule('example.com/m', { package: { list: 42 }, versions: {} }, BASE)).toThrow(UpstreamError);
    try {
      normalizeGoModule('example.com/m', { package: { module: 'example.com/m', list: 'v1.0.0\n', latest: null, source: null, infos: {}, mods: {} }, versions: { 'v1.0.0': 'nope' } }, BASE);
      expect.unreachable();
    } catch (error) {
      expect((error as UpstreamError).code).toBe('UPSTREAM_INVALID');
    }
  });
});

describe('client-given versions', () => {
  it('are spelled canonically: v prefix, shorthands filled in, +incompatible kept, other build metadata dropped', () => {
    expect(normalizeGoVersion('1.2.3')).toBe('v1.2.3');
    expect(normalizeGoVersion('v1.2')).toBe('v1.2.0');
    expect(normalizeGoVersion(' v2.0.0+incompatible ')).toBe('v2.0.0+incompatible');
    expect(normalizeGoVersion('v1.2.3+meta')).toBe('v1.2.3');
    expect(normalizeGoVersion('v0.0.0-20191005200804-aed5e4c7ecf9')).toBe('v0.0.0-20191005200804-aed5e4c7ecf9');
    expect(normalizeGoVersion('master')).toBe('master');
    expect(adapter.normalizeVersion?.('1.1.0')).toBe('v1.1.0');
  });
});

describe('purl parts', () => {
  it('splits the module path at its last slash', () => {
    expect(adapter.toPurlParts('github.com/BurntSushi/toml')).toEqual({ namespace: 'github.com/BurntSushi', name: 'toml' });
    expect(adapter.fromPurlParts('github.com/BurntSushi', 'toml')).toBe('github.com/BurntSushi/toml');
    expect(adapter.toPurlParts('example.com')).toEqual({ namespace: null, name: 'example.com' });
    expect(adapter.purlType).toBe('golang');
  });
});
