import { Requirement } from '@renovatebot/ruby-semver/dist/ruby/requirement.js';
import { Version } from '@renovatebot/ruby-semver/dist/ruby/version.js';
import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/**
 * RubyGems' scheme (`Gem::Version`, ported by @renovatebot/ruby-semver): dot-separated segments of digits or
 * letters; any letter makes a prerelease (`1.0.0.pre.1`, `2.0.0.rc1`, `1.0.a`); `-` reads as `.pre.`.
 * Segments compare numerically, letters below numbers, and trailing zeros do not count (`1.0` == `1.0.0`).
 * https://guides.rubygems.org/patterns/#prerelease-gems, https://docs.ruby-lang.org/en/master/Gem/Version.html
 */
const cache = new Map<string, Version | null>();

/** The parsed version, or null; blank strings are refused (Ruby would read them as `0`). */
export function parseRubyVersion(version: string): Version | null {
  let result = cache.get(version);
  if (result === undefined) {
    if (cache.size >= 10_000) cache.clear();
    result = version.trim() === version && version !== '' && Version.isCorrect(version) ? Version.create(version) : null;
    cache.set(version, result);
  }
  return result;
}

/**
 * A dependency requirement as the adapter stores it: `Gem::Requirement` strings (`~> 1.2`, `>= 1.2.3`, `!= 1.3.0`,
 * `= 2.0`, a bare version meaning `=`) joined with `, ` (gems API, gemspec `to_s`) or `&` (compact index).
 * Matching is `Gem::Dependency#match?` without `--pre`: every requirement must be satisfied (`~> 1.2` is
 * `>= 1.2, < 2`), and a prerelease version matches only when one of the requirements names a prerelease
 * (`>= 2.0.0.rc1` admits `2.1.0.beta`). https://guides.rubygems.org/patterns/#pessimistic-version-constraint
 */
export function parseRubygemsConstraint(constraint: string): VersionConstraint {
  const parts = constraint.split(/[,&]/).map((part) => part.trim());
  const bad = parts.find((part) => !Requirement.PATTERN.test(part));
  if (bad !== undefined) {
    const what = bad === '' ? 'an empty requirement' : `${JSON.stringify(bad.slice(0, 60))} is not an operator (=, !=, >, <, >=, <=, ~>) and a version`;
    throw new InvalidInputError(`not a RubyGems requirement: ${JSON.stringify(constraint.slice(0, 100))} (${what})`, 'constraint');
  }
  const requirement = new Requirement(...parts);
  const allowsPrerelease = requirement.isPrerelease();
  const pin = parts.length === 1 ? /^\s*=?\s*([0-9]\S*)\s*$/.exec(parts[0]!) : null;
  return {
    raw: constraint,
    matches(version) {
      const parsed = parseRubyVersion(version);
      if (!parsed) return false;
      if (parsed.isPrerelease() && !allowsPrerelease) return false;
      return requirement.isSatisfiedBy(parsed);
    },
    exact: pin ? pin[1]! : null,
  };
}

export const rubygemsVersioning: Versioning = {
  id: 'rubygems',
  isValid: (version) => parseRubyVersion(version) !== null,
  isPrerelease: (version) => parseRubyVersion(version)?.isPrerelease() ?? false,
  compare(a, b) {
    const va = parseRubyVersion(a);
    const vb = parseRubyVersion(b);
    if (va && vb) {
      // Ruby's <=> calls `1.0` and `1.0.0` equal; the string breaks the tie so the order stays total.
      const byScheme = Math.sign(va.compare(vb));
      if (byScheme !== 0) return byScheme;
    } else if (va) return 1;
    else if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
  parseConstraint: parseRubygemsConstraint,
};
