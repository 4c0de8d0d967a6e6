import type { GatewayMetrics } from '../observability/metrics.js';
import type { Tracer } from '../observability/tracing.js';
import type { BlobStore, DocumentStore } from './types.js';

/** Lifecycle calls, not data access: left untimed. */
const UNTIMED = new Set<PropertyKey>(['close', 'constructor']);

/**
 * A store that reports the latency (and failures) of every call to `metrics`, and a span per call
 * to `tracer`. A Proxy rather than a hand-written class, so a method added to the store interfaces
 * is timed without touching this file.
 */
function instrument<T extends DocumentStore | BlobStore>(store: T, kind: 'documents' | 'blobs', metrics: GatewayMetrics | undefined, tracer: Tracer | undefined): T {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || UNTIMED.has(property) || typeof property === 'symbol') return value;
      const cached = wrappers.get(property);
      if (cached) return cached;
      const operation = property;
      // The method is looked up at each call, so one replaced on the store later (tests do) is the one run.
      const wrapper = (...args: unknown[]): unknown => {
        const method: unknown = Reflect.get(target, operation, target);
        if (typeof method !== 'function') throw new TypeError(`store.${operation} is not a function`);
        const started = performance.now();
        const span = tracer?.startSpan(`store ${kind}.${operation}`, { 'db.system': target.backend, 'db.operation.name': operation });
        const done = (error?: unknown) => {
          metrics?.storeCall(kind, target.backend, operation, (performance.now() - started) / 1000, error !== undefined);
          span?.end(error);
        };
        let result: unknown;
        try {
          result = Reflect.apply(method, target, args);
        } catch (error) {
          done(error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (resolved: unknown) => {
              done();
              return resolved;
            },
            (error: unknown) => {
              done(error ?? new Error('rejected'));
              throw error;
            },
          );
        }
        done();
        return result;
      };
      wrappers.set(property, wrapper);
      return wrapper;
    },
  });
}

export function instrumentDocumentStore(store: DocumentStore, metrics: GatewayMetrics | undefined, tracer: Tracer | undefined): DocumentStore {
  return instrument(store, 'documents', metrics, tracer);
}

export function instrumentBlobStore(store: BlobStore, metrics: GatewayMetrics | undefined, tracer: Tracer | undefined): BlobStore {
  return instrument(store, 'blobs', metrics, tracer);
}
