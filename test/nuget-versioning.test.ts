import { describe, expect, it } from 'vitest';
import { normalizeNuGetVersion, nugetVersioning, parseNuGetVersion } from '../src/versioning/nuget.js';

describe('NuGet version normalization', () => {
  // Rows from https://learn.microsoft.com/nuget/concepts/package-versioning#normalized-version-numbers, plus edge cases.
  const table: Array<[string, string]> = [
    ['1.00', '1.0.0'],
    ['1.01.1', '1.1.1'],
    ['1.00.0.1', '1.0.0.1'],
    ['1.0.0.0', '1.0.0'],
    ['1.0.01.0', '1.0.1'],
    ['1.0.7+r3456', '1.0.7'],
    ['1', '1.0.0'],
    ['1.2', '1.2.0'],
    ['2.0.1.1', '2.0.1.1'],
    ['1.0.0-Beta', '1.0.0-Beta'],
    ['1.0.0-beta.1+build.5', '1.0.0-beta.1'],
    ['01.002.0003.0-RC.1', '1.2.3-RC.1'],
    ['3.12.0+build-632', '3.12.0'],
    ['5.0.0-beta03-tryoutMutex', '5.0.0-beta03-tryoutMutex'],
    ['1.0.0-beta.01x', '1.0.0-beta.01x'],
    ['  1.0.0  ', '1.0.0'],
  ];
  it.each(table)('%s -> %s', (input, normalized) => {
    expect(normalizeNuGetVersion(input)).toBe(normalized);
    expect(nugetVersioning.isValid(input)).toBe(true);
  });

  it.each(['', 'a.b.c', '1.0.0.0.0', '1..0', '1.0.0-', '1.0.0+', '1.0.0-beta..1', '1.0.0-beta.01', '1.0.0-be_ta', 'v1.0.0', '1.0.0-beta+', '99999999999.0.0', '-1.0.0'])(
    'rejects %j',
    (input) => {
      expect(normalizeNuGetVersion(input)).toBeNull();
      expect(nugetVersioning.isValid(input)).toBe(false);
    },
  );

  it('parses into parts', () => {
    expect(parseNuGetVersion('1.2.3.4-alpha.7+meta.data')).toEqual({ major: 1, minor: 2, patch: 3, revision: 4, releaseLabels: ['alpha', '7'], metadata: 'meta.data' });
    expect(parseNuGetVersion('1.0.0+meta-only')).toMatchObject({ releaseLabels: [], metadata: 'meta-only' });
  });
});

describe('NuGet version precedence', () => {
  it('orders numbers (four parts), then labels', () => {
    const ascending = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-beta-14', // legacy SemVer 1 label: one alphanumeric label, compared as text
      '1.0.0-beta1',
      '1.0.0-RC1',
      '1.0.0-rc2',
      '1.0.0',
      '1.0.0.1',
      '1.0.1',
      '1.10.0',
      '10.0.0',
    ];
    const sorted = [...ascending].reverse().sort(nugetVersioning.compare);
    expect(sorted).toEqual(ascending);
  });

  it('compares labels case-insensitively and ignores metadata (ties ordered deterministically)', () => {
    const norm = (a: string, b: string) => Math.sign(nugetVersioning.compare(a, b));
    // Equal for NuGet, but the total order still separates them deterministically.
    expect(norm('1.0.0-Beta', '1.0.0-beta')).toBe(-1);
    expect(norm('1.0.0-beta', '1.0.0-Beta')).toBe(1);
    expect(norm('1.0.0-BETA.2', '1.0.0-alpha.3')).toBe(1);
    expect(norm('1.0.0+b', '1.0.0+a')).toBe(1);
    expect(norm('1.0.0+zzz', '1.0.0.1')).toBe(-1);
    expect(norm('1.0', '1.0.0.0')).toBe(-1); // equal versions; string order only (a prefix sorts first)
    expect(norm('2.0.0', '10.0.0')).toBe(-1);
  });

  it('puts numeric labels below alphanumeric ones, and fewer labels first', () => {
    expect(nugetVersioning.compare('1.0.0-1', '1.0.0-a')).toBeLessThan(0);
    expect(nugetVersioning.compare('1.0.0-alpha', '1.0.0-alpha.0')).toBeLessThan(0);
    expect(nugetVersioning.compare('1.0.0-2', '1.0.0-10')).toBeLessThan(0);
  });

  it('knows prereleases and sorts unparseable versions first', () => {
    expect(nugetVersioning.isPrerelease('1.0.0-rc.1')).toBe(true);
    expect(nugetVersioning.isPrerelease('1.0.0+build')).toBe(false);
    expect(nugetVersioning.isPrerelease('1.0.0.1')).toBe(false);
    expect(nugetVersioning.compare('not-a-version', '0.0.1')).toBeLessThan(0);
  });
});
