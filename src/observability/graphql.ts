import type http from 'node:http';
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from './metrics.js';
import { requestScope } from './request.js';
import type { Span, Tracer } from './tracing.js';

/** More root fields than this in one operation are labelled `multiple`, keeping label values few. */
const MAX_FIELDS_IN_LABEL = 3;

/**
 * A bounded label for an operation: its root field names (aliases and fragments resolved), sorted and
 * joined with `+`, e.g. `package` or `package+version`. Client operation names are not used as
 * labels: clients choose them freely, and every new one would be a new time series.
 */
export function operationLabel(document: DocumentNode, operationName?: string | null): string {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return 'invalid';
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const fields = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment);
      }
    }
  };
  visit(operation.selectionSet);
  if (fields.size === 0) return 'none';
  if (fields.size > MAX_FIELDS_IN_LABEL) return 'multiple';
  return [...fields].sort().join('+');
}

interface OperationState {
  started: number;
  graphql: boolean;
  operation: string;
  type: string;
  failed: boolean;
}

interface NodeServerContext {
  req?: http.IncomingMessage;
}

function hasErrors(result: unknown): boolean {
  const errors = typeof result === 'object' && result !== null && 'errors' in result ? (result as ExecutionResult).errors : undefined;
  return Array.isArray(errors) && errors.length > 0;
}

/**
 * Per-operation metrics and tracing as a yoga plugin: count and latency by operation label, type and
 * outcome (`error` when the result carries errors or the HTTP status is 4xx/5xx), a span around
 * execution (upstream and store spans nest under it), and the label handed to the request's access log.
 * Register it first, so it also sees operations another plugin stops before execution.
 */
export function observabilityPlugin(metrics: GatewayMetrics, tracer: Tracer): Plugin<NodeServerContext, NodeServerContext> {
  const states = new WeakMap<Request, OperationState>();
  return {
    onRequest({ request }) {
      states.set(request, { started: performance.now(), graphql: false, operation: 'invalid', type: 'unknown', failed: false });
    },
    onParams({ request }) {
      const state = states.get(request);
      if (state) state.graphql = true;
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const request = args.contextValue.request;
      const state = states.get(request);
      const operation = operationLabel(args.document, args.operationName);
      const type = getOperationAST(args.document, args.operationName ?? undefined)?.operation ?? 'unknown';
      if (state) Object.assign(state, { operation, type });
      const scope = requestScope(args.contextValue.req);
      if (scope) {
        scope.operation = operation;
        scope.operationName = args.operationName ?? null;
      }
      const attributes = { 'graphql.operation.type': type, 'scout.operation': operation, ...(args.operationName ? { 'graphql.operation.name': args.operationName } : {}) };
      const span: Span = tracer.startSpan(`${type} ${operation}`, attributes);
      const withSpan = tracer.withSpan?.bind(tracer);
      if (withSpan) setExecuteFn((executeArgs) => withSpan(span, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result }) {
          const failed = hasErrors(result);
          if (failed && state) state.failed = true;
          // The resolver's own error (results are masked later, when yoga sends them): the trace shows the cause.
          const first = failed ? (result as ExecutionResult).errors?.[0] : undefined;
          span.end(first ? (first.originalError ?? first) : undefined);
        },
      };
    },
    onExecutionResult({ request, result }) {
      const state = states.get(request);
      if (state && hasErrors(result)) state.failed = true;
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state?.graphql) return;
      const outcome = state.failed || response.status >= 400 ? 'error' : 'ok';
      metrics.operations.inc({ operation: state.operation, type: state.type, outcome });
      metrics.operationDuration.observe({ operation: state.operation, type: state.type }, (performance.now() - state.started) / 1000);
    },
  };
}
