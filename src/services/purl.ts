import { PackageURL } from 'packageurl-js';
import { ECOSYSTEM_IDS, PURL_TYPES, type EcosystemId } from '../ecosystems/ids.js';
import type { EcosystemAdapter } from '../ecosystems/types.js';
import { InvalidInputError } from '../errors.js';

export function toPurl(adapter: EcosystemAdapter, name: string, version?: string): string {
  const parts = adapter.toPurlParts(name);
  return new PackageURL(PURL_TYPES[adapter.id], parts.namespace ?? undefined, parts.name, version ?? undefined, undefined, undefined).toString();
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
  return { ecosystem, namespace: parsed.namespace ?? null, name: parsed.name, version: parsed.version ?? null };
}
