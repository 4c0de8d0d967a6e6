import { ECOSYSTEM_IDS, type EcosystemId } from '../ecosystems/ids.js';
import type { DependencyKind, VersionStatus } from '../ecosystems/types.js';
import { builder } from './builder.js';

export const EcosystemEnum = builder.enumType('Ecosystem', {
  description: 'A package registry. Values derive from the list of ecosystem ids.',
  values: Object.fromEntries(ECOSYSTEM_IDS.map((id) => [id.toUpperCase(), { value: id }])) as Record<string, { value: EcosystemId }>,
});

const VERSION_STATUSES: Record<VersionStatus, string> = {
  ACTIVE: 'Installable and not flagged.',
  DEPRECATED: 'Installable, but the publisher advises against it (see deprecationMessage).',
  YANKED: 'Withdrawn by the publisher; resolvers skip it unless pinned exactly.',
  UNLISTED: 'Hidden from search and resolution, still downloadable (NuGet).',
  RETRACTED: 'Retracted by the module author (Go).',
  UNPUBLISHED: 'Removed from the registry; only its record remains.',
};

export const VersionStatusEnum = builder.enumType('VersionStatus', {
  values: Object.fromEntries(Object.entries(VERSION_STATUSES).map(([key, description]) => [key, { value: key as VersionStatus, description }])) as Record<VersionStatus, { value: VersionStatus; description: string }>,
});

const DEPENDENCY_KINDS: Record<DependencyKind, string> = {
  RUNTIME: 'Needed at run time.',
  DEVELOPMENT: 'Needed to develop or test the package only.',
  OPTIONAL: 'Installed when possible; failure to install is not an error.',
  PEER: 'Expected to be provided by the consumer.',
  BUILD: 'Needed to build the package (e.g. Cargo build-dependencies).',
};

export const DependencyKindEnum = builder.enumType('DependencyKind', {
  values: Object.fromEntries(Object.entries(DEPENDENCY_KINDS).map(([key, description]) => [key, { value: key as DependencyKind, description }])) as Record<DependencyKind, { value: DependencyKind; description: string }>,
});
