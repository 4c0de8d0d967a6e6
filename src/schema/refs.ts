import type { DependencyRecord, VersionRecord } from '../ecosystems/types.js';
import type { PackageView } from '../services/packages.js';
import { InvalidInputError } from '../errors.js';
import { isEcosystemId, type EcosystemId } from '../ecosystems/ids.js';
import { builder } from './builder.js';

export const PackageRef = builder.objectRef<PackageView>('Package');
export const VersionRef = builder.objectRef<VersionRecord>('Version');
export const NormalizedVersionRef = builder.objectRef<VersionRecord>('NormalizedVersion');
export const DependencyRef = builder.objectRef<DependencyRecord & { ecosystem: EcosystemId }>('Dependency');

/** Local (pre-global) ids: a JSON array, so names with any character round-trip. */
export function packageLocalId(ecosystem: EcosystemId, name: string): string {
  return JSON.stringify([ecosystem, name]);
}

export function versionLocalId(ecosystem: EcosystemId, name: string, version: string): string {
  return JSON.stringify([ecosystem, name, version]);
}

export function parseLocalId(id: string, parts: 2 | 3): [EcosystemId, string, string] {
  let value: unknown;
  try {
    value = JSON.parse(id);
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== parts || !value.every((part) => typeof part === 'string') || !isEcosystemId(value[0] as string)) {
    throw new InvalidInputError(`not a valid node id: ${JSON.stringify(id)}`, 'id');
  }
  return [value[0] as EcosystemId, value[1] as string, (value[2] as string | undefined) ?? ''];
}
