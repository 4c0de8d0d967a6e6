/** Every registry the gateway knows. The GraphQL `Ecosystem` enum and the config keys derive from this list. */
export const ECOSYSTEM_IDS = ['npm', 'pypi', 'cargo', 'rubygems', 'packagist', 'hex', 'maven', 'nuget', 'go', 'pub'] as const;

export type EcosystemId = (typeof ECOSYSTEM_IDS)[number];

/** Package URL types (https://github.com/package-url/purl-spec) per ecosystem. */
export const PURL_TYPES: Record<EcosystemId, string> = {
  npm: 'npm', pypi: 'pypi', cargo: 'cargo', rubygems: 'gem', packagist: 'composer',
  hex: 'hex', maven: 'maven', nuget: 'nuget', go: 'golang', pub: 'pub',
};

export function isEcosystemId(value: string): value is EcosystemId {
  return (ECOSYSTEM_IDS as readonly string[]).includes(value);
}
