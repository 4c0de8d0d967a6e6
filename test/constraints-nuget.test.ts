import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { normalizeNuGetRange, nugetFindBestMatch, nugetPrefersLowest, nugetVersioning } from '../src/versioning/nuget.js';

/*
 * Cases from Microsoft's documentation: the "Version ranges" table and the floating-version examples of
 * https://learn.microsoft.com/nuget/concepts/package-versioning#version-ranges, the "Floating versions" table of
 * https://learn.microsoft.com/nuget/concepts/dependency-resolution#floating-versions, the lowest-applicable rule
 * (same page, "Lowest applicable version"), and NuGet.Client's VersionRange / FloatRange for what the pages leave out.
 */

const parse = (constraint: string) => nugetVersioning.parseConstraint!(constraint);

describe('NuGet ranges: how they are read (normalized as NuGet writes them)', () => {
  it.each([
    ['1.0', '[1.0.0, )'],
    ['[1.0,)', '[1.0.0, )'],
    ['(1.0,)', '(1.0.0, )'],
    ['[1.0]', '[1.0.0, 1.0.0]'],
    ['(,1.0]', '(, 1.0.0]'],
    ['(,1.0)', '(, 1.0.0)'],
    ['[1.0,2.0]', '[1.0.0, 2.0.0]'],
    ['(1.0,2.0)', '(1.0.0, 2.0.0)'],
    ['[1.0,2.0)', '[1.0.0, 2.0.0)'],
    ['[1.0.0, )', '[1.0.0, )'],
    ['(, )', '(, )'],
    ['1.01.0.0-Beta', '[1.1.0-Beta, )'],
    ['1.0.0.1', '[1.0.0.1, )'],
    ['6.0.*', '[6.0.*, )'],
    ['1.*', '[1.*, )'],
    ['*', '[*, )'],
    ['*-*', '[*-*, )'],
    ['1.0.0-*', '[1.0.0-*, )'],
    ['1.0.0-rc.*', '[1.0.0-rc.*, )'],
    ['1.1.*-*', '[1.1.*-*, )'],
    ['[1.*, 2.0)', '[1.*, 2.0.0)'],
  ])('%s -> %s', (constraint, expected) => {
    expect(normalizeNuGetRange(constraint)).toBe(expected);
  });
});

describe('NuGet ranges: which versions match', () => {
  it.each([
    // The "Version ranges" table.
    ['1.0', '1.0.0', true],
    ['1.0', '0.9.0', false],
    ['1.0', '5.0.0', true],
    ['(1.0,)', '1.0.0', false],
    ['(1.0,)', '1.0.1', true],
    ['[1.0]', '1.0.0', true],
    ['[1.0]', '1.0.0.0', true],
    ['[1.0]', '1.0.1', false],
    ['(,1.0]', '1.0.0', true],
    ['(,1.0]', '1.0.1', false],
    ['(,1.0)', '1.0.0', false],
    ['[1.0,2.0]', '2.0.0', true],
    ['(1.0,2.0)', '2.0.0', false],
    ['(1.0,2.0)', '1.0.0', false],
    ['[1.0,2.0)', '1.0.0', true],
    ['[1.0,2.0)', '2.0.0', false],
    // Normalization: leading zeros, a fourth part, case-insensitive labels, metadata ignored.
    ['[1.01]', '1.1.0', true],
    ['[1.0.0.1]', '1.0.0.1', true],
    ['[1.0.0-Beta]', '1.0.0-beta', true],
    ['[1.0.0]', '1.0.0+build.5', true],
    // Prereleases: only when a bound has a label (then any prerelease within the bounds).
    ['1.0', '1.1.0-beta', false],
    ['[1.0,2.0)', '1.5.0-rc.1', false],
    ['[1.0-beta,2.0)', '1.5.0-rc.1', true],
    ['[1.0,2.0-preview)', '1.5.0-rc.1', true],
    ['1.0.0-beta', '1.0.0-alpha', false],
    ['1.0.0-beta', '1.0.0-beta.2', true],
    // Floating: the floating part decides what counts (`1.*` = stable 1.x).
    ['*', '3.0.0', true],
    ['*', '3.1.0-alpha', false],
    ['1.1.*', '1.1.7', true],
    ['1.1.*', '1.2.0', false],
    ['1.1.*', '1.1.2-alpha', false],
    ['*-*', '1.3.0-beta', true],
    ['1.1.*-*', '1.1.2-beta', true],
    ['1.1.*-*', '1.3.0-beta', false],
    ['1.0.0-*', '1.0.0-alpha', true],
    ['1.0.0-*', '1.0.0', true],
    ['1.0.0-*', '1.0.1', false],
    ['1.2.0-rc.*', '1.2.0-rc.2', true],
    ['1.2.0-rc.*', '1.2.0-beta.1', false],
    ['1.2.0-rc.*', '1.2.0', true],
    ['[1.*, 2.0)', '1.9.0', true],
  ])('%s matches %s: %s', (constraint, version, expected) => {
    expect(parse(constraint).matches(version)).toBe(expected);
  });

  it('names the exact version of `[1.0]`, normalized', () => {
    expect(parse('[1.0]').exact).toBe('1.0.0');
    expect(parse('[1.0, 1.0]').exact).toBe('1.0.0');
    expect(parse('1.0').exact).toBeNull();
    expect(parse('[1.0, 2.0]').exact).toBeNull();
  });

  it('does not match strings NuGet cannot parse as versions', () => {
    expect(parse('(, )').matches('not-a-version')).toBe(false);
    expect(parse('(, )').matches('1.0.0.0.0')).toBe(false);
  });
});

describe('NuGet ranges: which version NuGet picks', () => {
  // dependency-resolution.md, "Floating versions" (resolution column), and "Lowest applicable version".
  it.each([
    ['*', ['1.1.0', '1.1.1', '1.2.0', '1.3.0-alpha'], '1.2.0'],
    ['1.1.*', ['1.1.0', '1.1.1', '1.1.2-alpha', '1.2.0-alpha'], '1.1.1'],
    ['*-*', ['1.1.0', '1.1.1', '1.1.2-alpha', '1.3.0-beta'], '1.3.0-beta'],
    ['1.1.*-*', ['1.1.0', '1.1.1', '1.1.2-alpha', '1.1.2-beta', '1.3.0-beta'], '1.1.2-beta'],
    ['1.2.0-rc.*', ['1.1.0', '1.2.0-rc.1', '1.2.0-rc.2', '1.2.0'], '1.2.0'],
    ['6.0.*', ['6.0.1', '6.0.5', '6.1.0'], '6.0.5'],
    // Nothing inside the float: the lowest version above it.
    ['1.*', ['0.9.0', '2.0.0', '3.0.0'], '2.0.0'],
    // Plain ranges: the lowest applicable version.
    ['1.0', ['1.0.0', '1.5.0', '2.0.0'], '1.0.0'],
    ['[1.0,2.0)', ['0.9.0', '1.2.0', '1.5.0'], '1.2.0'],
    ['1.1', ['1.0.0', '1.2.0', '1.3.0'], '1.2.0'],
    ['(, )', ['2.0.0', '1.0.0'], '1.0.0'],
    ['[2.0,)', ['1.0.0', '1.5.0'], null],
  ])('%s from %j -> %s', (constraint, versions, expected) => {
    expect(nugetFindBestMatch(constraint, versions)).toBe(expected);
  });

  it('says which ranges take the lowest applicable version', () => {
    for (const lowest of ['1.0', '[1.0]', '(1.0,)', '[1.0,2.0)', '(,1.0]', '(, )']) expect(nugetPrefersLowest(lowest), lowest).toBe(true);
    for (const highest of ['*', '1.*', '1.0.*', '1.0.0-*', '*-*', '1.*-*', '[1.*, 2.0)']) expect(nugetPrefersLowest(highest), highest).toBe(false);
    expect(nugetPrefersLowest(parse('6.0.*'))).toBe(false);
  });
});

describe('NuGet ranges: what cannot be read', () => {
  it.each([
    '', '(1.0)', '[1.0)', '(1.0]', '(,)', '[1.0,2.0,3.0]', '[2.0,1.0]', '[1.0.0, 1.0.0)', '(1.0.0, 1.0.0]',
    '[1.0.*]', '[1.0, 2.*)', '1.*.0', '1.0.0.0.0', 'not-a-version', '[1.0,2.0', '1.0.0-01', '1.*-*-*',
  ])('%j', (constraint) => {
    let error: unknown = null;
    try {
      parse(constraint);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(`not a NuGet version range: ${JSON.stringify(constraint)}`);
  });
});

describe('NuGet ranges through pickVersion', () => {
  const summary = (version: string, status: VersionSummary['status'] = 'ACTIVE'): VersionSummary => ({ version, seq: 0, status, prerelease: version.includes('-'), releaseDate: '2024-01-01T00:00:00Z' });
  const candidates = [summary('2.0.0'), summary('1.5.0-beta'), summary('1.2.0'), summary('1.1.0', 'UNLISTED'), summary('1.0.0')];
  const pick = (constraint: string) => pickVersion({ ecosystem: 'nuget', versioning: nugetVersioning, constraint, candidates, distTags: {}, asOf: null });

  it('takes the lowest applicable version of a range and the highest of a float', () => {
    expect(pick('1.0')).toEqual({ version: '1.0.0' });
    expect(pick('(1.0,)')).toEqual({ version: '1.2.0' }); // 1.1.0 is unlisted
    expect(pick('[1.1.0]')).toEqual({ version: '1.1.0' }); // pinned exactly
    expect(pick('1.*')).toEqual({ version: '1.2.0' });
    expect(pick('1.*-*')).toEqual({ version: '1.5.0-beta' });
    expect(pick('[3.0,)')).toMatchObject({ reason: expect.stringMatching(/no version satisfies/) });
    expect(pick('(1.0)')).toMatchObject({ reason: 'not a NuGet version range: "(1.0)"' });
  });
});
