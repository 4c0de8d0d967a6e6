import type { EcosystemId } from '../ecosystems/ids.js';
import { InvalidInputError } from '../errors.js';
import type { VersionSummary } from '../store/types.js';
import type { VersionConstraint, Versioning } from '../versioning/types.js';

export type Pick = { version: string } | { reason: string };

export interface PickOptions {
  ecosystem: EcosystemId;
  versioning: Versioning;
  constraint: string;
  /** Newest first, as stored. */
  candidates: readonly VersionSummary[];
  distTags: Record<string, string>;
  /** Epoch ms: only versions published by then (reproducing an old resolution). */
  asOf: number | null;
}

/** Yanked, retracted and unlisted versions are only chosen when pinned exactly; unpublished ones never. */
const WITHDRAWN = new Set(['YANKED', 'RETRACTED', 'UNLISTED']);

export function parseConstraint(versioning: Versioning, constraint: string): VersionConstraint {
  if (!versioning.parseConstraint) throw new InvalidInputError(`constraint matching for the ${versioning.id} scheme is not available yet`, 'constraint');
  return versioning.parseConstraint(constraint);
}

/**
 * The version the ecosystem's package manager would pick for `constraint`: npm takes the `latest`
 * dist-tag when it satisfies, else the highest satisfying version (semver's prerelease rule); the others
 * take the highest satisfying version. Withdrawn versions count only when pinned exactly.
 */
export function pickVersion(options: PickOptions): Pick {
  const { versioning, candidates, asOf } = options;
  let constraint: VersionConstraint;
  try {
    constraint = parseConstraint(versioning, options.constraint);
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
  const pinned = (version: string) => constraint.exact !== null && versioning.compare(version, constraint.exact) === 0;
  const usable = candidates.filter((c) => {
    if (c.status === 'UNPUBLISHED') return false;
    if (WITHDRAWN.has(c.status) && !pinned(c.version)) return false;
    if (asOf !== null && c.releaseDate !== null && Date.parse(c.releaseDate) > asOf) return false;
    return true;
  });
  if (options.ecosystem === 'npm') {
    const latest = options.distTags.latest;
    if (latest && usable.some((c) => c.version === latest) && constraint.matches(latest)) return { version: latest };
  }
  let best: string | null = null;
  for (const candidate of usable) {
    if (!constraint.matches(candidate.version)) continue;
    if (best === null || versioning.compare(candidate.version, best) > 0) best = candidate.version;
  }
  if (best !== null) return { version: best };
  const when = asOf !== null ? ` published by ${new Date(asOf).toISOString()}` : '';
  return { reason: `no version${when} satisfies ${JSON.stringify(options.constraint)} (${usable.length} candidate${usable.length === 1 ? '' : 's'})` };
}
