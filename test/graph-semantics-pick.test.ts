import { describe, expect, it } from 'vitest';
import type { EcosystemId } from '../src/ecosystems/ids.js';
import { pickVersion, versionAsOf } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { goVersioning } from '../src/versioning/go.js';
import { mavenVersioning } from '../src/versioning/maven.js';
import { nugetVersioning } from '../src/versioning/nuget.js';
import { pep440Versioning } from '../src/versioning/pep440.js';
import type { Versioning } from '../src/versioning/types.js';

const summary = (version: string, extra: Partial<VersionSummary> = {}): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: false, releaseDate: '2020-01-01T00:00:00.000Z', ...extra });

function pick(ecosystem: EcosystemId, versioning: Versioning, constraint: string, versions: (string | VersionSummary)[], extra: { exclude?: Set<string>; excludedBecause?: string } = {}) {
  const candidates = versions.map((v) => (typeof v === 'string' ? summary(v) : v));
  return pickVersion({ ecosystem, versioning, constraint, candidates, distTags: {}, asOf: null, ...extra });
}

describe('pickVersion per ecosystem', () => {
  it('NuGet: the lowest applicable version of a plain range, the highest inside a floating one', () => {
    const all = ['1.0.0', '1.2.0', '1.9.0', '2.0.0', '2.1.0'];
    expect(pick('nuget', nugetVersioning, '1.1.0', all)).toEqual({ version: '1.2.0' });
    expect(pick('nuget', nugetVersioning, '[1.0.0, 2.0.0)', all)).toEqual({ version: '1.0.0' });
    expect(pick('nuget', nugetVersioning, '1.*', all)).toEqual({ version: '1.9.0' });
    // Unlisted versions are passed over unless pinned.
    expect(pick('nuget', nugetVersioning, '[1.0.0, )', [summary('1.0.0', { status: 'UNLISTED' }), '1.2.0'])).toEqual({ version: '1.2.0' });
    expect(pick('nuget', nugetVersioning, '[1.0.0]', [summary('1.0.0', { status: 'UNLISTED' }), '1.2.0'])).toEqual({ version: '1.0.0' });
  });

  it('Maven: a soft requirement is that version; ranges and RELEASE the highest inside', () => {
    const all = ['1.0', '1.5', '2.0-SNAPSHOT', '2.0'];
    expect(pick('maven', mavenVersioning, '1.0', all)).toEqual({ version: '1.0' });
    expect(pick('maven', mavenVersioning, '1.0.0', all)).toEqual({ version: '1.0' });
    expect(pick('maven', mavenVersioning, '1.2', all)).toEqual({ reason: 'version 1.2 is not published' });
    expect(pick('maven', mavenVersioning, '[1.0,2.0)', all)).toEqual({ version: '2.0-SNAPSHOT' });
    expect(pick('maven', mavenVersioning, 'RELEASE', all)).toEqual({ version: '2.0' });
    expect(pick('maven', mavenVersioning, '', all)).toMatchObject({ reason: expect.stringMatching(/no version/) });
  });

  it('Go: the required minimum itself, retracted or not, never a newer release', () => {
    const all = ['v1.0.0', summary('v1.1.0', { status: 'RETRACTED' }), 'v1.2.0'];
    expect(pick('go', goVersioning, 'v1.1.0', all)).toEqual({ version: 'v1.1.0' });
    expect(pick('go', goVersioning, 'v1.0.5', all)).toEqual({ reason: "v1.0.5 is not in the module's version list" });
  });

  it('says when versions were turned down for the environment', () => {
    expect(pick('pypi', pep440Versioning, '>=2', ['1.0', '2.0'], { exclude: new Set(['2.0']), excludedBecause: 'for Python 3.8' })).toEqual({ reason: 'no version for Python 3.8 satisfies ">=2" (1 candidate)' });
  });
});

describe('versionAsOf', () => {
  it('takes the highest stable, active version published by then, not above the current tag', () => {
    const all = [
      summary('3.0.0', { releaseDate: '2023-01-01T00:00:00Z' }),
      summary('2.1.0-beta.1', { releaseDate: '2021-06-01T00:00:00Z', prerelease: true }),
      summary('2.0.1', { releaseDate: '2021-03-01T00:00:00Z', status: 'YANKED' }),
      summary('2.0.0', { releaseDate: '2021-01-01T00:00:00Z' }),
      summary('1.0.0', { releaseDate: '2020-01-01T00:00:00Z' }),
    ];
    expect(versionAsOf(pep440Versioning, all, '3.0.0', Date.parse('2021-12-31'))).toBe('2.0.0');
    expect(versionAsOf(pep440Versioning, all, '2.0.0', Date.parse('2024-01-01'))).toBe('2.0.0');
    expect(versionAsOf(pep440Versioning, all, null, Date.parse('2019-01-01'))).toBeNull();
  });
});
