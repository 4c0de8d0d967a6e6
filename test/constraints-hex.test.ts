import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { hexVersioning, parseHexConstraint } from '../src/versioning/hex.js';

/*
 * Cases from Elixir's Version docs (https://hexdocs.pm/elixir/Version.html, "Requirements": the `~>`
 * translation table and the `:allow_pre` table, read with `allow_pre: false` as Hex sets it) and the
 * requirement examples of `Version.match?/3` and `Version.parse_requirement/1` there.
 * Each row: requirement, matching, not matching.
 */
const CASES: Array<[string, string[], string[]]> = [
  // `~>` translations: ~> 2.0.0 is >= 2.0.0 and < 2.1.0, ~> 2.0 is >= 2.0.0 and < 3.0.0 ...
  ['~> 2.0.0', ['2.0.0', '2.0.5'], ['1.9.9', '2.1.0']],
  ['~> 2.1.2', ['2.1.2', '2.1.9'], ['2.1.1', '2.2.0', '2.1.6-dev']],
  ['~> 2.1.3-dev', ['2.1.3-dev', '2.1.3', '2.1.9'], ['2.1.3-alpha', '2.2.0', '2.2.0-dev']],
  ['~> 2.0', ['2.0.0', '2.1.0', '2.99.0'], ['1.9.0', '3.0.0']],
  ['~> 2.1', ['2.1.0', '2.5.0'], ['2.0.9', '3.0.0']],
  // The allow_pre table (allow_pre: false), and `~>` never taking its upper bound's prereleases.
  ['~> 2.1-dev', ['2.1.0-dev', '2.2.0-dev', '2.1.0'], ['3.0.0-dev', '3.0.0']],
  ['~> 2.1.2-dev', ['2.1.6-dev', '2.1.2'], ['2.2.0-rc.0']],
  ['>= 2.1.0', ['2.1.0', '3.0.0'], ['2.0.9', '2.2.0-dev']],
  ['>= 2.1.0-dev', ['2.1.0-dev', '2.2.6-dev', '2.1.0'], ['2.1.0-alpha']],
  // The other operators; a bare version means `==`; build metadata is ignored.
  ['== 2.0.0', ['2.0.0', '2.0.0+build.1'], ['2.0.1', '2.0.0-rc.1']],
  ['2.0.0', ['2.0.0'], ['2.0.1']],
  ['> 2.0.0', ['2.0.1'], ['2.0.0', '2.1.0-rc.0']],
  ['<= 2.0.0', ['2.0.0', '1.0.0'], ['2.0.1']],
  // `<`, `<=`, `==` and `!=` take prereleases: Elixir checks allow_pre only on `>`, `>=` and `~>`.
  ['< 2.1.0', ['2.0.0', '2.1.0-rc.0'], ['2.1.0']],
  ['!= 1.0.0', ['1.0.1', '2.0.0-dev'], ['1.0.0', '1.0.0+build']],
  ['! 1.0.0', ['1.0.1'], ['1.0.0']],
  // `and` / `or`, as in the docs and in real Hex requirements.
  ['>= 2.0.0 and < 2.1.0', ['2.0.0', '2.0.9'], ['1.9.9', '2.1.0', '2.0.5-rc.1']],
  ['>= 0.4.0 and < 2.0.0', ['0.4.0', '1.9.0'], ['0.3.9', '2.0.0']],
  ['~> 1.0 or ~> 2.0', ['1.5.0', '2.3.0'], ['0.9.0', '3.0.0']],
  ['~>1.2', ['1.2.0', '1.9.0'], ['2.0.0']],
  ['>=1.0.0 and <1.0.5', ['1.0.4'], ['1.0.5']],
  // No precedence: clauses fold from the right, so this is `== 1.0.0 and (== 2.0.0 or >= 0.0.0)`.
  ['== 1.0.0 and == 2.0.0 or >= 0.0.0', ['1.0.0'], ['2.0.0', '3.0.0']],
  ['>= 3.0.0 or == 1.0.0 and == 2.0.0', ['3.0.0'], ['1.0.0', '2.0.0']],
];

describe('Hex requirements (Elixir Version, allow_pre: false)', () => {
  it.each(CASES)('%s', (requirement, matching, notMatching) => {
    const constraint = parseHexConstraint(requirement);
    for (const version of matching) expect(constraint.matches(version), `${requirement} should match ${version}`).toBe(true);
    for (const version of notMatching) expect(constraint.matches(version), `${requirement} should not match ${version}`).toBe(false);
  });

  it('never matches what Version.parse/1 refuses', () => {
    const constraint = parseHexConstraint('>= 0.0.0');
    for (const version of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-01', '']) expect(constraint.matches(version), version).toBe(false);
  });

  it('names the version of a single `==` (or bare) requirement as exact', () => {
    expect(parseHexConstraint('== 1.2.3').exact).toBe('1.2.3');
    expect(parseHexConstraint('1.2.3').exact).toBe('1.2.3');
    expect(parseHexConstraint('==1.2.3-rc.1').exact).toBe('1.2.3-rc.1');
    for (const requirement of ['~> 1.2.3', '>= 1.2.3', '== 1.0.0 or == 1.0.1', '!= 1.2.3']) expect(parseHexConstraint(requirement).exact, requirement).toBeNull();
  });

  it.each([
    ['', /it is empty/],
    ['== == 1.0.0', /a version must follow ==/],
    ['~>', /a version must follow ~>/],
    ['1.0', /"1.0" needs a patch number/],
    ['>= 1.0', /"1.0" needs a patch number/],
    ['~> 1', /"1" is not a version/],
    ['1.0.0 or', /"1.0.0or" is not a version/],
    ['1.0.0 or ', /an operator or a version is missing/],
    [' and 1.0.0', /an operator or a version is missing/],
    ['1.0.0 or  and 2.0.0', /an operator or a version is missing/],
    ['>= 1.0.0 && < 2.0.0', /"1.0.0&&" is not a version/],
    ['>= 1.0.0, < 2.0.0', /"1.0.0," is not a version/],
    ['>= 1.0.0and < 2.0.0', /"1.0.0and" is not a version/],
    ['01.0.0', /"01.0.0" is not a version/],
    ['1.0.0-01', /"1.0.0-01" is not a version/],
    ['~> 2.1.x', /"2.1.x" is not a version/],
    ['^1.0.0', /"\^1.0.0" is not a version/],
  ])('refuses %j', (requirement, reason) => {
    let error: unknown;
    try {
      parseHexConstraint(requirement);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe('INVALID_INPUT');
    expect((error as Error).message).toContain(`not an Elixir version requirement: ${JSON.stringify(requirement)}`);
    expect((error as Error).message).toMatch(reason);
  });

  it('is what hexVersioning.parseConstraint returns', () => {
    expect(hexVersioning.parseConstraint?.('~> 1.2').matches('1.3.0')).toBe(true);
  });
});

describe('pickVersion with Hex requirements', () => {
  const summary = (version: string, extra: Partial<VersionSummary> = {}): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: version.includes('-'), releaseDate: '2024-01-01T00:00:00.000Z', ...extra });
  const candidates = [summary('2.0.0'), summary('1.3.0-rc.0'), summary('1.2.1', { status: 'RETRACTED' }), summary('1.2.0'), summary('1.1.0')];
  const pick = (constraint: string) => pickVersion({ ecosystem: 'hex', versioning: hexVersioning, constraint, candidates, distTags: {}, asOf: null });

  it('takes the highest version the requirement admits, prereleases only when it names one', () => {
    expect(pick('~> 1.1')).toEqual({ version: '1.2.0' });
    expect(pick('~> 1.3.0-rc.0')).toEqual({ version: '1.3.0-rc.0' });
    expect(pick('>= 0.0.0')).toEqual({ version: '2.0.0' });
    expect(pick('~> 1.0 or ~> 2.0')).toEqual({ version: '2.0.0' });
    expect(pick('== 1.2.1')).toEqual({ version: '1.2.1' });
    expect(pick('~> 3.0')).toMatchObject({ reason: expect.stringMatching(/no version satisfies "~> 3.0"/) });
    expect(pick('^1.0.0')).toMatchObject({ reason: expect.stringMatching(/not an Elixir version requirement/) });
  });
});
