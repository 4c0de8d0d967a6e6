import { compareGoSemver, goPrerelease, goVersioning, isCanonicalModuleVersion, isIncompatible, isPseudoVersion, isValidGoVersion } from '../../versioning/go.js';
import type { GoModRetract } from './modfile.js';
import { matchesPathMajor } from './module-path.js';

export interface VersionList {
  /** Tagged versions (releases and prereleases), ascending. */
  tagged: string[];
  /** Pseudo-versions some proxies list (proxy.golang.org does not), ascending. */
  pseudo: string[];
  /** Versions that are not this module's (non-canonical, or a major the path does not allow): skipped, as Go does. */
  ignored: number;
  /** Non-empty lines whose first field is no version at all (an HTML page, an error text). */
  garbage: number;
}

/**
 * `@v/list`: one version per line, possibly followed by other fields (cmd/go reads the first field only).
 * Kept: canonical versions whose major matches the path (`/v2` -> v2.x.x), as modfetch's proxyRepo.Versions does.
 */
export function parseVersionList(path: string, text: string): VersionList {
  const tagged = new Set<string>();
  const pseudo = new Set<string>();
  let ignored = 0;
  let garbage = 0;
  for (const line of text.split('\n')) {
    const field = line.trim().split(/\s+/)[0];
    if (!field) continue;
    if (!isValidGoVersion(field)) {
      garbage++;
      continue;
    }
    if (!isCanonicalModuleVersion(field) || !matchesPathMajor(path, field)) {
      ignored++;
      continue;
    }
    (isPseudoVersion(field) ? pseudo : tagged).add(field);
  }
  const ascending = (set: Set<string>) => [...set].sort(goVersioning.compare);
  return { tagged: ascending(tagged), pseudo: ascending(pseudo), ignored, garbage };
}

/** modfetch.LegacyGoMod: the go.mod the proxy synthesizes for a version without one. */
export function isSynthesizedGoMod(path: string, mod: string): boolean {
  return mod === `module ${path}\n`;
}

export interface LatestQuery {
  /** Go's `@latest`: the highest allowed release, else the highest allowed prerelease. */
  latest: string | null;
  /** The highest allowed prerelease above `latest`. */
  latestPrerelease: string | null;
  /**
   * Set when the answer depends on whether this (compatible) version has a real go.mod: fetch its `.mod`
   * and ask again. Null once decided.
   */
  needsGoModOf: string | null;
}

function highest(versions: string[]): string | null {
  let best: string | null = null;
  for (const version of versions) if (best === null || goVersioning.compare(version, best) > 0) best = version;
  return best;
}

/**
 * modload's queryMatcher.filterVersions + the "latest" query over tagged versions (ascending):
 * `+incompatible` versions count only when the highest allowed compatible version has no go.mod
 * (golang.org/issue/34165); a compatible prerelease is preferred over an incompatible release.
 * `hasGoMod` answers null when that go.mod is not known yet.
 */
export function queryLatest(tagged: string[], allowed: (version: string) => boolean, hasGoMod: (version: string) => boolean | null): LatestQuery {
  const releases: string[] = [];
  const prereleases: string[] = [];
  let needIncompatible = false;
  let lastCompatible: string | null = null;
  for (const version of tagged) {
    if (!allowed(version)) continue;
    if (!needIncompatible) {
      if (!isIncompatible(version)) {
        lastCompatible = version;
      } else if (lastCompatible !== null) {
        const known = hasGoMod(lastCompatible);
        if (known === null) return { latest: null, latestPrerelease: null, needsGoModOf: lastCompatible };
        if (known) break;
        needIncompatible = true;
      }
    }
    (goPrerelease(version) ? prereleases : releases).push(version);
  }
  const latest = highest(releases) ?? highest(prereleases);
  const above = latest === null ? prereleases : prereleases.filter((version) => compareGoSemver(version, latest) > 0);
  return { latest, latestPrerelease: highest(above), needsGoModOf: null };
}

/** The retract directive covering `version` (closed interval by semver precedence), if any. */
export function retractionOf(version: string, retracts: GoModRetract[]): GoModRetract | null {
  for (const retract of retracts) {
    // The go command rejects retractions of non-versions; an invalid bound must not retract everything below it.
    if (!isValidGoVersion(retract.low) || !isValidGoVersion(retract.high)) continue;
    if (compareGoSemver(retract.low, version) <= 0 && compareGoSemver(version, retract.high) <= 0) return retract;
  }
  return null;
}
