import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { createNpmAdapter, npmPackagePath } from '../src/ecosystems/npm/index.js';
import { normalizeLicense } from '../src/ecosystems/common/license.js';
import { parsePeople, parsePerson } from '../src/ecosystems/common/person.js';
import { normalizeRepositoryUrl } from '../src/ecosystems/common/repository.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import { parsePurl, toPurl } from '../src/services/purl.js';
import type { GetOptions, GetResult, UpstreamClient } from '../src/http/client.js';
import type { NormalizedPackage, RawDocument, Validators, VersionRecord } from '../src/ecosystems/types.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'npm');
const BASE = 'https://npm-registry.example';
const adapter = createNpmAdapter({ baseUrl: BASE });

function readFixture(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
}

/** The same split `fetch` does. */
function split(doc: Record<string, unknown>): RawDocument {
  const { versions, ...rest } = doc;
  return { package: rest, versions: (versions ?? {}) as Record<string, unknown> };
}

function normalizeFixture(file: string): NormalizedPackage {
  const doc = readFixture(file);
  return adapter.normalize(doc.name as string, split(doc));
}

function version(result: NormalizedPackage, v: string): VersionRecord {
  const record = result.versions.find((entry) => entry.version === v);
  if (!record) throw new Error(`no version ${v}`);
  return record;
}

const sha512Hex = (text: string) => createHash('sha512').update(text).digest('hex');
const sha1Hex = (text: string) => createHash('sha1').update(text).digest('hex');

/** A minimal public-shape packument for edge cases. */
function packumentOf(name: string, versions: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const time: Record<string, string> = {};
  Object.keys(versions).forEach((v, i) => {
    time[v] = new Date(Date.UTC(2020, 0, 1 + i)).toISOString();
  });
  const docs = Object.fromEntries(Object.entries(versions).map(([v, manifest]) => [v, { name, version: v, ...manifest }]));
  return { _id: name, name, 'dist-tags': {}, versions: docs, time, ...extra };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('common/license', () => {
  it('keeps valid SPDX expressions, AND/OR/WITH included', () => {
    expect(normalizeLicense('MIT', 'package.json#license')).toEqual({ spdx: 'MIT', name: 'MIT', source: 'package.json#license' });
    expect(normalizeLicense('(MIT OR Apache-2.0)', 's')?.spdx).toBe('(MIT OR Apache-2.0)');
    expect(normalizeLicense('MIT AND BSD-3-Clause', 's')?.spdx).toBe('MIT AND BSD-3-Clause');
    expect(normalizeLicense('Apache-2.0 WITH LLVM-exception', 's')?.spdx).toBe('Apache-2.0 WITH LLVM-exception');
    expect(normalizeLicense('GPL-2.0-or-later', 's')?.spdx).toBe('GPL-2.0-or-later');
  });

  it('corrects each id of a sloppy expression, else the whole string, keeping the declared name', () => {
    expect(normalizeLicense('mit', 's')).toEqual({ spdx: 'MIT', name: 'mit', source: 's' });
    expect(normalizeLicense('mit or apache-2.0', 's')?.spdx).toBe('MIT OR Apache-2.0');
    expect(normalizeLicense('Apache 2.0', 's')?.spdx).toBe('Apache-2.0');
    expect(normalizeLicense('MIT/X11', 's')?.spdx).toBe('MIT');
  });

  it('maps unknown licenses to spdx null with the raw value kept', () => {
    expect(normalizeLicense('Public Domain', 's')).toEqual({ spdx: null, name: 'Public Domain', source: 's' });
  });

  it('handles SEE LICENSE IN and UNLICENSED (never "Unlicense")', () => {
    expect(normalizeLicense('SEE LICENSE IN LICENSE.md', 's')).toEqual({ spdx: null, name: 'SEE LICENSE IN LICENSE.md', source: 's' });
    expect(normalizeLicense('UNLICENSED', 's')).toEqual({ spdx: null, name: 'UNLICENSED', source: 's' });
    expect(normalizeLicense('unlicensed', 's')).toEqual({ spdx: null, name: 'UNLICENSED', source: 's' });
  });

  it('joins a list with OR (a choice), deduplicating and grouping compound members', () => {
    expect(normalizeLicense(['MIT', 'Apache-2.0'], 'package.json#licenses')).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'package.json#licenses' });
    expect(normalizeLicense(['MIT', 'MIT'], 's')).toEqual({ spdx: 'MIT', name: 'MIT', source: 's' });
    expect(normalizeLicense(['MIT AND BSD-3-Clause', 'ISC'], 's')?.spdx).toBe('(MIT AND BSD-3-Clause) OR ISC');
    expect(normalizeLicense(['MIT', 'Public Domain'], 's')).toEqual({ spdx: null, name: 'MIT OR Public Domain', source: 's' });
  });

  it('returns null when nothing is declared', () => {
    expect(normalizeLicense(null, 's')).toBeNull();
    expect(normalizeLicense('  ', 's')).toBeNull();
    expect(normalizeLicense([], 's')).toBeNull();
  });
});

describe('common/person', () => {
  it('parses the "Name <email> (url)" string form and its partial forms', () => {
    expect(parsePerson('Jane Doe <jane@example.com> (https://jane.example.com)')).toEqual({ name: 'Jane Doe', email: 'jane@example.com', url: 'https://jane.example.com' });
    expect(parsePerson('Jane Doe <jane@example.com>')).toEqual({ name: 'Jane Doe', email: 'jane@example.com', url: null });
    expect(parsePerson('The Babel Team (https://babel.dev/team)')).toEqual({ name: 'The Babel Team', email: null, url: 'https://babel.dev/team' });
    expect(parsePerson('<only@example.com>')).toEqual({ name: null, email: 'only@example.com', url: null });
    expect(parsePerson('Solo')).toEqual({ name: 'Solo', email: null, url: null });
  });

  it('parses the object form, including the legacy `web` key', () => {
    expect(parsePerson({ name: 'Ada', email: 'ada@example.com', url: 'https://ada.example.com' })).toEqual({ name: 'Ada', email: 'ada@example.com', url: 'https://ada.example.com' });
    expect(parsePerson({ name: 'Jane', web: 'https://jane.example.com' })).toEqual({ name: 'Jane', email: null, url: 'https://jane.example.com' });
  });

  it('returns null for empty values and drops non-http URLs', () => {
    expect(parsePerson('')).toBeNull();
    expect(parsePerson('   ')).toBeNull();
    expect(parsePerson({})).toBeNull();
    expect(parsePerson({ name: '' })).toBeNull();
    expect(parsePerson(42)).toBeNull();
    expect(parsePerson(null)).toBeNull();
    expect(parsePerson({ name: 'x', url: 'javascript:alert(1)' })).toEqual({ name: 'x', email: null, url: null });
  });

  it('reads lists of mixed forms, skipping junk', () => {
    expect(parsePeople(['Bob <bob@example.com>', 3, { name: 'Eve' }, ''])).toEqual([
      { name: 'Bob', email: 'bob@example.com', url: null },
      { name: 'Eve', email: null, url: null },
    ]);
    expect(parsePeople(undefined)).toEqual([]);
  });
});

describe('common/repository', () => {
  const github = { url: 'https://github.com/user/repo', issues: 'https://github.com/user/repo/issues' };

  it.each([
    'git+https://github.com/user/repo.git',
    'git://github.com/user/repo.git',
    'git+ssh://git@github.com:user/repo.git',
    'git+ssh://git@github.com/user/repo.git',
    'git@github.com:user/repo.git',
    'http://github.com/user/repo.git',
    'https://github.com/user/repo',
    'github:user/repo',
    'user/repo',
  ])('normalizes %s', (input) => {
    expect(normalizeRepositoryUrl(input)).toEqual(github);
    expect(normalizeRepositoryUrl({ type: 'git', url: input })).toEqual(github);
  });

  it('knows gitlab: and bitbucket: shorthands', () => {
    expect(normalizeRepositoryUrl('gitlab:group/proj')).toEqual({ url: 'https://gitlab.com/group/proj', issues: 'https://gitlab.com/group/proj/issues' });
    expect(normalizeRepositoryUrl('bitbucket:team/proj')).toEqual({ url: 'https://bitbucket.org/team/proj', issues: 'https://bitbucket.org/team/proj/issues' });
  });

  it('links the subdirectory of a monorepo', () => {
    expect(normalizeRepositoryUrl({ type: 'git', url: 'git+https://github.com/org/mono.git', directory: 'packages/widget' })).toEqual({
      url: 'https://github.com/org/mono/tree/HEAD/packages/widget',
      issues: 'https://github.com/org/mono/issues',
    });
    expect(normalizeRepositoryUrl({ url: 'gitlab:org/mono', directory: './packages/a/' })?.url).toBe('https://gitlab.com/org/mono/tree/HEAD/packages/a');
    // A directory that climbs out of the repository is ignored.
    expect(normalizeRepositoryUrl({ url: 'github:org/mono', directory: '../../etc' })?.url).toBe('https://github.com/org/mono');
  });

  it('keeps an already browsable deep link', () => {
    expect(normalizeRepositoryUrl('https://github.com/babel/babel/tree/main/packages/babel-core')?.url).toBe('https://github.com/babel/babel/tree/main/packages/babel-core');
  });

  it('cleans unknown hosts: no git+, no .git, git:// and ssh become https, no credentials', () => {
    expect(normalizeRepositoryUrl('git+https://git.example.org/team/repo.git')).toEqual({ url: 'https://git.example.org/team/repo', issues: null });
    expect(normalizeRepositoryUrl('git://git.example.org/team/repo.git')?.url).toBe('https://git.example.org/team/repo');
    expect(normalizeRepositoryUrl('git+ssh://git@git.example.org/team/repo.git')?.url).toBe('https://git.example.org/team/repo');
    expect(normalizeRepositoryUrl('git@git.example.org:team/repo.git')?.url).toBe('https://git.example.org/team/repo');
    expect(normalizeRepositoryUrl('https://user:token@git.example.org/team/repo.git')?.url).toBe('https://git.example.org/team/repo');
  });

  it('returns null when there is nothing usable', () => {
    expect(normalizeRepositoryUrl('')).toBeNull();
    expect(normalizeRepositoryUrl('not a repository')).toBeNull();
    expect(normalizeRepositoryUrl({})).toBeNull();
    expect(normalizeRepositoryUrl({ url: 42 })).toBeNull();
    expect(normalizeRepositoryUrl('javascript:alert(1)')).toBeNull();
  });
});

describe('npm normalizeName', () => {
  it('accepts valid names, trimming and decoding the encoded scope slash', () => {
    expect(adapter.normalizeName('lodash')).toBe('lodash');
    expect(adapter.normalizeName('  lodash \n')).toBe('lodash');
    expect(adapter.normalizeName('@babel/core')).toBe('@babel/core');
    expect(adapter.normalizeName('@scope%2fname')).toBe('@scope/name');
    expect(adapter.normalizeName('@scope%2Fname')).toBe('@scope/name');
    expect(adapter.normalizeName('%40scope%2fname')).toBe('@scope/name');
  });

  it('accepts names only valid for old packages (capitals, core module names)', () => {
    expect(adapter.normalizeName('JSONStream')).toBe('JSONStream');
    // Capitals cannot tell an old package from a new one, so this is left to the registry (404 when absent).
    expect(adapter.normalizeName('UPPER-new')).toBe('UPPER-new');
    expect(adapter.normalizeName('http')).toBe('http');
  });

  it.each([
    ['../etc', 'name cannot start with a period'],
    ['', 'name length must be greater than zero'],
    ['   ', 'name length must be greater than zero'],
    ['has space', 'URL-friendly'],
    ['a'.repeat(215), 'more than 214 characters'],
    ['_private', 'cannot start with an underscore'],
    ['node_modules', 'not a valid package name'],
    ['@scope/../x', 'URL-friendly'],
  ])('rejects %j (%s)', (input, reason) => {
    const error = catchError(() => adapter.normalizeName(input));
    expect(error).toBeInstanceOf(InvalidInputError);
    const invalid = error as InvalidInputError;
    expect(invalid.code).toBe('INVALID_INPUT');
    expect(invalid.message).toContain('Invalid npm package name');
    expect(invalid.message).toContain(reason);
    if (input.length < 50) expect(invalid.message).toContain(JSON.stringify(input));
  });

  it('encodes the scope slash as %2f in request paths', () => {
    expect(npmPackagePath('@babel/core')).toBe('@babel%2fcore');
    expect(npmPackagePath('lodash')).toBe('lodash');
  });
});

describe('npm purl parts', () => {
  it('splits scoped names into namespace and name, and back', () => {
    expect(adapter.toPurlParts('@scope/widget')).toEqual({ namespace: '@scope', name: 'widget' });
    expect(adapter.toPurlParts('lodash')).toEqual({ namespace: null, name: 'lodash' });
    expect(adapter.fromPurlParts('@scope', 'widget')).toBe('@scope/widget');
    expect(adapter.fromPurlParts('scope', 'widget')).toBe('@scope/widget');
    expect(adapter.fromPurlParts(null, 'lodash')).toBe('lodash');
    expect(adapter.purlType).toBe('npm');
    expect(adapter.id).toBe('npm');
  });

  it('keeps the case of legacy names: JSONStream and jsonstream are two packages (purl-spec #872)', () => {
    expect(toPurl(adapter, 'JSONStream', '1.3.5')).toBe('pkg:npm/JSONStream@1.3.5');
    expect(parsePurl('pkg:npm/JSONStream@1.3.5')).toEqual({ ecosystem: 'npm', namespace: null, name: 'JSONStream', version: '1.3.5' });
    expect(parsePurl('pkg:npm/jsonstream')).toMatchObject({ name: 'jsonstream', version: null });
    expect(toPurl(adapter, '@babel/core', '7.24.0')).toBe('pkg:npm/%40babel/core@7.24.0');
    expect(parsePurl('pkg:npm/%40babel/core@7.24.0')).toEqual({ ecosystem: 'npm', namespace: '@babel', name: 'core', version: '7.24.0' });
    expect(parsePurl('PKG:NPM/Base64@1.0.0')).toMatchObject({ ecosystem: 'npm', name: 'Base64' });
  });
});

describe('npm normalize: public registry shape (tiny-tool)', () => {
  const result = normalizeFixture('tiny-tool.json');

  it('fills the package record from the top level', () => {
    expect(result.package).toEqual({
      ecosystem: 'npm',
      name: 'tiny-tool',
      description: 'A tiny command line tool',
      homepage: 'https://github.com/tiny-org/tiny-tool#readme',
      repositoryUrl: 'https://github.com/tiny-org/tiny-tool',
      license: { spdx: 'MIT', name: 'MIT', source: 'package.json#license' },
      keywords: ['cli', 'tiny', 'tool'],
      maintainers: [
        { name: 'ada', email: 'ada@example.com', url: null },
        { name: 'grace', email: 'grace@example.org', url: null },
      ],
      deprecated: false,
      deprecationMessage: null,
      latestVersion: '1.2.0',
      latestPrerelease: '2.0.0-beta.1',
      distTags: { latest: '1.2.0', next: '2.0.0-beta.1' },
      versionCount: 5,
      createdAt: '2021-01-10T09:00:00.000Z',
      modifiedAt: '2023-11-04T21:03:44.901Z',
    });
  });

  it('orders versions newest first by publish time, not by semver', () => {
    expect(result.versions.map((v) => v.version)).toEqual(['1.2.0', '2.0.0-beta.1', '1.1.0', '1.0.0', '0.9.0']);
  });

  it('normalizes a version field by field', () => {
    expect(version(result, '1.2.0')).toEqual({
      ecosystem: 'npm',
      name: 'tiny-tool',
      version: '1.2.0',
      license: { spdx: 'MIT', name: 'MIT', source: 'package.json#license' },
      releaseDate: '2023-06-20T10:15:30.250Z',
      status: 'ACTIVE',
      prerelease: false,
      deprecatedMessage: null,
      maintainers: [
        { name: 'ada', email: 'ada@example.com', url: null },
        { name: 'grace', email: 'grace@example.org', url: null },
      ],
      author: { name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://ada.example.com' },
      dependencies: [
        { name: 'kleur', packageName: 'kleur', constraint: '^4.1.5', kind: 'RUNTIME', optional: false, bundled: false },
        { name: 'mri', packageName: 'mri', constraint: '^1.2.0', kind: 'RUNTIME', optional: false, bundled: false },
        { name: 'vitest', packageName: 'vitest', constraint: '^1.6.0', kind: 'DEVELOPMENT', optional: false, bundled: false },
      ],
      links: {
        repository: 'https://github.com/tiny-org/tiny-tool',
        homepage: 'https://github.com/tiny-org/tiny-tool#readme',
        documentation: null,
        changelog: null,
        issues: 'https://github.com/tiny-org/tiny-tool/issues',
      },
      checksums: [
        { algorithm: 'sha512', value: sha512Hex('tiny-tool@1.2.0') },
        { algorithm: 'sha1', value: sha1Hex('tiny-tool@1.2.0') },
      ],
      sizeBytes: 10240,
      keywords: ['cli', 'tiny', 'tool'],
      description: 'A tiny command line tool',
      engines: { node: '>=18' },
      artifactUrl: 'https://npm-registry.example/tiny-tool/-/tiny-tool-1.2.0.tgz',
    });
  });

  it('marks the deprecated version with its message', () => {
    const old = version(result, '0.9.0');
    expect(old.status).toBe('DEPRECATED');
    expect(old.deprecatedMessage).toBe('0.x is no longer maintained, please upgrade to tiny-tool@1');
    expect(old.maintainers).toEqual([{ name: 'ada', email: 'ada@example.com', url: null }]);
    expect(old.engines).toEqual({ node: '>=14', npm: '>=7' });
    expect(old.sizeBytes).toBe(6120);
    expect(version(result, '1.0.0').status).toBe('ACTIVE');
  });

  it('flags prereleases by semver', () => {
    expect(result.versions.filter((v) => v.prerelease).map((v) => v.version)).toEqual(['2.0.0-beta.1']);
  });

  it('deduplicates an SRI sha1 entry equal to dist.shasum', () => {
    expect(version(result, '1.1.0').checksums).toEqual([
      { algorithm: 'sha512', value: sha512Hex('tiny-tool@1.1.0') },
      { algorithm: 'sha1', value: sha1Hex('tiny-tool@1.1.0') },
    ]);
  });
});

describe('npm normalize: mirror shape (mirror-only)', () => {
  const result = normalizeFixture('mirror-only.json');

  it('falls back to the latest manifest for package-level fields', () => {
    expect(result.package).toMatchObject({
      description: 'Mirror only test package, now with types',
      homepage: 'https://janedoe.github.io/mirror-only/',
      repositoryUrl: 'https://github.com/janedoe/mirror-only',
      license: { spdx: 'MIT', name: 'MIT', source: 'package.json#license' },
      keywords: ['mirror', 'fixture'],
      maintainers: [],
      latestVersion: '1.1.0',
      latestPrerelease: null,
      versionCount: 4,
      // No time.created/modified on the mirror: first and last publish.
      createdAt: '2024-12-07T08:03:45.988Z',
      modifiedAt: '2025-10-02T07:13:37.852Z',
    });
  });

  it('reads "deprecated": false as ACTIVE', () => {
    for (const v of ['0.2.0', '1.0.0']) {
      expect(version(result, v).status).toBe('ACTIVE');
      expect(version(result, v).deprecatedMessage).toBeNull();
    }
  });

  it('normalizes "+00:00" microsecond timestamps to ISO', () => {
    expect(version(result, '0.1.0').releaseDate).toBe('2024-12-07T08:03:45.988Z');
    expect(result.versions.map((v) => v.version)).toEqual(['1.1.0', '1.0.0', '0.2.0', '0.1.0']);
  });

  it('reads the legacy licenses array, the {type,url} object and SEE LICENSE IN', () => {
    expect(version(result, '0.1.0').license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'package.json#licenses' });
    expect(version(result, '0.2.0').license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'package.json#license' });
    expect(version(result, '1.0.0').license).toEqual({ spdx: null, name: 'SEE LICENSE IN LICENSE.md', source: 'package.json#license' });
  });

  it('parses author strings, empty authors and the legacy `web` key', () => {
    expect(version(result, '0.1.0').author).toEqual({ name: 'Jane Doe', email: 'jane@example.com', url: 'https://jane.example.com' });
    expect(version(result, '0.2.0').author).toBeNull();
    expect(version(result, '1.0.0').author).toEqual({ name: 'Jane Doe', email: null, url: 'https://jane.example.com' });
  });

  it('normalizes shorthand, github: and git:// repositories, guessing the issue tracker', () => {
    for (const v of ['0.1.0', '0.2.0', '1.0.0', '1.1.0']) {
      expect(version(result, v).links.repository).toBe('https://github.com/janedoe/mirror-only');
      expect(version(result, v).links.issues).toBe('https://github.com/janedoe/mirror-only/issues');
    }
  });

  it('splits string keywords, ignores legacy engines arrays, and copes with shasum-only dists', () => {
    const old = version(result, '0.1.0');
    expect(old.keywords).toEqual(['mirror', 'only', 'fixture']);
    expect(old.engines).toEqual({});
    expect(old.checksums).toEqual([{ algorithm: 'sha1', value: sha1Hex('mirror-only@0.1.0') }]);
    expect(old.sizeBytes).toBeNull();
    expect(old.maintainers).toEqual([]);
    expect(version(result, '1.0.0').dependencies).toEqual([{ name: 'debug', packageName: 'debug', constraint: '^4.3.4', kind: 'RUNTIME', optional: false, bundled: false }]);
  });
});

describe('npm normalize: scoped package with every dependency kind (@scope/widget)', () => {
  const result = normalizeFixture('@scope%2fwidget.json');

  it('lists each dependency once with its kind, optional and bundled flags', () => {
    expect(version(result, '1.1.0').dependencies).toEqual([
      { name: '@scope/core', packageName: '@scope/core', constraint: '^1.4.0', kind: 'RUNTIME', optional: false, bundled: false },
      { name: 'tslib', packageName: 'tslib', constraint: '^2.6.2', kind: 'RUNTIME', optional: false, bundled: false },
      { name: 'left-pad', packageName: 'left-pad', constraint: '1.3.0', kind: 'RUNTIME', optional: false, bundled: true },
      { name: 'fsevents', packageName: 'fsevents', constraint: '~2.3.3', kind: 'OPTIONAL', optional: true, bundled: false },
      { name: 'react', packageName: 'react', constraint: '>=17', kind: 'PEER', optional: false, bundled: false },
      { name: 'react-dom', packageName: 'react-dom', constraint: '>=17', kind: 'PEER', optional: true, bundled: false },
      { name: '@types/react', packageName: '@types/react', constraint: '*', kind: 'PEER', optional: true, bundled: false },
      { name: 'typescript', packageName: 'typescript', constraint: '~5.4.0', kind: 'DEVELOPMENT', optional: false, bundled: false },
      { name: '@types/react', packageName: '@types/react', constraint: '^18.2.0', kind: 'DEVELOPMENT', optional: false, bundled: false },
    ]);
  });

  it('reads the bundledDependencies spelling too', () => {
    const deps = version(result, '1.0.0').dependencies;
    expect(deps.find((d) => d.name === 'tslib')).toMatchObject({ kind: 'RUNTIME', bundled: true });
    expect(deps.find((d) => d.name === '@scope/core')).toMatchObject({ kind: 'RUNTIME', bundled: false });
  });

  it('keeps SPDX OR and WITH expressions', () => {
    expect(version(result, '1.0.0').license).toEqual({ spdx: '(MIT OR Apache-2.0)', name: '(MIT OR Apache-2.0)', source: 'package.json#license' });
    expect(version(result, '1.1.0').license?.spdx).toBe('Apache-2.0 WITH LLVM-exception');
  });

  it('links the monorepo subdirectory and the string bugs URL', () => {
    expect(version(result, '1.1.0').links).toEqual({
      repository: 'https://github.com/scope-org/monorepo/tree/HEAD/packages/widget',
      homepage: 'https://github.com/scope-org/monorepo/tree/main/packages/widget#readme',
      documentation: null,
      changelog: null,
      issues: 'https://github.com/scope-org/monorepo/issues',
    });
    expect(result.package.repositoryUrl).toBe('https://github.com/scope-org/monorepo/tree/HEAD/packages/widget');
    expect(version(result, '1.1.0').author).toEqual({ name: 'Scope Org', email: 'oss@scope.example', url: 'https://scope.example' });
  });

  it('reports a version listed in time but missing from versions as UNPUBLISHED', () => {
    expect(result.versions.map((v) => [v.version, v.status])).toEqual([
      ['1.2.0', 'UNPUBLISHED'],
      ['1.1.0', 'ACTIVE'],
      ['1.0.0', 'ACTIVE'],
    ]);
    const gone = version(result, '1.2.0');
    expect(gone).toMatchObject({ name: '@scope/widget', releaseDate: '2024-01-09T09:09:09.009Z', license: null, checksums: [], dependencies: [], artifactUrl: null, description: null });
    expect(result.package.versionCount).toBe(3);
    expect(result.package.latestVersion).toBe('1.1.0');
  });
});

describe('npm normalize: unpublished packages', () => {
  it('reports a fully unpublished package with no versions and no latest', () => {
    const result = normalizeFixture('unpublished-pkg.json');
    expect(result.versions).toEqual([]);
    expect(result.package).toMatchObject({
      name: 'unpublished-pkg',
      versionCount: 0,
      latestVersion: null,
      latestPrerelease: null,
      deprecated: false,
      distTags: {},
      description: 'Was a test package',
      createdAt: '2019-04-01T08:00:00.000Z',
      modifiedAt: '2019-04-05T09:30:00.000Z',
    });
  });

  it('also accepts the form without version keys in time', () => {
    const doc = { _id: 'gone', name: 'gone', time: { created: '2020-01-01T00:00:00.000Z', modified: '2020-02-01T00:00:00.000Z', unpublished: { time: '2020-02-01T00:00:00.000Z', versions: ['1.0.0'] } } };
    const result = adapter.normalize('gone', split(doc));
    expect(result.package).toMatchObject({ versionCount: 0, latestVersion: null, modifiedAt: '2020-02-01T00:00:00.000Z' });
  });
});

describe('npm normalize: lodash subset', () => {
  it('has MIT and the tagged latest', () => {
    const result = normalizeFixture('lodash.json');
    expect(result.package).toMatchObject({ name: 'lodash', latestVersion: '4.17.21', versionCount: 4, license: { spdx: 'MIT' } });
    expect(result.versions.map((v) => v.version)).toEqual(['4.17.21', '4.17.20', '4.17.19', '4.17.15']);
    expect(version(result, '4.17.21').checksums[1]).toEqual({ algorithm: 'sha1', value: '34e1e51c159b29de75901be8f9abe512127d08bf' });
  });
});

describe('npm normalize: edge cases', () => {
  it('falls back to the highest non-prerelease when dist-tags.latest is missing or unknown', () => {
    const versions = { '1.0.0': {}, '1.10.0': {}, '1.9.0': {}, '2.0.0-rc.1': {} };
    const missing = adapter.normalize('p', split(packumentOf('p', versions)));
    expect(missing.package.latestVersion).toBe('1.10.0');
    expect(missing.package.latestPrerelease).toBe('2.0.0-rc.1');
    const unknown = adapter.normalize('p', split(packumentOf('p', versions, { 'dist-tags': { latest: '9.9.9' } })));
    expect(unknown.package.latestVersion).toBe('1.10.0');
  });

  it('has no latestPrerelease when every prerelease is older than latest', () => {
    const result = adapter.normalize('p', split(packumentOf('p', { '1.0.0-beta.1': {}, '1.0.0': {} }, { 'dist-tags': { latest: '1.0.0' } })));
    expect(result.package.latestPrerelease).toBeNull();
  });

  it('takes the package deprecation from the latest version', () => {
    const result = adapter.normalize('p', split(packumentOf('p', { '1.0.0': {}, '2.0.0': { deprecated: 'use q instead' } }, { 'dist-tags': { latest: '2.0.0' } })));
    expect(result.package).toMatchObject({ deprecated: true, deprecationMessage: 'use q instead' });
    const empty = adapter.normalize('p', split(packumentOf('p', { '1.0.0': { deprecated: '' } })));
    expect(empty.versions[0]).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null });
  });

  it('ignores non-string constraints and non-map peerDependencies; reads legacy dependency lists as any version', () => {
    const result = adapter.normalize('p', split(packumentOf('p', {
      '1.0.0': { dependencies: { ok: '^1.0.0', num: 42, obj: { version: '1' }, nul: null }, devDependencies: ['a', 'b', 7], peerDependencies: 'react' },
    })));
    // Lists are npm normalize-package-data's legacy form (real: walk 0.9.0 `"dependencies": ["futures"]`); it reads them
    // for dependencies/devDependencies/optionalDependencies only.
    expect(result.versions[0]!.dependencies).toEqual([
      { name: 'ok', packageName: 'ok', constraint: '^1.0.0', kind: 'RUNTIME', optional: false, bundled: false },
      { name: 'a', packageName: 'a', constraint: '*', kind: 'DEVELOPMENT', optional: false, bundled: false },
      { name: 'b', packageName: 'b', constraint: '*', kind: 'DEVELOPMENT', optional: false, bundled: false },
    ]);
  });

  it('bundles every runtime dependency when bundleDependencies is true', () => {
    const result = adapter.normalize('p', split(packumentOf('p', {
      '1.0.0': { dependencies: { a: '1', b: '2' }, optionalDependencies: { b: '2' }, devDependencies: { c: '3' }, bundleDependencies: true },
    })));
    expect(result.versions[0]!.dependencies.map((d) => [d.name, d.kind, d.bundled])).toEqual([
      ['a', 'RUNTIME', true],
      ['b', 'OPTIONAL', true],
      ['c', 'DEVELOPMENT', false],
    ]);
  });

  it('turns several SRI hashes into hex, skipping malformed ones', () => {
    const sha256 = createHash('sha256').update('x').digest();
    const sha512 = createHash('sha512').update('x').digest();
    const integrity = `sha512-${sha512.toString('base64')} sha256-${sha256.toString('base64')}?opt sha512-${sha512.toString('base64')} md5-!!! sha1-AAAA`;
    const result = adapter.normalize('p', split(packumentOf('p', { '1.0.0': { dist: { integrity, shasum: 'NOT-HEX' } } })));
    expect(result.versions[0]!.checksums).toEqual([
      { algorithm: 'sha512', value: sha512.toString('hex') },
      { algorithm: 'sha256', value: sha256.toString('hex') },
    ]);
  });

  it('survives fields of the wrong type instead of rejecting the packument', () => {
    const result = adapter.normalize('p', split(packumentOf('p', {
      '1.0.0': {
        license: 42,
        licenses: 7,
        keywords: 5,
        repository: 7,
        author: ['x'],
        maintainers: ['Bob <bob@example.com>', 3, { name: 'Eve' }],
        engines: { node: '>=18', npm: 7 },
        deprecated: 12,
        bugs: ['x'],
        dist: { unpackedSize: '12', tarball: 'javascript:alert(1)', integrity: 5 },
        peerDependenciesMeta: { x: 'yes' },
        bundleDependencies: 'all',
      },
    }, { description: 99, maintainers: 'nobody', 'dist-tags': { latest: 1 } })));
    const v = result.versions[0]!;
    expect(v).toMatchObject({
      license: null,
      keywords: [],
      author: null,
      maintainers: [{ name: 'Bob', email: 'bob@example.com', url: null }, { name: 'Eve', email: null, url: null }],
      engines: { node: '>=18' },
      status: 'ACTIVE',
      sizeBytes: null,
      artifactUrl: null,
      checksums: [],
    });
    expect(v.links.repository).toBeNull();
    expect(result.package.description).toBeNull();
    expect(result.package.distTags).toEqual({});
    expect(result.package.latestVersion).toBe('1.0.0');
  });

  it('throws UPSTREAM_INVALID for stored data it cannot read', () => {
    const notObject = catchError(() => adapter.normalize('p', { package: { name: 'p' }, versions: { '1.0.0': 'oops' } }));
    expect(notObject).toBeInstanceOf(UpstreamError);
    expect((notObject as UpstreamError).code).toBe('UPSTREAM_INVALID');
    const noName = catchError(() => adapter.normalize('p', { package: { versions: 1 }, versions: {} }));
    expect((noName as UpstreamError).code).toBe('UPSTREAM_INVALID');
    expect((noName as UpstreamError).message).toContain('"p"');
  });
});

/** Fake of the HTTP boundary serving the fixture files by request path (`/@scope%2fwidget` -> `@scope%2fwidget.json`). */
class FixtureClient implements UpstreamClient {
  readonly calls: Array<{ upstream: string; url: string; options: GetOptions | undefined }> = [];
  constructor(private readonly base: string, private readonly overrides: Record<string, GetResult | string> = {}) {}

  async get(upstream: string, url: string, options?: GetOptions): Promise<GetResult> {
    this.calls.push({ upstream, url, options });
    const requestPath = url.slice(this.base.length).replace(/^\//, '');
    const override = this.overrides[requestPath];
    const validators: Validators = { etag: '"v1"', lastModified: null };
    if (typeof override === 'object') return override;
    const file = path.join(FIXTURES, `${requestPath}.json`);
    const body = override ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);
    if (body === null) return { kind: 'not-found', status: 404 };
    return { kind: 'ok', status: 200, body: Buffer.from(body), contentType: 'application/json', validators };
  }
}

describe('npm fetch', () => {
  it('requests the full packument with the scope slash encoded and passes validators through', async () => {
    const http = new FixtureClient(BASE);
    const conditional = { etag: '"old"', lastModified: 'Tue, 01 Oct 2024 00:00:00 GMT' };
    const result = await adapter.fetch('@scope/widget', { http, conditional });
    expect(http.calls).toEqual([{ upstream: 'npm', url: `${BASE}/@scope%2fwidget`, options: { accept: 'application/json', conditional } }]);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.validators).toEqual({ etag: '"v1"', lastModified: null });
    const pkg = result.raw.package as Record<string, unknown>;
    expect(pkg.versions).toBeUndefined();
    expect(pkg.readme).toContain('# @scope/widget');
    expect(pkg._attachments).toEqual({});
    expect(Object.keys(result.raw.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(adapter.normalize('@scope/widget', result.raw).package.latestVersion).toBe('1.1.0');
  });

  it('accepts a base URL with a trailing slash or a path prefix', async () => {
    const http = new FixtureClient('https://mirror.example/npm');
    await createNpmAdapter({ baseUrl: 'https://mirror.example/npm/' }).fetch('tiny-tool', { http, conditional: null });
    expect(http.calls[0]!.url).toBe('https://mirror.example/npm/tiny-tool');
  });

  it('maps 404 to not-found and passes not-modified through', async () => {
    const validators = { etag: '"same"', lastModified: null };
    const http = new FixtureClient(BASE, { 'cached-pkg': { kind: 'not-modified', validators } });
    expect(await adapter.fetch('no-such-package-zz', { http, conditional: null })).toEqual({ kind: 'not-found' });
    expect(await adapter.fetch('cached-pkg', { http, conditional: validators })).toEqual({ kind: 'not-modified', validators });
  });

  it('validates the name before any request', async () => {
    const http = new FixtureClient(BASE);
    await expect(adapter.fetch('../etc', { http, conditional: null })).rejects.toBeInstanceOf(InvalidInputError);
    expect(http.calls).toEqual([]);
  });

  it.each([
    ['broken JSON', '{"name": "lodash", "versions": {', 'not valid JSON'],
    ['no name', '{"versions": {}}', 'not a packument'],
    ['versions not an object of objects', '{"name": "lodash", "versions": {"1.0.0": "x"}}', 'not a packument'],
    ['versions as an array', '{"name": "lodash", "versions": []}', 'not a packument'],
    ['another package', JSON.stringify(readFixture('tiny-tool.json')), 'packument is for "tiny-tool"'],
  ])('rejects %s with UPSTREAM_INVALID naming the package', async (_label, body, message) => {
    const http = new FixtureClient(BASE, { lodash: body });
    const error = await adapter.fetch('lodash', { http, conditional: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_INVALID');
    expect((error as UpstreamError).message).toContain('"lodash"');
    expect((error as UpstreamError).message).toContain(message);
    expect((error as UpstreamError).details).toMatchObject({ ecosystem: 'npm', url: `${BASE}/lodash` });
  });

  it('keeps lenient fields from rejecting the whole packument', async () => {
    const body = JSON.stringify(packumentOf('lodash', { '1.0.0': { deprecated: false, license: { type: 'MIT' }, engines: ['node'], bundleDependencies: false } }, { keywords: 'a b' }));
    const result = await adapter.fetch('lodash', { http: new FixtureClient(BASE, { lodash: body }), conditional: null });
    expect(result.kind).toBe('ok');
  });

  it('serves every fixture through fetch + normalize', async () => {
    const http = new FixtureClient(BASE);
    for (const name of ['tiny-tool', 'mirror-only', '@scope/widget', 'unpublished-pkg', 'lodash']) {
      const result = await adapter.fetch(name, { http, conditional: null });
      expect(result.kind, name).toBe('ok');
      if (result.kind === 'ok') expect(adapter.normalize(name, result.raw).package.name).toBe(name);
    }
  });
});

describe('npm normalize: aliases', () => {
  it('follows `npm:` aliases to the package they install', () => {
    const doc = packumentOf('aliased', { '1.0.0': { dependencies: { 'string-width-cjs': 'npm:string-width@^4.2.0', '@my/alias': 'npm:@real/pkg@1.2.3', plain: '^1.0.0', bare: 'npm:left-pad' } } });
    const [v] = adapter.normalize('aliased', split(doc)).versions;
    const byName = Object.fromEntries(v!.dependencies.map((d) => [d.name, d.packageName]));
    expect(byName).toEqual({ 'string-width-cjs': 'string-width', '@my/alias': '@real/pkg', plain: 'plain', bare: 'left-pad' });
    expect(v!.dependencies.find((d) => d.name === 'string-width-cjs')?.constraint).toBe('npm:string-width@^4.2.0');
  });
});
