import { normalizeHttpUrl, normalizeRepositoryUrl, type RepositoryLinks } from '../common/repository.js';
import type { Links } from '../types.js';
import { isUnknown } from './license.js';

/**
 * Project-URL labels are compared after PyPI's own normalization (PEP 753, "Well-known Project URLs in
 * Metadata"): ASCII punctuation and whitespace removed, lower-cased, so `Bug Tracker`, `bug-tracker` and
 * `BugTracker` are one label. The aliases are PEP 753's list plus a few labels common on PyPI
 * (`Code`, `Repo`, `Bug Reports`).
 */
export function normalizeLabel(label: string): string {
  return label.replace(/[\s!-/:-@[-`{-~]/g, '').toLowerCase();
}

type LinkKind = keyof Links | 'releasenotes';

const LABELS: Record<string, LinkKind> = {
  homepage: 'homepage',
  source: 'repository',
  repository: 'repository',
  sourcecode: 'repository',
  github: 'repository',
  gitlab: 'repository',
  code: 'repository',
  repo: 'repository',
  documentation: 'documentation',
  docs: 'documentation',
  changelog: 'changelog',
  changes: 'changelog',
  whatsnew: 'changelog',
  history: 'changelog',
  releasenotes: 'releasenotes',
  issues: 'issues',
  issue: 'issues',
  bugs: 'issues',
  tracker: 'issues',
  issuetracker: 'issues',
  bugtracker: 'issues',
  bugreports: 'issues',
};

/** Hosts whose home pages are repositories (used when no Source/Repository URL is given). */
const REPOSITORY_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org']);

export interface LinkFields {
  project_urls?: Record<string, unknown> | undefined;
  home_page?: string | undefined;
  docs_url?: string | undefined;
  bugtrack_url?: string | undefined;
}

function url(value: unknown): string | null {
  return typeof value === 'string' && !isUnknown(value) ? normalizeHttpUrl(value) : null;
}

function isRepositoryHost(value: string): boolean {
  try {
    return REPOSITORY_HOSTS.has(new URL(value).hostname.toLowerCase().replace(/^www\./, ''));
  } catch {
    return false;
  }
}

/** `project_urls` by well-known label (the first URL of each kind wins), then the legacy single-URL fields. */
export function pypiLinks(info: LinkFields): Links {
  const found: Partial<Record<LinkKind, string>> = {};
  let declaredRepository: RepositoryLinks | null = null;
  for (const [label, value] of Object.entries(info.project_urls ?? {})) {
    const kind = LABELS[normalizeLabel(label)];
    if (!kind || typeof value !== 'string') continue;
    if (kind === 'repository') {
      // Source URLs are also written as git URLs (`git+https://...`, `git@host:o/r.git`).
      declaredRepository ??= normalizeRepositoryUrl(value.trim());
      continue;
    }
    const href = url(value);
    if (href && found[kind] === undefined) found[kind] = href;
  }
  const homepage = found.homepage ?? url(info.home_page);
  const repository = declaredRepository ?? (homepage && isRepositoryHost(homepage) ? normalizeRepositoryUrl(homepage) : null);
  return {
    repository: repository?.url ?? null,
    homepage,
    documentation: found.documentation ?? url(info.docs_url),
    changelog: found.changelog ?? found.releasenotes ?? null,
    issues: found.issues ?? url(info.bugtrack_url) ?? repository?.issues ?? null,
  };
}

/** Core metadata `Keywords`: comma-separated (Metadata 2.x), space-separated in older metadata; deduplicated. */
export function pypiKeywords(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : value.includes(',') ? value.split(',') : value.split(/\s+/);
  const out: string[] = [];
  for (const entry of list) {
    const keyword = entry.trim();
    if (keyword && !isUnknown(keyword) && !out.includes(keyword)) out.push(keyword);
  }
  return out;
}
