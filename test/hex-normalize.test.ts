import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHexAdapter, normalizeHexName } from '../src/ecosystems/hex/index.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import { hexVersioning, parseHexVersion } from '../src/versioning/hex.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'hex', 'api', 'packages');
const adapter = createHexAdapter({ baseUrl: 'https://hex.example' });

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
}

/** The split `fetch` does: package document minus releases, one entry per version. */
function split(name: string): RawDocument {
  const { releases, ...rest } = readJson(`${name}.json`);
  const versions: Record<string, unknown> = {};
  for (const entry of releases as Array<{ version: string }>) versions[entry.version] = entry;
  return { package: rest, versions };
}

/** `raw` with the given releases' documents attached, as the service does after `versionDetails.fetch`. */
function withDetails(name: string, raw: RawDocument, versions: string[]): RawDocument {
  const out = { package: raw.package, versions: { ...raw.versions } };
  for (const v of versions) out.versions[v] = adapter.versionDetails!.attach(raw.versions[v], readJson(`${name}/releases/${v}.json`));
  return out;
}

function version(result: NormalizedPackage, v: string): VersionRecord {
  const record = result.versions.find((entry) => entry.version === v);
  if (!record) throw new Error(`no version ${v}`);
  return record;
}

describe('hex versioning (Elixir Version = SemVer 2.0.0)', () => {
  it('accepts strict SemVer only', () => {
    for (const v of ['0.0.1', '1.2.3', '1.0.0-rc.0', '1.0.0-alpha-1.x', '1.0.0+build.5', '1.0.0-0.3.7', '10.20.30-x.7.z.92']) expect(hexVersioning.isValid(v), v).toBe(true);
    for (const v of ['1.0', '1', 'v1.0.0', '01.0.0', '1.02.0', '1.0.0-01', '1.0.0-', '1.0.0+', '1.0.0-a..b', ' 1.0.0', '1.0.0.0']) expect(hexVersioning.isValid(v), v).toBe(false);
    expect(parseHexVersion('1.2.3-rc.10+b.1')).toEqual({ major: 1, minor: 2, patch: 3, pre: ['rc', 10], build: 'b.1' });
  });

  it('orders by SemVer precedence', () => {
    const ascending = ['0.9.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0-dev', '1.10.0', '2.0.0'];
    expect([...ascending].reverse().sort(hexVersioning.compare)).toEqual(ascending);
    for (let i = 1; i < ascending.length; i++) expect(hexVersioning.compare(ascending[i - 1]!, ascending[i]!), ascending[i]).toBeLessThan(0);
    // Build metadata does not change precedence; the tie is broken deterministically.
    expect(Math.sign(hexVersioning.compare('1.0.0+a', '1.0.0+b'))).toBe(-1);
    expect(hexVersioning.compare('1.0.0+a', '1.0.0-rc.1')).toBeGreaterThan(0);
    expect(hexVersioning.isPrerelease('1.0.0-rc.1')).toBe(true);
    expect(hexVersioning.isPrerelease('1.0.0+build')).toBe(false);
  });
});

describe('hex names', () => {
  it('accepts lower-case names with digits and underscores', () => {
    expect(normalizeHexName('phoenix_live_view')).toBe('phoenix_live_view');
    expect(normalizeHexName(' ecto3 ')).toBe('ecto3');
  });

  it('rejects everything else, naming the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['Phoenix', /lower-case/],
      ['1password', /starts with a lower-case letter/],
      ['_private', /starts with/],
      ['my-package', /only lower-case letters, digits and underscores/],
      ['a/b', /only lower-case/],
      ['../etc', /starts with/],
    ];
    for (const [name, reason] of cases) {
      let error: unknown;
      try {
        normalizeHexName(name);
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message, name).toMatch(reason);
    }
  });
});

describe('hex normalization', () => {
  const raw = split('tiny_plug');
  const result = adapter.normalize('tiny_plug', raw);

  it('lists every release newest first by SemVer precedence, all pending details', () => {
    expect(result.versions.map((v) => v.version)).toEqual(['1.10.0-dev', '1.3.0-rc.1', '1.3.0-rc.0', '1.2.0', '1.1.1', '1.1.0', '0.9.0']);
    expect(result.versions.every((v) => v.detailsPending === true)).toBe(true);
    expect(result.package.versionCount).toBe(7);
  });

  it('takes latest_stable_version as latest and the highest newer prerelease', () => {
    expect(result.package.latestVersion).toBe('1.2.0');
    // 1.10.0-dev is above 1.2.0 (numeric precedence, not string order).
    expect(result.package.latestPrerelease).toBe('1.10.0-dev');
  });

  it('maps every retirement to DEPRECATED with its reason and message', () => {
    expect(version(result, '1.1.1')).toMatchObject({ status: 'DEPRECATED', deprecatedMessage: 'Retired (security): Leaks connections under load, use 1.2.0' });
    expect(version(result, '0.9.0')).toMatchObject({ status: 'DEPRECATED', deprecatedMessage: 'Retired (deprecated)' });
    expect(version(result, '1.2.0')).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null });
    // A retirement for a version not in releases (0.8.0) adds nothing.
    expect(result.versions.some((v) => v.version === '0.8.0')).toBe(false);
    expect(result.package.deprecated).toBe(false);
  });

  it('fills package-level fields from meta and owners', () => {
    expect(result.package).toMatchObject({
      ecosystem: 'hex',
      name: 'tiny_plug',
      description: 'Tiny composable connection adapters.',
      homepage: 'https://tiny-plug.example.org',
      repositoryUrl: 'https://github.com/example-org/tiny_plug',
      license: { spdx: 'Apache-2.0', name: 'Apache-2.0', source: 'meta.licenses' },
      keywords: [],
      distTags: {},
      createdAt: '2019-02-11T09:30:00.000Z',
      modifiedAt: '2023-05-02T10:00:05.000Z',
      downloads: 5120,
    });
    expect(result.package.maintainers).toEqual([
      { name: 'ada', email: 'ada@example.org', url: 'https://hex.pm/users/ada' },
      { name: 'bob', email: null, url: 'https://hex.pm/users/bob' },
    ]);
  });

  it('classifies the free-form links', () => {
    expect(version(result, '1.3.0-rc.0').links).toEqual({
      repository: 'https://github.com/example-org/tiny_plug',
      homepage: 'https://tiny-plug.example.org',
      documentation: 'https://tiny-plug.example.org/guides',
      changelog: 'https://github.com/example-org/tiny_plug/blob/main/CHANGELOG.md',
      issues: 'https://github.com/example-org/tiny_plug/issues',
    });
  });

  it('has no dependencies or checksums before the release request, and a tarball URL always', () => {
    const pending = version(result, '1.2.0');
    expect(pending).toMatchObject({ dependencies: [], checksums: [], engines: {}, author: null, releaseDate: '2022-11-03T17:45:12.654Z' });
    expect(pending.artifactUrl).toBe('https://repo.hex.pm/tarballs/tiny_plug-1.2.0.tar');
    expect(createHexAdapter({ baseUrl: 'https://hex.example', repoUrl: 'https://mirror.example/repo/' }).normalize('tiny_plug', raw).versions[0]!.artifactUrl).toBe(
      'https://mirror.example/repo/tarballs/tiny_plug-1.10.0-dev.tar',
    );
  });

  it('completes a version from its release document', () => {
    const completed = adapter.normalize('tiny_plug', withDetails('tiny_plug', raw, ['1.2.0']));
    const v = version(completed, '1.2.0');
    expect(v.detailsPending).toBeUndefined();
    expect(v.checksums).toEqual([{ algorithm: 'sha256', value: '5d3b0f9c2a7e41b8c6d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6' }]);
    expect(v.engines).toEqual({ elixir: '~> 1.11' });
    expect(v.author).toEqual({ name: 'ada', email: 'ada@example.org', url: 'https://hex.pm/users/ada' });
    expect(v.dependencies).toEqual([
      { name: 'mime', packageName: 'mime', constraint: '~> 1.0 or ~> 2.0', kind: 'RUNTIME', optional: false, bundled: false },
      // `app` is the name the dependent uses; the map key is the package installed.
      { name: 'telemetry', packageName: 'telemetry_lite', constraint: '>= 0.4.0 and < 2.0.0', kind: 'RUNTIME', optional: false, bundled: false },
      // Optional: resolved only when the consumer depends on it too -> an optional peer.
      { name: 'jason', packageName: 'jason', constraint: '~> 1.2', kind: 'PEER', optional: true, bundled: false },
      // From a private organization: never the public package of the same name.
      { name: 'acme_auth', packageName: 'acme/acme_auth', constraint: '~> 0.3', kind: 'RUNTIME', optional: false, bundled: false },
      { name: 'cowlib', packageName: 'cowlib', constraint: '>= 0.0.0', kind: 'RUNTIME', optional: false, bundled: false },
    ]);
    // The other versions stay pending.
    expect(version(completed, '1.1.0').detailsPending).toBe(true);
  });

  it('normalizes one completed version alone (as the service does)', () => {
    const merged = adapter.versionDetails!.attach(raw.versions['1.10.0-dev'], readJson('tiny_plug/releases/1.10.0-dev.json'));
    const alone = adapter.normalize('tiny_plug', { package: raw.package, versions: { '1.10.0-dev': merged } });
    expect(alone.versions).toHaveLength(1);
    const v = alone.versions[0]!;
    // No inserted_at in the list entry: the release document's date is used.
    expect(v.releaseDate).toBe('2018-12-24T23:59:59.000Z');
    // The release document's retirement is newer than the package's (which has none for this version).
    expect(v).toMatchObject({ status: 'DEPRECATED', deprecatedMessage: 'Retired (other): Published by mistake' });
    expect(v.links.documentation).toBe('https://tiny-plug.example.org/guides');
    expect(v.dependencies).toHaveLength(1);
  });

  it('reads requirements in list form, and a release document with null checksum, publisher and meta fields', () => {
    const release = {
      version: '1.1.1',
      checksum: null,
      publisher: null,
      docs_html_url: null,
      has_docs: false,
      meta: { app: null, build_tools: null, elixir: null },
      requirements: [
        { name: 'mime', app: 'mime', optional: false, requirement: '~> 1.0' },
        { package: 'jason', optional: true, requirement: '~> 1.2' },
        { optional: false, requirement: 'no name' },
        { name: '__proto__', requirement: '~> 0.1' },
      ],
      retirement: null,
    };
    const [v] = adapter.normalize('tiny_plug', { package: raw.package, versions: { '1.1.1': adapter.versionDetails!.attach(raw.versions['1.1.1'], release) } }).versions;
    expect(v).toMatchObject({ checksums: [], author: null, engines: {}, status: 'ACTIVE' });
    expect(v!.dependencies.map((d) => [d.name, d.packageName, d.constraint, d.kind])).toEqual([
      ['mime', 'mime', '~> 1.0', 'RUNTIME'],
      ['jason', 'jason', '~> 1.2', 'PEER'],
      ['__proto__', '__proto__', '~> 0.1', 'RUNTIME'],
    ]);
  });

  it('lets the release document un-retire a version, and keeps null details as fetched', () => {
    const release = { ...readJson('tiny_plug/releases/1.1.1.json'), retirement: null };
    const unretired = adapter.normalize('tiny_plug', { package: raw.package, versions: { '1.1.1': adapter.versionDetails!.attach(raw.versions['1.1.1'], release) } });
    expect(unretired.versions[0]).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null, checksums: [{ algorithm: 'sha256', value: '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9' }] });
    // Release without docs: no hexdocs link invented; no Elixir requirement declared.
    expect(unretired.versions[0]!.engines).toEqual({});
    const gone = adapter.normalize('tiny_plug', { package: raw.package, versions: { '1.1.1': adapter.versionDetails!.attach(raw.versions['1.1.1'], null) } });
    expect(gone.versions[0]!.detailsPending).toBeUndefined();
    expect(gone.versions[0]!.dependencies).toEqual([]);
    expect(gone.versions[0]!.status).toBe('DEPRECATED');
  });

  it('handles prerelease-only packages, legacy maintainers, two licenses and odd links', () => {
    const early = adapter.normalize('early_bird', split('early_bird'));
    expect(early.package.latestVersion).toBeNull();
    expect(early.package.latestPrerelease).toBe('0.2.0-beta.1');
    expect(early.package.maintainers).toEqual([{ name: 'Carol Example', email: null, url: null }]);
    expect(early.package.license).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache 2.0', source: 'meta.licenses' });
    expect(early.versions[0]!.links).toEqual({
      repository: 'https://gitlab.com/example/early_bird',
      homepage: 'http://early-bird.example.net',
      documentation: null,
      changelog: null,
      issues: 'https://gitlab.com/example/early_bird/-/issues',
    });
    expect(early.package.createdAt).toBe('2024-01-05T00:00:00.000Z');
  });

  it('rejects stored data of the wrong shape with UPSTREAM_INVALID', () => {
    expect(() => adapter.normalize('tiny_plug', { package: { releases: [] }, versions: {} })).toThrow(UpstreamError);
    expect(() => adapter.normalize('tiny_plug', { package: raw.package, versions: { '1.0.0': 'nope' } })).toThrow(/expected shape/);
  });

  it('maps purls (organization namespaces are private)', () => {
    expect(adapter.toPurlParts('tiny_plug')).toEqual({ namespace: null, name: 'tiny_plug' });
    expect(adapter.fromPurlParts(null, 'Tiny_Plug')).toBe('tiny_plug');
    expect(adapter.fromPurlParts('hexpm', 'tiny_plug')).toBe('tiny_plug');
    expect(() => adapter.fromPurlParts('acme', 'secret')).toThrow(InvalidInputError);
  });
});
