import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { pickVersion } from '../src/services/resolution.js';
import type { VersionSummary } from '../src/store/types.js';
import { goPathMajor, goVersioning } from '../src/versioning/go.js';

/*
 * Cases from the Go Modules Reference: `require` (https://go.dev/ref/mod#go-mod-file-require: "a module version
 * ... the minimum required version"), versions and pseudo-versions (https://go.dev/ref/mod#versions,
 * https://go.dev/ref/mod#pseudo-versions), major version suffixes and +incompatible
 * (https://go.dev/ref/mod#major-version-suffixes, https://go.dev/ref/mod#incompatible-versions), and minimal version
 * selection (https://go.dev/ref/mod#minimal-version-selection), which the graph performs, not a single requirement.
 */

const parse = (constraint: string) => goVersioning.parseConstraint!(constraint);
const PSEUDO = 'v0.0.0-20191109021931-daa7c04131f5';

describe('Go requirements: how they are read', () => {
  it.each([
    ['v1.2.3', 'v1.2.3'],
    ['v1.2', 'v1.2.0'], // modfile canonicalizes shorthands
    ['v1', 'v1.0.0'],
    ['v1.2.3+meta', 'v1.2.3'], // build metadata is dropped ...
    ['v2.0.0+incompatible', 'v2.0.0+incompatible'], // ... except +incompatible
    ['v1.3.0-beta.2', 'v1.3.0-beta.2'],
    [PSEUDO, PSEUDO],
    ['v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.4-0.20191109021931-daa7c04131f5'],
    [' v1.2.3 ', 'v1.2.3'],
  ])('%s -> minimum %s', (constraint, exact) => {
    expect(parse(constraint).exact).toBe(exact);
  });

  it('knows which module path a major version lives at', () => {
    expect(goPathMajor('v0.3.0')).toBe('');
    expect(goPathMajor('v1.9.0')).toBe('');
    expect(goPathMajor('v3.1.0+incompatible')).toBe('');
    expect(goPathMajor('v2.0.0')).toBe('/v2');
    expect(goPathMajor(PSEUDO)).toBe('');
  });
});

describe('Go requirements: which versions satisfy the minimum', () => {
  it.each([
    ['v1.2.3', 'v1.2.3', true],
    ['v1.2.3', 'v1.2.3+meta', true], // same precedence
    ['v1.2.3', 'v1.2.2', false],
    ['v1.2.3', 'v1.10.0', true], // numeric order
    ['v1.2.3', 'v1.3.0-beta.1', true], // MVS ignores prerelease-ness: a higher prerelease satisfies the minimum
    ['v1.2.3', 'v1.2.3-rc.1', false], // below the release
    ['v1.2.3', 'v1.2.4-0.20191109021931-daa7c04131f5', true], // a pseudo-version after v1.2.3
    ['v1.2.3', 'v2.0.0', false], // another module path (/v2)
    ['v1.2.3', 'v2.1.0+incompatible', true], // same path, higher version
    ['v1.2.3', '1.2.4', false], // not a Go version
    [PSEUDO, 'v0.1.0', true],
    [PSEUDO, 'v0.0.0-20180101000000-aaaaaaaaaaaa', false],
    ['v2.0.0', 'v2.5.0', true],
    ['v2.0.0', 'v3.0.0', false],
    ['v2.0.0', 'v1.9.0', false],
    ['v2.0.0+incompatible', 'v2.0.1+incompatible', true],
    ['v2.0.0+incompatible', 'v2.0.1', false], // a /v2 module is another path than the +incompatible one
  ])('%s is satisfied by %s: %s', (constraint, version, expected) => {
    expect(parse(constraint).matches(version)).toBe(expected);
  });
});

describe('Go requirements: what cannot be read', () => {
  it.each([
    ['1.2.3', 'go.mod requires a semantic version'],
    ['latest', 'go.mod requires a semantic version'],
    ['master', 'go.mod requires a semantic version'],
    ['>=v1.2.3', 'go.mod requires a semantic version'],
    ['v1.02.3', 'go.mod requires a semantic version'],
    ['', 'go.mod requires a semantic version'],
    ['v1.0.0+incompatible', '+incompatible is only for v2 and above'],
  ])('%j', (constraint, detail) => {
    let error: unknown = null;
    try {
      parse(constraint);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain(`not a Go module version: ${JSON.stringify(constraint)}`);
    expect((error as Error).message).toContain(detail);
  });
});

describe('Go requirements through pickVersion', () => {
  const summary = (version: string, status: VersionSummary['status'] = 'ACTIVE'): VersionSummary => ({ version, seq: 0, status, prerelease: goVersioning.isPrerelease(version), releaseDate: '2024-01-01T00:00:00Z' });
  const pick = (constraint: string, candidates: VersionSummary[]) => pickVersion({ ecosystem: 'go', versioning: goVersioning, constraint, candidates, distTags: {}, asOf: null });

  it('resolves a requirement to a version of its module path at or above the minimum', () => {
    // Only cases where "the minimum" (MVS) and "the highest at or above it" agree: the graph selects by MVS itself.
    expect(pick('v1.4.0', [summary('v2.0.0'), summary('v1.4.0'), summary('v1.2.0')])).toEqual({ version: 'v1.4.0' });
    expect(pick(PSEUDO, [summary(PSEUDO), summary('v0.0.0-20180101000000-aaaaaaaaaaaa')])).toEqual({ version: PSEUDO });
    // Go builds with a retracted version when it is required (retraction only steers `go get`): pinned, it is allowed.
    expect(pick('v1.3.0', [summary('v1.3.0', 'RETRACTED'), summary('v1.2.0')])).toEqual({ version: 'v1.3.0' });
    expect(pick('v1.5.0', [summary('v2.0.0'), summary('v1.4.0')])).toMatchObject({ reason: expect.stringMatching(/v1.5.0 is not in the module's version list/) });
    expect(pick('latest', [summary('v1.4.0')])).toMatchObject({ reason: expect.stringMatching(/not a Go module version/) });
  });
});
