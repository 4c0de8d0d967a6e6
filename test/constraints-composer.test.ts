import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { composerAllowedStability, composerVersioning, parseComposerConstraintGroups } from '../src/versioning/composer.js';

/*
 * Cases from Composer's documentation, https://getcomposer.org/doc/articles/versions.md (constraints, the
 * "Stability Constraints" table), https://getcomposer.org/doc/04-schema.md#package-links (stability flags), and
 * composer/semver's own VersionParserTest tables (https://github.com/composer/semver/blob/main/tests/VersionParserTest.php).
 */

const parse = (constraint: string) => composerVersioning.parseConstraint!(constraint);
const internal = (constraint: string) =>
  parseComposerConstraintGroups(constraint).map((group) => group.map((c) => `${c.operator} ${c.version}`).join(' ')).join(' || ');

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}

describe('Composer constraints: how they are read', () => {
  // versions.md, "Stability Constraints": the internal form Composer gives each constraint.
  it.each([
    ['1.2.3', '== 1.2.3.0'],
    ['>1.2', '> 1.2.0.0'],
    ['>=1.2', '>= 1.2.0.0-dev'],
    ['>=1.2-stable', '>= 1.2.0.0'],
    ['<1.3', '< 1.3.0.0-dev'],
    ['<=1.3', '<= 1.3.0.0'],
    ['1 - 2', '>= 1.0.0.0-dev < 3.0.0.0-dev'],
    ['~1.3', '>= 1.3.0.0-dev < 2.0.0.0-dev'],
    ['1.4.*', '>= 1.4.0.0-dev < 1.5.0.0-dev'],
    // composer/semver VersionParserTest
    ['~1.2.3', '>= 1.2.3.0-dev < 1.3.0.0-dev'],
    ['~1.2-beta', '>= 1.2.0.0-beta < 2.0.0.0-dev'],
    ['^0.3', '>= 0.3.0.0-dev < 0.4.0.0-dev'],
    ['^0.0.3', '>= 0.0.3.0-dev < 0.0.4.0-dev'],
    ['^1.2.3-beta.2', '>= 1.2.3.0-beta2 < 2.0.0.0-dev'],
    ['^2.x-dev', '>= 2.9999999.9999999.9999999-dev < 3.0.0.0-dev'],
    ['0.*', '< 1.0.0.0-dev'],
    ['v2.*', '>= 2.0.0.0-dev < 3.0.0.0-dev'],
    ['2.10.X', '>= 2.10.0.0-dev < 2.11.0.0-dev'],
    ['1.0 - 2.0', '>= 1.0.0.0-dev < 2.1.0.0-dev'],
    ['1.0.0 - 2.1.0', '>= 1.0.0.0-dev <= 2.1.0.0'],
    ['1.2-beta - 2.3-dev', '>= 1.2.0.0-beta <= 2.3.0.0-dev'],
    ['3.x-dev', '== 3.9999999.9999999.9999999-dev'],
    ['dev-feature-a', '== dev-feature-a'],
    ['foobar-dev', '== dev-foobar'],
    ['dev-master as 1.0.0', '== dev-master'],
    ['dev-main#0123abc', '== dev-main'],
    ['>2.0@stable,<=3.0@dev', '> 2.0.0.0 <= 3.0.0.0-dev'],
    ['>2.0, <=3.0', '> 2.0.0.0 <= 3.0.0.0'],
    ['  > 2.0  ,  <=  3.0 ', '> 2.0.0.0 <= 3.0.0.0'],
    ['>2.0,<2.0.5 | >2.0.6', '> 2.0.0.0 < 2.0.5.0-dev || > 2.0.6.0'],
    ['~2.5.9|~2.6,>=2.6.2', '>= 2.5.9.0-dev < 2.6.0.0-dev || >= 2.6.0.0-dev < 3.0.0.0-dev >= 2.6.2.0-dev'],
    ['*', ''],
    ['^1.', '>= 1.0.0.0-dev < 2.0.0.0-dev'],
  ])('%s -> %s', (constraint, expected) => {
    expect(internal(constraint)).toBe(expected);
  });
});

describe('Composer constraints: which versions match', () => {
  it.each([
    // Exact: "install this version and this version only".
    ['1.0.2', '1.0.2', true],
    ['1.0.2', 'v1.0.2', true],
    ['1.0.2', '1.0.3', false],
    // Ranges; space or comma is AND, || is OR, AND binds tighter.
    ['>=1.0', '1.0.0', true],
    ['>=1.0', '0.9.9', false],
    ['>=1.0 <2.0', '1.9.9', true],
    ['>=1.0 <2.0', '2.0.0', false],
    ['>=1.0 <1.1 || >=1.2', '1.0.5', true],
    ['>=1.0 <1.1 || >=1.2', '1.1.0', false],
    ['>=1.0 <1.1 || >=1.2', '1.2.0', true],
    ['>=1.0,<1.1', '1.0.9', true],
    ['!=1.0.1', '1.0.1', false],
    ['!=1.0.1', '1.0.2', true],
    ['~0.1 || ~1.0 !=1.0.1', '1.0.1', false],
    // Hyphen: `1.0 - 2.0` is `>=1.0.0 <2.1`; `1.0.0 - 2.1.0` is `>=1.0.0 <=2.1.0`.
    ['1.0 - 2.0', '2.0.9', true],
    ['1.0 - 2.0', '2.1.0', false],
    ['1.0.0 - 2.1.0', '2.1.0', true],
    ['1.0.0 - 2.1.0', '2.1.1', false],
    // Wildcard: `1.0.*` is `>=1.0 <1.1`.
    ['1.0.*', '1.0.99', true],
    ['1.0.*', '1.1.0', false],
    // Tilde: `~1.2` is `>=1.2 <2.0.0`, `~1.2.3` is `>=1.2.3 <1.3.0`, `~1` is `~1.0`.
    ['~1.2', '1.9.0', true],
    ['~1.2', '2.0.0', false],
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~1', '1.9.0', true],
    ['~1', '2.0.0', false],
    // Caret: `^1.2.3` is `>=1.2.3 <2.0.0`, `^0.3` is `>=0.3.0 <0.4.0`.
    ['^1.2.3', '1.99.0', true],
    ['^1.2.3', '1.2.2', false],
    ['^1.2.3', '2.0.0', false],
    ['^0.3', '0.3.9', true],
    ['^0.3', '0.4.0', false],
    // `v` prefixes and four-part versions.
    ['^1.2', 'v1.5.0', true],
    ['v1.2.*', '1.2.3.4', true],
    ['>=1.2.3.4', '1.2.3.5', true],
    // Patch releases are stable.
    ['^1.0', '1.0.0-patch1', true],
  ])('%s matches %s: %s', (constraint, version, expected) => {
    expect(parse(constraint).matches(version)).toBe(expected);
  });

  it.each([
    // minimum-stability stable: prereleases need a flag or a constraint that names that stability.
    ['^1.0', '1.1.0-beta1', false],
    ['~1.2', '2.0-beta.1', false], // versions.md note: `~1.2` would not install 2.0-beta.1
    ['^1.0@beta', '1.1.0-beta1', true],
    ['^1.0@beta', '1.1.0-RC1', true],
    ['^1.0@beta', '1.1.0-alpha1', false],
    ['^1.1-beta', '1.1.0-beta2', true],
    ['^1.1-beta', '1.1.0-alpha1', false],
    ['>=2.0-RC1', '2.0.0-RC2', true],
    ['>=2.0-RC1', '2.0.0-beta1', false],
    ['1.0.0-beta2', '1.0.0-beta2', true],
    ['@dev', '3.0.0-alpha1', true],
    ['*@dev', 'dev-main', true],
    ['*', 'dev-main', false],
    ['^1.0 || ^2.0@RC', '2.0.0-RC1', true],
    ['^1.0 || ^2.0@RC', '2.0.0-beta1', false],
    // Branches: `dev-<branch>` names a branch, `2.x-dev` a version-like branch; branches equal only themselves.
    ['dev-main', 'dev-main', true],
    ['dev-main', 'dev-feature', false],
    ['dev-main', '1.0.0', false],
    ['2.x-dev', '2.x-dev', true],
    ['2.x-dev', '2.0.0', false],
    ['^2.0@dev', '2.x-dev', true],
    ['^2.0@dev', 'dev-main', false],
    ['>=1.0@dev', 'dev-main', false],
    ['!=dev-main@dev', 'dev-feature', true],
  ])('stability and branches: %s matches %s: %s', (constraint, version, expected) => {
    expect(parse(constraint).matches(version)).toBe(expected);
  });

  it('reads the allowed stability as Composer infers root stability flags', () => {
    expect(composerAllowedStability('^1.0')).toBe('stable');
    expect(composerAllowedStability('^1.0@beta')).toBe('beta');
    expect(composerAllowedStability('>=1.0@alpha <2.0@RC')).toBe('alpha');
    expect(composerAllowedStability('1.0.0-RC1')).toBe('RC');
    expect(composerAllowedStability('dev-main as 1.0.0')).toBe('dev');
    // An explicit flag wins over an inferred one, even a stricter one.
    expect(composerAllowedStability('1.0.0-beta1 || ^2.0@stable')).toBe('stable');
  });

  it('names an exact pin, as written', () => {
    expect(parse('1.0.2').exact).toBe('1.0.2');
    expect(parse('=v1.0.2').exact).toBe('v1.0.2');
    expect(parse('dev-main').exact).toBe('dev-main');
    expect(parse('^1.0').exact).toBeNull();
    expect(parse('1.0.*').exact).toBeNull();
    expect(parse('1.0.2 || 1.0.3').exact).toBeNull();
  });

  it('does not match strings Composer cannot read as versions', () => {
    expect(parse('*').matches('not a version')).toBe(false);
    expect(parse('>=1.0').matches('')).toBe(false);
  });
});

describe('Composer constraints: what cannot be read', () => {
  it.each([
    ['', '""'],
    ['1.0.0-meh', '"1.0.0-meh"'],
    ['>2.0,,<=3.0', '"2.0,,<=3.0"'],
    ['>2.0 ||| <=3.0', '""'],
    ['^1@dev ||', '""'],
    [',^1@dev', '",^1@dev"'],
    ['^2.0.*', '"^2.0.*"'],
    ['~2.x', '"~2.x"'],
    ['1.x - 2.*', '"1.x - 2.*"'],
    ['*-dev', '"*-dev"'],
    ['^', '"^"'],
    ['~>1.2', 'you probably meant to use the "~" operator'],
  ])('%s', (constraint, detail) => {
    const error = thrown(() => parse(constraint));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toContain(`not a Composer version constraint: ${JSON.stringify(constraint)}`);
    expect((error as InvalidInputError).message).toContain(detail);
    expect((error as InvalidInputError).field).toBe('constraint');
  });

  it('refuses self.version with a clear reason', () => {
    const error = thrown(() => parse('self.version'));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/self\.version.*requiring package's own version/);
  });
});

describe('Composer constraints through pickVersion', () => {
  const summary = (version: string): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: composerVersioning.isPrerelease(version), releaseDate: '2024-01-01T00:00:00Z' });
  const candidates = ['dev-main', '2.x-dev', '2.1.0-RC1', 'v2.0.1', 'v2.0.0', '1.9.0', '1.2.0-beta1', 'v1.1.0'].map(summary);
  const pick = (constraint: string) => pickVersion({ ecosystem: 'packagist', versioning: composerVersioning, constraint, candidates, distTags: {}, asOf: null });

  it('takes the highest version the constraint and its stability allow', () => {
    expect(pick('^1.0')).toEqual({ version: '1.9.0' });
    expect(pick('^2.0')).toEqual({ version: 'v2.0.1' });
    expect(pick('^2.0@RC')).toEqual({ version: '2.1.0-RC1' });
    expect(pick('~2.0.0 || ~1.1.0')).toEqual({ version: 'v2.0.1' });
    expect(pick('dev-main')).toEqual({ version: 'dev-main' });
    expect(pick('2.x-dev')).toEqual({ version: '2.x-dev' });
    expect(pick('^3.0')).toMatchObject({ reason: expect.stringMatching(/no version satisfies "\^3.0"/) });
    expect(pick('self.version')).toMatchObject({ reason: expect.stringMatching(/self\.version/) });
    expect(pick('^2.0.*')).toMatchObject({ reason: expect.stringMatching(/not a Composer version constraint/) });
  });
});
