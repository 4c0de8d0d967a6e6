/*
 * A one-paragraph description from a README (Go modules have no description field; pkg.go.dev shows the
 * README). The first paragraph of prose wins: headings, badges, images, HTML-only blocks, code, tables,
 * lists, rules and link-reference definitions are skipped; inline Markdown is reduced to plain text.
 */

/** Longer paragraphs are cut at a word boundary. */
export const MAX_DESCRIPTION_LENGTH = 500;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+[0-9]*);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16) || 32);
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10) || 32);
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Inline Markdown / HTML -> text: images dropped, links keep their text, emphasis and code marks removed. */
export function markdownInlineToText(line: string): string {
  return decodeEntities(
    line
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '') // images
      .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '') // reference images
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1') // reference links
      .replace(/<(https?:\/\/[^>\s]+)>/g, '$1') // autolinks
      .replace(/<[^>]+>/g, '') // HTML tags
      .replace(/`+([^`]*)`+/g, '$1')
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(^|[^\w*])([*_])(?=\S)([^*_]*?\S)\2(?=[^\w*]|$)/g, '$1$3')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!>|])/g, '$1'),
  );
}

function isSkippedBlock(lines: string[]): boolean {
  const first = lines[0]!.trim();
  if (/^#{1,6}(\s|$)/.test(first)) return true; // ATX heading
  if (/^(```|~~~)/.test(first) || /^( {4}|\t)/.test(lines[0]!)) return true; // code
  if (/^\|/.test(first) || /^[-*_]{3,}\s*$/.test(first)) return true; // table, rule
  if (/^([-*+]|\d+[.)])\s/.test(first)) return true; // list
  if (/^\[[^\]]+\]:\s*\S/.test(first)) return true; // link reference definitions
  if (/^(\.\. |:[a-z-]+:)/.test(first)) return true; // reStructuredText directives and fields
  if (/^<!--/.test(first)) return true;
  return false;
}

const UNDERLINE = /^([=\-~^"'`#*+])\1{2,}\s*$/;

/** Drops setext headings (`Title` over `===`) and reStructuredText titles (optional overline, title, underline). */
function withoutUnderlinedTitles(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (UNDERLINE.test(line)) continue;
    if (i + 1 < lines.length && UNDERLINE.test(lines[i + 1]!.trim()) && !/^[-*+]\s/.test(line)) {
      i++;
      continue;
    }
    out.push(lines[i]!);
  }
  return out;
}

function cut(text: string): string {
  if (text.length <= MAX_DESCRIPTION_LENGTH) return text;
  const slice = text.slice(0, MAX_DESCRIPTION_LENGTH);
  const space = slice.lastIndexOf(' ');
  return `${(space > MAX_DESCRIPTION_LENGTH / 2 ? slice.slice(0, space) : slice).replace(/[\s,;:]+$/, '')}…`;
}

/** The README's first paragraph of prose as plain text, or null when there is none. */
export function readmeDescription(readme: string): string | null {
  const text = readme
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/<!--[\s\S]*?-->/g, '')
    // Fenced code blocks can contain blank lines: drop them whole before splitting into blocks.
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const blocks = text
    .split(/\n\s*\n/)
    .map((block) => withoutUnderlinedTitles(block.split('\n').filter((line) => line.trim() !== '')))
    .filter((lines) => lines.length > 0);
  for (const lines of blocks) {
    if (isSkippedBlock(lines)) continue;
    const plain = lines
      .map((line) => markdownInlineToText(line.replace(/^\s*>\s?/, '')).trim())
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    // Badge rows and logo blocks leave nothing (or only separators) once images and tags are gone.
    if (!/[\p{L}\p{N}]{2,}/u.test(plain)) continue;
    return cut(plain);
  }
  return null;
}
