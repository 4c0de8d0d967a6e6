import { describe, expect, it } from 'vitest';
import {
  canonicalMavenVersion,
  compareMavenVersions,
  isDateLikeMavenVersion,
  isMavenSnapshot,
  mavenVersioning,
  parseMavenVersion,
  type MavenVersion,
} from '../src/versioning/maven.js';

/*
 * The cases of Maven's own ComparableVersionTest (apache/maven, compat/maven-artifact/src/test/java/org/apache/
 * maven/artifact/versioning/ComparableVersionTest.java), table for table, plus the cases of the 2026
 * transitivity fix (apache/maven#12942: `1-ga1` no longer equals `1`).
 */

/** Like the Java test's newComparable: parsing the canonical form gives the same canonical form. */
function parse(version: string): MavenVersion {
  const parsed = parseMavenVersion(version);
  expect(parsed, version).not.toBeNull();
  const canonical = canonicalMavenVersion(parsed!);
  const again = parseMavenVersion(canonical);
  expect(again && canonicalMavenVersion(again), `canonical(${version}) = ${canonical}`).toBe(canonical);
  return parsed!;
}

function expectOrder(low: string, high: string): void {
  const a = parse(low);
  const b = parse(high);
  expect(compareMavenVersions(a, b), `expected ${low} < ${high}`).toBeLessThan(0);
  expect(compareMavenVersions(b, a), `expected ${high} > ${low}`).toBeGreaterThan(0);
}

function expectEqual(v1: string, v2: string): void {
  const a = parse(v1);
  const b = parse(v2);
  expect(compareMavenVersions(a, b), `expected ${v1} == ${v2}`).toBe(0);
  expect(compareMavenVersions(b, a), `expected ${v2} == ${v1}`).toBe(0);
}

function expectSameOrder(v1: string, v2: string): void {
  expect(mavenVersioning.compare(v1, v2), `expected ${v1} == ${v2}`).toBe(0);
  expect(mavenVersioning.compare(v2, v1), `expected ${v2} == ${v1}`).toBe(0);
}

function expectSorted(versions: string[]): void {
  for (let i = 1; i < versions.length; i++) for (let j = i; j < versions.length; j++) expectOrder(versions[i - 1]!, versions[j]!);
}

const VERSIONS_QUALIFIER = [
  '1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT', '1',
  '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123',
];

const VERSIONS_NUMBER = [
  '2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123', '11.a2', '11.a11', '11.b2',
  '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m',
];

describe('ComparableVersion (Maven version order)', () => {
  it('orders qualifiers: alpha < beta < milestone < rc < snapshot < release < sp < unknown < numbers', () => {
    expectSorted(VERSIONS_QUALIFIER);
  });

  it('orders numbers and number/qualifier mixes', () => {
    expectSorted(VERSIONS_NUMBER);
  });

  it('treats padding, separators and aliases as equal', () => {
    parse('1.0-alpha');
    const equal: Array<[string, string]> = [
      ['1', '1'], ['1', '1.0'], ['1', '1.0.0'], ['1.0', '1.0.0'], ['1', '1-0'], ['1', '1.0-0'], ['1.0', '1.0-0'],
      // no separator between number and character
      ['1a', '1-a'], ['1a', '1.0-a'], ['1a', '1.0.0-a'], ['1.0a', '1-a'], ['1.0.0a', '1-a'], ['1x', '1-x'], ['1x', '1.0-x'], ['1x', '1.0.0-x'],
      ['1.0x', '1-x'], ['1.0.0x', '1-x'], ['1cr', '1rc'],
      // special "aliases" a, b and m for alpha, beta and milestone
      ['1a1', '1-alpha-1'], ['1b2', '1-beta-2'], ['1m3', '1-milestone-3'],
      // case insensitive
      ['1X', '1x'], ['1A', '1a'], ['1B', '1b'], ['1M', '1m'], ['1Cr', '1Rc'], ['1cR', '1rC'], ['1m3', '1Milestone3'], ['1m3', '1MileStone3'], ['1m3', '1MILESTONE3'],
    ];
    for (const [a, b] of equal) expectEqual(a, b);
  });

  it('sorts ga, final and release like no qualifier', () => {
    for (const v of ['1ga', '1release', '1final', '1Ga', '1GA', '1RELEASE', '1RELeaSE', '1Final', '1FinaL', '1FINAL']) expectSameOrder(v, '1');
  });

  it('compares versions (testVersionComparing)', () => {
    const pairs: Array<[string, string]> = [
      ['1', '2'], ['1.5', '2'], ['1', '2.5'], ['1.0', '1.1'], ['1.1', '1.2'], ['1.0.0', '1.1'], ['1.0.1', '1.1'], ['1.1', '1.2.0'],
      ['1.0-alpha-1', '1.0'], ['1.0-alpha-1', '1.0-alpha-2'], ['1.0-alpha-1', '1.0-beta-1'],
      ['1.0-beta-1', '1.0-SNAPSHOT'], ['1.0-SNAPSHOT', '1.0'], ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'],
      ['1.0', '1.0-1'], ['1.0-1', '1.0-2'], ['1.0.0', '1.0-1'],
      ['2.0-1', '2.0.1'], ['2.0.1-klm', '2.0.1-lmn'], ['2.0.1', '2.0.1-xyz'],
      ['2.0.1', '2.0.1-123'], ['2.0.1-xyz', '2.0.1-123'],
    ];
    for (const [low, high] of pairs) expectOrder(low, high);
  });

  it('ignores leading zeroes except in the number itself', () => {
    expectOrder('0.7', '2');
    expectOrder('0.2', '1.0.7');
    const ones = Array.from({ length: 19 }, (_, i) => `${'0'.repeat(18 - i)}1`);
    const zeros = Array.from({ length: 19 }, (_, i) => '0'.repeat(19 - i));
    for (const list of [ones, zeros]) for (let i = 0; i < list.length; i++) for (let j = i; j < list.length; j++) expectEqual(list[i]!, list[j]!);
  });

  it('ranks digits above letters and non-ASCII text, and compares text case-insensitively', () => {
    expect(mavenVersioning.compare('1', 'é')).toBeGreaterThan(0);
    expect(mavenVersioning.compare('1', '\u{1D7E4}')).toBeGreaterThan(0); // MATHEMATICAL SANS-SERIF DIGIT TWO is no digit
    expect(mavenVersioning.compare('1', '\u0668')).toBeGreaterThan(0); // ARABIC-INDIC DIGIT EIGHT is no digit
    expect(mavenVersioning.compare('9', '\u0668')).toBeGreaterThan(0);
    expect(mavenVersioning.compare('1.0.0-ALPHA1', '1.0.0-alpha1')).toBe(0);
    expect(mavenVersioning.compare('1.A', '1.a')).toBe(0);
    expect(mavenVersioning.compare('1.É', '1.é')).toBe(0);
    expect(mavenVersioning.compare('7', 'J')).toBeGreaterThan(0);
    expect(mavenVersioning.compare('c', '7')).toBeLessThan(0);
    expect(mavenVersioning.compare('zebra', 'aardvark')).toBeGreaterThan(0);
    expect(mavenVersioning.compare('ζέβρα', 'zebra')).toBeGreaterThan(0);
  });

  it('canonicalizes (MNG-7700)', () => {
    for (const v of ['0.x', '0-x', '0.rc', '0-1']) parse(v);
    expect(canonicalMavenVersion(parse('0.x'))).toBe('x');
    expect(canonicalMavenVersion(parse('0.2'))).toBe('0.2');
    expect(canonicalMavenVersion(parse('1.0.0'))).toBe('1');
  });

  it('keeps the MNG-5568 triple transitive', () => {
    expectOrder('6.1.0rc3', '6.1.0');
    expectOrder('6.1.0rc3', '6.1H.5-beta');
    expectOrder('6.1.0', '6.1H.5-beta');
  });

  it('orders numbers of any length (MNG-6572)', () => {
    const a = '20190126.230843';
    const b = '1234567890.12345';
    const c = '123456789012345.1H.5-beta';
    const d = '12345678901234567890.1H.5-beta';
    for (const [low, high] of [[a, b], [b, c], [a, c], [c, d], [b, d], [a, d]] as const) expectOrder(low, high);
  });

  it('compares a "-0." qualifier list as a whole (MNG-6964)', () => {
    expectOrder('1-0.alpha', '1');
    expectOrder('1-0.beta', '1');
    expectOrder('1-0.alpha', '1-0.beta');
  });

  it('is locale independent', () => {
    expectEqual('1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  });

  it('reads .X as -X (MNG-7644)', () => {
    for (const x of ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC']) {
      expectOrder(`1.0.0.${x}1`, `1.0.0-${x}2`);
      expectEqual(`2-${x}`, `2.0.${x}`);
      expectEqual(`2-${x}`, `2.0.0.${x}`);
      expectEqual(`2.0.${x}`, `2.0.0.${x}`);
    }
  });

  it('puts final before service packs (MNG-7714)', () => {
    for (const sp of ['1.0-sp1-redhat', '1.0-sp-1-redhat', '1.0-sp.1-redhat']) expect(mavenVersioning.compare('1.0.final-redhat', sp)).toBeLessThan(0);
  });

  it('lets the number of a release-qualifier combination decide (apache/maven#12942)', () => {
    expectOrder('1', '1-ga1');
    expectOrder('1-ga1', '1-ga2');
    expectOrder('1-rc1', '1');
  });

  it('sorts real version lists (guava, commons-collections)', () => {
    const guava = ['r09', '10.0-rc1', '10.0', '11.0', '22.0-rc1-android', '22.0-android', '23.0', '23.6-android', '23.6-jre', '23.7-rc1-jre'];
    expectSorted(guava);
    expectSorted(['2.0', '2.0.20020914.015953', '2.1', '3.0-dev2', '3.1', '3.2.2', '20030418.083655', '20040616']);
    expectSorted(['5.0.0.M1', '5.0.0.RC1', '5.0.0.RELEASE', '5.0.1.RELEASE']);
    expectSorted(['1.0.0.Alpha1', '1.0.0.Beta2', '1.0.0.CR1', '1.0.0.Final', '1.0.0.SP1']);
  });
});

describe('ComparableVersion as a sort order', () => {
  it('is antisymmetric and transitive over generated versions (a sort never sees a contradiction)', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T,>(items: readonly T[], limit = items.length) => items[Math.floor(random() * limit)]!;
    const tokens = ['0', '1', '2', '10', 'a', 'b', 'm', 'alpha', 'beta', 'rc', 'cr', 'snapshot', 'ga', 'final', 'release', 'sp', 'x', 'jre', 'a1', 'rc2', 'sp1', 'ga1'];
    const versions = Array.from({ length: 250 }, () => {
      let version = pick(tokens, 4);
      for (let i = Math.floor(random() * 4); i > 0; i--) version += pick(['.', '-', '']) + pick(tokens);
      return version;
    });
    const sign = (a: string, b: string) => Math.sign(mavenVersioning.compare(a, b));
    const violations: string[] = [];
    for (const a of versions) for (const b of versions) if (sign(a, b) !== (-sign(b, a) || 0)) violations.push(`${a} vs ${b}`);
    for (let i = 0; i < 50_000; i++) {
      const [a, b, c] = [pick(versions), pick(versions), pick(versions)];
      if (sign(a, b) <= 0 && sign(b, c) <= 0 && sign(a, c) > 0) violations.push(`${a} <= ${b} <= ${c}`);
    }
    expect(violations).toEqual([]);
  });
});

describe('mavenVersioning helpers', () => {
  it('flags versions with a qualifier below release as prereleases', () => {
    for (const v of ['1.0-alpha-1', '1.0-SNAPSHOT', '10.0-rc1', '23.7-rc1-jre', '5.0.0.M1', '1.0b2', '1.0.0.CR1', '1-a1']) expect(mavenVersioning.isPrerelease(v), v).toBe(true);
    for (const v of ['1.0', '23.6-jre', '23.6-android', '1.0.0.Final', '5.0.0.RELEASE', '1.0-sp1', '3.0-dev2', '1.0a', 'r09', '20040616']) expect(mavenVersioning.isPrerelease(v), v).toBe(false);
  });

  it('recognises snapshots and date-like versions', () => {
    expect(isMavenSnapshot('1.5.9-SNAPSHOT')).toBe(true);
    expect(isMavenSnapshot('14.9-20221018.091616-21')).toBe(true);
    expect(isMavenSnapshot('1.5.9')).toBe(false);
    for (const v of ['20040616', '20030418.083655', '20031027.000000', '20231013']) expect(isDateLikeMavenVersion(v), v).toBe(true);
    for (const v of ['2023.0.3', '2.0.20020914.015953', '3.2.2', '1234567890.12345', '20041316']) expect(isDateLikeMavenVersion(v), v).toBe(false);
  });

  it('accepts any path-safe string of up to 256 characters', () => {
    expect(mavenVersioning.isValid('1.0')).toBe(true);
    expect(mavenVersioning.isValid('Hoxton.SR12')).toBe(true);
    expect(mavenVersioning.isValid('')).toBe(false);
    expect(mavenVersioning.isValid('1.0 beta')).toBe(false);
    expect(mavenVersioning.isValid('1/2')).toBe(false);
    expect(mavenVersioning.isValid('1'.repeat(257))).toBe(false);
    expect(mavenVersioning.compare('1'.repeat(300), '1')).toBeLessThan(0);
  });
});
