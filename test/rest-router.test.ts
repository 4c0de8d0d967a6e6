import { validate, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../src/schema/index.js';
import { RestError } from '../src/rest/errors.js';
import { etagOf, ifNoneMatchHits } from '../src/rest/handler.js';
import { buildOpenApi, formPath } from '../src/rest/openapi.js';
import { operations } from '../src/rest/operations.js';
import { NAME_FORMS, matchRoute } from '../src/rest/router.js';
import { ROUTES } from '../src/rest/routes.js';
import { renderDocs } from '../src/rest/docs.js';
import { DEPENDENCY_KINDS, SOURCE_STATUSES, VERSION_STATUSES } from '../src/rest/shapes.js';
import { ECOSYSTEM_IDS } from '../src/ecosystems/ids.js';

/** The route and the GraphQL variables a request would execute with. */
function routed(method: string, url: string): { id: string; variables: Record<string, unknown> } {
  const bound = matchRoute(method, url);
  return { id: bound.route.id, variables: bound.variables };
}

function rejected(method: string, url: string): RestError {
  try {
    matchRoute(method, url);
  } catch (error) {
    if (error instanceof RestError) return error;
    throw error;
  }
  throw new Error(`${method} ${url} was routed`);
}

describe('persisted operations', () => {
  it('every operation validates against the schema /graphql serves', () => {
    const schema = buildSchema();
    for (const operation of Object.values(operations)) {
      expect(validate(schema, operation.document).map((e) => e.message), operation.name).toEqual([]);
    }
  });

  it('the lower-case enums of the bodies are the schema\'s enums (a new value fails here, not in production)', () => {
    const schema = buildSchema();
    const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name.toLowerCase()).sort();
    expect([...VERSION_STATUSES].sort()).toEqual(values('VersionStatus'));
    expect([...DEPENDENCY_KINDS].sort()).toEqual(values('DependencyKind'));
    expect([...SOURCE_STATUSES].sort()).toEqual(values('SourceStatus'));
    expect([...ECOSYSTEM_IDS].sort()).toEqual(values('Ecosystem'));
  });

  it('every route executes one of the persisted operations', () => {
    const persisted = new Set<unknown>(Object.values(operations));
    for (const route of ROUTES) expect(persisted.has(route.operation), route.id).toBe(true);
  });
});

describe('generic routes', () => {
  it('routes the eight package and version routes of the original', () => {
    expect(routed('GET', '/api/v1/npm/lodash')).toEqual({ id: 'getPackage', variables: { ecosystem: 'NPM', name: 'lodash' } });
    expect(routed('GET', '/api/v1/npm/lodash/versions')).toEqual({ id: 'listVersions', variables: { ecosystem: 'NPM', name: 'lodash', first: 1000, after: null } });
    expect(routed('GET', '/api/v1/npm/lodash/4.17.21')).toEqual({ id: 'getVersion', variables: { ecosystem: 'NPM', name: 'lodash', version: '4.17.21' } });
    expect(routed('GET', '/api/v1/npm/lodash/4.17.21/full').id).toBe('getVersionFull');
    expect(routed('GET', '/api/v1/npm/lodash/4.17.21/normalized').id).toBe('getNormalized');
    expect(routed('POST', '/api/v1/npm/lodash/refresh')).toEqual({ id: 'refreshPackage', variables: { ecosystem: 'NPM', name: 'lodash' } });
    expect(routed('POST', '/api/v1/npm/lodash/4.17.21/source')).toEqual({ id: 'archiveSource', variables: { ecosystem: 'NPM', name: 'lodash', version: '4.17.21' } });
    expect(routed('GET', '/api/v1/npm/lodash/4.17.21/source').id).toBe('getSource');
    expect(routed('HEAD', '/api/v1/npm/lodash').id).toBe('getPackage');
  });

  it('knows every ecosystem of the original plus pub, by its lower-case id', () => {
    for (const [eco, name] of [['pypi', 'requests'], ['cargo', 'serde'], ['rubygems', 'rails'], ['hex', 'phoenix'], ['nuget', 'Newtonsoft.Json'], ['pub', 'http']] as const) {
      expect(routed('GET', `/api/v1/${eco}/${name}/1.0.0`)).toEqual({ id: 'getVersion', variables: { ecosystem: eco.toUpperCase(), name, version: '1.0.0' } });
    }
    expect(rejected('GET', '/api/v1/cocoapods/Alamofire')).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/unknown ecosystem "cocoapods"/) });
    expect(rejected('GET', '/api/v1/NPM/lodash').code).toBe('NOT_FOUND');
  });

  it('accepts a dist-tag where a version goes', () => {
    expect(routed('GET', '/api/v1/npm/react/latest/normalized').variables).toEqual({ ecosystem: 'NPM', name: 'react', version: 'latest' });
  });

  it('decodes each segment once, after splitting the path', () => {
    expect(routed('GET', '/api/v1/pypi/zope.interface/5.0.0%2Blocal').variables.version).toBe('5.0.0+local');
    expect(rejected('GET', '/api/v1/npm/%E0%A4%A/1.0.0')).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/percent-encoding/) });
  });

  it('tolerates one trailing slash and ignores unknown query parameters', () => {
    expect(routed('GET', '/api/v1/npm/lodash/?utm_source=x')).toEqual({ id: 'getPackage', variables: { ecosystem: 'NPM', name: 'lodash' } });
    expect(rejected('GET', '/api/v1/npm//lodash').code).toBe('NOT_FOUND');
  });

  it('answers unknown paths with 404 and wrong methods with 405 and Allow', () => {
    expect(rejected('GET', '/api/v1/npm/lodash/4.17.21/bogus').code).toBe('NOT_FOUND');
    expect(rejected('GET', '/api/v1/npm').code).toBe('NOT_FOUND');
    expect(rejected('GET', '/api/v1').code).toBe('NOT_FOUND');
    expect(rejected('GET', '/api/v2/npm/lodash').code).toBe('NOT_FOUND');
    const refresh = rejected('GET', '/api/v1/npm/lodash/refresh');
    expect(refresh).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
    expect(refresh.details.allow).toEqual(['POST']);
    expect(rejected('POST', '/api/v1/npm/lodash/versions').details.allow).toEqual(['GET', 'HEAD']);
    expect(rejected('DELETE', '/api/v1/npm/lodash').details.allow).toEqual(['GET', 'HEAD']);
    expect(rejected('PUT', '/api/v1/npm/lodash/1.0.0/source').details.allow).toEqual(['POST', 'GET', 'HEAD']);
    expect(rejected('POST', '/api/v1/stats').details.allow).toEqual(['GET', 'HEAD']);
  });
});

describe('name forms', () => {
  it('scoped npm names: two segments, or one encoded segment (any case of %2F)', () => {
    const expected = { ecosystem: 'NPM', name: '@babel/core', version: '7.24.0' };
    for (const url of ['/api/v1/npm/@babel/core/7.24.0', '/api/v1/npm/%40babel%2fcore/7.24.0', '/api/v1/npm/%40babel%2Fcore/7.24.0', '/api/v1/npm/@babel%2fcore/7.24.0', '/api/v1/npm/%40babel/core/7.24.0']) {
      expect(routed('GET', url), url).toEqual({ id: 'getVersion', variables: expected });
    }
    expect(routed('GET', '/api/v1/npm/@babel/core')).toEqual({ id: 'getPackage', variables: { ecosystem: 'NPM', name: '@babel/core' } });
    expect(routed('GET', '/api/v1/npm/%40babel%2fcore')).toEqual({ id: 'getPackage', variables: { ecosystem: 'NPM', name: '@babel/core' } });
    expect(routed('POST', '/api/v1/npm/@babel/core/refresh').variables).toEqual({ ecosystem: 'NPM', name: '@babel/core' });
  });

  it('the ambiguity of the original: after a name, `versions` is the list, never a version', () => {
    expect(routed('GET', '/api/v1/npm/@scope/name/versions')).toEqual({ id: 'listVersions', variables: { ecosystem: 'NPM', name: '@scope/name', first: 1000, after: null } });
    // a package called `versions` is still reachable, and so are its versions
    expect(routed('GET', '/api/v1/npm/versions')).toEqual({ id: 'getPackage', variables: { ecosystem: 'NPM', name: 'versions' } });
    expect(routed('GET', '/api/v1/npm/versions/versions').variables).toMatchObject({ name: 'versions' });
    expect(routed('GET', '/api/v1/npm/versions/1.0.0').variables).toEqual({ ecosystem: 'NPM', name: 'versions', version: '1.0.0' });
    // `@scope` alone is no npm name: passed on, the adapter rejects it (400), nothing guessed
    expect(routed('GET', '/api/v1/npm/@scope')).toEqual({ id: 'getPackage', variables: { ecosystem: 'NPM', name: '@scope' } });
  });

  it('Packagist vendor/package', () => {
    expect(routed('GET', '/api/v1/packagist/symfony/console')).toEqual({ id: 'getPackage', variables: { ecosystem: 'PACKAGIST', name: 'symfony/console' } });
    expect(routed('GET', '/api/v1/packagist/symfony/console/v6.0.0')).toEqual({ id: 'getVersion', variables: { ecosystem: 'PACKAGIST', name: 'symfony/console', version: 'v6.0.0' } });
    expect(routed('GET', '/api/v1/packagist/symfony%2Fconsole/v6.0.0/normalized').variables).toEqual({ ecosystem: 'PACKAGIST', name: 'symfony/console', version: 'v6.0.0' });
    expect(routed('GET', '/api/v1/packagist/symfony/console/versions').id).toBe('listVersions');
    expect(routed('GET', '/api/v1/packagist/symfony/console/dev-main/source').variables).toMatchObject({ version: 'dev-main' });
    // a lone vendor is passed on as the name (the adapter says what is wrong with it)
    expect(routed('GET', '/api/v1/packagist/symfony').variables).toEqual({ ecosystem: 'PACKAGIST', name: 'symfony' });
  });

  it('Maven groupId/artifactId in the path, groupId:artifactId in GraphQL', () => {
    expect(routed('GET', '/api/v1/maven/org.apache.logging.log4j/log4j-core/2.17.0')).toEqual({
      id: 'getVersion',
      variables: { ecosystem: 'MAVEN', name: 'org.apache.logging.log4j:log4j-core', version: '2.17.0' },
    });
    expect(routed('GET', '/api/v1/maven/org.apache.logging.log4j/log4j-core').variables).toEqual({ ecosystem: 'MAVEN', name: 'org.apache.logging.log4j:log4j-core' });
    expect(routed('GET', '/api/v1/maven/org.apache.logging.log4j:log4j-core/2.17.0/full').variables).toEqual({ ecosystem: 'MAVEN', name: 'org.apache.logging.log4j:log4j-core', version: '2.17.0' });
    expect(routed('GET', '/api/v1/maven/junit/junit/versions').variables).toMatchObject({ name: 'junit:junit' });
  });

  it('Go module paths with slashes; versions after @v', () => {
    expect(routed('GET', '/api/v1/go/github.com/gin-gonic/gin/@v/v1.9.1')).toEqual({ id: 'getVersion', variables: { ecosystem: 'GO', name: 'github.com/gin-gonic/gin', version: 'v1.9.1' } });
    expect(routed('GET', '/api/v1/go/github.com/gin-gonic/gin')).toEqual({ id: 'getPackage', variables: { ecosystem: 'GO', name: 'github.com/gin-gonic/gin' } });
    expect(routed('GET', '/api/v1/go/golang.org/x/net/@v/v0.0.0-20240101000000-abcdefabcdef/normalized').variables).toEqual({
      ecosystem: 'GO',
      name: 'golang.org/x/net',
      version: 'v0.0.0-20240101000000-abcdefabcdef',
    });
    expect(routed('GET', '/api/v1/go/github.com/gin-gonic/gin/@v/v1.9.1/full').id).toBe('getVersionFull');
    expect(routed('POST', '/api/v1/go/github.com/gin-gonic/gin/@v/v1.9.1/source').id).toBe('archiveSource');
    expect(routed('GET', '/api/v1/go/github.com/gin-gonic/gin/@v/v1.9.1/source').id).toBe('getSource');
    expect(routed('GET', '/api/v1/go/github.com/gin-gonic/gin/versions')).toEqual({ id: 'listVersions', variables: { ecosystem: 'GO', name: 'github.com/gin-gonic/gin', first: 1000, after: null } });
    expect(routed('POST', '/api/v1/go/github.com/gin-gonic/gin/refresh').variables).toEqual({ ecosystem: 'GO', name: 'github.com/gin-gonic/gin' });
    // major-version suffixes and single-element paths stay part of the module path
    expect(routed('GET', '/api/v1/go/github.com/go-redis/redis/v9/@v/v9.0.0').variables).toMatchObject({ name: 'github.com/go-redis/redis/v9', version: 'v9.0.0' });
    expect(routed('GET', '/api/v1/go/rsc.io/quote').variables).toEqual({ ecosystem: 'GO', name: 'rsc.io/quote' });
    // a module ending in `versions` is reached with its slashes encoded
    expect(routed('GET', '/api/v1/go/github.com%2Facme%2Fversions').variables).toEqual({ ecosystem: 'GO', name: 'github.com/acme/versions' });
    // a module path encoded as one segment, as generic clients send every name, is the whole module path
    expect(routed('GET', '/api/v1/go/github.com%2Facme%2Fmod/v1.2.3')).toEqual({ id: 'getVersion', variables: { ecosystem: 'GO', name: 'github.com/acme/mod', version: 'v1.2.3' } });
    expect(routed('GET', '/api/v1/go/github.com%2Facme%2Fmod/v1.2.3/normalized').id).toBe('getNormalized');
    expect(routed('GET', '/api/v1/go/github.com%2Facme%2Fmod/versions').id).toBe('listVersions');
    // no version without @v: the segments are all module path
    expect(routed('GET', '/api/v1/go/github.com/gin-gonic/gin/v1.9.1').id).toBe('getPackage');
    expect(rejected('GET', '/api/v1/go/github.com/gin-gonic/gin/@v').code).toBe('NOT_FOUND');
    expect(rejected('GET', '/api/v1/go/@v/v1.0.0').code).toBe('NOT_FOUND');
  });
});

describe('utility routes', () => {
  it('search: q, ecosystem, limit, offset -> Query.search variables (offset as a cursor)', () => {
    expect(routed('GET', '/api/v1/packages?q=yaml')).toEqual({ id: 'searchPackages', variables: { query: 'yaml', ecosystem: null, first: 20, after: null } });
    const paged = routed('GET', '/api/v1/packages?q=%20yaml%20&ecosystem=npm&limit=5&offset=10');
    expect(paged.variables).toMatchObject({ query: 'yaml', ecosystem: 'NPM', first: 5 });
    expect(Buffer.from(String(paged.variables.after), 'base64url').toString()).toBe('seq:9');
  });

  it('search: invalid parameters are 400 naming the parameter', () => {
    for (const [query, message] of [
      ['', /^q: is required/],
      ['?q=', /^q: must not be empty/],
      ['?q=a&limit=0', /^limit: must be >= 1/],
      ['?q=a&limit=101', /^limit: at most 100/],
      ['?q=a&limit=ten', /^limit: expected a whole number/],
      ['?q=a&offset=-1', /^offset: must be >= 0/],
      ['?q=a&ecosystem=cocoapods', /^ecosystem: expected one of npm, pypi/],
    ] as const) {
      const error = rejected('GET', `/api/v1/packages${query}`);
      expect(error.code, query).toBe('INVALID_INPUT');
      expect(error.message, query).toMatch(message);
    }
  });

  it('bulk: eco:name and eco:name:version entries, Maven with its extra colon, order kept', () => {
    const bound = matchRoute('GET', '/api/v1/packages/bulk?packages=npm:lodash:4.17.21,npm:@babel/core,maven:org.slf4j:slf4j-api:2.0.9,maven:junit:junit,go:github.com/gin-gonic/gin:v1.9.1');
    expect(bound.route.id).toBe('bulkLookup');
    expect(bound.variables).toEqual({
      packages: [{ ecosystem: 'NPM', name: '@babel/core' }, { ecosystem: 'MAVEN', name: 'junit:junit' }],
      versions: [
        { ecosystem: 'NPM', name: 'lodash', version: '4.17.21' },
        { ecosystem: 'MAVEN', name: 'org.slf4j:slf4j-api', version: '2.0.9' },
        { ecosystem: 'GO', name: 'github.com/gin-gonic/gin', version: 'v1.9.1' },
      ],
    });
    // repeated parameters add up; blanks are skipped
    expect(matchRoute('GET', '/api/v1/packages/bulk?packages=npm:a,&packages=pypi:b').variables).toEqual({
      packages: [{ ecosystem: 'NPM', name: 'a' }, { ecosystem: 'PYPI', name: 'b' }],
      versions: [],
    });
  });

  it('bulk: a bad entry is a 400 naming it', () => {
    expect(rejected('GET', '/api/v1/packages/bulk').message).toMatch(/^packages: is required/);
    expect(rejected('GET', '/api/v1/packages/bulk?packages=,').message).toMatch(/no entries/);
    expect(rejected('GET', '/api/v1/packages/bulk?packages=npm:a,lodash').message).toMatch(/entry 2 "lodash": unknown ecosystem/);
    expect(rejected('GET', '/api/v1/packages/bulk?packages=cocoapods:x').message).toMatch(/unknown ecosystem "cocoapods"/);
    expect(rejected('GET', '/api/v1/packages/bulk?packages=maven:junit').message).toMatch(/maven:groupId:artifactId\[:version\]/);
    expect(rejected('GET', '/api/v1/packages/bulk?packages=npm:lodash:').message).toMatch(/version after the last colon is empty/);
    const many = Array.from({ length: 501 }, (_, i) => `npm:p${i}`).join(',');
    expect(rejected('GET', `/api/v1/packages/bulk?packages=${many}`).message).toMatch(/at most 500 entries/);
  });

  it('stats', () => {
    expect(routed('GET', '/api/v1/stats')).toEqual({ id: 'getStats', variables: {} });
  });
});

describe('OpenAPI document', () => {
  const doc = buildOpenApi();

  it('is OpenAPI 3.1 with one operation per route and name form, unique operationIds', () => {
    expect(doc.openapi).toBe('3.1.0');
    const operationsList = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    const ids = operationsList.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const named = ROUTES.filter((route) => route.path.includes('{name}'));
    expect(operationsList.length).toBe(ROUTES.length + named.length * NAME_FORMS.length);
    for (const route of ROUTES) expect(doc.paths[route.path]?.[route.method === 'GET' ? 'get' : 'post']?.['x-graphql-operation'], route.id).toBe(route.operation.text);
  });

  it('declares every path template variable as a required path parameter, and nothing else in the path', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      const inTemplate = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const op of Object.values(methods)) {
        const inPath = op.parameters.filter((p) => p.in === 'path');
        expect(inPath.map((p) => p.name).sort(), `${path} ${op.operationId}`).toEqual(inTemplate);
        expect(inPath.every((p) => p.required)).toBe(true);
      }
    }
  });

  it('every response $ref resolves to a component', () => {
    const text = JSON.stringify(doc);
    for (const [, id] of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) expect(doc.components.schemas, id).toHaveProperty(id!);
    expect(doc.components.schemas.Normalized).toMatchObject({ type: 'object', required: expect.arrayContaining(['release_date', 'size_bytes', 'checksums']) });
  });

  it('every documented path, filled in, routes to the operation it documents (router and document agree)', () => {
    const sample: Record<string, string> = {
      ecosystem: 'pypi', name: 'requests', version: '2.31.0', scope: 'babel', package: 'core', vendor: 'symfony',
      groupId: 'org.slf4j', artifactId: 'slf4j-api', module: 'github.com/gin-gonic/gin',
    };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const url = `/api/v1${path.replace(/\{(\w+)\}/g, (_, key: string) => sample[key]!)}${path === '/packages' ? '?q=x' : path === '/packages/bulk' ? '?packages=npm:x' : ''}`;
        const bound = matchRoute(method.toUpperCase(), url);
        expect(op.operationId.startsWith(bound.route.id), `${method} ${url}`).toBe(true);
      }
    }
    const route = ROUTES.find((r) => r.id === 'getNormalized')!;
    expect(formPath(route, NAME_FORMS.find((f) => f.ecosystem === 'go')!)).toBe('/{ecosystem}/{name}/{version}/normalized'.replace('{ecosystem}', 'go').replace('{name}', '{module}').replace('/{version}', '/@v/{version}'));
  });

  it('the docs page is plain HTML with every operation and no external resource', () => {
    const html = renderDocs(doc);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)/);
    for (const methods of Object.values(doc.paths)) for (const op of Object.values(methods)) expect(html).toContain(`id="${op.operationId}"`);
    expect(html).toContain('/api/v1/go/{module}/@v/{version}/normalized');
  });
});

describe('caching helpers', () => {
  it('ETag is a strong hash of the body; If-None-Match compares weakly and understands lists and *', () => {
    const etag = etagOf('{"a":1}');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(etagOf('{"a":2}')).not.toBe(etag);
    expect(ifNoneMatchHits(etag, etag)).toBe(true);
    expect(ifNoneMatchHits(`W/${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHits(`"other", ${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
    expect(ifNoneMatchHits('"other"', etag)).toBe(false);
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
  });
});
