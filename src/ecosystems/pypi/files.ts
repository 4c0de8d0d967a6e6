import type { Checksum } from '../types.js';
import { pep440Equal } from '../../versioning/pep440.js';
import { pep503Normalize } from './names.js';
import type { ReleaseFile, SimpleFile } from './schema.js';

/** One distribution file of a version, merged from the simple API and the JSON API. */
export interface PypiFile {
  filename: string;
  url: string;
  /** Lower-case hex digests by PyPI's names: `sha256`, `md5`, `blake2b_256` ... */
  hashes: Record<string, string>;
  size: number | null;
  /** ISO-8601. */
  uploadTime: string | null;
  requiresPython: string | null;
  /** PEP 592: false, or the reason ('' when none was given). */
  yanked: false | string;
  kind: 'sdist' | 'wheel' | 'other';
}

const DIGEST_HEX_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128, blake2b_256: 64 };

/** Source distribution archives (PEP 625 standardizes `.tar.gz`; older releases also used these). */
const SDIST_EXTENSIONS = ['.tar.gz', '.zip', '.tar.bz2', '.tar.xz', '.tgz', '.tbz', '.tar.z', '.tar'];
/** Everything PyPI ever accepted, longest first, to cut a file name down to `name-version[-tags]`. */
const ALL_EXTENSIONS = ['.tar.gz', '.tar.bz2', '.tar.xz', '.tar.z', '.tgz', '.tbz', '.tar', '.zip', '.whl', '.egg', '.exe', '.msi', '.rpm', '.dmg', '.deb'];
/** bdist_wininst / bdist_dumb platform suffixes glued to the version with a dot (`pkg-1.0.win32.exe`). */
const PLATFORM_SUFFIX = /\.(?:win32|win-amd64|win-arm64|linux-[a-z0-9_]+|macosx-[a-z0-9._-]+|cygwin-[a-z0-9._-]+|freebsd-[a-z0-9._-]+)(?:-py\d(?:\.\d+)?)?$/i;

function extensionOf(filename: string): string | null {
  const lower = filename.toLowerCase();
  return ALL_EXTENSIONS.find((ext) => lower.endsWith(ext)) ?? null;
}

/** By the JSON API's `packagetype` when known, else by the file name. */
export function fileKind(filename: string, packagetype?: string): PypiFile['kind'] {
  if (packagetype === 'sdist') return 'sdist';
  if (packagetype === 'bdist_wheel') return 'wheel';
  if (packagetype) return 'other';
  const lower = filename.toLowerCase();
  if (lower.endsWith('.whl')) return 'wheel';
  const ext = SDIST_EXTENSIONS.find((candidate) => lower.endsWith(candidate));
  // `pkg-1.0.linux-x86_64.tar.gz` is a bdist_dumb archive, not a source archive.
  return ext && !PLATFORM_SUFFIX.test(filename.slice(0, -ext.length)) ? 'sdist' : 'other';
}

/** Big projects list thousands of versions and ask for each of their files: one Set per list. */
const knownSets = new WeakMap<readonly string[], Set<string>>();

/** A known spelling of `candidate`: the same string, else one PEP 440-equal to it. */
function known(candidate: string, knownVersions: readonly string[]): string | null {
  let set = knownSets.get(knownVersions);
  if (!set) knownSets.set(knownVersions, (set = new Set(knownVersions)));
  if (set.has(candidate)) return candidate;
  return knownVersions.find((version) => pep440Equal(version, candidate)) ?? null;
}

/**
 * The version a distribution file belongs to, from its name alone (the simple API does not say). Wheels are
 * `{name}-{version}(-{build})?-{py}-{abi}-{platform}.whl` with `-` escaped in the parts; sdists and older
 * formats are `{name}-{version}[tags].{ext}` where the name may contain `-`, so the project name (compared
 * PEP 503-normalized) is cut off first. `knownVersions` (the simple API's `versions`, the JSON API's release
 * keys) resolve the remainder; without a match the remainder up to the first `-` is taken.
 */
export function versionFromFilename(filename: string, project: string, knownVersions: readonly string[] = []): string | null {
  const ext = extensionOf(filename);
  if (!ext) return null;
  const stem = filename.slice(0, -ext.length);
  if (ext === '.whl') {
    const parts = stem.split('-');
    if (parts.length !== 5 && parts.length !== 6) return null;
    return known(parts[1]!, knownVersions) ?? parts[1]!;
  }
  const canonical = pep503Normalize(project);
  let remainder: string | null = null;
  for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
    if (pep503Normalize(stem.slice(0, i)) === canonical) {
      remainder = stem.slice(i + 1);
      break;
    }
  }
  if (remainder === null) {
    // A name spelled differently from the project's (renamed projects): match a known version at the end.
    const tail = [...knownVersions].sort((a, b) => b.length - a.length).find((version) => stem.endsWith(`-${version}`));
    return tail ?? null;
  }
  if (!remainder) return null;
  const exact = known(remainder, knownVersions);
  if (exact) return exact;
  // `1.0-py2.7` (egg), `1.0.win32` (wininst): the longest known version followed by a tag.
  const prefixed = [...knownVersions]
    .filter((version) => remainder.startsWith(version) && /^[-.]/.test(remainder.slice(version.length)))
    .sort((a, b) => b.length - a.length)[0];
  if (prefixed) return prefixed;
  const bare = remainder.replace(PLATFORM_SUFFIX, '').split('-')[0]!;
  return bare ? (known(bare, knownVersions) ?? bare) : null;
}

function hexDigests(entries: Record<string, unknown> | undefined, into: Record<string, string>): void {
  for (const [name, value] of Object.entries(entries ?? {})) {
    const algorithm = name.toLowerCase();
    if (typeof value !== 'string') continue;
    const hex = value.trim().toLowerCase();
    const expected = DIGEST_HEX_LENGTH[algorithm];
    if (!/^[0-9a-f]+$/.test(hex) || (expected !== undefined && hex.length !== expected)) continue;
    into[algorithm] ??= hex;
  }
}

/** Normalizes to `YYYY-MM-DDTHH:mm:ss.sssZ`; `upload_time` has no zone (it is UTC). */
export function isoTime(value: string | undefined): string | null {
  if (!value) return null;
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function yankedOf(simple: SimpleFile | undefined, release: ReleaseFile | undefined): false | string {
  if (simple && simple.yanked !== undefined) {
    if (typeof simple.yanked === 'string') return simple.yanked.trim();
    if (!simple.yanked) return false;
    return release?.yanked_reason?.trim() ?? '';
  }
  if (release?.yanked) return release.yanked_reason?.trim() ?? '';
  return false;
}

/**
 * One version's files: the simple API's (the installers' view) merged by file name with the JSON API's
 * (which adds md5/blake2b digests and `packagetype`); a file listed by one API only is kept.
 */
export function mergeFiles(simpleFiles: readonly SimpleFile[], releaseFiles: readonly ReleaseFile[]): PypiFile[] {
  const releases = new Map(releaseFiles.map((file) => [file.filename, file]));
  const simples = new Map(simpleFiles.map((file) => [file.filename, file]));
  const names = [...new Set([...simples.keys(), ...releases.keys()])];
  return names.map((filename) => {
    const simple = simples.get(filename);
    const release = releases.get(filename);
    const hashes: Record<string, string> = {};
    hexDigests(simple?.hashes, hashes);
    hexDigests(release?.digests, hashes);
    hexDigests(release?.md5_digest ? { md5: release.md5_digest } : undefined, hashes);
    const size = simple?.size ?? release?.size;
    return {
      filename,
      url: (simple?.url ?? release?.url)!,
      hashes,
      size: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null,
      uploadTime: isoTime(simple?.['upload-time']) ?? isoTime(release?.upload_time_iso_8601) ?? isoTime(release?.upload_time),
      requiresPython: simple?.['requires-python']?.trim() || release?.requires_python?.trim() || null,
      yanked: yankedOf(simple, release),
      kind: fileKind(filename, release?.packagetype),
    };
  });
}

const SDIST_PREFERENCE = ['.tar.gz', '.zip', '.tar.bz2', '.tar.xz', '.tgz'];

/** The version's source archive: a non-yanked sdist first, `.tar.gz` (PEP 625) before older formats. */
export function pickSdist(files: readonly PypiFile[]): PypiFile | null {
  const rank = (file: PypiFile) => {
    const ext = SDIST_PREFERENCE.findIndex((candidate) => file.filename.toLowerCase().endsWith(candidate));
    return (file.yanked === false ? 0 : 100) + (ext < 0 ? SDIST_PREFERENCE.length : ext);
  };
  const sdists = files.filter((file) => file.kind === 'sdist').sort((a, b) => rank(a) - rank(b) || (a.filename < b.filename ? -1 : 1));
  return sdists[0] ?? null;
}

const CHECKSUM_ORDER = ['sha256', 'blake2b_256', 'md5'];

/** The file's digests, strongest first. */
export function checksumsOf(file: PypiFile | null): Checksum[] {
  if (!file) return [];
  const algorithms = Object.keys(file.hashes).sort((a, b) => {
    const ia = CHECKSUM_ORDER.indexOf(a);
    const ib = CHECKSUM_ORDER.indexOf(b);
    return (ia < 0 ? CHECKSUM_ORDER.length : ia) - (ib < 0 ? CHECKSUM_ORDER.length : ib) || (a < b ? -1 : 1);
  });
  return algorithms.map((algorithm) => ({ algorithm, value: file.hashes[algorithm]! }));
}

/** Archive extension for the blob key (`tar.gz`, `zip`, `tar.bz2` ...), from a URL or file name. */
export function archiveExtension(urlOrName: string): string {
  let path = urlOrName;
  try {
    path = new URL(urlOrName).pathname;
  } catch {
    // a bare file name
  }
  const lower = path.toLowerCase();
  const ext = SDIST_EXTENSIONS.find((candidate) => lower.endsWith(candidate));
  return ext ? ext.slice(1) : 'bin';
}
