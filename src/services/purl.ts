import { PackageURL } from 'packageurl-js';
import { ECOSYSTEM_IDS, PURL_TYPES, type EcosystemId } from '../ecosystems/ids.js';
import type { EcosystemAdapter } from '../ecosystems/types.js';
import { InvalidInputError } from '../errors.js';

/**
 * npm names are case-sensitive (the old `JSONStream` and the later `jsonstream` are two packages; purl-spec #872 made
 * the npm type case-sensitive), but packageurl-js lowercases them. The generic type encodes the same way and keeps case.
 */
const CASE_KEPT_TYPE = 'generic';

export function toPurl(adapter: EcosystemAdapter, name: string, version?: string): string {
  const parts = adapter.toPurlParts(name);
  const type = adapter.id === 'npm' ? CASE_KEPT_TYPE : PURL_TYPES[adapter.id];
  const purl = new PackageURL(type, parts.namespace ?? undefined, parts.name, version ?? undefined, undefined, undefined).toString();
  return adapter.id === 'npm' ? `pkg:${PURL_TYPES.npm}/${purl.slice(`pkg:${CASE_KEPT_TYPE}/`.length)}` : purl;
}

export interface ParsedPurl {
  ecosystem: EcosystemId;
  namespace: string | null;
  name: string;
  version: string | null;
}

/** Parses a Package URL (https://github.com/package-url/purl-spec) and maps its type to an ecosystem. */
export function parsePurl(purl: string): ParsedPurl {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl);
  } catch (error) {
    throw new InvalidInputError(`invalid purl ${JSON.stringify(purl)}: ${error instanceof Error ? error.message : String(error)}`, 'purl');
  }
  const ecosystem = ECOSYSTEM_IDS.find((id) => PURL_TYPES[id] === parsed.type);
  if (!ecosystem) throw new InvalidInputError(`purl type ${JSON.stringify(parsed.type)} is not a supported ecosystem`, 'purl');
  if (ecosystem === 'npm') {
    // Read again as the generic type, which keeps the name's case (see CASE_KEPT_TYPE).
    const kept = PackageURL.fromString(purl.trim().replace(/^pkg:\/*npm\//i, `pkg:${CASE_KEPT_TYPE}/`));
    return { ecosystem, namespace: kept.namespace ?? null, name: kept.name, version: kept.version ?? null };
  }
  return { ecosystem, namespace: parsed.namespace ?? null, name: parsed.name, version: parsed.version ?? null };
}
