import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createAdapters, type AdapterRegistry } from './ecosystems/registry.js';
import { HttpUpstreamClient } from './http/upstream.js';
import { PackageService } from './services/packages.js';
import { SourceService } from './services/sources.js';
import { OsvService, openOsvStore } from './osv/service.js';
import { openStores, type Stores } from './store/index.js';

/** Everything below the GraphQL layer, wired from config: shared by the server and CLI commands. */
export interface App {
  adapters: AdapterRegistry;
  stores: Stores;
  http: HttpUpstreamClient;
  service: PackageService;
  sources: SourceService;
  /** Vulnerabilities (OSV), with its own store. */
  osv: OsvService;
  close(): Promise<void>;
}

export async function createApp(config: Config, logger: Logger, stores?: Stores): Promise<App> {
  const openedStores = stores ?? (await openStores(config));
  const adapters = createAdapters(config);
  const http = new HttpUpstreamClient(config, { logger });
  const service = new PackageService({ config, adapters, documents: openedStores.documents, blobs: openedStores.blobs, http, logger });
  const sources = new SourceService({ config, adapters, documents: openedStores.documents, blobs: openedStores.blobs, http, logger, complete: (records) => service.completeVersions(records) });
  const osv = new OsvService({ config, store: await openOsvStore(config), http, logger });
  return {
    adapters,
    stores: openedStores,
    http,
    service,
    sources,
    osv,
    async close() {
      await service.settle();
      await http.close();
      await openedStores.documents.close();
      await openedStores.blobs.close();
      await osv.close();
    },
  };
}
