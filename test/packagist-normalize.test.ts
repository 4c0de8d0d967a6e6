import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { abandonedMessage, createPackagistAdapter, isPlatformPackage, normalizePackagist, normalizePackagistName } from '../src/ecosystems/packagist/index.js';
import { expandComposerMetadata } from '../src/ecosystems/packagist/minifier.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import type { GetOptions, GetResult, UpstreamClient } from '../src/http/client.js';
import {
  compareNormalized,
  composerVersioning,
  normalizeBranch,
  normalizeComposerVersion,
  parseStability,
  phpVersionCompare,
} from '../src/versioning/composer.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'packagist');
const BASE = 'https://repo.packagist.example';

/** Serves fixture files by URL path (no HTTP): the fetch path runs on the same bytes the fake upstream serves. */
function fixtureClient(requests: string[] = []): UpstreamClient {
  return {
    async get(_upstream, url: string, _options?: GetOptions): Promise<GetResult> {
      const relative = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '');
      requests.push(relative);
      const file = path.join(FIXTURES, relative);
      if (!fs.existsSync(file)) return { kind: 'not-found', status: 404 };
      return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'application/json', validators: { etag: '"x"', lastModified: null } };
    },
  };
}

async function load(name: string, devVersions = false): Promise<{ raw: RawDocument; normalized: NormalizedPackage }> {
  const adapter = createPackagistAdapter({ baseUrl: BASE, devVersions });
  const result = await adapter.fetch(name, { http: fixtureClient(), conditional: null });
  if (result.kind !== 'ok') throw new Error(`fetch gave ${result.kind}`);
  return { raw: result.raw, normalized: adapter.normalize(name, result.raw) };
}

function version(pkg: NormalizedPackage, v: string): VersionRecord {
  const record = pkg.versions.find((entry) => entry.version === v);
  if (!record) throw new Error(`no version ${v}`);
  return record;
}

describe('MetadataMinifier::expand port', () => {
  it('inherits every field of the entry before, overrides changed ones and deletes "__unset" ones', () => {
    const expanded = expandComposerMetadata([
      { name: 'a/b', version: '2.0.0', require: { php: '>=8' }, funding: [{ type: 'github' }], extra: { x: 1 } },
      { version: '1.1.0', funding: '__unset' },
      { version: '1.0.0', require: { php: '>=7' }, extra: '__unset' },
      { version: '0.9.0', funding: [{ type: 'tidelift' }] },
    ]);
    expect(expanded).toEqual([
      { name: 'a/b', version: '2.0.0', require: { php: '>=8' }, funding: [{ type: 'github' }], extra: { x: 1 } },
      { name: 'a/b', version: '1.1.0', require: { php: '>=8' }, extra: { x: 1 } },
      { name: 'a/b', version: '1.0.0', require: { php: '>=7' } },
      { name: 'a/b', version: '0.9.0', require: { php: '>=7' }, funding: [{ type: 'tidelift' }] },
    ]);
  });

  it('keeps PHP key order: an overridden key stays in place, a re-added key goes last', () => {
    const [, second, third] = expandComposerMetadata([{ a: 1, b: 2, c: 3 }, { b: '__unset' }, { a: 9, b: 4 }]);
    expect(Object.keys(second!)).toEqual(['a', 'c']);
    expect(Object.keys(third!)).toEqual(['a', 'c', 'b']);
    expect(third).toEqual({ a: 9, c: 3, b: 4 });
  });

  it('takes the first entry verbatim (an "__unset" there is a value) and restarts after an empty one, as PHP does', () => {
    expect(expandComposerMetadata([{ version: '1', x: '__unset' }])).toEqual([{ version: '1', x: '__unset' }]);
    expect(expandComposerMetadata([{}, { version: '2', y: '__unset' }, { version: '1' }])).toEqual([{}, { version: '2', y: '__unset' }, { version: '1', y: '__unset' }]);
    expect(expandComposerMetadata([])).toEqual([]);
  });

  it('does not modify its input and keeps a "__proto__" key as plain data', () => {
    const input = JSON.parse('[{"version":"2","a":{"k":1}},{"version":"1","__proto__":{"polluted":true},"a":"__unset"}]') as Record<string, unknown>[];
    const copy = structuredClone(input);
    const expanded = expandComposerMetadata(input);
    expect(input).toEqual(copy);
    expect(Object.getPrototypeOf(expanded[1])).toBe(Object.prototype);
    expect(Object.hasOwn(expanded[1]!, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(expanded[1]).not.toHaveProperty('a');
  });
});

describe('Composer versioning', () => {
  it('normalizes versions as composer/semver does', () => {
    const cases: Array<[string, string | null]> = [
      ['v2.5', '2.5.0.0'], ['1.0.0-beta2', '1.0.0.0-beta2'], ['3.0.0-RC1', '3.0.0.0-RC1'], ['1.0.0-rc.1', '1.0.0.0-RC1'],
      ['1.0.0-p1', '1.0.0.0-patch1'], ['1.0.0-pl2', '1.0.0.0-patch2'], ['1.0-b1', '1.0.0.0-beta1'], ['v1.0.0-alpha.3', '1.0.0.0-alpha3'],
      ['1.2.3.4', '1.2.3.4'], ['1.2.3+build.7', '1.2.3.0'], ['1.0.0-stable', '1.0.0.0'], ['1.0.0-dev', '1.0.0.0-dev'],
      ['2.x-dev', '2.9999999.9999999.9999999-dev'], ['2.1.x-dev', '2.1.9999999.9999999-dev'], ['dev-main', 'dev-main'],
      ['DEV-Feature/x', 'dev-Feature/x'], ['2024.01.15', '2024.01.15.0'], ['20100102-203040', '20100102.203040'], ['1.0.0@beta', '1.0.0.0'], ['1.2.3.4.5', null], ['foo', null], ['feature-dev', null],
    ];
    for (const [input, expected] of cases) expect(normalizeComposerVersion(input), input).toBe(expected);
    expect(normalizeBranch('3.x')).toBe('3.9999999.9999999.9999999-dev');
    expect(normalizeBranch('feature')).toBe('dev-feature');
  });

  it('reads stability flags: beta, RC, alpha, dev; -patch/-p releases are stable', () => {
    const cases: Array<[string, string]> = [
      ['1.0.0', 'stable'], ['v2.5', 'stable'], ['1.0.0-beta2', 'beta'], ['1.0.0-b1', 'beta'], ['1.0.0-RC1', 'RC'], ['1.0.0-rc.2', 'RC'],
      ['1.0.0-alpha', 'alpha'], ['1.0.0-a3', 'alpha'], ['1.0.0-patch1', 'stable'], ['1.0.0-p2', 'stable'], ['1.0.0-pl3', 'stable'],
      ['dev-main', 'dev'], ['2.x-dev', 'dev'], ['1.0.0-beta1-dev', 'dev'], ['1.2.3.4', 'stable'], ['1.0.0-beta2+build', 'beta'],
    ];
    for (const [input, expected] of cases) expect(parseStability(input), input).toBe(expected);
    expect(composerVersioning.isPrerelease('2.9.0-patch1')).toBe(false);
    expect(composerVersioning.isPrerelease('3.1.0-RC1')).toBe(true);
    expect(composerVersioning.isPrerelease('dev-main')).toBe(true);
  });

  it("orders like PHP's version_compare on normalized versions", () => {
    const lt: Array<[string, string]> = [
      ['1.0.0.0-dev', '1.0.0.0-alpha1'], ['1.0.0.0-alpha1', '1.0.0.0-beta1'], ['1.0.0.0-beta2', '1.0.0.0-RC1'], ['1.0.0.0-RC1', '1.0.0.0'],
      ['1.0.0.0', '1.0.0.0-patch1'], ['2.9.0.0', '2.10.0.0'], ['1.0.0.0-alpha', '1.0.0.0-alpha1'], ['1.0.0.0', '1.0.0.1'],
      ['1.0', '1.0.0'], ['1.0rc1', '1.0'], ['5.2', '5.2.0-dev'],
    ];
    for (const [a, b] of lt) {
      expect(phpVersionCompare(a, b), `${a} < ${b}`).toBe(-1);
      expect(phpVersionCompare(b, a), `${b} > ${a}`).toBe(1);
    }
    expect(phpVersionCompare('1.0.0.0', '1.0.0.0')).toBe(0);
    expect(phpVersionCompare('99999999999999999999.0', '99999999999999999998.0')).toBe(1);
  });

  it('puts dev branches below numbered versions and gives a total order', () => {
    expect(compareNormalized('dev-main', '0.0.1.0')).toBe(-1);
    expect(compareNormalized('dev-a', 'dev-b')).toBe(-1);
    const sorted = ['v2.10', 'bogus', '2.9.1', 'dev-main', '3.0.0-RC1', '3.0.0', 'v2.9.1', '3.0.0-beta1'].sort(composerVersioning.compare);
    expect(sorted).toEqual(['bogus', 'dev-main', '2.9.1', 'v2.9.1', 'v2.10', '3.0.0-beta1', '3.0.0-RC1', '3.0.0']);
    expect(composerVersioning.isValid('v2.5')).toBe(true);
    expect(composerVersioning.isValid('not a version')).toBe(false);
  });
});

describe('Packagist names', () => {
  it('accepts vendor/package names by Composer\'s rule, lower-cased', () => {
    expect(normalizePackagistName('  Monolog/Monolog ')).toBe('monolog/monolog');
    for (const name of ['a/b', 'symfony/polyfill-php80', 'my.vendor/my_pkg', 'vendor-1/pkg--double', 'acme/x.y_z-w']) expect(normalizePackagistName(name)).toBe(name);
  });

  it('rejects names outside the rule with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/], ['monolog', /vendor\/package/], ['a/b/c', /vendor\/package/], ['-acme/pkg', /vendor/], ['acme--x/pkg', /vendor/],
      ['acme/pkg-', /package/], ['acme/_pkg', /package/], ['acme/pkg---x', /package/], ['acme/p kg', /package/], ['../etc/passwd', /vendor\/package|vendor/],
      ['acme/pkg@1.0', /package/],
    ];
    for (const [name, reason] of cases) {
      let error: unknown;
      try {
        normalizePackagistName(name);
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toMatchObject({ code: 'INVALID_INPUT' });
      expect((error as Error).message, name).toMatch(reason);
    }
  });

  it('does not backtrack for long near-miss names', () => {
    const started = performance.now();
    expect(() => normalizePackagistName(`${'a'.repeat(5000)}!/pkg`)).toThrow(/vendor/);
    expect(() => normalizePackagistName(`acme/${'a1'.repeat(5000)}-`)).toThrow(/package/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('maps purl parts: namespace = vendor', () => {
    const adapter = createPackagistAdapter({ baseUrl: BASE });
    expect(adapter.purlType).toBe('composer');
    expect(adapter.toPurlParts('acme/logger')).toEqual({ namespace: 'acme', name: 'logger' });
    expect(adapter.fromPurlParts('Acme', 'Logger')).toBe('acme/logger');
  });

  it('marks platform packages as Composer does', () => {
    for (const name of ['php', 'php-64bit', 'php-ipv6', 'hhvm', 'ext-json', 'ext-pdo_mysql', 'lib-curl', 'lib-icu-uc', 'composer-plugin-api', 'composer-runtime-api', 'composer', 'EXT-mbstring']) {
      expect(isPlatformPackage(name), name).toBe(true);
    }
    for (const name of ['psr/log', 'phpunit/phpunit', 'ext-', 'composer/composer', 'php-fig', 'extension']) expect(isPlatformPackage(name), name).toBe(false);
  });
});

describe('Packagist normalization (acme/logger fixture)', () => {
  it('stores the expanded entries, one per version, and the top level (advisories) as the package part', async () => {
    const { raw } = await load('acme/logger');
    expect(Object.keys(raw.versions)).toHaveLength(9);
    expect(raw.package).toEqual({
      minified: 'composer/2.0',
      'security-advisories': [{ advisoryId: 'PKSA-test-aaaa-bbbb', affectedVersions: '>=2.9.0,<2.10.0' }],
    });
    const rc = raw.versions['3.1.0-RC1'] as Record<string, unknown>;
    // Inherited from the entry before it.
    expect(rc.description).toBe('Writes structured logs to files, sockets and queues');
    expect(rc.abandoned).toBe('acme/new-logger');
    expect(rc.provide).toEqual({ 'psr/log-implementation': '3.0.0' });
    // `funding: "__unset"` on v3.0.0 removes it there and below.
    expect(raw.versions['v3.0.0']).not.toHaveProperty('funding');
    expect(raw.versions['v2.10.0']).not.toHaveProperty('require-dev');
    expect(raw.versions['2.9.0']).not.toHaveProperty('support');
    expect((raw.versions['v2.10.0'] as Record<string, unknown>).require).toEqual({ php: '>=8.0', 'psr/log': '^2.0' });
  });

  it('orders versions newest first by version_normalized (not by time), four-part and patch versions included', async () => {
    const { normalized } = await load('acme/logger');
    expect(normalized.versions.map((v) => v.version)).toEqual(['3.1.0', '3.1.0-RC1', 'v3.0.0', 'v2.10.0', 'v2.9.1.2', '2.9.0-patch1', '2.9.0', '2.0.0-beta2', '1.0.0-alpha']);
    expect(normalized.versions.map((v) => v.prerelease)).toEqual([false, true, false, false, false, false, false, true, true]);
  });

  it('normalizes package-level fields from the latest stable release', async () => {
    const { normalized } = await load('acme/logger');
    expect(normalized.package).toEqual({
      ecosystem: 'packagist',
      name: 'acme/logger',
      description: 'Writes structured logs to files, sockets and queues',
      homepage: 'https://github.com/acme/logger',
      repositoryUrl: 'https://github.com/acme/logger',
      license: { spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'composer.json#license' },
      keywords: ['log', 'logging', 'psr-3'],
      maintainers: [
        { name: 'Ada Example', email: 'ada@example.org', url: 'https://ada.example.org' },
        { name: 'Bo Sample', email: null, url: null },
      ],
      deprecated: true,
      deprecationMessage: 'abandoned; use acme/new-logger',
      latestVersion: '3.1.0',
      latestPrerelease: null,
      distTags: {},
      versionCount: 9,
      createdAt: '2021-12-01T12:00:00.000Z',
      modifiedAt: '2024-03-05T10:20:30.000Z',
    });
  });

  it('normalizes every version field', async () => {
    const { normalized } = await load('acme/logger');
    const latest = version(normalized, '3.1.0');
    expect(latest).toEqual({
      ecosystem: 'packagist',
      name: 'acme/logger',
      version: '3.1.0',
      license: { spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'composer.json#license' },
      releaseDate: '2024-03-05T10:20:30.000Z',
      status: 'DEPRECATED',
      prerelease: false,
      deprecatedMessage: 'abandoned; use acme/new-logger',
      maintainers: [
        { name: 'Ada Example', email: 'ada@example.org', url: 'https://ada.example.org' },
        { name: 'Bo Sample', email: null, url: null },
      ],
      author: { name: 'Ada Example', email: 'ada@example.org', url: 'https://ada.example.org' },
      dependencies: [
        { name: 'php', packageName: 'php', constraint: '>=8.1', kind: 'RUNTIME', optional: false, bundled: false, platform: true },
        { name: 'ext-json', packageName: 'ext-json', constraint: '*', kind: 'RUNTIME', optional: false, bundled: false, platform: true },
        { name: 'lib-curl', packageName: 'lib-curl', constraint: '>=7.0', kind: 'RUNTIME', optional: false, bundled: false, platform: true },
        { name: 'composer-runtime-api', packageName: 'composer-runtime-api', constraint: '^2.2', kind: 'RUNTIME', optional: false, bundled: false, platform: true },
        { name: 'Psr/Log', packageName: 'psr/log', constraint: '^2.0 || ^3.0', kind: 'RUNTIME', optional: false, bundled: false, platform: false },
        { name: 'phpunit/phpunit', packageName: 'phpunit/phpunit', constraint: '^10.5', kind: 'DEVELOPMENT', optional: false, bundled: false, platform: false },
        { name: 'ext-mbstring', packageName: 'ext-mbstring', constraint: '*', kind: 'DEVELOPMENT', optional: false, bundled: false, platform: true },
        { name: 'acme/test-kit', packageName: 'acme/test-kit', constraint: 'self.version', kind: 'DEVELOPMENT', optional: false, bundled: false, platform: false },
      ],
      links: {
        repository: 'https://github.com/acme/logger',
        homepage: 'https://github.com/acme/logger',
        documentation: 'https://acme.example.org/logger/docs',
        changelog: null,
        issues: 'https://github.com/acme/logger/issues',
      },
      checksums: [],
      sizeBytes: null,
      keywords: ['log', 'logging', 'psr-3'],
      description: 'Writes structured logs to files, sockets and queues',
      engines: { php: '>=8.1', 'ext-json': '*', 'lib-curl': '>=7.0', 'composer-runtime-api': '^2.2' },
      artifactUrl: 'https://api.github.com/repos/acme/logger/zipball/1111111111111111111111111111111111111111',
    });
  });

  it('keeps suggest, provide, conflict and replace out of dependencies', async () => {
    const { normalized } = await load('acme/logger');
    const names = version(normalized, '3.1.0').dependencies.map((d) => d.name);
    for (const name of ['ext-sockets', 'acme/queue', 'psr/log-implementation', 'acme/old-logger', 'acme/logger-core']) expect(names).not.toContain(name);
  });

  it('takes the dist sha1 only when non-empty (lower-cased) and release dates from `time`', async () => {
    const { normalized } = await load('acme/logger');
    expect(version(normalized, 'v3.0.0').checksums).toEqual([{ algorithm: 'sha1', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b' }]);
    expect(version(normalized, '3.1.0-RC1').checksums).toEqual([]);
    expect(version(normalized, 'v2.10.0').releaseDate).toBe('2023-12-01T12:00:00.000Z');
  });

  it('reflects minified inheritance and "__unset" in the records', async () => {
    const { normalized } = await load('acme/logger');
    expect(version(normalized, 'v3.0.0').dependencies.filter((d) => d.kind === 'RUNTIME').map((d) => d.name)).toEqual(['php', 'psr/log']);
    expect(version(normalized, 'v3.0.0').dependencies.some((d) => d.kind === 'DEVELOPMENT')).toBe(true);
    expect(version(normalized, 'v2.10.0').dependencies.some((d) => d.kind === 'DEVELOPMENT')).toBe(false);
    expect(version(normalized, 'v2.9.1.2').engines).toEqual({ php: '>=8.0' });
    // `support: "__unset"` on 2.9.0: no docs/issues link there, the repository guess remains.
    expect(version(normalized, '2.9.0').links).toMatchObject({ documentation: null, issues: 'https://github.com/acme/logger/issues' });
    expect(version(normalized, '2.0.0-beta2').description).toBe('Writes logs to files');
    expect(version(normalized, '1.0.0-alpha').description).toBe('Writes logs to files');
    expect(version(normalized, '1.0.0-alpha').license).toEqual({ spdx: null, name: 'proprietary', source: 'composer.json#license' });
    expect(version(normalized, '1.0.0-alpha').maintainers).toEqual([{ name: 'Ada Example', email: null, url: null }]);
  });

  it('marks every version of an abandoned package deprecated', async () => {
    const { normalized } = await load('acme/logger');
    for (const record of normalized.versions) {
      expect(record.status).toBe('DEPRECATED');
      expect(record.deprecatedMessage).toBe('abandoned; use acme/new-logger');
    }
  });

  it('re-normalizes from the stored raw document alone, also with only some versions present', async () => {
    const { raw, normalized } = await load('acme/logger');
    const again = normalizePackagist('acme/logger', JSON.parse(JSON.stringify(raw)) as RawDocument);
    expect(again).toEqual(normalized);
    const partial = normalizePackagist('acme/logger', { package: raw.package, versions: { 'v3.0.0': raw.versions['v3.0.0'] } });
    expect(partial.versions).toEqual([version(normalized, 'v3.0.0')]);
  });
});

describe('Packagist normalization: other shapes', () => {
  it('reads abandoned in its three forms', () => {
    expect(abandonedMessage(true)).toBe('abandoned');
    expect(abandonedMessage('vendor/other')).toBe('abandoned; use vendor/other');
    expect(abandonedMessage('')).toBe('abandoned');
    expect(abandonedMessage(false)).toBeNull();
    expect(abandonedMessage(undefined)).toBeNull();
  });

  it('does not expand a document that is not minified; reads PHP empty maps, empty strings and null source/dist', async () => {
    const { normalized } = await load('acme/tools');
    expect(normalized.package).toMatchObject({
      deprecated: true,
      deprecationMessage: 'abandoned',
      homepage: null,
      repositoryUrl: 'https://gitlab.com/acme/tools',
      maintainers: [],
      keywords: [],
      license: { spdx: '(LGPL-2.1-only OR GPL-3.0-or-later)', name: '(LGPL-2.1-only or GPL-3.0-or-later)', source: 'composer.json#license' },
    });
    const newest = version(normalized, '1.1.0');
    expect(newest.dependencies).toEqual([]);
    expect(newest.artifactUrl).toBe('https://gitlab.com/api/v4/projects/acme%2Ftools/repository/archive.zip?sha=0123456789abcdef0123456789abcdef01234567');
    const oldest = version(normalized, '1.0.0');
    // Complete entries: nothing is inherited from 1.1.0.
    expect(oldest.description).toBeNull();
    expect(oldest.license).toBeNull();
    expect(oldest.artifactUrl).toBeNull();
    expect(oldest.links.repository).toBeNull();
    expect(oldest.status).toBe('DEPRECATED');
  });

  it('answers a package without tagged releases with no versions and no latest', async () => {
    const { normalized } = await load('acme/empty');
    expect(normalized.versions).toEqual([]);
    expect(normalized.package).toMatchObject({ name: 'acme/empty', versionCount: 0, latestVersion: null, latestPrerelease: null, description: null, deprecated: false });
  });

  it('picks the latest stable and the highest prerelease above it', () => {
    const entry = (v: string, vn: string) => ({ name: 'x/y', version: v, version_normalized: vn, time: '2024-01-01T00:00:00+00:00' });
    const raw: RawDocument = {
      package: { minified: 'composer/2.0' },
      versions: { '2.0.0-beta1': entry('2.0.0-beta1', '2.0.0.0-beta1'), '1.5.0': entry('1.5.0', '1.5.0.0'), '1.6.0-RC1': entry('1.6.0-RC1', '1.6.0.0-RC1'), '1.0.0': entry('1.0.0', '1.0.0.0') },
    };
    const result = normalizePackagist('x/y', raw);
    expect(result.package.latestVersion).toBe('1.5.0');
    expect(result.package.latestPrerelease).toBe('2.0.0-beta1');
    expect(result.versions.map((v) => v.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    const onlyPre = normalizePackagist('x/y', { package: {}, versions: { '2.0.0-beta1': raw.versions['2.0.0-beta1'] } });
    expect(onlyPre.package).toMatchObject({ latestVersion: null, latestPrerelease: '2.0.0-beta1' });
  });

  it('falls back to support.source for the repository when there is no source', () => {
    const result = normalizePackagist('x/y', { package: {}, versions: { '1.0.0': { version: '1.0.0', source: null, support: { source: 'https://github.com/x/y/tree/1.0.0' } } } });
    expect(result.versions[0]!.links).toMatchObject({ repository: 'https://github.com/x/y/tree/1.0.0', issues: 'https://github.com/x/y/issues' });
    expect(result.package.repositoryUrl).toBe('https://github.com/x/y/tree/1.0.0');
  });

  it('uses Composer normalization when version_normalized is missing', () => {
    const result = normalizePackagist('x/y', { package: {}, versions: { 'v1.10': { version: 'v1.10' }, 'v1.9': { version: 'v1.9' }, 'v1.10.1-beta': { version: 'v1.10.1-beta' } } });
    expect(result.versions.map((v) => v.version)).toEqual(['v1.10.1-beta', 'v1.10', 'v1.9']);
  });

  it('rejects a stored version part of the wrong shape as UPSTREAM_INVALID', () => {
    expect(() => normalizePackagist('x/y', { package: {}, versions: { '1.0.0': 'nope' } })).toThrow(expect.objectContaining({ code: 'UPSTREAM_INVALID' }));
    expect(() => normalizePackagist('x/y', { package: [], versions: {} })).toThrow(expect.objectContaining({ code: 'UPSTREAM_INVALID' }));
  });
});

describe('Packagist dev versions (~dev.json)', () => {
  it('is off by default: only the tagged file is requested', async () => {
    const requests: string[] = [];
    const adapter = createPackagistAdapter({ baseUrl: BASE });
    await adapter.fetch('acme/logger', { http: fixtureClient(requests), conditional: { etag: '"old"', lastModified: null } });
    expect(requests).toEqual(['p2/acme/logger.json']);
  });

  it('when enabled, merges branches (expanded, "__unset" honoured) below the numbered versions', async () => {
    const { raw, normalized } = await load('acme/logger', true);
    expect(Object.keys(raw.versions)).toHaveLength(12);
    expect((raw.versions['dev-main'] as Record<string, unknown>)['default-branch']).toBe(true);
    expect(raw.versions['2.x-dev']).not.toHaveProperty('default-branch');
    expect(normalized.versions.map((v) => v.version).slice(0, 2)).toEqual(['3.1.0', '3.1.0-RC1']);
    // 2.x-dev normalizes to 2.9999999...: above 2.10 and below 3.0; `dev-*` branches last, by name.
    expect(normalized.versions.map((v) => v.version)).toEqual([
      '3.1.0', '3.1.0-RC1', 'v3.0.0', '2.x-dev', 'v2.10.0', 'v2.9.1.2', '2.9.0-patch1', '2.9.0', '2.0.0-beta2', '1.0.0-alpha', 'dev-main', 'dev-feature/rotate',
    ]);
    expect(version(normalized, 'dev-main').prerelease).toBe(true);
    // Branches never become latest or latestPrerelease.
    expect(normalized.package.latestVersion).toBe('3.1.0');
    expect(normalized.package.latestPrerelease).toBeNull();
  });
});

describe('Packagist source archives', () => {
  it('names the archive extension and digest (dists are zipballs without an extension)', async () => {
    const adapter = createPackagistAdapter({ baseUrl: BASE });
    const { normalized } = await load('acme/logger');
    expect(adapter.sourceArchive?.(version(normalized, 'v3.0.0'))).toEqual({
      url: 'https://api.github.com/repos/acme/logger/zipball/3333333333333333333333333333333333333333',
      extension: 'zip',
      digest: { algorithm: 'sha1', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b' },
    });
    expect(adapter.sourceArchive?.(version(normalized, '3.1.0'))?.digest).toBeNull();
    expect(adapter.sourceArchive?.({ ...version(normalized, '3.1.0'), artifactUrl: null })).toBeNull();
    expect(adapter.sourceHosts).toContain('api.github.com');
  });
});
