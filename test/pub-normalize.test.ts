import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPubAdapter, normalizePub, normalizePubName, pubDependency, scoreLicense } from '../src/ecosystems/pub/index.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import { comparePubVersions, parsePubVersion, pubVersioning } from '../src/versioning/pub.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'pub');
const BASE = 'https://pub.example';

/** The listing from its fixture file; `/options` and `/score` from test/fixtures/pub/side/<name>/ (404 when absent). */
function fixtureClient(requests: string[] = []): UpstreamClient {
  return {
    async get(_upstream, url): Promise<GetResult> {
      const relative = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '');
      requests.push(relative);
      const side = /^api\/packages\/([^/]+)\/(options|score)$/.exec(relative);
      const file = side ? path.join(FIXTURES, 'side', side[1]!, `${side[2]}.json`) : path.join(FIXTURES, relative);
      if (!fs.existsSync(file)) return { kind: 'not-found', status: 404 };
      return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'application/json', validators: { etag: null, lastModified: null } };
    },
  };
}

async function load(name: string): Promise<{ raw: RawDocument; normalized: NormalizedPackage }> {
  const adapter = createPubAdapter({ baseUrl: BASE });
  const result = await adapter.fetch(name, { http: fixtureClient(), conditional: null });
  if (result.kind !== 'ok') throw new Error(`fetch gave ${result.kind}`);
  return { raw: result.raw, normalized: adapter.normalize(name, result.raw) };
}

function version(pkg: NormalizedPackage, v: string): VersionRecord {
  const record = pkg.versions.find((entry) => entry.version === v);
  if (!record) throw new Error(`no version ${v}`);
  return record;
}

describe('pub versioning (pub_semver)', () => {
  it('parses semver 2.0 with build metadata', () => {
    expect(parsePubVersion('1.2.3-dev.4+build.5')).toEqual({ major: '1', minor: '2', patch: '3', preRelease: ['dev', '4'], build: ['build', '5'] });
    for (const invalid of ['1.2', 'v1.2.3', '1.2.3-', '1.2.3+', '1.2.3-a..b', ' 1.2.3']) expect(pubVersioning.isValid(invalid), invalid).toBe(false);
  });

  it('orders builds after their release, prereleases before, numbers before strings', () => {
    const ordered = ['0.9.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.0+1', '1.0.0+2', '1.0.0+10', '1.0.0+build', '1.0.1', '10.0.0'];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(pubVersioning.compare)).toEqual(ordered);
    expect(comparePubVersions(parsePubVersion('1.0.0+1')!, parsePubVersion('1.0.0')!)).toBe(1);
    expect(pubVersioning.compare('not-a-version', '0.0.1')).toBe(-1);
    expect(pubVersioning.compare('99999999999999999999.0.0', '99999999999999999998.0.0')).toBe(1);
  });

  it('calls a version prerelease by semver only', () => {
    expect(pubVersioning.isPrerelease('2.0.0-dev.1')).toBe(true);
    expect(pubVersioning.isPrerelease('1.0.0+1')).toBe(false);
    expect(pubVersioning.isPrerelease('1.0.0')).toBe(false);
  });
});

describe('pub names', () => {
  it('accepts pub names and lower-cases them, keeping the old mixed-case packages', () => {
    expect(normalizePubName(' Fancy_Widgets ')).toBe('fancy_widgets');
    expect(normalizePubName('_private9')).toBe('_private9');
    expect(normalizePubName('Autolinker')).toBe('Autolinker');
    expect(normalizePubName('autolinker')).toBe('Autolinker');
    expect(normalizePubName('Babylon')).toBe('Babylon');
    expect(normalizePubName('babylon')).toBe('babylon');
  });

  it('rejects names outside the rules with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/], ['9lives', /begin with a letter or underscore/], ['my-package', /letters, digits and underscores/],
      ['a/b', /letters, digits and underscores/], ['../x', /letters, digits and underscores/], ['a'.repeat(65), /64/], ['pkg.name', /letters/],
    ];
    for (const [name, reason] of cases) {
      let error: unknown;
      try {
        normalizePubName(name);
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toMatchObject({ code: 'INVALID_INPUT' });
      expect((error as Error).message, name).toMatch(reason);
    }
  });

  it('has no purl namespace', () => {
    const adapter = createPubAdapter({ baseUrl: BASE });
    expect(adapter.purlType).toBe('pub');
    expect(adapter.toPurlParts('fancy_widgets')).toEqual({ namespace: null, name: 'fancy_widgets' });
    expect(adapter.fromPurlParts(null, 'fancy_widgets')).toBe('fancy_widgets');
  });
});

describe('pub dependency forms', () => {
  const dep = (spec: unknown, kind: 'RUNTIME' | 'DEVELOPMENT' = 'RUNTIME') => pubDependency('foo', spec, kind);

  it('reads hosted constraints: string, null (any), {version}, {version, hosted: url|name|{name, url}}', () => {
    expect(dep('^1.2.0')).toEqual({ name: 'foo', packageName: 'foo', constraint: '^1.2.0', kind: 'RUNTIME', optional: false, bundled: false });
    expect(dep(null)?.constraint).toBe('any');
    expect(dep('')?.constraint).toBe('any');
    expect(dep({ version: '>=1.0.0 <2.0.0' })?.constraint).toBe('>=1.0.0 <2.0.0');
    expect(dep({ hosted: 'https://pub.dev', version: '^2.0.0' })).toMatchObject({ packageName: 'foo', constraint: '^2.0.0' });
    expect(dep({ hosted: { name: 'bar', url: 'https://pub.dartlang.org' }, version: '^3.0.0' })).toMatchObject({ name: 'foo', packageName: 'bar', constraint: '^3.0.0' });
    expect(dep({ hosted: 'bar', version: '^3.0.0' })).toMatchObject({ packageName: 'bar', constraint: '^3.0.0' });
    expect(dep({ hosted: { name: 'bar' } })).toMatchObject({ packageName: 'bar', constraint: 'any' });
  });

  it('marks dependencies from another repository, git, a path or an SDK in the constraint', () => {
    expect(dep({ hosted: 'https://pub.example-corp.dev', version: '^1.0.0' })).toMatchObject({ packageName: 'foo', constraint: 'hosted: https://pub.example-corp.dev (version: ^1.0.0)' });
    expect(dep({ hosted: { name: 'baz', url: 'https://pub.example-corp.dev' } })).toMatchObject({ packageName: 'baz', constraint: 'hosted: https://pub.example-corp.dev (version: any)' });
    expect(dep({ git: 'https://github.com/o/foo.git' })).toMatchObject({ packageName: 'foo', constraint: 'git: https://github.com/o/foo.git' });
    expect(dep({ git: { url: 'git@github.com:o/foo.git', ref: 'main', path: 'pkgs/foo' }, version: '^1.0.0' })?.constraint).toBe('git: git@github.com:o/foo.git (ref: main, path: pkgs/foo, version: ^1.0.0)');
    expect(dep({ path: '../foo' })?.constraint).toBe('path: ../foo');
    expect(dep({ sdk: 'flutter' })).toMatchObject({ packageName: 'foo', constraint: 'sdk: flutter' });
    expect(dep({ sdk: 'flutter', version: '>=3.0.0' }, 'DEVELOPMENT')).toMatchObject({ kind: 'DEVELOPMENT', constraint: 'sdk: flutter (version: >=3.0.0)' });
  });

  it('skips specs it cannot read', () => {
    expect(dep(42)).toBeNull();
    expect(dep(['^1.0.0'])).toBeNull();
    expect(dep({ unknown_source: 'x' })).toBeNull();
  });
});

describe('pub license from score tags', () => {
  it('maps pana license tags to SPDX ids and ignores the descriptive ones', () => {
    expect(scoreLicense(['sdk:dart', 'license:bsd-3-clause', 'license:osi-approved', 'license:fsf-libre'])).toEqual({
      spdx: 'BSD-3-Clause', name: 'BSD-3-Clause', source: 'pub.dev score tags (pana, latest version)',
    });
    expect(scoreLicense(['license:mit', 'license:apache-2.0'])).toMatchObject({ spdx: 'MIT AND Apache-2.0', name: 'MIT, Apache-2.0' });
    expect(scoreLicense(['license:unknown'])).toBeNull();
    expect(scoreLicense(['license:made-up-license'])).toMatchObject({ spdx: null, name: 'made-up-license' });
    expect(scoreLicense(undefined)).toBeNull();
  });
});

describe('pub normalization (fancy_widgets fixture)', () => {
  it('keeps the listing, the options and the score documents as the package part, one entry per version', async () => {
    const { raw } = await load('fancy_widgets');
    expect(Object.keys(raw.versions)).toEqual(['0.9.0', '1.0.0+1', '1.0.0', '1.1.0', '1.2.0', '2.0.0-dev.1']);
    const pkg = raw.package as { listing: Record<string, unknown>; options: unknown; score: { likeCount: number } };
    expect(pkg.listing).not.toHaveProperty('versions');
    expect(pkg.listing).toMatchObject({ name: 'fancy_widgets', isDiscontinued: true, replacedBy: 'better_widgets', latest: { version: '1.2.0' } });
    expect(pkg.options).toEqual({ isDiscontinued: true, replacedBy: 'better_widgets', isUnlisted: false });
    expect(pkg.score.likeCount).toBe(42);
  });

  it('orders versions newest first by pub_semver (builds after their release)', async () => {
    const { normalized } = await load('fancy_widgets');
    expect(normalized.versions.map((v) => v.version)).toEqual(['2.0.0-dev.1', '1.2.0', '1.1.0', '1.0.0+1', '1.0.0', '0.9.0']);
  });

  it('normalizes package-level fields', async () => {
    const { normalized } = await load('fancy_widgets');
    expect(normalized.package).toEqual({
      ecosystem: 'pub',
      name: 'fancy_widgets',
      description: 'Animated widgets for dashboards.',
      homepage: 'https://fancy.example.dev',
      repositoryUrl: 'https://github.com/example-org/fancy_widgets/tree/main/packages/fancy_widgets',
      license: { spdx: 'BSD-3-Clause', name: 'BSD-3-Clause', source: 'pub.dev score tags (pana, latest version)' },
      keywords: ['widgets', 'animation'],
      maintainers: [],
      deprecated: true,
      deprecationMessage: 'discontinued; use better_widgets',
      latestVersion: '1.2.0',
      latestPrerelease: '2.0.0-dev.1',
      distTags: { latest: '1.2.0' },
      versionCount: 6,
      createdAt: '2022-01-01T00:00:00.000Z',
      modifiedAt: '2024-06-01T00:00:00.000Z',
    });
  });

  it('normalizes every field of a version, with each dependency form', async () => {
    const { normalized } = await load('fancy_widgets');
    const dep = (name: string, packageName: string, constraint: string, kind = 'RUNTIME') => ({ name, packageName, constraint, kind, optional: false, bundled: false });
    expect(version(normalized, '1.2.0')).toEqual({
      ecosystem: 'pub',
      name: 'fancy_widgets',
      version: '1.2.0',
      license: { spdx: 'BSD-3-Clause', name: 'BSD-3-Clause', source: 'pub.dev score tags (pana, latest version)' },
      releaseDate: '2024-05-02T10:11:12.131Z',
      status: 'DEPRECATED',
      prerelease: false,
      deprecatedMessage: 'discontinued; use better_widgets',
      maintainers: [],
      author: null,
      dependencies: [
        dep('flutter', 'flutter', 'sdk: flutter'),
        dep('meta', 'meta', '^1.9.0'),
        dep('collection', 'collection', 'any'),
        dep('intl', 'intl', '>=0.18.0 <0.20.0'),
        dep('charts_core', 'charts_common', '^0.12.0'),
        dep('private_theme', 'private_theme', 'hosted: https://pub.example-corp.dev (version: ^2.0.0)'),
        dep('tiny_icons', 'tiny_icons', 'git: https://github.com/example-org/tiny_icons.git'),
        dep('shapes', 'shapes', 'git: https://github.com/example-org/shapes.git (ref: v2, path: packages/shapes)'),
        dep('local_utils', 'local_utils', 'path: ../local_utils'),
        dep('plain_hosted', 'plain_hosted', '^1.0.0'),
        dep('flutter_test', 'flutter_test', 'sdk: flutter', 'DEVELOPMENT'),
        dep('test', 'test', 'any', 'DEVELOPMENT'),
        dep('lints', 'lints', '^3.0.0', 'DEVELOPMENT'),
      ],
      links: {
        repository: 'https://github.com/example-org/fancy_widgets/tree/main/packages/fancy_widgets',
        homepage: 'https://fancy.example.dev',
        documentation: 'https://fancy.example.dev/docs',
        changelog: null,
        issues: 'https://github.com/example-org/fancy_widgets/issues',
      },
      checksums: [{ algorithm: 'sha256', value: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' }],
      sizeBytes: null,
      keywords: ['widgets', 'animation'],
      description: 'Animated widgets for dashboards.',
      engines: { sdk: '>=3.0.0 <4.0.0', flutter: '>=3.10.0' },
      artifactUrl: 'https://pub.dev/api/archives/fancy_widgets-1.2.0.tar.gz',
    });
  });

  it('ignores dependency_overrides', async () => {
    const { normalized } = await load('fancy_widgets');
    expect(version(normalized, '1.2.0').dependencies.filter((d) => d.name === 'meta')).toEqual([expect.objectContaining({ constraint: '^1.9.0' })]);
  });

  it('marks retracted versions RETRACTED and never picks them as latest', async () => {
    const { normalized } = await load('fancy_widgets');
    expect(version(normalized, '1.1.0').status).toBe('RETRACTED');
    expect(version(normalized, '1.0.0').status).toBe('DEPRECATED');
  });

  it('reads the older pubspec fields: author, authors, homepage as repository', async () => {
    const { normalized } = await load('fancy_widgets');
    const old = version(normalized, '0.9.0');
    expect(old.author).toEqual({ name: 'Ada Example', email: 'ada@example.org', url: null });
    expect(old.maintainers).toEqual([{ name: 'Ada Example', email: 'ada@example.org', url: null }]);
    expect(old.links).toMatchObject({ repository: 'https://github.com/example-org/fancy_widgets', homepage: 'https://github.com/example-org/fancy_widgets', issues: 'https://github.com/example-org/fancy_widgets/issues' });
    expect(old.license).toBeNull();
    expect(version(normalized, '1.0.0+1').maintainers).toEqual([
      { name: 'Ada Example', email: 'ada@example.org', url: null },
      { name: 'Bo Sample', email: null, url: null },
    ]);
    expect(version(normalized, '2.0.0-dev.1')).toMatchObject({ prerelease: true, engines: { sdk: '^3.3.0' }, license: null });
  });

  it('re-normalizes from the stored raw document alone, also with only some versions present', async () => {
    const { raw, normalized } = await load('fancy_widgets');
    expect(normalizePub('fancy_widgets', JSON.parse(JSON.stringify(raw)) as RawDocument)).toEqual(normalized);
    const partial = normalizePub('fancy_widgets', { package: raw.package, versions: { '0.9.0': raw.versions['0.9.0'] } });
    expect(partial.versions).toEqual([version(normalized, '0.9.0')]);
  });
});

describe('pub normalization: other shapes', () => {
  it('reads an old listing without archive_sha256, options or score', async () => {
    const requests: string[] = [];
    const adapter = createPubAdapter({ baseUrl: BASE });
    const result = await adapter.fetch('old_thing', { http: fixtureClient(requests), conditional: null });
    expect(requests.sort()).toEqual(['api/packages/old_thing', 'api/packages/old_thing/options', 'api/packages/old_thing/score']);
    if (result.kind !== 'ok') throw new Error(result.kind);
    expect(result.raw.package).toMatchObject({ options: null, score: null });
    const normalized = adapter.normalize('old_thing', result.raw);
    expect(normalized.package).toMatchObject({
      latestVersion: '0.2.0',
      latestPrerelease: '0.3.0-beta',
      deprecated: false,
      deprecationMessage: null,
      license: null,
      repositoryUrl: 'https://gitlab.com/cy/old_thing',
      maintainers: [{ name: 'Cy Oldtimer', email: 'cy@example.net', url: null }],
    });
    const latest = version(normalized, '0.2.0');
    expect(latest).toMatchObject({ status: 'ACTIVE', checksums: [], artifactUrl: 'https://pub.dartlang.org/packages/old_thing/versions/0.2.0.tar.gz' });
    expect(latest.dependencies).toEqual([{ name: 'unittest', packageName: 'unittest', constraint: 'any', kind: 'DEVELOPMENT', optional: false, bundled: false }]);
    expect(adapter.sourceHosts).toContain('pub.dartlang.org');
  });

  const entry = (v: string, extra: Record<string, unknown> = {}) => ({ version: v, pubspec: { name: 'x', version: v }, published: '2024-01-01T00:00:00Z', ...extra });

  it('takes discontinued from the options document, else from the listing', () => {
    const versions = { '1.0.0': entry('1.0.0') };
    const listing = { name: 'x', latest: entry('1.0.0') };
    const fromListing = normalizePub('x', { package: { listing: { ...listing, isDiscontinued: true }, options: null, score: null }, versions });
    expect(fromListing.package).toMatchObject({ deprecated: true, deprecationMessage: 'discontinued' });
    const fromOptions = normalizePub('x', { package: { listing, options: { isDiscontinued: true, replacedBy: 'y', isUnlisted: false }, score: null }, versions });
    expect(fromOptions.package).toMatchObject({ deprecated: true, deprecationMessage: 'discontinued; use y' });
    expect(fromOptions.versions[0]).toMatchObject({ status: 'DEPRECATED', deprecatedMessage: 'discontinued; use y' });
    const revived = normalizePub('x', { package: { listing: { ...listing, isDiscontinued: true }, options: { isDiscontinued: false }, score: null }, versions });
    expect(revived.package.deprecated).toBe(false);
  });

  it('falls back to the highest non-retracted release when `latest` is missing or retracted', () => {
    const versions = { '1.0.0': entry('1.0.0'), '1.1.0': entry('1.1.0', { retracted: true }), '2.0.0-beta': entry('2.0.0-beta') };
    const result = normalizePub('x', { package: { listing: { name: 'x', latest: entry('1.1.0') }, options: null, score: null }, versions });
    expect(result.package).toMatchObject({ latestVersion: '1.0.0', latestPrerelease: '2.0.0-beta', distTags: {} });
    const onlyPre = normalizePub('x', { package: { listing: { name: 'x' } }, versions: { '2.0.0-beta': entry('2.0.0-beta') } });
    expect(onlyPre.package).toMatchObject({ latestVersion: null, latestPrerelease: '2.0.0-beta' });
  });

  it('reads a declared pubspec license when an author added one', () => {
    const result = normalizePub('x', { package: { listing: { name: 'x' } }, versions: { '1.0.0': { version: '1.0.0', pubspec: { license: 'mit' } } } });
    expect(result.versions[0]!.license).toEqual({ spdx: 'MIT', name: 'mit', source: 'pubspec.yaml#license' });
  });

  it('rejects stored data of the wrong shape as UPSTREAM_INVALID', () => {
    expect(() => normalizePub('x', { package: { nope: true }, versions: {} })).toThrow(expect.objectContaining({ code: 'UPSTREAM_INVALID' }));
    expect(() => normalizePub('x', { package: { listing: {} }, versions: { '1.0.0': 7 } })).toThrow(expect.objectContaining({ code: 'UPSTREAM_INVALID' }));
  });
});
