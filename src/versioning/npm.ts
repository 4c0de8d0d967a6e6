import semver from 'semver';
import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/**
 * Loose, as npm reads packuments (npm-pick-manifest, npm-package-arg): versions published before semver 2.0 was
 * enforced (`express@3.0.0alpha1`, `grunt@0.4.0rc2`) and ranges naming them (`~2.2.0rc`) are valid.
 */
const LOOSE = { loose: true } as const;

/** npm's scheme: semver 2.0 and node-semver ranges, as the `semver` package (npm's own) reads them. */
export const npmVersioning: Versioning = {
  id: 'npm',
  isValid: (version) => semver.valid(version, LOOSE) !== null,
  isPrerelease: (version) => (semver.prerelease(version, LOOSE)?.length ?? 0) > 0,
  compare(a, b) {
    const va = semver.valid(a, LOOSE);
    const vb = semver.valid(b, LOOSE);
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
      range = new semver.Range(raw === '' ? '*' : raw, LOOSE);
    } catch {
      throw new InvalidInputError(`not an npm version range: ${JSON.stringify(constraint.slice(0, 100))}`, 'constraint');
    }
    const exact = semver.valid(raw, LOOSE);
    return {
      raw: constraint,
      // semver's default: a prerelease satisfies only a range that names a prerelease of the same [major, minor, patch].
      matches: (version) => semver.satisfies(version, range, LOOSE),
      exact,
    };
  },
};
