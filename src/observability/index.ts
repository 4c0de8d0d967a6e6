import type { GatewayMetrics } from './metrics.js';
import type { Tracer } from './tracing.js';

export { GatewayMetrics, type CacheEvent, type CacheObserver } from './metrics.js';
export { loadTracer, noopTracer, openTelemetryTracer, type Span, type SpanAttributes, type Tracer } from './tracing.js';
export { beginRequest, requestIdFrom, requestScope, routeOf, REQUEST_ID_HEADER, type RequestScope } from './request.js';
export { observabilityPlugin, operationLabel } from './graphql.js';

/** What the server hands to the layers below it (each part optional: CLI commands pass none). */
export interface Observability {
  metrics?: GatewayMetrics | undefined;
  tracer?: Tracer | undefined;
}
