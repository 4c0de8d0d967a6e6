import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { mavenVersioning, parseMavenConstraint } from '../src/versioning/maven.js';

/*
 * Cases from the POM reference, "Dependency Version Requirement Specification"
 * (https://maven.apache.org/pom.html#dependency-version-requirement-specification), with the parsing rules of
 * maven-resolver's GenericVersionScheme / GenericVersionRange (what Maven 3 resolves dependencies with) and the
 * order of "Version Order Specification" (https://maven.apache.org/pom.html#version-order-specification).
 */

const parse = (constraint: string) => mavenVersioning.parseConstraint!(constraint);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}

describe('Maven version requirements: which versions match', () => {
  it.each([
    // `1.0`: "Soft" requirement for 1.0: the resolver's constraint holds 1.0 itself (mediation may replace it).
    ['1.0', '1.0', true],
    ['1.0', '1', true],
    ['1.0', '1.0.0', true],
    ['1.0', '1.0-ga', true],
    ['1.0', '1.1', false],
    ['1.0', '0.9', false],
    // `[1.0]`: "Hard" requirement for 1.0.
    ['[1.0]', '1.0', true],
    ['[1.0]', '1.0.0', true],
    ['[1.0]', '1.0.1', false],
    // `(,1.0]`: x <= 1.0
    ['(,1.0]', '0.1', true],
    ['(,1.0]', '1.0', true],
    ['(,1.0]', '1.0.1', false],
    // `[1.2,1.3]`: 1.2 <= x <= 1.3
    ['[1.2,1.3]', '1.2', true],
    ['[1.2,1.3]', '1.2.9', true],
    ['[1.2,1.3]', '1.3', true],
    ['[1.2,1.3]', '1.3.1', false],
    // `[1.0,2.0)`: 1.0 <= x < 2.0
    ['[1.0,2.0)', '1.0', true],
    ['[1.0,2.0)', '1.99', true],
    ['[1.0,2.0)', '2.0', false],
    ['[1.0,2.0)', '0.9', false],
    // `[1.5,)`: x >= 1.5 (numeric parts compare as numbers: 1.10 > 1.5)
    ['[1.5,)', '1.5', true],
    ['[1.5,)', '1.10', true],
    ['[1.5,)', '1.4', false],
    // `(,1.0],[1.2,)`: x <= 1.0 or x >= 1.2
    ['(,1.0],[1.2,)', '1.0', true],
    ['(,1.0],[1.2,)', '1.1', false],
    ['(,1.0],[1.2,)', '1.2', true],
    // `(,1.1),(1.1,)`: excludes 1.1
    ['(,1.1),(1.1,)', '1.1', false],
    ['(,1.1),(1.1,)', '1.1.1', true],
    ['(,1.1),(1.1,)', '1.0', true],
    // Whitespace inside ranges.
    [' [ 1.0 , 2.0 ) ', '1.5', true],
    // The resolver's prefix wildcard.
    ['[1.2.*]', '1.2.7', true],
    ['[1.2.*]', '1.2-SNAPSHOT', true],
    ['[1.2.*]', '1.20', false],
    ['[1.2.*]', '1.3', false],
  ])('%s matches %s: %s', (constraint, version, expected) => {
    expect(parse(constraint).matches(version)).toBe(expected);
  });

  it.each([
    // Maven filters no qualifier: everything inside the bounds by ComparableVersion is in the range,
    // including alphas, release candidates and snapshots of the upper bound (all below 2.0).
    ['[1.0,2.0)', '2.0-alpha-1', true],
    ['[1.0,2.0)', '2.0-rc1', true],
    ['[1.0,2.0)', '2.0-SNAPSHOT', true],
    ['[1.0,2.0]', '2.0-sp1', false], // sp ranks above the release
    ['[1.0,)', '1.0-beta-2', false],
    ['1.0-SNAPSHOT', '1.0-SNAPSHOT', true],
    ['1.0-SNAPSHOT', '1.0', false],
    // Meta-versions: RELEASE is any non-snapshot, LATEST anything.
    ['RELEASE', '2.0-SNAPSHOT', false],
    ['RELEASE', '2.0-rc1', true],
    ['LATEST', '2.0-SNAPSHOT', true],
  ])('prereleases and snapshots: %s matches %s: %s', (constraint, version, expected) => {
    expect(parse(constraint).matches(version)).toBe(expected);
  });

  it('marks soft requirements and hard pins', () => {
    expect(parseMavenConstraint('1.0')).toMatchObject({ exact: null, preferred: '1.0' });
    expect(parseMavenConstraint('[1.0]')).toMatchObject({ exact: '1.0', preferred: null });
    expect(parseMavenConstraint('[1.0,1.0]')).toMatchObject({ exact: '1.0', preferred: null });
    expect(parseMavenConstraint('[1.0,2.0)')).toMatchObject({ exact: null, preferred: null });
    expect(parseMavenConstraint('[1.0],[2.0]')).toMatchObject({ exact: null, preferred: null });
  });
});

describe('Maven version requirements: what cannot be read', () => {
  it.each([
    ['', 'no version'],
    ['${jackson.version}', 'an unresolved property'],
    ['[1.0', 'unbounded version range'],
    ['(1.0)', 'single version must be surrounded by []'],
    ['[1.0)', 'single version must be surrounded by []'],
    ['[1.0,2.0]x', 'expected [ or ( but got "x"'],
    ['[2.0,1.0]', 'lower bound must not be greater than upper bound'],
    ['[1,2,3]', "bounds may not contain additional ','"],
    ['1.0 2.0', 'is not a version'],
    ['[1.0 ,2 .0]', 'is not a version'],
  ])('%s', (constraint, detail) => {
    const error = thrown(() => parse(constraint));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain(`not a Maven version requirement: ${JSON.stringify(constraint)}`);
    expect((error as Error).message).toContain(detail);
  });
});

describe('Maven requirements through pickVersion', () => {
  const summary = (version: string): VersionSummary => ({ version, seq: 0, status: 'ACTIVE', prerelease: mavenVersioning.isPrerelease(version), releaseDate: '2024-01-01T00:00:00Z' });
  const candidates = ['2.1', '2.0', '2.0-RC1', '1.5.2', '1.5', '1.0.1', '1.0'].map(summary);
  const pick = (constraint: string) => pickVersion({ ecosystem: 'maven', versioning: mavenVersioning, constraint, candidates, distTags: {}, asOf: null });

  it('uses the soft version itself, and the highest version inside a range', () => {
    expect(pick('1.0.1')).toEqual({ version: '1.0.1' });
    expect(pick('1.5.0')).toEqual({ version: '1.5' }); // 1.5.0 == 1.5
    expect(pick('[1.0,2.0)')).toEqual({ version: '2.0-RC1' }); // as Maven does: the RC is inside the range
    expect(pick('[1.0,1.5]')).toEqual({ version: '1.5' });
    expect(pick('(,1.0],[1.2,1.6)')).toEqual({ version: '1.5.2' });
    expect(pick('[1.0]')).toEqual({ version: '1.0' });
    expect(pick('[3.0,)')).toMatchObject({ reason: expect.stringMatching(/no version satisfies "\[3.0,\)"/) });
    expect(pick('3.0')).toMatchObject({ reason: expect.stringContaining('3.0') });
    expect(pick('[1.0')).toMatchObject({ reason: expect.stringMatching(/unbounded version range/) });
  });
});
