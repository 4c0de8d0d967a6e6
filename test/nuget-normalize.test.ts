import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNuGetAdapter, deprecationMessage, normalizeNuGetName } from '../src/ecosystems/nuget/index.js';
import type { NormalizedPackage, RawDocument, VersionRecord } from '../src/ecosystems/types.js';
import { InvalidInputError, UpstreamError } from '../src/errors.js';
import type { GetResult, UpstreamClient } from '../src/http/client.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures', 'nuget');
const ORIGIN = 'https://api.nuget.org';
const adapter = createNuGetAdapter({ baseUrl: `${ORIGIN}/v3` });

/** The fixture tree answering nuget.org URLs (no HTTP): fetch + normalize without a server. */
const files: UpstreamClient = {
  async get(_upstream, url): Promise<GetResult> {
    const file = path.join(FIXTURES, new URL(url).pathname);
    if (!url.startsWith(ORIGIN) || !fs.existsSync(file)) return { kind: 'not-found', status: 404 };
    return { kind: 'ok', status: 200, body: fs.readFileSync(file), contentType: 'application/json', validators: { etag: null, lastModified: null } };
  },
};

async function fetchRaw(id: string): Promise<RawDocument> {
  const result = await adapter.fetch(id, { http: files, conditional: null });
  if (result.kind !== 'ok') throw new Error(result.kind);
  return result.raw;
}

function version(result: NormalizedPackage, v: string): VersionRecord {
  const record = result.versions.find((entry) => entry.version === v);
  if (!record) throw new Error(`no version ${v} in ${result.versions.map((r) => r.version).join(', ')}`);
  return record;
}

describe('NuGet package ids', () => {
  it('accepts NuGet ids and returns the lower-case form', () => {
    expect(normalizeNuGetName('Newtonsoft.Json')).toBe('newtonsoft.json');
    expect(normalizeNuGetName(' Microsoft.AspNetCore.Http-Extensions_2 ')).toBe('microsoft.aspnetcore.http-extensions_2');
    expect(normalizeNuGetName('a'.repeat(100))).toBe('a'.repeat(100));
  });

  it('rejects invalid ids, naming the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['a'.repeat(101), /longer than 100/],
      ['.hidden', /letters, digits/],
      ['trailing.', /letters, digits/],
      ['double..dot', /letters, digits/],
      ['has space', /letters, digits/],
      ['../etc/passwd', /letters, digits/],
      ['Ünïcode', /letters, digits/],
    ];
    for (const [id, reason] of cases) {
      let error: unknown;
      try {
        normalizeNuGetName(id);
      } catch (caught) {
        error = caught;
      }
      expect(error, id).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message, id).toMatch(reason);
    }
  });

  it('maps purls without a namespace', () => {
    expect(adapter.toPurlParts('newtonsoft.json')).toEqual({ namespace: null, name: 'newtonsoft.json' });
    expect(adapter.fromPurlParts(null, 'Newtonsoft.Json')).toBe('Newtonsoft.Json');
    expect(() => adapter.fromPurlParts('microsoft', 'Extensions')).toThrow(InvalidInputError);
  });
});

describe('NuGet normalization (inlined registration)', async () => {
  const raw = await fetchRaw('Contoso.Widgets');
  const result = adapter.normalize('contoso.widgets', raw);

  it('keys versions by the normalized version, newest first by NuGet precedence', () => {
    expect(result.versions.map((v) => v.version)).toEqual(['2.1.0-beta.10', '2.1.0-beta.2', '2.0.0', '1.2.0.5', '1.1.0', '1.1.0-rc2', '1.1.0-RC1', '1.0.1', '1.0.0']);
    // Build metadata is dropped from the key and kept in the raw catalog entry.
    expect(raw.versions['2.0.0']).toMatchObject({ catalogEntry: { version: '2.0.0+build.7', id: 'Contoso.Widgets' } });
    expect(result.versions.map((v) => v.prerelease)).toEqual([true, true, false, false, false, true, true, false, false]);
  });

  it('marks unlisted versions (listed: false / published 1900) UNLISTED without a date', () => {
    expect(version(result, '1.0.1')).toMatchObject({ status: 'UNLISTED', releaseDate: null, deprecatedMessage: null });
    expect(version(result, '1.0.0')).toMatchObject({ status: 'ACTIVE', releaseDate: '2021-01-10T11:59:00.500Z' });
  });

  it('marks deprecations with reasons, message and alternative', () => {
    expect(version(result, '1.1.0')).toMatchObject({
      status: 'DEPRECATED',
      deprecatedMessage: 'Deprecated (Legacy, CriticalBugs): Use Contoso.Gadgets. Alternative package: Contoso.Gadgets [2.0.0, )',
    });
    // No message, `*` range (any version).
    expect(version(result, '1.2.0.5').deprecatedMessage).toBe('Deprecated (Other). Alternative package: Contoso.Gadgets');
    expect(deprecationMessage({ reasons: [] })).toBe('Deprecated');
  });

  it('reads licenses from the expression, the licenses.nuget.org URL, known URLs, or keeps the URL', () => {
    expect(version(result, '1.0.0').license).toEqual({ spdx: 'MIT', name: 'MIT', source: 'catalogEntry.licenseExpression' });
    expect(version(result, '1.1.0-RC1').license).toEqual({ spdx: '(MIT OR Apache-2.0)', name: '(MIT OR Apache-2.0)', source: 'catalogEntry.licenseUrl' });
    expect(version(result, '1.1.0-rc2').license).toEqual({ spdx: 'Apache-2.0', name: 'http://www.apache.org/licenses/LICENSE-2.0.html', source: 'catalogEntry.licenseUrl' });
    // The expression wins over nuget.org's generated license page URL.
    expect(version(result, '1.1.0').license).toEqual({ spdx: 'Apache-2.0 OR MIT', name: 'Apache-2.0 OR MIT', source: 'catalogEntry.licenseExpression' });
    expect(version(result, '1.2.0.5').license).toEqual({ spdx: 'BSD-3-Clause', name: 'https://opensource.org/licenses/BSD-3-Clause', source: 'catalogEntry.licenseUrl' });
  });

  it('splits authors and tags in both shapes', () => {
    expect(version(result, '1.0.0').maintainers).toEqual([
      { name: 'Ada Example', email: null, url: null },
      { name: 'Bob Example', email: null, url: null },
    ]);
    expect(version(result, '1.0.0').author).toEqual({ name: 'Ada Example', email: null, url: null });
    expect(version(result, '1.1.0').maintainers.map((p) => p.name)).toEqual(['Ada Example', 'Carol Example']);
    expect(version(result, '1.0.0').keywords).toEqual(['widgets', 'ui']);
    expect(version(result, '1.1.0').keywords).toEqual(['widgets', 'controls', 'wpf']);
    // nuget.org writes `"tags": [""]` for packages without tags.
    expect(version(result, '2.0.0').keywords).toEqual([]);
  });

  it('lists one dependency record per framework group and dependency', () => {
    const dep = (name: string, constraint: string) => ({ name, packageName: name, constraint, kind: 'RUNTIME', optional: false, bundled: false });
    // The empty .NETFramework4.6.2 group contributes nothing; Contoso.Core appears once per group.
    expect(version(result, '1.0.0').dependencies).toMatchObject([dep('Contoso.Core', '[1.0.0, )'), dep('System.Memory', '[4.5.4, )'), dep('Contoso.Core', '[1.0.0, 2.0.0)')]);
    expect(version(result, '1.0.0').dependencies.map((d) => d.targetFramework)).toEqual(['.NETStandard2.0', '.NETStandard2.0', expect.any(String)]);
    // Group without targetFramework; missing and empty ranges mean any version.
    expect(version(result, '1.1.0').dependencies).toMatchObject([dep('Contoso.Core', '1.1.0'), dep('Contoso.Logging', '(, )'), dep('Contoso.Extras', '(, )')]);
    expect(version(result, '2.0.0').dependencies).toEqual([]);
  });

  it('derives links, description, engines and the package URL', () => {
    expect(version(result, '1.0.0').links).toEqual({
      repository: 'https://github.com/contoso/widgets',
      homepage: 'https://github.com/contoso/widgets',
      documentation: null,
      changelog: null,
      issues: 'https://github.com/contoso/widgets/issues',
    });
    expect(version(result, '1.1.0').links).toMatchObject({ repository: 'https://github.com/contoso/widgets', documentation: 'https://www.nuget.org/packages/Contoso.Widgets/1.1.0#readme-body-tab' });
    expect(version(result, '2.0.0').links).toMatchObject({ repository: null, homepage: 'https://contoso.example.com/widgets', issues: null });
    expect(version(result, '1.1.0').engines).toEqual({ nuget: '2.12' });
    expect(version(result, '1.0.0').engines).toEqual({});
    expect(version(result, '1.2.0.5').description).toBe('Four-part version');
    expect(version(result, '2.0.0').artifactUrl).toBe('https://api.nuget.org/v3-flatcontainer/contoso.widgets/2.0.0/contoso.widgets.2.0.0.nupkg');
    expect(version(result, '2.0.0')).toMatchObject({ checksums: [], sizeBytes: null });
    expect(version(result, '2.0.0').detailsPending).toBeUndefined();
  });

  it('keeps vulnerabilities in the raw leaf', () => {
    expect(raw.versions['1.0.0']).toMatchObject({ catalogEntry: { vulnerabilities: [{ advisoryUrl: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz', severity: '2' }] } });
  });

  it('fills the package from the latest listed stable version', () => {
    expect(result.package).toMatchObject({
      ecosystem: 'nuget',
      name: 'contoso.widgets',
      latestVersion: '2.0.0',
      latestPrerelease: '2.1.0-beta.10',
      description: 'Contoso.Widgets 2.0.0',
      homepage: 'https://contoso.example.com/widgets',
      license: { spdx: 'MIT' },
      maintainers: [{ name: 'Contoso', email: null, url: null }],
      deprecated: false,
      deprecationMessage: null,
      distTags: {},
      versionCount: 9,
      createdAt: '2021-01-10T11:59:00.500Z',
      modifiedAt: '2024-03-01T10:00:00.123Z',
    });
  });

  it('falls back to the highest stable when every stable version is unlisted, and flags a deprecated latest', () => {
    const entries = Object.fromEntries(
      Object.entries(raw.versions).map(([v, leaf]) => {
        const copy = structuredClone(leaf) as { catalogEntry: Record<string, unknown> };
        if (v === '1.1.0') copy.catalogEntry.listed = true;
        else copy.catalogEntry.listed = false;
        return [v, copy];
      }),
    );
    const only = adapter.normalize('contoso.widgets', { package: raw.package, versions: entries });
    // 1.1.0 is the one listed stable version, and deprecated.
    expect(only.package).toMatchObject({ latestVersion: '1.1.0', deprecated: true, deprecationMessage: expect.stringMatching(/^Deprecated \(Legacy, CriticalBugs\)/) });
    expect(only.package.latestPrerelease).toBe('2.1.0-beta.10');
    const none = adapter.normalize('contoso.widgets', {
      package: raw.package,
      versions: Object.fromEntries(Object.entries(entries).map(([v, leaf]) => [v, { ...(leaf as object), catalogEntry: { ...(leaf as { catalogEntry: object }).catalogEntry, listed: false } }])),
    });
    expect(none.package.latestVersion).toBe('2.0.0');
    // Unlisted wins over deprecated, the message stays.
    expect(version(none, '1.1.0')).toMatchObject({ status: 'UNLISTED', deprecatedMessage: expect.stringContaining('Contoso.Gadgets') });
  });

  it('builds the flat-container URL for a leaf without packageContent', () => {
    const leaf = structuredClone(raw.versions['1.1.0-RC1']) as Record<string, unknown> & { catalogEntry: Record<string, unknown> };
    delete leaf.packageContent;
    delete leaf.catalogEntry.packageContent;
    const alone = adapter.normalize('contoso.widgets', { package: raw.package, versions: { '1.1.0-RC1': leaf } });
    expect(alone.versions[0]!.artifactUrl).toBe('https://api.nuget.org/v3-flatcontainer/contoso.widgets/1.1.0-rc1/contoso.widgets.1.1.0-rc1.nupkg');
  });

  it('rejects stored data of the wrong shape with UPSTREAM_INVALID', () => {
    expect(() => adapter.normalize('contoso.widgets', { package: 'nope', versions: {} })).toThrow(UpstreamError);
    expect(() => adapter.normalize('contoso.widgets', { package: raw.package, versions: { '1.0.0': { catalogEntry: { id: 'x' } } } })).toThrow(/expected shape/);
  });
});

describe('NuGet normalization (paged registration)', () => {
  it('collects the leaves of every page', async () => {
    const raw = await fetchRaw('contoso.paged');
    const result = adapter.normalize('contoso.paged', raw);
    expect(result.versions.map((v) => v.version)).toEqual(['1.1.0', '1.0.1', '1.0.0', '1.0.0-beta', '0.3.0', '0.3.0-alpha', '0.2.0', '0.1.0']);
    expect(result.package).toMatchObject({ latestVersion: '1.1.0', latestPrerelease: null, license: { spdx: 'MIT' } });
    // The stored index keeps the page stubs (no leaves) and the flat container base.
    const stored = raw.package as { items: Array<Record<string, unknown>>; 'scout:packageBaseAddress': string };
    expect(stored.items).toHaveLength(3);
    expect(stored.items.every((page) => !('items' in page) && typeof page['@id'] === 'string')).toBe(true);
    expect(stored['scout:packageBaseAddress']).toBe('https://api.nuget.org/v3-flatcontainer/');
  });
});
