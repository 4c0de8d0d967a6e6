import { normalizeHttpUrl, normalizeRepositoryUrl } from '../common/repository.js';

/*
 * Where a module's source lives, inferred without asking arbitrary hosts:
 * 1. the proxy's own answer: `.info` `Origin.URL` (what the proxy resolved through `go-import` for that version);
 * 2. the static rules the go command itself knows (cmd/go/internal/vcs: github.com, bitbucket.org, `.git`
 *    path elements) plus gitlab.com and the gopkg.in conventions;
 * 3. a short table of well-known vanity hosts whose `go-import` target is stable.
 * Subdirectory modules (`github.com/a/b/c`) and major-version suffixes (`/v2`) belong to the repository root.
 */

export interface ModuleLinks {
  repository: string | null;
  issues: string | null;
  /** A browsable mirror when the canonical repository is not (golang.org/x on go.googlesource.com). */
  mirror: string | null;
}

const NONE: ModuleLinks = { repository: null, issues: null, mirror: null };

function hosted(url: string): ModuleLinks {
  const links = normalizeRepositoryUrl(url);
  return links ? { repository: links.url, issues: links.issues, mirror: null } : { repository: url, issues: null, mirror: null };
}

const ELEMENT = '[A-Za-z0-9_.~-]+';

/** gopkg.in/pkg.v3 -> github.com/go-pkg/pkg; gopkg.in/user/pkg.v3 -> github.com/user/pkg (https://labix.org/gopkg.in). */
function gopkgIn(path: string): string | null {
  const match = new RegExp(`^gopkg\\.in/(?:(${ELEMENT})/)?(${ELEMENT})\\.v\\d+(?:-unstable)?(?:/|$)`).exec(path);
  if (!match) return null;
  const user = match[1];
  const name = match[2]!;
  return user ? `https://github.com/${user}/${name}` : `https://github.com/go-${name}/${name}`;
}

interface Vanity {
  prefix: RegExp;
  /** From the match; `[repository, mirror?]`. */
  target(match: RegExpExecArray): [string, string | null];
  issues?: string;
}

/** Stable `go-import` targets of well-known vanity hosts (checked against their go-import meta tags). */
const VANITY: Vanity[] = [
  {
    prefix: new RegExp(`^golang\\.org/x/(${ELEMENT})`),
    target: (m) => [`https://go.googlesource.com/${m[1]}`, `https://github.com/golang/${m[1]}`],
    issues: 'https://github.com/golang/go/issues',
  },
  {
    prefix: /^google\.golang\.org\/protobuf(?:\/|$)/,
    target: () => ['https://go.googlesource.com/protobuf', 'https://github.com/protocolbuffers/protobuf-go'],
    issues: 'https://github.com/golang/protobuf/issues',
  },
  { prefix: /^google\.golang\.org\/grpc(?:\/|$)/, target: () => ['https://github.com/grpc/grpc-go', null] },
  { prefix: /^google\.golang\.org\/api(?:\/|$)/, target: () => ['https://github.com/googleapis/google-api-go-client', null] },
  { prefix: /^google\.golang\.org\/genproto(?:\/|$)/, target: () => ['https://github.com/googleapis/go-genproto', null] },
  { prefix: /^google\.golang\.org\/appengine(?:\/|$)/, target: () => ['https://github.com/golang/appengine', null] },
  { prefix: /^cloud\.google\.com\/go(?:\/|$)/, target: () => ['https://github.com/googleapis/google-cloud-go', null] },
  { prefix: new RegExp(`^go\\.uber\\.org/(${ELEMENT})`), target: (m) => [`https://github.com/uber-go/${m[1]}`, null] },
  { prefix: new RegExp(`^k8s\\.io/(${ELEMENT})`), target: (m) => [`https://github.com/kubernetes/${m[1]}`, null] },
  { prefix: new RegExp(`^sigs\\.k8s\\.io/(${ELEMENT})`), target: (m) => [`https://github.com/kubernetes-sigs/${m[1]}`, null] },
  { prefix: new RegExp(`^go\\.etcd\\.io/(${ELEMENT})`), target: (m) => [`https://github.com/etcd-io/${m[1]}`, null] },
];

/** The repository root a module path names, by the conventions above; null for unknown (vanity) hosts. */
export function inferRepository(path: string): ModuleLinks {
  const github = new RegExp(`^github\\.com/(${ELEMENT})/(${ELEMENT})`).exec(path);
  if (github) return hosted(`https://github.com/${github[1]}/${github[2]!.replace(/\.git$/, '')}`);
  const bitbucket = new RegExp(`^bitbucket\\.org/(${ELEMENT})/(${ELEMENT})`).exec(path);
  if (bitbucket) return hosted(`https://bitbucket.org/${bitbucket[1]}/${bitbucket[2]!.replace(/\.git$/, '')}`);
  // GitLab allows nested groups; a `.git` element marks the root (as for any host), else assume group/project.
  const gitlabGit = new RegExp(`^(gitlab\\.com(?:/${ELEMENT})+?)\\.git(?:/|$)`).exec(path);
  if (gitlabGit) return hosted(`https://${gitlabGit[1]}`);
  const gitlab = new RegExp(`^gitlab\\.com/(${ELEMENT})/(${ELEMENT})`).exec(path);
  if (gitlab) return hosted(`https://gitlab.com/${gitlab[1]}/${gitlab[2]}`);
  const gopkg = gopkgIn(path);
  if (gopkg) return hosted(gopkg);
  for (const vanity of VANITY) {
    const match = vanity.prefix.exec(path);
    if (!match) continue;
    const [repository, mirror] = vanity.target(match);
    const fromMirror = mirror ? normalizeRepositoryUrl(mirror) : null;
    return { repository, issues: vanity.issues ?? fromMirror?.issues ?? normalizeRepositoryUrl(repository)?.issues ?? null, mirror };
  }
  // cmd/go/internal/vcs: a path element ending in .git/.hg/.svn/.bzr/.fossil names the repository on any host.
  const vcs = new RegExp(`^((?:[a-z0-9-]+\\.)+[a-z0-9-]+(?:/~?${ELEMENT})+?)\\.(?:git|hg|svn|bzr|fossil)(?:/|$)`).exec(path);
  if (vcs) return hosted(`https://${vcs[1]}`);
  return NONE;
}

/** `Origin.URL` of a proxy `.info` answer (https only), without `.git`. */
export function originRepository(url: string | null | undefined): string | null {
  const https = normalizeHttpUrl(url);
  if (!https || !https.startsWith('https://')) return null;
  return https.replace(/\/+$/, '').replace(/\.git$/, '');
}

/** Is `repository` (https URL) the module path itself or one of its leading path elements, on the same host? */
function isPathPrefix(repository: string, path: string): boolean {
  const bare = repository.replace(/^https:\/\//, '');
  return path === bare || path.startsWith(`${bare}/`);
}

/**
 * Static inference first (stable across versions); the proxy's Origin where the path says nothing, and also
 * where the Origin names a longer prefix of the path than the inference: GitLab nests groups, so
 * `gitlab.com/group/sub/project` is not `gitlab.com/group/sub` (Origin `https://gitlab.com/group/sub/project.git`).
 */
export function moduleLinks(path: string, originUrl: string | null): ModuleLinks {
  const inferred = inferRepository(path);
  const origin = originRepository(originUrl);
  if (origin && isPathPrefix(origin, path) && (!inferred.repository || (isPathPrefix(inferred.repository, path) && origin.length > inferred.repository.length))) {
    return hosted(origin);
  }
  if (inferred.repository) return inferred;
  return origin ? hosted(origin) : NONE;
}
