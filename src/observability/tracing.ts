/**
 * Tracing hooks: a tiny interface the gateway calls around GraphQL operations, upstream requests and
 * store calls. The default does nothing; when `@opentelemetry/api` can be imported at run time the
 * spans go through it, so any OpenTelemetry SDK the process registers receives them. The package is
 * deliberately not a dependency: it is loaded with a dynamic import and checked before use.
 */

export type SpanAttributes = Record<string, string | number | boolean>;

export interface Span {
  /** Ends the span; an error marks it failed and is recorded on it. */
  end(error?: unknown): void;
}

export interface Tracer {
  startSpan(name: string, attributes?: SpanAttributes): Span;
  /**
   * Runs `fn` with `span` as the current span, so spans started inside it (also after `await`) become
   * its children. Optional: a tracer without it produces unparented spans.
   */
  withSpan?<T>(span: Span, fn: () => T): T;
}

const NOOP_SPAN: Span = { end() {} };

export const noopTracer: Tracer = {
  startSpan: () => NOOP_SPAN,
  withSpan: (_span, fn) => fn(),
};

/** The few parts of `@opentelemetry/api` used here (checked at run time, see isOtelApi). */
interface OtelSpan {
  end(): void;
  recordException(exception: Error | string): void;
  setStatus(status: { code: number; message?: string }): void;
}
interface OtelTracer {
  startSpan(name: string, options?: { attributes?: SpanAttributes }, context?: unknown): OtelSpan;
}
export interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: unknown, span: OtelSpan): unknown;
  };
  context: {
    active(): unknown;
    with<T>(context: unknown, fn: () => T): T;
  };
}

function isOtelApi(value: unknown): value is OtelApi {
  if (typeof value !== 'object' || value === null) return false;
  const { trace, context } = value as Record<string, unknown>;
  const has = (object: unknown, ...names: string[]) =>
    typeof object === 'object' && object !== null && names.every((name) => typeof (object as Record<string, unknown>)[name] === 'function');
  return has(trace, 'getTracer', 'setSpan') && has(context, 'active', 'with');
}

/** SpanStatusCode.ERROR in the OpenTelemetry API (a stable numeric enum). */
const OTEL_STATUS_ERROR = 2;

class OtelSpanHandle implements Span {
  private ended = false;
  constructor(readonly span: OtelSpan) {}
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) {
      const err = error instanceof Error ? error : String(error);
      this.span.recordException(err);
      this.span.setStatus({ code: OTEL_STATUS_ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    this.span.end();
  }
}

/** Spans through the OpenTelemetry API: parented on the active context, so HTTP auto-instrumentation nests them. */
export function openTelemetryTracer(api: OtelApi, version = '0.1.0'): Tracer {
  const tracer = api.trace.getTracer('scout-registry', version);
  return {
    startSpan(name, attributes) {
      return new OtelSpanHandle(tracer.startSpan(name, attributes ? { attributes } : {}, api.context.active()));
    },
    withSpan(span, fn) {
      if (!(span instanceof OtelSpanHandle)) return fn();
      return api.context.with(api.trace.setSpan(api.context.active(), span.span), fn);
    },
  };
}

export interface LoadTracerOptions {
  /** How the API module is imported (tests inject one). */
  importer?: () => Promise<unknown>;
  env?: NodeJS.ProcessEnv;
}

/** A variable specifier: TypeScript must not try to resolve a package that is not a dependency. */
const OTEL_API = '@opentelemetry/api';

/**
 * The OpenTelemetry-backed tracer when `@opentelemetry/api` resolves (and OTEL_SDK_DISABLED is not
 * `true`), else the no-op tracer. Never throws: tracing must not stop the gateway from starting.
 */
export async function loadTracer(options: LoadTracerOptions = {}): Promise<Tracer> {
  const env = options.env ?? process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return noopTracer;
  let api: unknown;
  try {
    api = await (options.importer ?? (() => import(OTEL_API) as Promise<unknown>))();
  } catch {
    return noopTracer;
  }
  return isOtelApi(api) ? openTelemetryTracer(api) : noopTracer;
}

/** Runs `fn` inside a span that ends when it settles (with its error, if any). */
export async function inSpan<T>(tracer: Tracer, name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan(name, attributes);
  try {
    const result = await (tracer.withSpan ? tracer.withSpan(span, fn) : fn());
    span.end();
    return result;
  } catch (error) {
    span.end(error);
    throw error;
  }
}
