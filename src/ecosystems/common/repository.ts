import hostedGitInfo from 'hosted-git-info';

export interface RepositoryObject {
  type?: unknown;
  url?: unknown;
  directory?: unknown;
}

export interface RepositoryLinks {
  /** Browsable https URL (the subdirectory's tree URL when a monorepo `directory` is given). */
  url: string;
  /** Issue tracker guess for known hosts (GitHub, GitLab, Bitbucket), else null. */
  issues: string | null;
}

/** An absolute http(s) URL without credentials, or null (keeps `javascript:` and the like out of links). */
export function normalizeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
      return url.toString();
    }
    return trimmed;
  } catch {
    return null;
  }
}

/** `./packages/x/` -> `packages/x`; null when empty or when it tries to climb out of the repository. */
function cleanDirectory(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const segments = value.trim().replace(/\\/g, '/').split('/').filter((segment) => segment && segment !== '.');
  if (segments.length === 0 || segments.includes('..')) return null;
  return segments.join('/');
}

/** Best effort for hosts hosted-git-info does not know: a plain https URL of the repository. */
function genericUrl(raw: string): string | null {
  let value = raw.replace(/^git\+/i, '');
  // scp-like `git@host:path/repo.git`
  const scp = /^(?:[^@/\s]+@)?([a-z0-9.-]+\.[a-z]{2,}):(?!\/\/)(\S+)$/i.exec(value);
  if (scp) value = `https://${scp[1]}/${scp[2]!.replace(/^\/+/, '')}`;
  value = value.replace(/^(?:git|ssh):\/\//i, 'https://');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.username = '';
  url.password = '';
  url.hash = '';
  url.search = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\.git$/i, '');
  return url.toString().replace(/\/+$/, '');
}

/**
 * Turns npm's `repository` (string shorthand such as `user/repo`, `github:user/repo`, `gitlab:`, `bitbucket:`,
 * or a git URL in any protocol, or `{type, url, directory}`) into a browsable URL.
 */
export function normalizeRepositoryUrl(repo: string | RepositoryObject | null | undefined): RepositoryLinks | null {
  if (repo === null || repo === undefined) return null;
  const raw = typeof repo === 'string' ? repo : typeof repo.url === 'string' ? repo.url : null;
  const value = raw?.trim();
  if (!value) return null;
  const directory = typeof repo === 'string' ? null : cleanDirectory(repo.directory);
  // Every version of a package usually repeats the same repository: parse each distinct one once.
  const key = `${value}\0${directory ?? ''}`;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const result = parseRepository(value, directory);
  memo.set(key, result);
  return result;
}

const MEMO_LIMIT = 10_000;
const memo = new Map<string, RepositoryLinks | null>();

function parseRepository(value: string, directory: string | null): RepositoryLinks | null {
  const hosted = hostedGitInfo.fromUrl(value);
  if (hosted) {
    const base = hosted.browse();
    // A gist's "bugs" URL is the gist itself, not an issue tracker.
    const issues = hosted.type === 'gist' ? null : hosted.bugs() || null;
    if (directory) return { url: hosted.browse(directory), issues };
    // Already a browsable deep link (e.g. `https://github.com/o/r/tree/main/pkg`): hosted-git-info would cut the path.
    const asHttps = normalizeHttpUrl(value)?.replace(/^http:/i, 'https:').replace(/\/+$/, '');
    if (asHttps && asHttps.startsWith(`${base}/`)) return { url: asHttps, issues };
    return { url: base, issues };
  }
  const url = genericUrl(value);
  return url ? { url, issues: null } : null;
}
