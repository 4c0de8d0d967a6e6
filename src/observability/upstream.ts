import { UpstreamError } from '../errors.js';
import type { GatewayMetrics, UpstreamOutcome } from './metrics.js';
import type { Tracer } from './tracing.js';

/** What HttpUpstreamClient may be given to report its requests (both optional). */
export interface UpstreamObservability {
  metrics?: GatewayMetrics | undefined;
  tracer?: Tracer | undefined;
}

const OUTCOMES: Record<string, UpstreamOutcome> = { ok: 'ok', 'not-modified': 'not_modified', 'not-found': 'not_found' };

function outcomeOf(result: unknown): UpstreamOutcome {
  const kind = typeof result === 'object' && result !== null && 'kind' in result ? result.kind : null;
  return (typeof kind === 'string' ? OUTCOMES[kind] : undefined) ?? 'ok';
}

/** The UpstreamError behind a failure: thrown as is, or wrapped for a retry (`upstreamError`). */
function upstreamErrorOf(error: unknown): UpstreamError | null {
  if (error instanceof UpstreamError) return error;
  if (typeof error === 'object' && error !== null && 'upstreamError' in error && error.upstreamError instanceof UpstreamError) return error.upstreamError;
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/**
 * One upstream attempt (run inside its limiter slot, so the time excludes queueing): counted by
 * outcome or error code, timed, and traced as a span `upstream <name>`.
 */
export async function observeAttempt<T>(observability: UpstreamObservability, upstream: string, url: string, attempt: () => Promise<T>): Promise<T> {
  const { metrics, tracer } = observability;
  if (!metrics && !tracer) return attempt();
  const span = tracer?.startSpan(`upstream ${upstream}`, { 'scout.upstream': upstream, 'url.full': url, 'server.address': hostOf(url) });
  const started = performance.now();
  try {
    const result = await (span && tracer?.withSpan ? tracer.withSpan(span, attempt) : attempt());
    metrics?.upstreamAnswered(upstream, outcomeOf(result), (performance.now() - started) / 1000);
    span?.end();
    return result;
  } catch (error) {
    const cause = upstreamErrorOf(error);
    metrics?.upstreamFailed(upstream, cause?.code ?? 'INTERNAL', cause?.details.status ?? null, (performance.now() - started) / 1000);
    span?.end(error);
    throw error;
  }
}
