import type { EcosystemId } from '../ecosystems/ids.js';
import { InvalidInputError } from '../errors.js';
import type { VersionSummary } from '../store/types.js';
import { nugetFindBestMatch } from '../versioning/nuget.js';
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
  /** Versions already turned down for another reason (a Requires-Python that excludes the environment's Python). */
  exclude?: ReadonlySet<string>;
  /** Why `exclude` holds versions, for the reason when nothing is left (`for Python 3.8`). */
  excludedBecause?: string;
}

/** Yanked, retracted and unlisted versions are only chosen when pinned exactly; unpublished ones never. */
const WITHDRAWN = new Set(['YANKED', 'RETRACTED', 'UNLISTED']);

export function parseConstraint(versioning: Versioning, constraint: string): VersionConstraint {
  if (!versioning.parseConstraint) throw new InvalidInputError(`constraint matching for the ${versioning.id} scheme is not available yet`, 'constraint');
  return versioning.parseConstraint(constraint);
}

/** Maven's soft requirement: a bare version (`1.0`, not a range, `RELEASE`/`LATEST` or `${...}`): that very version. */
function mavenSoftRequirement(constraint: string): string | null {
  const text = constraint.trim();
  return /^[^[\](),${}\s]+$/.test(text) && text !== 'RELEASE' && text !== 'LATEST' ? text : null;
}

/** npm-package-arg's tag spec: not a range (checked first by the caller) and URL-safe as it is; `npm:name@tag` too. */
function npmTagName(constraint: string): string | null {
  let spec = constraint.trim();
  if (spec.startsWith('npm:')) {
    const at = spec.lastIndexOf('@');
    spec = at > 4 ? spec.slice(at + 1) : '';
  }
  return spec && encodeURIComponent(spec) === spec ? spec : null;
}

/** npm: a dependency on a dist-tag (`"latest"`, `"beta"`: old publishes have them) installs what the tag names. */
function npmTaggedVersion(options: PickOptions): Pick | null {
  const tag = npmTagName(options.constraint);
  if (tag === null) return null;
  const version = Object.hasOwn(options.distTags, tag) ? options.distTags[tag] : undefined;
  if (version === undefined) return { reason: `no dist-tag ${JSON.stringify(tag)} (and not a version range)` };
  const found = options.candidates.find((c) => c.version === version && c.status !== 'UNPUBLISHED');
  if (!found) return { reason: `dist-tag ${JSON.stringify(tag)} names ${version}, which is not published` };
  if (options.asOf !== null && found.releaseDate !== null && Date.parse(found.releaseDate) > options.asOf) {
    return { reason: `dist-tag ${JSON.stringify(tag)} names ${version}, published after ${new Date(options.asOf).toISOString()}` };
  }
  return { version };
}

/**
 * The version the ecosystem's package manager would pick for `constraint`: npm takes the `latest` dist-tag when it
 * satisfies, else the highest satisfying version (semver's prerelease rule); NuGet the lowest applicable version
 * (floating ranges: the highest inside the float); Maven a soft requirement's own version; Go the required minimum
 * itself; the others the highest satisfying version. Withdrawn versions count only when pinned exactly.
 */
export function pickVersion(options: PickOptions): Pick {
  const { versioning, candidates, asOf } = options;
  if (options.ecosystem === 'maven') {
    const soft = mavenSoftRequirement(options.constraint);
    if (soft !== null) {
      // Maven takes the named version as it is (Central never withdraws); it fails when it does not exist.
      const found = candidates.find((c) => c.status !== 'UNPUBLISHED' && versioning.compare(c.version, soft) === 0);
      return found ? { version: found.version } : { reason: `version ${soft} is not published` };
    }
  }
  let constraint: VersionConstraint;
  try {
    constraint = parseConstraint(versioning, options.constraint);
  } catch (error) {
    const tagged = options.ecosystem === 'npm' ? npmTaggedVersion(options) : null;
    return tagged ?? { reason: error instanceof Error ? error.message : String(error) };
  }
  if (options.ecosystem === 'go' && constraint.exact !== null) {
    // A go.mod requirement is a minimum that minimal version selection uses as it is (retracted or not); only the
    // whole graph can raise it (see dependency-graph.ts).
    const found = candidates.find((c) => c.status !== 'UNPUBLISHED' && versioning.compare(c.version, constraint.exact!) === 0);
    return found ? { version: found.version } : { reason: `${constraint.exact} is not in the module's version list` };
  }
  const pinned = (version: string) => constraint.exact !== null && versioning.compare(version, constraint.exact) === 0;
  const usable = candidates.filter((c) => {
    if (c.status === 'UNPUBLISHED') return false;
    if (WITHDRAWN.has(c.status) && !pinned(c.version)) return false;
    if (asOf !== null && c.releaseDate !== null && Date.parse(c.releaseDate) > asOf) return false;
    return true;
  });
  const allowed = options.exclude ? usable.filter((c) => !options.exclude!.has(c.version)) : usable;
  if (options.ecosystem === 'npm') {
    const latest = options.distTags.latest;
    if (latest && allowed.some((c) => c.version === latest) && constraint.matches(latest)) return { version: latest };
  }
  let best: string | null = null;
  if (options.ecosystem === 'nuget') {
    // NuGet's own choice: the lowest applicable version of a plain range, the highest inside a floating one.
    best = nugetFindBestMatch(options.constraint, allowed.map((c) => c.version));
  } else {
    // pub (PackageLister.bestVersion) and Hex 2 (hex_solver) take a prerelease only when no release is allowed.
    const releasesFirst = options.ecosystem === 'pub' || options.ecosystem === 'hex';
    let bestIsPre = false;
    for (const candidate of allowed) {
      if (!constraint.matches(candidate.version)) continue;
      const isPre = versioning.isPrerelease(candidate.version);
      if (releasesFirst && best !== null && isPre !== bestIsPre) {
        if (!isPre) [best, bestIsPre] = [candidate.version, false];
        continue;
      }
      if (best === null || versioning.compare(candidate.version, best) > 0) [best, bestIsPre] = [candidate.version, isPre];
    }
  }
  if (best !== null) return { version: best };
  const when = asOf !== null ? ` published by ${new Date(asOf).toISOString()}` : '';
  const turnedDown = allowed.length < usable.length && options.excludedBecause ? ` ${options.excludedBecause}` : '';
  return { reason: `no version${when}${turnedDown} satisfies ${JSON.stringify(options.constraint)} (${allowed.length} candidate${allowed.length === 1 ? '' : 's'})` };
}

/**
 * The root of a graph asked by tag (`latest`) as of a date: the highest stable, non-withdrawn version published by
 * then and not above today's tag (the tag's history is not kept by registries). Null when none qualifies.
 */
export function versionAsOf(versioning: Versioning, candidates: readonly VersionSummary[], current: string | null, asOf: number): string | null {
  let best: string | null = null;
  for (const c of candidates) {
    if (c.status !== 'ACTIVE' && c.status !== 'DEPRECATED') continue;
    if (c.prerelease || c.releaseDate === null || Date.parse(c.releaseDate) > asOf) continue;
    if (current !== null && versioning.compare(c.version, current) > 0) continue;
    if (best === null || versioning.compare(c.version, best) > 0) best = c.version;
  }
  return best;
}
