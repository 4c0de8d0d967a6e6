import { z } from 'zod';
import { STATUS_BY_CODE } from './errors.js';
import { API_PREFIX, NAME_FORMS, type NameForm } from './router.js';
import { ROUTES, type Route } from './routes.js';
import { restComponents } from './shapes.js';

/** The parts of OpenAPI 3.1 this document uses. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: OpenApiParameter[];
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }> }>;
  /** The persisted GraphQL operation the route executes. */
  'x-graphql-operation': string;
  /** Example paths, relative to the server URL. */
  'x-examples': string[];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<'get' | 'post', OpenApiOperation>>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, Record<string, unknown>> };
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** JSON Schema of one zod schema, without the document-level keys. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function componentSchemas(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(restComponents, { io: 'output', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

const tagOf = (route: Route) => (route.path.includes('{version}') ? 'Versions' : route.path.includes('{name}') ? 'Packages' : 'Utility');

function parameters(route: Route, form: NameForm | null): OpenApiParameter[] {
  const out: OpenApiParameter[] = [];
  for (const [key, schema] of Object.entries(route.params.shape as Record<string, z.ZodType>)) {
    const inPath = route.path.includes(`{${key}}`);
    if (form && (key === 'ecosystem' || key === 'name')) continue;
    out.push({
      name: key,
      in: inPath ? 'path' : 'query',
      required: inPath || !schema.safeParse(undefined).success,
      ...(schema.description ? { description: schema.description } : {}),
      schema: jsonSchema(schema, 'input'),
    });
  }
  if (form) {
    out.unshift(...form.params.map((param) => ({ name: param.name, in: 'path' as const, required: true, description: param.description, schema: { type: 'string' } })));
  }
  return out;
}

function responses(route: Route): OpenApiOperation['responses'] {
  const error = (description: string, headers?: Record<string, unknown>) => ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: ref('Error') } } });
  const id = restComponents.get(route.response)?.id;
  const body = id ? ref(id) : jsonSchema(route.response, 'output');
  const read = route.method === 'GET';
  const out: OpenApiOperation['responses'] = {
    200: {
      description: 'OK',
      headers: read
        ? { ETag: { description: 'Hash of the body; send it back in If-None-Match.', schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } }
        : { 'Cache-Control': { description: 'no-store', schema: { type: 'string' } } },
      content: { 'application/json': { schema: body } },
    },
  };
  if (read) out[304] = { description: 'Not Modified: If-None-Match names the current ETag.' };
  const codes: [keyof typeof STATUS_BY_CODE, string][] = [
    ['INVALID_INPUT', 'INVALID_INPUT: a name, version or parameter the gateway cannot accept (the message says why).'],
    ...(read ? [] : ([
      ['UNAUTHENTICATED', 'UNAUTHENTICATED: API keys are configured and no Authorization: Bearer key was sent.'],
      ['FORBIDDEN', 'FORBIDDEN: the key is not valid.'],
    ] as [keyof typeof STATUS_BY_CODE, string][])),
    ['NOT_FOUND', 'NOT_FOUND: unknown package, version, ecosystem or route.'],
    ['RATE_LIMITED', 'RATE_LIMITED: the registry asked to wait (Retry-After, seconds).'],
    ['NOT_IMPLEMENTED', 'NOT_IMPLEMENTED: the registry cannot serve this (no adapter for the ecosystem, or a feature it does not publish).'],
    ['UPSTREAM_INVALID', 'UPSTREAM_INVALID: the registry answered something unusable (or a source archive failed its checks).'],
    ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE: the registry failed and no stored copy exists.'],
  ];
  for (const [code, description] of codes) {
    out[STATUS_BY_CODE[code]] = code === 'RATE_LIMITED' ? error(description, { 'Retry-After': { schema: { type: 'integer' } } }) : error(description);
  }
  return out;
}

function operationOf(route: Route, form: NameForm | null): OpenApiOperation {
  const suffix = form ? form.ecosystem[0]!.toUpperCase() + form.ecosystem.slice(1) : '';
  return {
    operationId: `${route.id}${suffix}`,
    summary: form ? `${route.summary} (${form.ecosystem})` : route.summary,
    description: route.description,
    tags: [tagOf(route)],
    parameters: parameters(route, form),
    ...(route.method === 'POST' ? { security: [{ bearerAuth: [] }, {}] } : {}),
    responses: responses(route),
    'x-graphql-operation': route.operation.text,
    'x-examples': form ? route.examples.filter((example) => example.startsWith(form.ecosystem === 'npm' ? '/npm/@' : `/${form.ecosystem}/`)) : route.examples,
  };
}

/** A route's path for a name form: `/{ecosystem}/{name}/{version}` -> `/go/{module}/@v/{version}`. */
export function formPath(route: Route, form: NameForm): string {
  return route.path
    .replace('{ecosystem}', form.ecosystem)
    .replace('{name}', form.template)
    .replace('/{version}', `/${form.versionPrefix}{version}`);
}

/** The OpenAPI 3.1 document, generated from the route table and the name forms. */
export function buildOpenApi(routes: readonly Route[] = ROUTES): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const add = (path: string, route: Route, form: NameForm | null) => {
    const method = route.method === 'GET' ? 'get' : 'post';
    (paths[path] ??= {})[method] = operationOf(route, form);
  };
  for (const route of routes) {
    add(route.path, route, null);
    if (!route.path.includes('{name}')) continue;
    for (const form of NAME_FORMS) add(formPath(route, form), route, form);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Scout Registry REST API',
      version: '1',
      description: [
        'The original Scout Registry REST endpoints. Every route executes a persisted GraphQL operation (see x-graphql-operation) against the same schema as /graphql.',
        'Names: scoped npm names as `@scope/name` (two segments) or encoded (`%40scope%2Fname`); Packagist `{vendor}/{package}`; Maven `{groupId}/{artifactId}` (or `groupId:artifactId` as one segment); Go `{module}` with its slashes, versions after `/@v/`.',
        'After a name, `versions` and `refresh` are actions, never versions; a Go module whose last element is one of those words is reached with its slashes encoded (`%2F`).',
        'Errors: {"error": {"code", "message"}} with the GraphQL error codes. Reads carry ETag and Cache-Control and answer If-None-Match with 304.',
      ].join('\n\n'),
    },
    servers: [{ url: API_PREFIX }],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of SCOUT_REGISTRY_API_KEYS; mutations only, and only when keys are configured.' } },
    },
  };
}
