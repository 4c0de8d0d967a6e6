import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createAdapters, type AdapterRegistry } from './ecosystems/registry.js';
import { HttpUpstreamClient } from './http/upstream.js';
import { PackageService } from './services/packages.js';
import { SourceService } from './services/sources.js';
import { OsvService, openOsvStore } from './osv/service.js';
import { openStores, type Stores } from './store/index.js';
import { instrumentBlobStore, instrumentDocumentStore } from './store/instrumented.js';
import type { Observability } from './observability/index.js';
import type { UpstreamName } from './http/client.js';

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

/** `observability` (the server passes it; CLI commands do not): metrics and tracing of upstream, cache and store. */
export async function createApp(config: Config, logger: Logger, stores?: Stores, observability: Observability = {}): Promise<App> {
  const openedStores = stores ?? (await openStores(config));
  const { metrics, tracer } = observability;
  // The service sees timed stores; `stores` (returned, closed at the end) stays the plain ones.
  const documents = metrics || tracer ? instrumentDocumentStore(openedStores.documents, metrics, tracer) : openedStores.documents;
  const blobs = metrics || tracer ? instrumentBlobStore(openedStores.blobs, metrics, tracer) : openedStores.blobs;
  const adapters = createAdapters(config);
  const http = new HttpUpstreamClient(config, { logger, redirectHosts: redirectHosts(adapters), metrics, tracer });
  const service = new PackageService({ config, adapters, documents, blobs, http, logger, metrics });
  const sources = new SourceService({ config, adapters, documents, blobs, http, logger, complete: (records) => service.completeVersions(records) });
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

/** Hosts each upstream may redirect to: what its adapter vouches for (archives go through `sourceUpstream`). */
function redirectHosts(adapters: AdapterRegistry): Partial<Record<UpstreamName, string[]>> {
  const hosts: Partial<Record<UpstreamName, string[]>> = {};
  for (const adapter of Object.values(adapters)) {
    const allowed = [...(adapter.sourceHosts ?? []), ...(adapter.redirectHosts ?? [])];
    for (const upstream of new Set<UpstreamName>([adapter.id, adapter.sourceUpstream ?? adapter.id])) {
      hosts[upstream] = [...(hosts[upstream] ?? []), ...allowed];
    }
  }
  return hosts;
}
