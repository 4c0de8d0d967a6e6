import type { Config } from '../config.js';
import { NotImplementedError } from '../errors.js';
import type { EcosystemId } from './ids.js';
import { createNpmAdapter } from './npm/index.js';
import { createGoAdapter } from './go/index.js';
import { createPackagistAdapter } from './packagist/index.js';
import { createPubAdapter } from './pub/index.js';
import { createMavenAdapter } from './maven/index.js';
import { createPypiAdapter } from './pypi/index.js';
import { createCargoAdapter } from './cargo/index.js';
import { createRubygemsAdapter } from './rubygems/index.js';
import { createHexAdapter } from './hex/index.js';
import { createNuGetAdapter } from './nuget/index.js';
import type { EcosystemAdapter } from './types.js';

export type AdapterRegistry = Partial<Record<EcosystemId, EcosystemAdapter>>;

/** id -> adapter. Adding an ecosystem is one line here (a test checks folders == registered ids). */
export function createAdapters(config: Config): AdapterRegistry {
  return {
    npm: createNpmAdapter({ baseUrl: config.upstreams.npm.baseUrl }),
    go: createGoAdapter({ baseUrl: config.upstreams.go.baseUrl }),
    packagist: createPackagistAdapter({ baseUrl: config.upstreams.packagist.baseUrl, devVersions: config.extraUpstreams.packagistDevVersions }),
    pub: createPubAdapter({ baseUrl: config.upstreams.pub.baseUrl }),
    maven: createMavenAdapter({ baseUrl: config.upstreams.maven.baseUrl }),
    pypi: createPypiAdapter({ baseUrl: config.upstreams.pypi.baseUrl }),
    cargo: createCargoAdapter({ baseUrl: config.upstreams.cargo.baseUrl, indexUrl: config.extraUpstreams.cargoIndex.baseUrl }),
    rubygems: createRubygemsAdapter({ baseUrl: config.upstreams.rubygems.baseUrl }),
    hex: createHexAdapter({ baseUrl: config.upstreams.hex.baseUrl, repoUrl: config.extraUpstreams.hexRepoUrl }),
    nuget: createNuGetAdapter({ baseUrl: config.upstreams.nuget.baseUrl }),
  };
}

export function requireAdapter(adapters: AdapterRegistry, ecosystem: EcosystemId): EcosystemAdapter {
  const adapter = adapters[ecosystem];
  if (!adapter) throw new NotImplementedError(`ecosystem ${ecosystem.toUpperCase()} is not served yet (its adapter has not landed)`);
  return adapter;
}
