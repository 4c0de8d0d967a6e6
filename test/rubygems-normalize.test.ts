import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createRubygemsAdapter,
  normalizeRubygem,
  normalizeRubygemsName,
  parseCompactInfoLine,
  splitVersionPlatform,
} from '../src/ecosystems/rubygems/index.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { rubygemsVersioning } from '../src/versioning/rubygems.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'rubygems');
const BASE = 'https://rubygems.test';
const adapter = createRubygemsAdapter({ baseUrl: BASE });

function fixtureClient(overrides: Record<string, string | object> = {}): UpstreamClient {
  return {
    async get(_upstream, url): Promise<GetResult> {
      const relative = decodeURIComponent(new URL(url).pathname).slice(1);
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
  return adapter.normalize(name, await rawOf(name, overrides));
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

describe('rubygems versioning', () => {
  it('calls any version with a letter a prerelease, as Gem::Version does', () => {
    for (const v of ['1.0.0.pre.1', '2.0.0.rc1', '1.0.a', '1.11.0.rc2', '1.0-beta']) expect(rubygemsVersioning.isPrerelease(v), v).toBe(true);
    for (const v of ['1.0.0', '1.13.6', '0.0.1.2']) expect(rubygemsVersioning.isPrerelease(v), v).toBe(false);
  });

  it('orders segment by segment, prerelease letters below numbers', () => {
    const sorted = ['1.10.0', '1.2.0', '2.0.0.rc1', '2.0.0', '1.0.0.pre.1', '1.0.0', '2.0.0.beta2', '2.0.0.beta10'].sort(rubygemsVersioning.compare);
    expect(sorted).toEqual(['1.0.0.pre.1', '1.0.0', '1.2.0', '1.10.0', '2.0.0.beta2', '2.0.0.beta10', '2.0.0.rc1', '2.0.0']);
  });

  it('keeps a total order where Ruby calls two spellings equal', () => {
    expect(rubygemsVersioning.compare('1.0', '1.0.0')).not.toBe(0);
    expect(Math.sign(rubygemsVersioning.compare('1.0', '1.0.0'))).toBe(-Math.sign(rubygemsVersioning.compare('1.0.0', '1.0')));
    expect(rubygemsVersioning.compare('1.0.0', '1.0.0')).toBe(0);
  });

  it('validates with Gem::Version rules, refusing blanks', () => {
    expect(rubygemsVersioning.isValid('1.2.3.4.5')).toBe(true);
    for (const bad of ['', ' ', 'abc', '1..2', ' 1.0']) expect(rubygemsVersioning.isValid(bad), JSON.stringify(bad)).toBe(false);
    expect(['1.0', 'junk', '0.1'].sort(rubygemsVersioning.compare)).toEqual(['junk', '0.1', '1.0']);
  });
});

describe('rubygems names', () => {
  it('keeps the case (names are case-sensitive) and the characters RubyGems allows', () => {
    expect(normalizeRubygemsName('ShinyThing')).toBe('ShinyThing');
    expect(normalizeRubygemsName(' net-http_persistent.2 ')).toBe('net-http_persistent.2');
    expect(normalizeRubygemsName('_legacy')).toBe('_legacy');
  });

  it('rejects names RubyGems cannot have, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['has space', /only contain/],
      ['a/b', /only contain/],
      ['ümlaut', /only contain/],
      ['rails@7', /only contain/],
      ['..', /only dots/],
      ['.', /only dots/],
      ['a'.repeat(256), /at most 255/],
    ];
    for (const [name, reason] of cases) {
      const error = catchError(() => normalizeRubygemsName(name));
      expect(error, name).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).message, name).toMatch(reason);
    }
  });

  it('uses the purl type gem without namespace', () => {
    expect(adapter.purlType).toBe('gem');
    expect(adapter.toPurlParts('rails')).toEqual({ namespace: null, name: 'rails' });
    expect(adapter.fromPurlParts(null, 'rails')).toBe('rails');
  });
});

describe('compact index lines', () => {
  it('splits version and platform at the first dash', () => {
    expect(splitVersionPlatform('1.3.1')).toEqual({ version: '1.3.1', platform: 'ruby' });
    expect(splitVersionPlatform('1.2.3-x86-mswin32-60')).toEqual({ version: '1.2.3', platform: 'x86-mswin32-60' });
    expect(splitVersionPlatform('1.11.0.rc2-x86_64-linux')).toEqual({ version: '1.11.0.rc2', platform: 'x86_64-linux' });
  });

  it('reads dependencies (& joins requirements), checksum, ruby and rubygems requirements', () => {
    expect(parseCompactInfoLine('1.6.7.rc2-x64-mingw32 mini_portile:~> 0.7.0.rc2,racc:>= 0|checksum:3B03,ruby:< 2.3&>= 1.9.2,rubygems:> 1.3.1')).toEqual({
      dependencies: [
        ['mini_portile', '~> 0.7.0.rc2'],
        ['racc', '>= 0'],
      ],
      checksum: null,
      ruby: '< 2.3, >= 1.9.2',
      rubygems: '> 1.3.1',
      createdAt: null,
    });
    const sum = 'a'.repeat(63) + 'B';
    expect(parseCompactInfoLine(`1.2.1 |checksum:${sum}`)).toEqual({ dependencies: [], checksum: sum.toLowerCase(), ruby: null, rubygems: null, createdAt: null });
    expect(parseCompactInfoLine('0.1.0')).toEqual({ dependencies: [], checksum: null, ruby: null, rubygems: null, createdAt: null });
  });

  it('reads the v2 `created_at` requirement (compact index format v2)', () => {
    expect(parseCompactInfoLine('1.0.0 rack:>= 1.0|checksum:abc123,ruby:>= 2.7.0,created_at:2024-05-01T12:00:00Z')).toEqual({
      dependencies: [['rack', '>= 1.0']],
      checksum: null,
      ruby: '>= 2.7.0',
      rubygems: null,
      createdAt: '2024-05-01T12:00:00.000Z',
    });
  });
});

describe('rubygems normalize', () => {
  it('has one record per version (platforms folded), newest first, compact-index versions only', async () => {
    const result = await normalized('sparkly');
    expect(result.versions.map((v) => v.version)).toEqual(['2.0.0.rc1', '1.1.0', '1.0.0', '1.0.0.pre.1', '0.9.0', '0.5.0']);
    expect(result.package.versionCount).toBe(6);
  });

  it('keeps every platform of a version in the raw part', async () => {
    const raw = await rawOf('sparkly');
    const part = raw.versions['1.0.0'] as { info: Array<{ platform: string }>; api: Array<{ platform: string }> };
    expect(part.info.map((entry) => entry.platform).sort()).toEqual(['java', 'ruby', 'x86_64-linux']);
    expect(part.api.map((entry) => entry.platform).sort()).toEqual(['java', 'ruby', 'x86_64-linux']);
    expect(raw.versions['1.2.0']).toBeUndefined();
  });

  it('takes latest from the gems API and the prerelease above it', async () => {
    const { package: pkg } = await normalized('sparkly');
    expect(pkg.latestVersion).toBe('1.1.0');
    expect(pkg.latestPrerelease).toBe('2.0.0.rc1');
    expect(pkg.distTags).toEqual({});
    expect(pkg.downloads).toBe(12345);
  });

  it('flags prereleases by RubyGems rules', async () => {
    const result = await normalized('sparkly');
    expect(result.versions.filter((v) => v.prerelease).map((v) => v.version)).toEqual(['2.0.0.rc1', '1.0.0.pre.1']);
  });

  it('reads runtime dependencies of the source gem from the compact index', async () => {
    const v = version(await normalized('sparkly'), '1.0.0');
    expect(v.dependencies).toEqual([
      { name: 'glimmer', packageName: 'glimmer', constraint: '~> 1.2, >= 1.2.3', kind: 'RUNTIME', optional: false, bundled: false },
      { name: 'shine', packageName: 'shine', constraint: '>= 0', kind: 'RUNTIME', optional: false, bundled: false },
    ]);
  });

  it('adds development dependencies to the latest version only (the gems API has them for it alone)', async () => {
    const result = await normalized('sparkly');
    expect(version(result, '1.1.0').dependencies).toEqual([
      { name: 'glimmer', packageName: 'glimmer', constraint: '~> 1.2', kind: 'RUNTIME', optional: false, bundled: false },
      { name: 'minitest', packageName: 'minitest', constraint: '~> 5.15, >= 5.15.1', kind: 'DEVELOPMENT', optional: false, bundled: false },
      { name: 'rake', packageName: 'rake', constraint: '~> 13.0', kind: 'DEVELOPMENT', optional: false, bundled: false },
    ]);
    expect(version(result, '2.0.0.rc1').dependencies.map((d) => d.kind)).toEqual(['RUNTIME']);
  });

  it('takes checksum, engines and license of the ruby platform, the release date of the first platform pushed', async () => {
    const v = version(await normalized('sparkly'), '1.0.0');
    const line = fs.readFileSync(path.join(FIXTURES, 'info/sparkly'), 'utf8').split('\n').find((l) => l.startsWith('1.0.0 '))!;
    expect(v.checksums).toEqual([{ algorithm: 'sha256', value: /checksum:([0-9a-f]{64})/.exec(line)![1] }]);
    expect(v.engines).toEqual({ ruby: '>= 2.7', rubygems: '>= 3' });
    expect(v.license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'gemspec#licenses' });
    expect(v.releaseDate).toBe('2021-03-01T09:59:00.000Z');
    expect(v.artifactUrl).toBe('https://rubygems.test/gems/sparkly-1.0.0.gem');
  });

  it('lower-cases checksums, joins several licenses with OR and skips the `>= 0` default requirement', async () => {
    const v = version(await normalized('sparkly'), '1.1.0');
    expect(v.checksums[0]?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(v.license).toEqual({ spdx: 'MIT OR Ruby', name: 'MIT OR Ruby', source: 'gemspec#licenses' });
    expect(v.engines).toEqual({ ruby: '>= 2.7' });
  });

  it('a binary-only version points at its platform gem', async () => {
    const v = version(await normalized('sparkly'), '0.9.0');
    expect(v.artifactUrl).toBe('https://rubygems.test/gems/sparkly-0.9.0-java.gem');
    expect(v.checksums[0]?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(v.engines).toEqual({});
  });

  it('dates gems imported in 2009 by their gemspec date, falls back to the summary, no license when none is declared', async () => {
    const v = version(await normalized('sparkly'), '0.5.0');
    expect(v.releaseDate).toBe('2008-11-20T00:00:00.000Z');
    expect(v.description).toBe('Old sparkle.');
    expect(v.license).toBeNull();
  });

  it('reads authors as people and links from the version metadata, falling back to the gem', async () => {
    const result = await normalized('sparkly');
    const v = version(result, '1.0.0');
    expect(v.maintainers).toEqual([
      { name: 'Ada Lovelace', email: null, url: null },
      { name: 'Grace Hopper', email: 'grace@example.org', url: null },
    ]);
    expect(v.author).toEqual({ name: 'Ada Lovelace', email: null, url: null });
    expect(v.links).toEqual({
      repository: 'https://github.com/ada/sparkly',
      homepage: 'https://old.sparkly.example',
      documentation: 'https://www.rubydoc.info/gems/sparkly',
      changelog: 'https://github.com/ada/sparkly/blob/main/CHANGELOG.md',
      issues: 'https://github.com/ada/sparkly/issues',
    });
    expect(version(result, '1.1.0').links.homepage).toBe('https://sparkly.example');
    expect(v.keywords).toEqual([]);
    expect(v.sizeBytes).toBeNull();
    expect(v.description).toBe('Sparkly makes terminal output sparkle.');
  });

  it('fills the package from the gems API', async () => {
    const { package: pkg } = await normalized('sparkly');
    expect(pkg).toEqual({
      ecosystem: 'rubygems',
      name: 'sparkly',
      description: 'Sparkly makes terminal output sparkle.',
      homepage: 'https://sparkly.example',
      repositoryUrl: 'https://github.com/ada/sparkly',
      license: { spdx: 'MIT OR Ruby', name: 'MIT OR Ruby', source: 'gemspec#licenses' },
      keywords: [],
      maintainers: [
        { name: 'Ada Lovelace', email: null, url: null },
        { name: 'Grace Hopper', email: 'grace@example.org', url: null },
      ],
      deprecated: false,
      deprecationMessage: null,
      latestVersion: '1.1.0',
      latestPrerelease: '2.0.0.rc1',
      distTags: {},
      versionCount: 6,
      createdAt: '2008-11-20T00:00:00.000Z',
      modifiedAt: '2024-01-10T08:00:00.000Z',
      downloads: 12345,
    });
  });

  it('a gem whose every version is yanked reports the yanked version the gems API still describes', async () => {
    const result = await normalized('gone-gem');
    expect(result.package).toMatchObject({ latestVersion: null, latestPrerelease: null, versionCount: 1, description: 'Was here.' });
    expect(result.versions).toHaveLength(1);
    expect(result.versions[0]).toMatchObject({
      version: '0.2.0',
      status: 'YANKED',
      releaseDate: '2019-09-09T09:09:09.000Z',
      license: { spdx: 'Apache-2.0' },
      dependencies: [{ name: 'rack', packageName: 'rack', constraint: '>= 2', kind: 'RUNTIME', optional: false, bundled: false }],
    });
    expect(result.versions[0]?.checksums[0]?.value).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a case-sensitive name without a versions answer: dates from the gems API, repository from a GitHub homepage', async () => {
    const result = await normalized('ShinyThing');
    expect(result.package).toMatchObject({ name: 'ShinyThing', latestVersion: '3.0', repositoryUrl: 'https://github.com/case/shiny_thing', license: null });
    expect(result.versions[0]).toMatchObject({ version: '3.0', releaseDate: '2015-01-01T00:00:00.000Z', artifactUrl: 'https://rubygems.test/gems/ShinyThing-3.0.gem' });
  });

  it('without a compact index (404): versions from the versions API, dependencies of older versions pending', async () => {
    const raw = await rawOf('quietgem');
    const result = adapter.normalize('quietgem', raw);
    expect(result.versions.map((v) => [v.version, v.status])).toEqual([
      ['2.0.0', 'ACTIVE'],
      ['1.0.0', 'ACTIVE'],
    ]);
    const latest = version(result, '2.0.0');
    expect(latest.detailsPending).toBeUndefined();
    expect(latest.dependencies.map((d) => [d.name, d.constraint, d.kind])).toEqual([
      ['hush', '>= 1.1, < 3', 'RUNTIME'],
      ['rspec', '~> 3.12', 'DEVELOPMENT'],
    ]);
    expect(latest).toMatchObject({ engines: { ruby: '>= 3.1' }, license: { spdx: 'BSD-2-Clause' }, releaseDate: '2022-02-02T02:02:02.000Z' });
    expect(latest.checksums[0]?.value).toMatch(/^[0-9a-f]{64}$/);
    const older = version(result, '1.0.0');
    expect(older).toMatchObject({ detailsPending: true, dependencies: [] });

    const details = { runtime: [{ name: 'hush', requirements: '~> 1.0' }], development: [{ name: 'rspec', requirements: '~> 3.0' }] };
    const attached = adapter.versionDetails!.attach(raw.versions['1.0.0'], details);
    const completed = version(adapter.normalize('quietgem', { package: raw.package, versions: { '1.0.0': attached } }), '1.0.0');
    expect(completed.detailsPending).toBeUndefined();
    expect(completed.dependencies.map((d) => [d.name, d.constraint, d.kind])).toEqual([
      ['hush', '~> 1.0', 'RUNTIME'],
      ['rspec', '~> 3.0', 'DEVELOPMENT'],
    ]);
    const none = adapter.versionDetails!.attach(raw.versions['1.0.0'], null);
    const settled = version(adapter.normalize('quietgem', { package: raw.package, versions: { '1.0.0': none } }), '1.0.0');
    expect(settled.detailsPending).toBeUndefined();
    expect(settled.dependencies).toEqual([]);
  });

  it('dates a version the versions API does not list from the compact index v2 `created_at`', async () => {
    const info = '---\n0.1.0 |checksum:00,created_at:2026-03-04T05:06:07Z\n0.1.0-java |checksum:00,created_at:2026-03-04T05:00:00Z\n0.2.0 |checksum:00\n';
    const raw = await rawOf('newgem', { 'info/newgem': info, 'api/v1/versions/newgem.json': [] });
    const result = adapter.normalize('newgem', raw);
    expect(result.versions.map((v) => [v.version, v.releaseDate])).toEqual([
      ['0.2.0', null],
      ['0.1.0', '2026-03-04T05:00:00.000Z'],
    ]);
  });

  it('is pure and re-runnable, also over a subset of versions', async () => {
    const raw = await rawOf('sparkly');
    const copy = JSON.parse(JSON.stringify(raw)) as RawDocument;
    const first = adapter.normalize('sparkly', raw);
    expect(adapter.normalize('sparkly', copy)).toEqual(first);
    expect(adapter.normalize('sparkly', { package: copy.package, versions: { '1.0.0': copy.versions['1.0.0'] } }).versions).toEqual([version(first, '1.0.0')]);
  });

  it('gives the source archive with its sha256', async () => {
    const v = version(await normalized('sparkly'), '1.0.0');
    expect(adapter.sourceArchive?.(v)).toEqual({ url: 'https://rubygems.test/gems/sparkly-1.0.0.gem', extension: 'gem', digest: v.checksums[0] });
  });

  it('stored raw data of the wrong shape is UPSTREAM_INVALID', () => {
    const error = catchError(() => normalizeRubygem('x', { package: 'nope', versions: {} }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_INVALID');
  });
});
