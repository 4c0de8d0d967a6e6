/**
 * Our ecosystems as OSV names them (https://ossf.github.io/osv-schema/#affectedpackage-field), the name
 * and version forms OSV expects, and the ordering each uses for ECOSYSTEM ranges.
 */
import type { EcosystemId } from '../ecosystems/ids.js';
import type { Versioning } from '../versioning/types.js';
import { cargoVersioning } from '../versioning/cargo.js';
import { composerVersioning } from '../versioning/composer.js';
import { goVersioning } from '../versioning/go.js';
import { hexVersioning } from '../versioning/hex.js';
import { mavenVersioning } from '../versioning/maven.js';
import { npmVersioning } from '../versioning/npm.js';
import { nugetVersioning } from '../versioning/nuget.js';
import { pep440Versioning } from '../versioning/pep440.js';
import { pubVersioning } from '../versioning/pub.js';
import { rubygemsVersioning } from '../versioning/rubygems.js';

export const OSV_ECOSYSTEMS: Record<EcosystemId, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  cargo: 'crates.io',
  rubygems: 'RubyGems',
  packagist: 'Packagist',
  hex: 'Hex',
  maven: 'Maven',
  nuget: 'NuGet',
  go: 'Go',
  pub: 'Pub',
};

const BY_OSV_NAME = new Map(Object.entries(OSV_ECOSYSTEMS).map(([id, osv]) => [osv, id as EcosystemId]));

/**
 * Our ecosystem for an OSV ecosystem string, or null. Only the bare name counts: a suffixed one names
 * another repository (`Maven:https://maven.google.com`, `Packagist:https://packages.drupal.org/8`).
 */
export function ecosystemFromOsv(osvEcosystem: string): EcosystemId | null {
  return BY_OSV_NAME.get(osvEcosystem) ?? null;
}

const ORDERINGS: Record<EcosystemId, Versioning> = {
  npm: npmVersioning,
  pypi: pep440Versioning,
  cargo: cargoVersioning,
  rubygems: rubygemsVersioning,
  packagist: composerVersioning,
  hex: hexVersioning,
  maven: mavenVersioning,
  nuget: nugetVersioning,
  go: goVersioning,
  pub: pubVersioning,
};

/** The ecosystem's own ordering, used for ECOSYSTEM ranges. */
export function ecosystemOrdering(ecosystem: EcosystemId): Versioning {
  return ORDERINGS[ecosystem];
}

/**
 * The key two spellings of one package share, for matching records to packages. OSV itself folds only
 * PyPI names (PEP 503, `maybe_normalize_package_names` in osv.dev); NuGet ids, crates.io and Composer
 * names are case-insensitive in their registries, so they fold to lower case here.
 */
export function packageNameKey(ecosystem: EcosystemId, name: string): string {
  switch (ecosystem) {
    case 'pypi':
      return name.replace(/[-_.]+/g, '-').toLowerCase();
    case 'nuget':
    case 'cargo':
    case 'packagist':
      return name.toLowerCase();
    default:
      return name;
  }
}

/**
 * The version as OSV writes it: Go records have no `v` prefix (`1.1.0` for module version `v1.1.0`);
 * every other ecosystem uses its registry's spelling.
 */
export function osvVersion(ecosystem: EcosystemId, version: string): string {
  return ecosystem === 'go' && /^v\d/.test(version) ? version.slice(1) : version;
}

/** The inverse of osvVersion for ECOSYSTEM comparisons: Go's ordering reads `v`-prefixed versions. */
export function nativeVersion(ecosystem: EcosystemId, version: string): string {
  return ecosystem === 'go' && /^\d/.test(version) ? `v${version}` : version;
}
