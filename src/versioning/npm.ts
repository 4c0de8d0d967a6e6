import semver from 'semver';
import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/** npm's scheme: semver 2.0 and node-semver ranges, as the `semver` package (npm's own) reads them. */
export const npmVersioning: Versioning = {
  id: 'npm',
  isValid: (version) => semver.valid(version) !== null,
  isPrerelease: (version) => (semver.prerelease(version)?.length ?? 0) > 0,
  compare(a, b) {
    const va = semver.valid(a);
    const vb = semver.valid(b);
    if (va && vb) return semver.compareBuild(va, vb);
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
  parseConstraint(constraint: string): VersionConstraint {
    // An alias (`npm:real-name@^1.2.0`) constrains the package it names: the range follows the last `@`.
    let raw = constraint.trim();
    if (raw.startsWith('npm:')) raw = raw.slice(raw.lastIndexOf('@') > 4 ? raw.lastIndexOf('@') + 1 : raw.length);
    if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:|file:|link:|workspace:|https?:)/.test(raw) || /^[^@\s]+\/[^@\s]+$/.test(raw)) {
      throw new InvalidInputError(`not a registry dependency: ${JSON.stringify(constraint.slice(0, 100))} (git, file, URL and workspace specs are not resolved)`, 'constraint');
    }
    let range: semver.Range;
    try {
      // An empty range means any version, as in npm.
      range = new semver.Range(raw === '' ? '*' : raw);
    } catch {
      throw new InvalidInputError(`not an npm version range: ${JSON.stringify(constraint.slice(0, 100))}`, 'constraint');
    }
    const exact = semver.valid(raw);
    return {
      raw: constraint,
      // semver's default: a prerelease satisfies only a range that names a prerelease of the same [major, minor, patch].
      matches: (version) => semver.satisfies(version, range),
      exact,
    };
  },
};
