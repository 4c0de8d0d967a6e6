import { describe, expect, it } from 'vitest';
import { pubDependency } from '../src/ecosystems/pub/index.js';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { parsePubConstraint, pubVersioning } from '../src/versioning/pub.js';

/*
 * Cases from the pub docs (https://dart.dev/tools/pub/dependencies#version-constraints: `any`, exact,
 * comparisons, ranges, caret syntax "^1.2.3 is equivalent to '>=1.2.3 <2.0.0'" and "^0.1.2 ... '>=0.1.2
 * <0.2.0'") and package:pub_semver, whose VersionConstraint.parse and VersionRange.allows pub runs
 * (https://github.com/dart-lang/pub_semver/blob/master/lib/src/version_constraint.dart, version_range.dart:
 * an exclusive release upper bound excludes its own prereleases). Each row: constraint, matching, not matching.
 */
const CASES: Array<[string, string[], string[]]> = [
  ['any', ['0.0.1', '1.0.0', '2.0.0-dev.1'], []],
  // An exact version: build metadata is part of a pub version's identity.
  ['1.2.3', ['1.2.3'], ['1.2.4', '1.2.3+1', '1.2.3-dev']],
  ['>=1.2.3', ['1.2.3', '9.0.0', '2.0.0-dev'], ['1.2.2', '1.2.3-dev']],
  ['>1.2.3', ['1.2.4', '1.2.3+1'], ['1.2.3']],
  ['<=1.2.3', ['1.2.3', '0.1.0', '1.2.3-beta'], ['1.2.3+1', '1.2.4']],
  ['<1.2.3', ['1.2.2', '1.2.2-dev'], ['1.2.3', '1.2.3-dev', '1.2.3-0', '1.2.3-0-']],
  ['>=1.2.3 <2.0.0', ['1.2.3', '1.9.9', '1.5.0-beta'], ['1.2.2', '2.0.0', '2.0.0-dev.1']],
  // Caret syntax: up to the next breaking version (the next minor below 1.0.0, also for 0.0.x).
  ['^1.2.3', ['1.2.3', '1.99.0', '1.5.0-beta'], ['1.2.2', '2.0.0', '2.0.0-dev']],
  ['^0.1.2', ['0.1.2', '0.1.9'], ['0.1.1', '0.2.0', '0.2.0-dev']],
  ['^0.0.3', ['0.0.3', '0.0.9'], ['0.0.2', '0.1.0']],
  ['^1.0.0-beta.2', ['1.0.0-beta.2', '1.0.0-beta.10', '1.0.0', '1.5.0'], ['1.0.0-beta.1', '2.0.0-dev']],
  ['^ 2.0.0', ['2.1.0'], ['3.0.0']],
  // A lower bound that is a prerelease of the upper bound keeps the upper bound's prereleases.
  ['>=2.0.0-dev.1 <2.0.0', ['2.0.0-dev.1', '2.0.0-dev.5'], ['2.0.0', '1.9.0']],
  // Several comparisons: the tightest bounds win, whitespace is free.
  ['>=1.0.0 >=1.5.0 <3.0.0 <2.0.0', ['1.5.0', '1.9.9'], ['1.4.9', '2.0.0']],
  ['>= 1.0.0  < 2.0.0', ['1.0.0'], ['2.0.0']],
  ['  >=1.0.0<2.0.0  ', ['1.5.0'], ['2.0.0']],
  ['>=1.2.3 <=1.2.3', ['1.2.3'], ['1.2.4']],
  ['>1.0.0 >=1.0.0', ['1.0.1'], ['1.0.0']],
  // Bounds that cross allow nothing (pub reports "no versions", not a syntax error).
  ['>2.0.0 <1.0.0', [], ['1.5.0', '2.0.0']],
  ['>=1.0.0 <1.0.0', [], ['1.0.0']],
];

describe('pub version constraints (pub_semver VersionConstraint.parse + allows)', () => {
  it.each(CASES)('%s', (constraintText, matching, notMatching) => {
    const constraint = parsePubConstraint(constraintText);
    for (const version of matching) expect(constraint.matches(version), `${constraintText} should match ${version}`).toBe(true);
    for (const version of notMatching) expect(constraint.matches(version), `${constraintText} should not match ${version}`).toBe(false);
  });

  it('never matches what is not a pub version', () => {
    const constraint = parsePubConstraint('any');
    for (const version of ['1.0', 'v1.0.0', '1.0.0.0', '']) expect(constraint.matches(version), version).toBe(false);
  });

  it('names the one version an exact constraint allows', () => {
    expect(parsePubConstraint('1.2.3').exact).toBe('1.2.3');
    expect(parsePubConstraint(' 1.2.3-dev.1+7 ').exact).toBe('1.2.3-dev.1+7');
    expect(parsePubConstraint('>=1.2.3 <=1.2.3').exact).toBe('1.2.3');
    for (const text of ['^1.2.3', 'any', '>=1.2.3', '>=1.2.3 <1.2.4']) expect(parsePubConstraint(text).exact, text).toBeNull();
  });

  it.each([
    ['', /it is empty/],
    ['^1.2.3 <2.0.0', /"\^" cannot be combined/],
    ['^', /expected a version after "\^"/],
    ['>=', /expected a version after ">="/],
    ['1.2', /unknown text at "1.2"/],
    ['~1.2.3', /unknown text at "~1.2.3"/],
    ['=1.2.3', /unknown text at "=1.2.3"/],
    ['>=1.0.0,<2.0.0', /unknown text at ",<2.0.0"/],
    ['1.2.3.4', /unknown text at ".4"/],
    ['1x2x3', /unknown text/],
    ['latest', /unknown text at "latest"/],
    ['99999999999999999999.0.0', /number too large/],
  ])('refuses %j', (text, reason) => {
    let error: unknown;
    try {
      parsePubConstraint(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe('INVALID_INPUT');
    expect((error as Error).message).toContain(`not a pub version constraint: ${JSON.stringify(text)}`);
    expect((error as Error).message).toMatch(reason);
  });

  it('refuses the git, path, SDK and other-host dependencies the adapter writes as "not a registry dependency"', () => {
    const specs: unknown[] = [
      { git: { url: 'https://github.com/example/kit.git', ref: 'main' } },
      { git: 'https://github.com/example/kit.git', version: '^1.0.0' },
      { path: '../kit' },
      { sdk: 'flutter' },
      { hosted: 'https://pub.example.com', version: '^1.0.0' },
    ];
    for (const spec of specs) {
      const record = pubDependency('kit', spec, 'RUNTIME');
      expect(record, JSON.stringify(spec)).not.toBeNull();
      expect(() => parsePubConstraint(record!.constraint), record!.constraint).toThrow(/^not a registry dependency: /);
      expect(() => parsePubConstraint(record!.constraint)).toThrow(InvalidInputError);
    }
    // Hosted on pub.dev (or no source at all) stays a plain constraint.
    expect(parsePubConstraint(pubDependency('kit', { hosted: 'https://pub.dev', version: '^1.0.0' }, 'RUNTIME')!.constraint).matches('1.4.0')).toBe(true);
    expect(parsePubConstraint(pubDependency('kit', null, 'RUNTIME')!.constraint).matches('0.0.1')).toBe(true);
  });

  it('is what pubVersioning.parseConstraint returns', () => {
    expect(pubVersioning.parseConstraint?.('^1.2.0').matches('1.3.0')).toBe(true);
  });
});

describe('pickVersion with pub constraints', () => {
  const summary = (version: string, extra: Partial<VersionSummary> = {}): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: version.includes('-'), releaseDate: '2024-01-01T00:00:00.000Z', ...extra });
  const candidates = [summary('3.0.0-dev.2'), summary('2.0.0'), summary('1.2.1', { status: 'RETRACTED' }), summary('1.2.0'), summary('1.1.0'), summary('0.9.0')];
  const pick = (constraint: string) => pickVersion({ ecosystem: 'pub', versioning: pubVersioning, constraint, candidates, distTags: {}, asOf: null });

  it('takes the highest allowed version; a retracted one only when pinned; non-hosted sources are reasons', () => {
    expect(pick('^1.1.0')).toEqual({ version: '1.2.0' });
    expect(pick('>=1.0.0 <2.0.0')).toEqual({ version: '1.2.0' });
    // pub takes a prerelease only when no release is allowed (PackageLister.bestVersion).
    expect(pick('any')).toEqual({ version: '2.0.0' });
    expect(pick('^3.0.0-dev.1')).toEqual({ version: '3.0.0-dev.2' });
    expect(pick('1.2.1')).toEqual({ version: '1.2.1' });
    expect(pick('^4.0.0')).toMatchObject({ reason: expect.stringMatching(/no version satisfies "\^4.0.0"/) });
    expect(pick('git: https://github.com/example/kit.git')).toMatchObject({ reason: expect.stringMatching(/not a registry dependency/) });
  });
});
