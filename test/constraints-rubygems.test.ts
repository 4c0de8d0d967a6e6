import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { parseRubygemsConstraint, rubygemsVersioning } from '../src/versioning/rubygems.js';

/*
 * Cases from the RubyGems docs: Gem::Version's table of `~>` ranges and prerelease rules
 * (https://docs.ruby-lang.org/en/master/Gem/Version.html), the pessimistic operator guide
 * (https://guides.rubygems.org/patterns/#pessimistic-version-constraint), Gem::Requirement's operators
 * (https://docs.ruby-lang.org/en/master/Gem/Requirement.html) and prerelease gems
 * (https://guides.rubygems.org/patterns/#prerelease-gems). Each row: requirement, matching, not matching.
 */
const CASES: Array<[string, string[], string[]]> = [
  // Gem::Version: "~> 3.0" 3.0 ... 4.0, "~> 3.0.0" 3.0.0 ... 3.1, "~> 3.5" 3.5 ... 4.0, "~> 3.5.0" 3.5.0 ... 3.6, "~> 3" 3.0 ... 4.0.
  ['~> 3.0', ['3.0', '3.0.0', '3.5', '3.99.1'], ['2.9', '4.0', '4.0.0']],
  ['~> 3.0.0', ['3.0.0', '3.0.9'], ['3.1', '3.1.0', '2.9.9']],
  ['~> 3.5', ['3.5', '3.99'], ['3.4', '4.0']],
  ['~> 3.5.0', ['3.5.0', '3.5.11'], ['3.6', '3.4.9']],
  ['~> 3', ['3.0', '3.9'], ['2.9', '4.0']],
  ['>= 3.0', ['3.0', '100'], ['2.9']],
  // The guide: ~> 2.2 is >= 2.2.0 and < 3.0; ~> 2.2.0 is >= 2.2.0 and < 2.3.0.
  ['~> 2.2', ['2.2.0', '2.9.1'], ['2.1.9', '3.0']],
  // Each operator; trailing zeros do not count (1.0 == 1.0.0) and a bare version means `=`.
  ['= 1.0', ['1.0', '1.0.0'], ['1.0.1', '0.9']],
  ['1.0', ['1.0.0'], ['1.1']],
  ['=1.0', ['1.0'], ['1.0.1']],
  ['!= 1.1', ['1.0', '1.2'], ['1.1', '1.1.0']],
  ['> 1.0', ['1.0.1', '2'], ['1.0', '0.9']],
  ['< 2', ['1.9.9', '0.1'], ['2', '2.0.0', '3']],
  ['<= 2.0', ['2.0', '2', '1.5'], ['2.0.1']],
  // Several requirements, as the gems API writes them (`, `) and as the compact index does (`&`).
  ['~> 1.2, >= 1.2.3', ['1.2.3', '1.9'], ['1.2.2', '2.0']],
  ['~> 1.2&>= 1.2.3', ['1.2.3', '1.9'], ['1.2.2', '2.0']],
  ['>= 2.4, < 2.8.dev', ['2.4', '2.7.9'], ['2.8.0', '2.3']],
  // Prereleases (any letter): matched only when a requirement names a prerelease.
  ['>= 0', ['0.0.1', '5.0'], ['1.0.0.pre', '1.0.0-rc1', '2.0.0.rc1']],
  ['~> 2.0', ['2.5'], ['2.5.0.rc1', '3.0.0.pre']],
  ['>= 2.0.0.rc1', ['2.0.0.rc1', '2.0.0.rc2', '2.0.0', '2.1.0.beta'], ['2.0.0.beta', '1.9']],
  ['~> 1.0.0.pre', ['1.0.0.pre', '1.0.0.pre.2', '1.0.0', '1.0.5', '1.0.9.rc1'], ['1.1.0', '1.1.0.a', '0.9']],
  ['= 1.0.0.a10', ['1.0.0.a10'], ['1.0.0.a9', '1.0.0']],
  ['> 1.0.a9', ['1.0.a10', '1.0'], ['1.0.a8']],
  ['>= 1.0.0.a', ['1.0.0-rc1', '1.0.0'], ['0.9']],
  ['< 3.4.dev', ['3.3.9', '3.4.a'], ['3.4.0', '3.4.dev']],
];

describe('RubyGems requirements (Gem::Requirement + Gem::Dependency#match?)', () => {
  it.each(CASES)('%s', (requirement, matching, notMatching) => {
    const constraint = parseRubygemsConstraint(requirement);
    for (const version of matching) expect(constraint.matches(version), `${requirement} should match ${version}`).toBe(true);
    for (const version of notMatching) expect(constraint.matches(version), `${requirement} should not match ${version}`).toBe(false);
  });

  it('never matches what is not a gem version', () => {
    const constraint = parseRubygemsConstraint('>= 0');
    for (const version of ['', ' 1.0', 'v1.0', '1.0 beta', 'latest']) expect(constraint.matches(version), version).toBe(false);
  });

  it('names the version of a single `=` (or bare) requirement as exact', () => {
    expect(parseRubygemsConstraint('= 1.2.3').exact).toBe('1.2.3');
    expect(parseRubygemsConstraint('1.2.3').exact).toBe('1.2.3');
    expect(parseRubygemsConstraint('=2.0.0.rc1').exact).toBe('2.0.0.rc1');
    for (const requirement of ['>= 1.2.3', '~> 1.2.3', '!= 1.2.3', '= 1.2, != 1.2.1']) expect(parseRubygemsConstraint(requirement).exact, requirement).toBeNull();
  });

  it.each([
    ['', /an empty requirement/],
    ['>= ', /">=" is not an operator/],
    ['~>', /"~>" is not an operator/],
    ['=> 1.0', /"=> 1.0" is not an operator/],
    ['^1.0', /"\^1.0" is not an operator/],
    ['1.0 || 2.0', /"1.0 \|\| 2.0" is not an operator/],
    ['>= 1.0,', /an empty requirement/],
    ['~> 1.0 < 2', /"~> 1.0 < 2" is not an operator/],
    ['>= 1.0 and < 2', /is not an operator/],
    ['latest', /"latest" is not an operator/],
  ])('refuses %j', (requirement, reason) => {
    let error: unknown;
    try {
      parseRubygemsConstraint(requirement);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe('INVALID_INPUT');
    expect((error as Error).message).toContain(`not a RubyGems requirement: ${JSON.stringify(requirement)}`);
    expect((error as Error).message).toMatch(reason);
  });

  it('is what rubygemsVersioning.parseConstraint returns', () => {
    expect(rubygemsVersioning.parseConstraint?.('~> 1.2').matches('1.3')).toBe(true);
  });
});

describe('pickVersion with RubyGems requirements', () => {
  const summary = (version: string, extra: Partial<VersionSummary> = {}): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: /[a-z]/i.test(version), releaseDate: '2024-01-01T00:00:00.000Z', ...extra });
  const candidates = [summary('2.1.0.beta'), summary('2.0.0'), summary('2.0.0.rc1'), summary('1.9.0'), summary('1.2.4', { status: 'YANKED' }), summary('1.2.3'), summary('1.2.0')];
  const pick = (constraint: string) => pickVersion({ ecosystem: 'rubygems', versioning: rubygemsVersioning, constraint, candidates, distTags: {}, asOf: null });

  it('takes the highest version the requirement and the prerelease rule admit', () => {
    expect(pick('~> 1.2, >= 1.2.3')).toEqual({ version: '1.9.0' });
    expect(pick('>= 1')).toEqual({ version: '2.0.0' });
    expect(pick('>= 2.0.0.rc1')).toEqual({ version: '2.1.0.beta' });
    expect(pick('~> 1.2.0')).toEqual({ version: '1.2.3' });
    expect(pick('= 1.2.4')).toEqual({ version: '1.2.4' });
    expect(pick('~> 3.0')).toMatchObject({ reason: expect.stringMatching(/no version satisfies "~> 3.0"/) });
    expect(pick('^1.2')).toMatchObject({ reason: expect.stringMatching(/not a RubyGems requirement/) });
  });
});
