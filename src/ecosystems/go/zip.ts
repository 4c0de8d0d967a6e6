import { createHash } from 'node:crypto';
import { unzipSync, type UnzipFileInfo } from 'fflate';
import type { ZipSummary } from './schema.js';

/*
 * Reads a module zip (https://go.dev/ref/mod#zip-files): every file sits under `{module}@{version}/`.
 * Only the root's license files and README are inflated (fflate reads the central directory and skips the
 * rest), unless the zip is small enough to hash whole for go.sum's `h1:` value.
 */

/**
 * pkg.go.dev's license file names (golang/pkgsite internal/licenses), generalized to any suffix:
 * LICENSE, LICENCE, COPYING, UNLICENSE, MIT-LICENSE (`.md`, `-MIT`, `-APACHE-2.0.txt`...), plus AL2.0 and LGPL2.1.
 */
export const LICENSE_FILE = /^(?:(?:(?:UN)?LICEN[CS]E|COPYING|MIT[-_]LICEN[CS]E)(?:[-._][A-Za-z0-9.-]+)?|AL2\.0|LGPL2\.1)$/i;
/** Documentation licenses (LICENSE.docs) are not the code's license. */
const DOCS_LICENSE = /\.docs$/i;
export const README_FILE = /^README(?:\.(?:md|markdown|mdown|mkdn|txt|rst|adoc|asciidoc|org))?$/i;

/** Stored text per file; the README only needs its start. */
const MAX_LICENSE_CHARS = 128 * 1024;
const MAX_README_CHARS = 32 * 1024;
const MAX_LICENSE_FILES = 8;
/** Files bigger than this are not read at all (a 10 MB "LICENSE" is not a license). */
const MAX_TEXT_FILE_BYTES = 1024 * 1024;
/** Zips up to this unpacked size are inflated whole to compute `h1:`; bigger ones skip it. */
export const H1_MAX_UNPACKED_BYTES = 32 * 1024 * 1024;

export class ZipError extends Error {}

function decode(bytes: Uint8Array): string {
  // UTF-16 license files exist (Windows editors); everything else is read as UTF-8.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

function textFile(name: string, bytes: Uint8Array, limit: number): { name: string; text: string; truncated?: boolean } {
  const text = decode(bytes);
  return text.length > limit ? { name, text: text.slice(0, limit), truncated: true } : { name, text };
}

/** README.md before README before README.txt/.rst/...: the form pkg.go.dev would render. */
function readmeRank(name: string): number {
  const ext = name.includes('.') ? name.slice(name.indexOf('.') + 1).toLowerCase() : '';
  const order = ['md', 'markdown', '', 'mdown', 'mkdn', 'txt', 'rst', 'adoc', 'asciidoc', 'org'];
  const rank = order.indexOf(ext);
  return rank < 0 ? order.length : rank;
}

function unzip(body: Uint8Array, filter: (file: UnzipFileInfo) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(body, { filter });
  } catch (error) {
    throw new ZipError(`not a readable zip archive (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** dirhash.Hash1 over the zip's files: sha256 of the sorted "sha256hex  name\n" lines (go.sum's `h1:`), as hex. */
export function hash1(files: Record<string, Uint8Array>): string {
  const summary = Object.keys(files)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${createHash('sha256').update(files[name]!).digest('hex')}  ${name}\n`)
    .join('');
  return createHash('sha256').update(summary).digest('hex');
}

/** Summary of a module zip for `path@version`; throws ZipError when it is not one. */
export function summarizeModuleZip(path: string, version: string, body: Buffer): ZipSummary {
  const data = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const prefix = `${path}@${version}/`;
  let fileCount = 0;
  let unpackedSize = 0;
  let outside = 0;
  let unsupported = false;
  const wanted = new Set<string>();
  // First pass: the central directory only (the filter declines every entry).
  unzip(data, (file) => {
    if (file.name.endsWith('/')) return false;
    fileCount++;
    unpackedSize += file.originalSize;
    if (file.compression !== 0 && file.compression !== 8) unsupported = true;
    if (!file.name.startsWith(prefix)) {
      outside++;
      return false;
    }
    const relative = file.name.slice(prefix.length);
    if (relative.includes('/') || file.originalSize > MAX_TEXT_FILE_BYTES || (file.compression !== 0 && file.compression !== 8)) return false;
    if ((LICENSE_FILE.test(relative) && !DOCS_LICENSE.test(relative)) || README_FILE.test(relative)) wanted.add(file.name);
    return false;
  });
  if (fileCount > 0 && outside > 0) throw new ZipError(`${outside} of ${fileCount} files are outside ${prefix} (not the module zip of ${path}@${version})`);

  const whole = !unsupported && unpackedSize <= H1_MAX_UNPACKED_BYTES;
  const files = unzip(data, (file) => !file.name.endsWith('/') && (whole || wanted.has(file.name)));
  const texts = [...wanted].sort().map((name) => ({ relative: name.slice(prefix.length), bytes: files[name] ?? new Uint8Array() }));
  const licenseFiles = texts
    .filter((file) => LICENSE_FILE.test(file.relative))
    .slice(0, MAX_LICENSE_FILES)
    .map((file) => textFile(file.relative, file.bytes, MAX_LICENSE_CHARS));
  const readmes = texts.filter((file) => README_FILE.test(file.relative)).sort((a, b) => readmeRank(a.relative) - readmeRank(b.relative));
  const readme = readmes[0] ? textFile(readmes[0].relative, readmes[0].bytes, MAX_README_CHARS) : null;
  return {
    sha256: createHash('sha256').update(data).digest('hex'),
    h1: whole ? hash1(files) : null,
    size: data.byteLength,
    unpackedSize,
    fileCount,
    licenseFiles,
    readme,
  };
}
