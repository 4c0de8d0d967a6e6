import type { Config } from '../config.js';
import { NotImplementedError } from '../errors.js';
import type { EcosystemId } from './ids.js';
import { createNpmAdapter } from './npm/index.js';
import type { EcosystemAdapter } from './types.js';

export type AdapterRegistry = Partial<Record<EcosystemId, EcosystemAdapter>>;

/** id -> adapter. Adding an ecosystem is one line here (a test checks folders == registered ids). */
export function createAdapters(config: Config): AdapterRegistry {
  return {
    npm: createNpmAdapter({ baseUrl: config.upstreams.npm.baseUrl }),
  };
}

export function requireAdapter(adapters: AdapterRegistry, ecosystem: EcosystemId): EcosystemAdapter {
  const adapter = adapters[ecosystem];
  if (!adapter) throw new NotImplementedError(`ecosystem ${ecosystem.toUpperCase()} is not served yet (its adapter has not landed)`);
  return adapter;
}
