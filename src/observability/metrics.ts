import type http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What a package lookup found, as PackageService reports it:
 * - `hit`: a fresh stored copy; `stale`: a copy older than the TTL, served while it is refreshed;
 * - `negative_hit`: a remembered upstream 404; `miss`: not stored, fetched; `expired`: older than the
 *   client's maxAge, refetched first;
 * - `stale_on_error`: a fetch failed and the stored copy was served, marked stale (not a lookup).
 */
export type CacheEvent = 'hit' | 'stale' | 'negative_hit' | 'miss' | 'expired' | 'stale_on_error';

/** The hook PackageService calls (optional, so services built without metrics stay unchanged). */
export interface CacheObserver {
  cacheEvent(ecosystem: string, event: CacheEvent): void;
}

/** Answered from the store without waiting for the upstream. */
const CACHE_HITS: ReadonlySet<CacheEvent> = new Set(['hit', 'stale', 'negative_hit']);
const CACHE_LOOKUPS: ReadonlySet<CacheEvent> = new Set(['hit', 'stale', 'negative_hit', 'miss', 'expired']);

/** What a Bottleneck limiter reports (Bottleneck.counts()). */
export interface LimiterCounts {
  counts(): { RECEIVED: number; QUEUED: number; RUNNING: number; EXECUTING: number };
}

/** undici Agent.stats: one entry per origin (a Pool's or a Client's stats). */
export interface AgentStats {
  readonly stats: Record<string, { connected: number | boolean; pending: number; running: number; free?: number }>;
}

export type UpstreamOutcome = 'ok' | 'not_modified' | 'not_found';

// Seconds. Requests served from the store take a few ms; cold ones wait for a registry.
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const UPSTREAM_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

let processRegistry: Registry | null = null;

/**
 * Process metrics (memory, CPU, event loop lag, GC, handles) describe the process, not one gateway,
 * so they are collected once per process: each collection starts an event-loop monitor and a GC
 * observer that are never stopped, which a test process starting dozens of gateways would pile up.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The gateway's Prometheus metrics, in a registry of its own (never prom-client's global one), so
 * several gateways in one process (tests) keep separate counts. Served at /metrics, followed by the
 * process metrics.
 */
export class GatewayMetrics implements CacheObserver {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'scout_http_requests_total',
    help: 'HTTP requests answered, by route (graphql, rest, metrics, health, other), method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'scout_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by route',
    labelNames: ['route'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  readonly operations = new Counter({
    name: 'scout_graphql_operations_total',
    help: 'GraphQL operations, by operation (its root fields, e.g. "package" or "package+version"; "invalid" when it did not parse or validate), type and outcome (ok, error)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly operationDuration = new Histogram({
    name: 'scout_graphql_operation_duration_seconds',
    help: 'Time from request to response of a GraphQL operation (parse, validate, execute, serialize), by operation and type',
    labelNames: ['operation', 'type'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  readonly upstreamRequests = new Counter({
    name: 'scout_upstream_requests_total',
    help: 'Requests sent to a registry (each retry counts), by upstream and outcome (ok, not_modified, not_found, error)',
    labelNames: ['upstream', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'scout_upstream_errors_total',
    help: 'Failed registry requests, by upstream, error code (UPSTREAM_UNAVAILABLE, RATE_LIMITED, UPSTREAM_INVALID, ...) and HTTP status (empty for network errors)',
    labelNames: ['upstream', 'code', 'status'] as const,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: 'scout_upstream_request_duration_seconds',
    help: 'Time of one registry request once its limiter let it go (a stream: until the headers), by upstream',
    labelNames: ['upstream'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers: [this.registry],
  });
  readonly cacheEvents = new Counter({
    name: 'scout_cache_events_total',
    help: 'Package lookups by ecosystem and result: hit, stale (served, refreshed in the background), negative_hit (remembered 404), miss (fetched), expired (older than maxAge, refetched); stale_on_error counts failed fetches answered from the store',
    labelNames: ['ecosystem', 'event'] as const,
    registers: [this.registry],
  });
  readonly storeDuration = new Histogram({
    name: 'scout_store_operation_duration_seconds',
    help: 'Time of one store call, by store (documents, blobs), backend and operation',
    labelNames: ['store', 'backend', 'operation'] as const,
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: 'scout_store_errors_total',
    help: 'Store calls that failed, by store, backend and operation',
    labelNames: ['store', 'backend', 'operation'] as const,
    registers: [this.registry],
  });

  private readonly cacheTallies = new Map<string, { hits: number; lookups: number }>();
  private limiters: ReadonlyMap<string, LimiterCounts> = new Map();
  private agent: AgentStats | null = null;
  private server: http.Server | null = null;

  constructor() {
    processMetrics();
    const tallies = this.cacheTallies;
    new Gauge({
      name: 'scout_cache_hit_ratio',
      help: 'Share of package lookups answered from the store (hit, stale, negative_hit) since start, by ecosystem',
      labelNames: ['ecosystem'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [ecosystem, { hits, lookups }] of tallies) if (lookups > 0) this.set({ ecosystem }, hits / lookups);
      },
    });
    // Read when scraped: the limiters and the socket pool know their own state.
    const self = this;
    new Gauge({
      name: 'scout_upstream_limiter_queued',
      help: 'Requests waiting in a registry limiter (rate limit or concurrency), by upstream',
      labelNames: ['upstream'] as const,
      registers: [this.registry],
      collect() {
        for (const [upstream, limiter] of self.limiters) {
          const counts = limiter.counts();
          this.set({ upstream }, counts.QUEUED + counts.RECEIVED);
        }
      },
    });
    new Gauge({
      name: 'scout_upstream_limiter_running',
      help: 'Requests a registry limiter has let go that are not done yet, by upstream',
      labelNames: ['upstream'] as const,
      registers: [this.registry],
      collect() {
        for (const [upstream, limiter] of self.limiters) {
          const counts = limiter.counts();
          this.set({ upstream }, counts.RUNNING + counts.EXECUTING);
        }
      },
    });
    new Gauge({
      name: 'scout_upstream_sockets',
      help: 'Sockets of the upstream connection pools, all registries together, by state (connected, free, running, pending)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        if (!self.agent) return;
        const totals = { connected: 0, free: 0, running: 0, pending: 0 };
        for (const stats of Object.values(self.agent.stats)) {
          totals.connected += Number(stats.connected);
          totals.free += stats.free ?? 0;
          totals.running += stats.running;
          totals.pending += stats.pending;
        }
        for (const [state, value] of Object.entries(totals)) this.set({ state }, value);
      },
    });
    new Gauge({
      name: 'scout_http_open_connections',
      help: 'Client connections open to the gateway',
      registers: [this.registry],
      async collect() {
        const server = self.server;
        if (!server) return;
        this.set(await new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count))));
      },
    });
  }

  /** Called by HttpUpstreamClient: its limiters (a live map) and its socket pool. */
  trackUpstreamClient(limiters: ReadonlyMap<string, LimiterCounts>, agent: AgentStats): void {
    this.limiters = limiters;
    this.agent = agent;
  }

  trackServer(server: http.Server): void {
    this.server = server;
  }

  cacheEvent(ecosystem: string, event: CacheEvent): void {
    this.cacheEvents.inc({ ecosystem, event });
    if (!CACHE_LOOKUPS.has(event)) return;
    let tally = this.cacheTallies.get(ecosystem);
    if (!tally) this.cacheTallies.set(ecosystem, (tally = { hits: 0, lookups: 0 }));
    tally.lookups++;
    if (CACHE_HITS.has(event)) tally.hits++;
  }

  upstreamAnswered(upstream: string, outcome: UpstreamOutcome, seconds: number): void {
    this.upstreamRequests.inc({ upstream, outcome });
    this.upstreamDuration.observe({ upstream }, seconds);
  }

  upstreamFailed(upstream: string, code: string, status: number | null, seconds: number): void {
    this.upstreamRequests.inc({ upstream, outcome: 'error' });
    this.upstreamErrors.inc({ upstream, code, status: status === null ? '' : String(status) });
    this.upstreamDuration.observe({ upstream }, seconds);
  }

  storeCall(store: string, backend: string, operation: string, seconds: number, failed: boolean): void {
    this.storeDuration.observe({ store, backend, operation }, seconds);
    if (failed) this.storeErrors.inc({ store, backend, operation });
  }

  /** The exposition text for GET /metrics: this gateway's metrics, then the process's. */
  async expose(): Promise<{ contentType: string; body: string }> {
    const [own, processText] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return { contentType: this.registry.contentType, body: `${own.trimEnd()}\n${processText}` };
  }
}
