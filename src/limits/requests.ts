import { getOperationAST, GraphQLError, Kind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/** Why no operation can be picked from `document` for `operationName`, or null when one can. */
export function operationResolutionProblem(document: DocumentNode, operationName: string | null | undefined): string | null {
  if (getOperationAST(document, operationName)) return null;
  const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));
  if (names.length === 0) return 'the document has no operation (only fragments): add a query or mutation';
  if (operationName) return `operationName ${JSON.stringify(operationName)} is not in the document, whose operations are: ${names.join(', ')}`;
  return `the document has ${names.length} operations (${names.join(', ')}): send operationName to pick one`;
}

/**
 * Clear answers to malformed requests that yoga would otherwise answer vaguely: a `variables` or
 * `extensions` query parameter that is not JSON (yoga lets the SyntaxError through, which the masker
 * must treat as a bug: 500 INTERNAL), an operationName that matches nothing ("Could not determine what
 * operation to execute."), and variable coercion errors without an `extensions.code`.
 */
export function requestChecksPlugin(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        if (request.method === 'GET') {
          const params = new URL(req.url, 'http://localhost').searchParams;
          for (const name of ['variables', 'extensions']) {
            const value = params.get(name);
            if (!value) continue;
            try {
              JSON.parse(value);
            } catch (error) {
              throw badRequest(`the "${name}" query parameter is not valid JSON (${(error as Error).message}); URL-encode a JSON object, e.g. ${name}=%7B%7D`);
            }
          }
        }
        try {
          return await parse(req);
        } catch (error) {
          if (error instanceof SyntaxError) throw badRequest(`"variables" or "extensions" is not valid JSON (${error.message})`);
          throw error;
        }
      });
    },
    onParse({ context }) {
      // yoga puts the request's GraphQL params in the context.
      const operationName = (context as { params?: { operationName?: string | null } }).params?.operationName ?? null;
      return ({ result }) => {
        if (!result || result instanceof Error || !('kind' in result)) return;
        const problem = operationResolutionProblem(result, operationName);
        if (problem) throw new GraphQLError(`Cannot pick the operation to run: ${problem}`, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          // graphql-js's own coercion errors ("Variable "$name" got invalid value ...") carry no code.
          if (!result.errors.some((error) => error.extensions?.code === undefined && error.message.startsWith('Variable "$'))) return;
          setResult({
            ...result,
            errors: result.errors.map((error) =>
              error.extensions?.code === undefined && error.message.startsWith('Variable "$')
                ? new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } })
                : error,
            ),
          });
        },
      };
    },
  };
}
