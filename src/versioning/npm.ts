import semver from 'semver';
import type { Versioning } from './types.js';

/** npm's scheme: semver 2.0 as the `semver` package (npm's own) reads it. */
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
};
