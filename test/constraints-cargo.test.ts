import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { cargoVersioning, parseCargoConstraint } from '../src/versioning/cargo.js';

/*
 * Cases from the Cargo book (https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html, "Version
 * requirement syntax" and "Pre-releases") and the semver crate's VersionReq docs
 * (https://docs.rs/semver/latest/semver/struct.VersionReq.html), which Cargo and crates.io use.
 * Each row: requirement, versions it matches, versions it does not.
 */
const CASES: Array<[string, string[], string[]]> = [
  // Default (caret) requirements: the book's table, with and without `^`.
  ['1.2.3', ['1.2.3', '1.2.4', '1.9.0'], ['1.2.2', '2.0.0', '0.9.0']],
  ['^1.2.3', ['1.2.3', '1.99.99'], ['1.2.2', '2.0.0']],
  ['^1.2', ['1.2.0', '1.9.9'], ['1.1.9', '2.0.0']],
  ['^1', ['1.0.0', '1.99.0'], ['0.9.0', '2.0.0']],
  ['^0.2.3', ['0.2.3', '0.2.9'], ['0.2.2', '0.3.0']],
  ['0.2', ['0.2.0', '0.2.9'], ['0.1.9', '0.3.0']],
  ['^0.0.3', ['0.0.3'], ['0.0.2', '0.0.4', '0.1.0']],
  ['^0.0', ['0.0.0', '0.0.9'], ['0.1.0']],
  ['^0', ['0.0.0', '0.9.9'], ['1.0.0']],
  // Tilde requirements.
  ['~1.2.3', ['1.2.3', '1.2.9'], ['1.2.2', '1.3.0']],
  ['~1.2', ['1.2.0', '1.2.9'], ['1.1.0', '1.3.0']],
  ['~1', ['1.0.0', '1.9.0'], ['0.9.0', '2.0.0']],
  // Wildcards (`x`/`X` read like `*` by the crate).
  ['*', ['0.0.0', '1.0.0', '99.1.2'], ['1.0.0-alpha']],
  ['1.*', ['1.0.0', '1.9.9'], ['0.9.0', '2.0.0', '1.5.0-beta']],
  ['1.2.*', ['1.2.0', '1.2.9'], ['1.1.0', '1.3.0']],
  ['1.x', ['1.4.0'], ['2.0.0']],
  ['X', ['3.0.0'], []],
  ['>=1.*', ['1.0.0', '7.0.0'], ['0.9.9']],
  // Comparison requirements: a partial version compares as a whole (`> 1` is 2.0.0 and up).
  ['>= 1.2.0', ['1.2.0', '9.0.0'], ['1.1.9']],
  ['> 1', ['2.0.0'], ['1.0.0', '1.9.9']],
  ['< 2', ['0.1.0', '1.9.9'], ['2.0.0', '2.0.0-alpha']],
  ['<= 1.2', ['1.2.9', '1.0.0'], ['1.3.0']],
  ['= 1.2.3', ['1.2.3', '1.2.3+build.5'], ['1.2.4', '1.2.3-rc.1']],
  // Multiple requirements, separated by commas (all must hold).
  ['>= 1.2, < 1.5', ['1.2.0', '1.4.9'], ['1.1.0', '1.5.0']],
  [' >=1.2.3 ,<2 ', ['1.2.3'], ['2.0.0']],
  // Pre-releases: matched only when a comparator names a prerelease of the same major.minor.patch.
  ['1.0', ['1.0.0', '1.9.0'], ['1.0.0-alpha', '1.0.1-alpha', '1.1.0-rc.1']],
  ['1.0.0-alpha', ['1.0.0-alpha', '1.0.0-beta', '1.0.0', '1.4.0'], ['1.0.0-0', '1.0.1-alpha', '2.0.0']],
  ['>1.2.3-alpha.3', ['1.2.3-alpha.7', '1.2.3', '3.4.5'], ['1.2.3-alpha.2', '3.4.5-alpha.9']],
  ['^1.0.0-beta.2', ['1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.5.0'], ['1.0.0-beta.1', '1.1.0-alpha', '2.0.0']],
  ['~1.2.3-beta', ['1.2.3-beta', '1.2.3-beta.2', '1.2.3', '1.2.9'], ['1.2.3-alpha', '1.2.4-beta', '1.3.0']],
  ['=1.0.0-alpha', ['1.0.0-alpha'], ['1.0.0', '1.0.0-alpha.1']],
  ['>=1.0.0-alpha, <1.0.0-rc', ['1.0.0-alpha', '1.0.0-beta.3'], ['1.0.0-rc', '1.0.0', '0.9.0']],
];

describe('Cargo requirements (semver crate VersionReq)', () => {
  it.each(CASES)('%s', (requirement, matching, notMatching) => {
    const constraint = parseCargoConstraint(requirement);
    for (const version of matching) expect(constraint.matches(version), `${requirement} should match ${version}`).toBe(true);
    for (const version of notMatching) expect(constraint.matches(version), `${requirement} should not match ${version}`).toBe(false);
  });

  it('never matches a version Cargo could not publish', () => {
    const constraint = parseCargoConstraint('*');
    for (const version of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-01', '', 'latest']) expect(constraint.matches(version), version).toBe(false);
  });

  it('names the one version of an `=x.y.z` pin, and only of a full one', () => {
    expect(parseCargoConstraint('=1.2.3').exact).toBe('1.2.3');
    expect(parseCargoConstraint('= 1.2.3-rc.1').exact).toBe('1.2.3-rc.1');
    expect(parseCargoConstraint('=0.10.0+wasi-snapshot-preview1').exact).toBe('0.10.0+wasi-snapshot-preview1');
    for (const requirement of ['1.2.3', '^1.2.3', '=1.2', '=1.2.3, <2', '*']) expect(parseCargoConstraint(requirement).exact, requirement).toBeNull();
  });

  it.each([
    ['', /major number is missing/],
    ['1.2.3.4', /expected a comma/],
    ['>=1.2 <2', /expected a comma, found "<"/],
    ['1.*.3', /number after a wildcard/],
    ['*, <2', /wildcard must be the only comparator/],
    ['01.2.3', /leading zero/],
    ['1.2.3-01', /leading zero/],
    ['^1.2.3-', /empty prerelease identifier/],
    ['1.2.3-alpha..1', /empty prerelease identifier/],
    ['1.2-beta', /expected a comma, found "-"/],
    ['~> 1.2', /unexpected ">"/],
    ['1.2,', /major number is missing/],
    ['1.2.3 || 2.0.0', /expected a comma/],
    ['latest', /unexpected "l"/],
    ['\t1.2.3', /unexpected "\\t"/],
    ['18446744073709551616', /does not fit in 64 bits/],
    [Array.from({ length: 33 }, () => '>=1.0.0').join(', '), /more than 32 comparators/],
  ])('refuses %j', (requirement, reason) => {
    let error: unknown;
    try {
      parseCargoConstraint(requirement);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe('INVALID_INPUT');
    expect((error as Error).message).toContain(`not a Cargo version requirement: ${JSON.stringify(requirement.slice(0, 100))}`);
    expect((error as Error).message).toMatch(reason);
  });

  it('accepts up to 32 comparators, as the crate does', () => {
    expect(parseCargoConstraint(Array.from({ length: 32 }, () => '>=1.0.0').join(', ')).matches('1.0.0')).toBe(true);
  });

  it('is what cargoVersioning.parseConstraint returns', () => {
    expect(cargoVersioning.parseConstraint?.('^1.2').matches('1.3.0')).toBe(true);
  });
});

describe('pickVersion with Cargo requirements', () => {
  const summary = (version: string, extra: Partial<VersionSummary> = {}): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: version.includes('-'), releaseDate: '2024-01-01T00:00:00.000Z', ...extra });
  const candidates = [summary('2.0.0'), summary('1.2.0-beta.1'), summary('1.1.0'), summary('1.0.1', { status: 'YANKED' }), summary('1.0.0'), summary('0.9.0')];
  const pick = (constraint: string, list = candidates) => pickVersion({ ecosystem: 'cargo', versioning: cargoVersioning, constraint, candidates: list, distTags: {}, asOf: null });

  it('takes the highest matching release, a prerelease only when named, a yanked version only when pinned', () => {
    expect(pick('1.0')).toEqual({ version: '1.1.0' });
    expect(pick('^1.2.0-beta.0')).toEqual({ version: '1.2.0-beta.1' });
    expect(pick('~1.0.0')).toEqual({ version: '1.0.0' });
    expect(pick('=1.0.1')).toEqual({ version: '1.0.1' });
    expect(pick('>= 0.9, < 2')).toEqual({ version: '1.1.0' });
    expect(pick('^3')).toMatchObject({ reason: expect.stringMatching(/no version satisfies "\^3"/) });
    expect(pick('>=1.2 <2')).toMatchObject({ reason: expect.stringMatching(/not a Cargo version requirement/) });
  });
});
