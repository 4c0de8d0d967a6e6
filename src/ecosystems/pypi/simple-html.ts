/*
 * PEP 503 (HTML) simple API pages, converted to the PEP 691 JSON shape. PyPI answers JSON when asked, but
 * mirrors and self-hosted indexes (Nexus, Gitea/Forgejo, older devpi and Artifactory, static bandersnatch
 * mirrors) often serve only HTML. One anchor per file:
 *   <a href="URL#sha256=HEX" data-requires-python="&gt;=3.8" data-yanked="reason"
 *      data-core-metadata="sha256=HEX">file-1.0.tar.gz</a>
 * PEP 503 pages are machine-written and regular; a tolerant regex reading is what pip did for years.
 */

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** Attributes of one start tag; valueless attributes (`data-yanked`) map to ''. */
function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const match of tag.matchAll(pattern)) {
    const name = match[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return out;
}

const KNOWN_HASHES = /^(?:md5|sha1|sha224|sha256|sha384|sha512|blake2b_256)$/i;

/**
 * `sha256=HEX` (a URL fragment or a `data-core-metadata` value) -> `{sha256: HEX}`. Fragments may carry other
 * `&`-joined parameters (`#egg=x&sha256=HEX`, as pip reads them), and Gitea writes `#sha256-HEX`.
 */
function hashFrom(value: string | undefined): Record<string, string> | null {
  for (const part of (value ?? '').trim().split('&')) {
    const match = /^([a-z0-9_]+)([=-])([0-9a-f]+)$/i.exec(part.trim());
    // `-` is Gitea's spelling, taken for a known algorithm only.
    if (match && (match[2] === '=' || KNOWN_HASHES.test(match[1]!))) return { [match[1]!.toLowerCase()]: match[3]!.toLowerCase() };
  }
  return null;
}

function metadataAvailability(value: string | undefined): boolean | Record<string, string> | undefined {
  if (value === undefined) return undefined;
  return hashFrom(value) ?? (value.trim().toLowerCase() !== 'false');
}

export interface ConvertedSimplePage {
  meta: { 'api-version': string };
  name: string;
  files: Array<Record<string, unknown>>;
  'project-status'?: { status: string; reason?: string };
}

/** Converts a PEP 503 project page; `pageUrl` resolves relative links. Returns null when it is not such a page. */
export function parseSimpleHtml(html: string, pageUrl: string, project: string): ConvertedSimplePage | null {
  if (!/<a[\s>]/i.test(html) && !/<(?:html|body|meta)[\s>]/i.test(html)) return null;
  let apiVersion = '1.0';
  let status: ConvertedSimplePage['project-status'];
  for (const match of html.matchAll(/<meta\s((?:[^>"']|"[^"]*"|'[^']*')*)>/gi)) {
    const attrs = attributes(match[1]!);
    const name = attrs.get('name');
    const content = attrs.get('content');
    if (name === 'pypi:repository-version' && content) apiVersion = content;
    if (name === 'pypi:project-status' && content) status = { ...status, status: content };
    if (name === 'pypi:project-status-reason' && content && status) status.reason = content;
  }
  const files: Array<Record<string, unknown>> = [];
  // Quoted attribute values may hold a raw `>` (`data-requires-python=">=3.8"`, legal HTML some indexes send).
  for (const match of html.matchAll(/<a\s((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/a\s*>/gi)) {
    const attrs = attributes(match[1]!);
    const href = attrs.get('href');
    if (!href) continue;
    let url: URL;
    try {
      url = new URL(href, pageUrl);
    } catch {
      continue;
    }
    const fragment = url.hash.slice(1);
    url.hash = '';
    const text = decodeHtmlEntities(match[2]!.replace(/<[^>]*>/g, '')).trim();
    const filename = text || decodeURIComponent(url.pathname.split('/').pop() ?? '');
    if (!filename) continue;
    const yanked = attrs.get('data-yanked');
    const file: Record<string, unknown> = {
      filename,
      url: url.toString(),
      hashes: hashFrom(fragment) ?? {},
      yanked: yanked === undefined ? false : yanked.trim() || true,
    };
    const requiresPython = attrs.get('data-requires-python');
    if (requiresPython) file['requires-python'] = requiresPython;
    const coreMetadata = metadataAvailability(attrs.get('data-core-metadata') ?? attrs.get('data-dist-info-metadata'));
    if (coreMetadata !== undefined) file['core-metadata'] = coreMetadata;
    files.push(file);
  }
  return { meta: { 'api-version': apiVersion }, name: project, files, ...(status ? { 'project-status': status } : {}) };
}
