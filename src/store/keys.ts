import type { EcosystemId } from '../ecosystems/ids.js';

/**
 * One key segment from any name or version: lower-case letters, digits and `-._~` stay; upper-case
 * letters become `!` + lower-case (as the Go module proxy does, so case-insensitive stores keep
 * `Foo` and `foo` apart); everything else, and a leading `.` or `_`, is percent-encoded. So `/`
 * never survives, `..` cannot occur, and names starting with `_` never clash with reserved keys.
 */
export function encodeKeySegment(value: string): string {
  if (value.length === 0) throw new Error('empty key segment');
  let out = '';
  const bytes = Buffer.from(value, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const char = String.fromCharCode(byte);
    const leading = i === 0 && (char === '.' || char === '_');
    if (!leading && /[a-z0-9\-._~]/.test(char)) out += char;
    else if (/[A-Z]/.test(char)) out += `!${char.toLowerCase()}`;
    else out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** `{ecosystem}/{name}/{version}.json`: one version's raw upstream data (extended). */
export function versionBlobKey(ecosystem: EcosystemId, name: string, version: string): string {
  return `${ecosystem}/${encodeKeySegment(name)}/${encodeKeySegment(version)}.json`;
}

/** `{ecosystem}/{name}/_package.json`: the package-level rest of the raw upstream document. */
export function packageBlobKey(ecosystem: EcosystemId, name: string): string {
  return `${ecosystem}/${encodeKeySegment(name)}/_package.json`;
}

const SAFE_KEY = /^(?:[A-Za-z0-9\-._~!%]+\/)*[A-Za-z0-9\-._~!%]+$/;

/** Guards every blob store entry point: a key is relative, has no empty, `.` or `..` segment. */
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
  }
}

/** `sourceFiles/{ecosystem}/{name}/{version}.{ext}`: one version's source archive. */
export function sourceBlobKey(ecosystem: EcosystemId, name: string, version: string, extension: string): string {
  if (!/^[a-z0-9]+(\.[a-z0-9]+)?$/.test(extension)) throw new Error(`unsafe archive extension: ${JSON.stringify(extension)}`);
  return `sourceFiles/${ecosystem}/${encodeKeySegment(name)}/${encodeKeySegment(version)}.${extension}`;
}
