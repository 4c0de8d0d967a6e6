import { describe, expect, it } from 'vitest';
import {
  compareGoSemver,
  goCanonical,
  goModuleCanonical,
  goVersioning,
  isCanonicalModuleVersion,
  isPseudoVersion,
  parsePseudoVersion,
  pseudoVersionTime,
} from '../src/versioning/go.js';

describe('Go semantic versions (golang.org/x/mod/semver)', () => {
  it('requires the v prefix and accepts the vMAJOR / vMAJOR.MINOR shorthands', () => {
    for (const valid of ['v1', 'v1.2', 'v1.2.3', 'v1.2.3-pre', 'v1.2.3-pre.1+build.5', 'v0.0.0-20191005200804-aed5e4c7ecf9', 'v2.0.0+incompatible']) {
      expect(goVersioning.isValid(valid), valid).toBe(true);
    }
    for (const invalid of ['1.2.3', 'v', 'v01.2.3', 'v1.02.3', 'v1.2.03', 'v1.2.3-01', 'v1.2.3-', 'v1.2.3+', 'v1.2.3-a..b', 'v1.2-pre', 'v1.2.3.4', 'V1.2.3', 'v1.2.3-ä']) {
      expect(goVersioning.isValid(invalid), invalid).toBe(false);
    }
  });

  it('orders by semver precedence, numbers numerically, prereleases below releases', () => {
    const ascending = [
      'v0.0.0-20191005200804-aed5e4c7ecf9',
      'v0.9.0',
      'v1.0.0-alpha',
      'v1.0.0-alpha.1',
      'v1.0.0-alpha.beta',
      'v1.0.0-beta',
      'v1.0.0-beta.2',
      'v1.0.0-beta.11',
      'v1.0.0-rc.1',
      'v1.0.0',
      'v1.0.1-0.20200101101010-abcdefabcdef',
      'v1.0.1',
      'v1.2.0',
      'v1.9.0',
      'v1.10.0',
      'v2.0.0+incompatible',
      'v10.0.0',
    ];
    const shuffled = [...ascending].reverse();
    shuffled.push(shuffled.shift()!);
    expect(shuffled.sort(goVersioning.compare)).toEqual(ascending);
  });

  it('compares shorthands and build metadata as Go does (equal precedence), with a string tie-break in compare()', () => {
    expect(compareGoSemver('v1', 'v1.0.0')).toBe(0);
    expect(compareGoSemver('v1.2', 'v1.2.0')).toBe(0);
    expect(compareGoSemver('v1.0.0+a', 'v1.0.0+b')).toBe(0);
    expect(goVersioning.compare('v1.0.0+a', 'v1.0.0+b')).toBeLessThan(0);
    // Invalid strings sort below valid ones and are equal to each other in Go's Compare.
    expect(compareGoSemver('garbage', 'v0.0.1')).toBe(-1);
    expect(compareGoSemver('garbage', 'trash')).toBe(0);
    expect(goVersioning.compare('garbage', 'trash')).toBeLessThan(0);
  });

  it('compares very large numbers without overflow', () => {
    expect(compareGoSemver('v1.99999999999999999999.0', 'v1.100000000000000000000.0')).toBe(-1);
  });

  it('treats every hyphenated version, pseudo-versions included, as a prerelease', () => {
    expect(goVersioning.isPrerelease('v1.2.3')).toBe(false);
    expect(goVersioning.isPrerelease('v2.0.0+incompatible')).toBe(false);
    expect(goVersioning.isPrerelease('v1.2.3-rc.1')).toBe(true);
    expect(goVersioning.isPrerelease('v0.0.0-20191005200804-aed5e4c7ecf9')).toBe(true);
  });

  it('canonicalizes like semver.Canonical and module.CanonicalVersion', () => {
    expect(goCanonical('v1')).toBe('v1.0.0');
    expect(goCanonical('v1.2')).toBe('v1.2.0');
    expect(goCanonical('v1.2.3+meta')).toBe('v1.2.3');
    expect(goModuleCanonical('v2.0.0+incompatible')).toBe('v2.0.0+incompatible');
    expect(isCanonicalModuleVersion('v2.0.0+incompatible')).toBe(true);
    expect(isCanonicalModuleVersion('v1.2')).toBe(false);
    expect(isCanonicalModuleVersion('v1.2.3+meta')).toBe(false);
  });
});

describe('pseudo-versions (module.IsPseudoVersion and friends)', () => {
  it('recognizes the three forms, with and without +incompatible', () => {
    expect(parsePseudoVersion('v0.0.0-20191005200804-aed5e4c7ecf9')).toEqual({ base: '', timestamp: '20191005200804', revision: 'aed5e4c7ecf9', build: '' });
    expect(parsePseudoVersion('v1.2.4-0.20200101101010-abcdefabcdef')).toEqual({ base: 'v1.2.3', timestamp: '20200101101010', revision: 'abcdefabcdef', build: '' });
    expect(parsePseudoVersion('v1.2.3-pre.0.20200101101010-abcdefabcdef')?.base).toBe('v1.2.3-pre');
    expect(parsePseudoVersion('v2.0.1-0.20200101101010-abcdefabcdef+incompatible')).toEqual({
      base: 'v2.0.0+incompatible',
      timestamp: '20200101101010',
      revision: 'abcdefabcdef',
      build: '+incompatible',
    });
  });

  it('rejects look-alikes', () => {
    for (const version of ['v1.2.3', 'v1.2.3-rc.1', 'v1.0.0-beta-0.20200101101010-abcdefabcdef', 'v1.0.0-2020010110101-abcdef', 'v0.0.0-20191005200804']) {
      expect(isPseudoVersion(version), version).toBe(false);
    }
  });

  it('reads the commit time (UTC) from the timestamp, and rejects impossible dates', () => {
    expect(pseudoVersionTime('v0.0.0-20191005200804-aed5e4c7ecf9')).toBe('2019-10-05T20:08:04.000Z');
    expect(pseudoVersionTime('v1.2.4-0.20200229235959-abcdefabcdef')).toBe('2020-02-29T23:59:59.000Z');
    expect(pseudoVersionTime('v0.0.0-20191345200804-aed5e4c7ecf9')).toBeNull();
    expect(pseudoVersionTime('v1.2.3')).toBeNull();
  });

  it('orders pseudo-versions after their base and before the next release', () => {
    const ascending = ['v1.2.3', 'v1.2.4-0.20200101101010-abcdefabcdef', 'v1.2.4-0.20200202101010-012345abcdef', 'v1.2.4-rc.1', 'v1.2.4'];
    expect([...ascending].reverse().sort(goVersioning.compare)).toEqual(ascending);
    expect(goVersioning.compare('v1.2.4-pre.0.20200101101010-abcdefabcdef', 'v1.2.4-pre')).toBeGreaterThan(0);
    expect(goVersioning.compare('v1.2.4-pre.0.20200101101010-abcdefabcdef', 'v1.2.4-pre.1')).toBeLessThan(0);
  });
});
