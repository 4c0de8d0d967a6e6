import { ECOSYSTEM_IDS, type EcosystemId } from '../ecosystems/ids.js';
import { RestError } from './errors.js';
import { ROUTES, type BoundRoute, type Route } from './routes.js';

export const API_PREFIX = '/api/v1';

/**
 * Names that take more than one path segment, as in the original (`/packagist/{vendor}/{package}`,
 * `/maven/{groupId}/{artifactId}`, `/go/{module_path}/@v/{version}`), plus scoped npm names. The
 * OpenAPI document lists one path per form; `splitName` below is the matching side.
 */
export interface NameForm {
  ecosystem: EcosystemId;
  /** Replaces `{name}` in a route's path. */
  template: string;
  params: { name: string; description: string }[];
  /** Builds the package name from the form's params. */
  join: (values: Record<string, string>) => string;
  /** Go: a version follows `@v/` (the module path has slashes of its own). */
  versionPrefix: string;
}

export const NAME_FORMS: readonly NameForm[] = [
  {
    ecosystem: 'npm',
    template: '@{scope}/{package}',
    params: [
      { name: 'scope', description: 'npm scope without the `@`.' },
      { name: 'package', description: 'Name within the scope.' },
    ],
    join: (v) => `@${v.scope}/${v.package}`,
    versionPrefix: '',
  },
  {
    ecosystem: 'packagist',
    template: '{vendor}/{package}',
    params: [
      { name: 'vendor', description: 'Packagist vendor.' },
      { name: 'package', description: 'Package name within the vendor.' },
    ],
    join: (v) => `${v.vendor}/${v.package}`,
    versionPrefix: '',
  },
  {
    ecosystem: 'maven',
    template: '{groupId}/{artifactId}',
    params: [
      { name: 'groupId', description: 'Maven groupId, e.g. org.apache.logging.log4j.' },
      { name: 'artifactId', description: 'Maven artifactId, e.g. log4j-core.' },
    ],
    join: (v) => `${v.groupId}:${v.artifactId}`,
    versionPrefix: '',
  },
  {
    ecosystem: 'go',
    template: '{module}',
    params: [{ name: 'module', description: 'Module path with its slashes as they are, e.g. github.com/gin-gonic/gin.' }],
    join: (v) => v.module ?? '',
    versionPrefix: '@v/',
  },
];

/** A route's path after `{name}`, e.g. ['{version}', 'normalized']. */
function tailOf(route: Route): string[] | null {
  const segments = route.path.split('/').slice(1);
  return segments[0] === '{ecosystem}' && segments[1] === '{name}' ? segments.slice(2) : null;
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/** Literal words that follow a package name (`versions`, `refresh`): never read as a version there. */
function packageActions(routes: readonly Route[]): Set<string> {
  const words = new Set<string>();
  for (const route of routes) {
    const tail = tailOf(route);
    if (tail?.length === 1 && !isParam(tail[0]!)) words.add(tail[0]!);
  }
  return words;
}

type VersionMode = 'any' | 'required' | 'forbidden';

interface SplitName {
  name: string;
  rest: string[];
  /** Go: after `@v` the next segment is the version; without `@v` there is none. */
  version: VersionMode;
}

/**
 * The package name at the start of `segments` (decoded), and what follows it. A segment that was
 * percent-encoded with its slash (`%40scope%2Fname`, `vendor%2Fpackage`) is one whole name.
 */
function splitName(ecosystem: EcosystemId, segments: readonly string[], actions: ReadonlySet<string>): SplitName {
  const [first = '', second] = segments;
  const take = (count: number, joiner: string): SplitName => ({ name: segments.slice(0, count).join(joiner), rest: segments.slice(count), version: 'any' });
  switch (ecosystem) {
    case 'npm':
      // `@scope` alone is no npm name: a scope always takes the next segment.
      return first.startsWith('@') && !first.includes('/') && second !== undefined ? take(2, '/') : take(1, '/');
    case 'packagist':
      return first.includes('/') || second === undefined ? take(1, '/') : take(2, '/');
    case 'maven':
      return first.includes(':') || second === undefined ? take(1, ':') : take(2, ':');
    case 'go': {
      const at = segments.indexOf('@v');
      if (at >= 0) return { name: segments.slice(0, at).join('/'), rest: segments.slice(at + 1), version: 'required' };
      // A module path sent as one encoded segment (`github.com%2Fuser%2Frepo`) is the whole name, as for npm and Packagist.
      if (first.includes('/') && second !== undefined) return take(1, '/');
      const last = segments.at(-1) ?? '';
      // `/go/<module>/versions`: a module whose last element is `versions` is reached encoded (`%2F`).
      if (segments.length > 1 && actions.has(last)) return { name: segments.slice(0, -1).join('/'), rest: [last], version: 'forbidden' };
      return { name: segments.join('/'), rest: [], version: 'forbidden' };
    }
    default:
      return take(1, '/');
  }
}

/** Routes whose tail matches `rest`; a literal beats a `{version}` in the same place (`/versions`). */
function candidates(routes: readonly Route[], rest: readonly string[], mode: VersionMode): { route: Route; version: string | undefined }[] {
  let best: { route: Route; version: string | undefined }[] = [];
  let bestScore = -1;
  for (const route of routes) {
    const tail = tailOf(route);
    if (!tail || tail.length !== rest.length) continue;
    const hasVersion = tail[0] === '{version}';
    if ((mode === 'required' && !hasVersion) || (mode === 'forbidden' && hasVersion)) continue;
    let score = 0;
    let matches = true;
    for (const [i, segment] of tail.entries()) {
      if (isParam(segment)) continue;
      if (segment !== rest[i]) {
        matches = false;
        break;
      }
      score++;
    }
    if (!matches) continue;
    if (score > bestScore) {
      best = [];
      bestScore = score;
    }
    if (score === bestScore) best.push({ route, version: hasVersion ? rest[0] : undefined });
  }
  return best;
}

function decodeSegments(path: string): string[] {
  const segments = path.split('/').slice(1);
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  return segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new RestError('INVALID_INPUT', `malformed percent-encoding in the path: ${JSON.stringify(segment)}`);
    }
  });
}

/** Query parameters as strings; a repeated key's values are joined with commas (`packages=a&packages=b`). */
function queryParams(search: string): Record<string, string> {
  const params = new URLSearchParams(search);
  const out: Record<string, string> = {};
  for (const key of new Set(params.keys())) out[key] = params.getAll(key).join(',');
  return out;
}

function pick(found: { route: Route; version: string | undefined }[], method: string, path: string): { route: Route; version: string | undefined } {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const hit = found.find((candidate) => candidate.route.method === wanted);
  if (hit) return hit;
  if (found.length === 0) throw new RestError('NOT_FOUND', `no route for ${method} ${path} (see /docs)`);
  const allow = [...new Set(found.flatMap((candidate) => (candidate.route.method === 'GET' ? ['GET', 'HEAD'] : [candidate.route.method])))];
  throw new RestError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allow.join(', ')}`, { allow });
}

/**
 * The route a request goes to, with its params validated and the GraphQL variables it will execute
 * with. Throws a RestError: 404 (no such route or ecosystem), 405 (with `allow`), 400 (bad params).
 */
export function matchRoute(method: string, url: string, routes: readonly Route[] = ROUTES): BoundRoute {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) throw new RestError('NOT_FOUND', `no route for ${method} ${path} (see /docs)`);
  const segments = decodeSegments(path.slice(API_PREFIX.length) || '/');
  if (segments.includes('')) throw new RestError('NOT_FOUND', `no route for ${method} ${path}: empty path segment (see /docs)`);

  // Utility routes: all-literal paths (`/packages`, `/packages/bulk`, `/stats`).
  const literal = routes.filter((route) => tailOf(route) === null && route.path.split('/').slice(1).join('/') === segments.join('/'));
  if (literal.length > 0) {
    const { route } = pick(literal.map((route) => ({ route, version: undefined })), method, path);
    return route.bind(query);
  }

  const [ecosystem = '', ...nameAndRest] = segments;
  if (!(ECOSYSTEM_IDS as readonly string[]).includes(ecosystem)) {
    throw new RestError('NOT_FOUND', `no route for ${method} ${path}: unknown ecosystem ${JSON.stringify(ecosystem)} (one of ${ECOSYSTEM_IDS.join(', ')})`);
  }
  if (nameAndRest.length === 0) throw new RestError('NOT_FOUND', `no route for ${method} ${path}: a package name is missing (see /docs)`);
  const split = splitName(ecosystem as EcosystemId, nameAndRest, packageActions(routes));
  if (split.name === '') throw new RestError('NOT_FOUND', `no route for ${method} ${path}: a package name is missing (see /docs)`);
  const { route, version } = pick(candidates(routes, split.rest, split.version), method, path);
  return route.bind({ ...query, ecosystem, name: split.name, ...(version === undefined ? {} : { version }) });
}
