import { Version } from '@renovatebot/ruby-semver/dist/ruby/version.js';
import type { Versioning } from './types.js';

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
};
