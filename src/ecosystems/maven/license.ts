import spdxLicenseList from 'spdx-license-list';
import { normalizeLicense, toSpdxExpression } from '../common/license.js';
import type { LicenseInfo } from '../types.js';
import type { PomLicense } from './pom.js';

/*
 * POM licenses are free-text names plus a URL. The shared normalizer (spdx-correct) guesses well for common
 * names but badly for some Maven staples ("Eclipse Public License v2.0" -> EPL-1.0, "GPL2 w/ CPE" ->
 * GPL-3.0-or-later), so a POM license is read in this order: a table of names seen on Maven Central, a
 * table of canonical license URLs, then the shared normalizer, whose guess is dropped when its version
 * contradicts the version written in the name or it names a license the name does not mention.
 */

const KNOWN_NAMES: Record<string, string> = {
  'eclipse public license v2.0': 'EPL-2.0',
  'eclipse public license - v 2.0': 'EPL-2.0',
  'eclipse public license 2.0': 'EPL-2.0',
  'eclipse public license v. 2.0': 'EPL-2.0',
  'eclipse public license - v 1.0': 'EPL-1.0',
  'eclipse public license v1.0': 'EPL-1.0',
  'eclipse distribution license - v 1.0': 'BSD-3-Clause',
  'eclipse distribution license v. 1.0': 'BSD-3-Clause',
  'edl 1.0': 'BSD-3-Clause',
  'cddl + gplv2 with classpath exception': 'CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0',
  'cddl/gplv2+ce': 'CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0',
  'gpl2 w/ cpe': 'GPL-2.0-only WITH Classpath-exception-2.0',
  'gplv2+ce': 'GPL-2.0-only WITH Classpath-exception-2.0',
  'gnu general public license, version 2 with the classpath exception': 'GPL-2.0-only WITH Classpath-exception-2.0',
  'the gnu general public license (gpl), version 2, with the classpath exception': 'GPL-2.0-only WITH Classpath-exception-2.0',
  apl2: 'Apache-2.0',
  'apl 2.0': 'Apache-2.0',
  'asl, version 2': 'Apache-2.0',
  'asl 2.0': 'Apache-2.0',
  'asf 2.0': 'Apache-2.0',
  'bouncy castle licence': 'MIT',
  'isc license': 'ISC',
  'go license': 'BSD-3-Clause',
};

/** Spelling variants of the versioned licenses spdx-correct gets wrong. */
const KNOWN_NAME_PATTERNS: Array<[RegExp, string]> = [
  [/^(the )?eclipse public license\W+(v(ersion)?\.?\s*)?2(\.0)?$/i, 'EPL-2.0'],
  [/^(the )?eclipse public license\W+(v(ersion)?\.?\s*)?1(\.0)?$/i, 'EPL-1.0'],
  [/^(the )?gnu general public license,?\W+(v(ersion)?\.?\s*)?2(\.0)?$/i, 'GPL-2.0-only'],
];

/** Canonical license URLs (scheme, `www.` and trailing slash removed, lower-case). */
const KNOWN_URLS: Array<[RegExp, string]> = [
  [/^(apache\.org\/licenses\/license-2\.0|opensource\.org\/licenses\/apache-2\.0)(\.txt|\.html|\.php)?$/, 'Apache-2.0'],
  [/^opensource\.org\/licenses\/mit(-license)?(\.php|\.html)?$/, 'MIT'],
  [/^opensource\.org\/licenses\/bsd-3-clause(\.php|\.html)?$/, 'BSD-3-Clause'],
  [/^opensource\.org\/licenses\/bsd-2-clause(\.php|\.html)?$/, 'BSD-2-Clause'],
  [/^(eclipse\.org\/legal\/epl-v20\.html|eclipse\.org\/legal\/epl-2\.0)$/, 'EPL-2.0'],
  [/^eclipse\.org\/legal\/epl-v10\.html$/, 'EPL-1.0'],
  [/^eclipse\.org\/org\/documents\/edl-v10\.(php|html)$/, 'BSD-3-Clause'],
  [/^(mozilla\.org\/mpl\/2\.0|opensource\.org\/licenses\/mpl-2\.0)(\/index\.txt|\.html)?$/, 'MPL-2.0'],
  [/^creativecommons\.org\/publicdomain\/zero\/1\.0(\/legalcode)?$/, 'CC0-1.0'],
];

function urlKey(url: string): string {
  return url.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/+$/, '');
}

/** Each dotted number without trailing zero parts: `Version 2.0` -> 2, `GPL-3.0-or-later` -> 3, `CDDL-1.1` -> 1.1. */
function versionNumbers(text: string): Set<string> {
  return new Set([...text.matchAll(/\d+(?:\.\d+)*/g)].map((match) => match[0].split('.').map(Number).join('.').replace(/(\.0)+$/, '')));
}

const UNSPECIFIC_WORDS = new Set(['license', 'licence', 'licenses', 'the', 'version', 'public', 'general', 'and', 'with', 'for', 'software', 'open', 'source', 'only', 'later', 'clause', 'free', 'foundation', 'agreement', 'terms']);

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length >= 3 && !UNSPECIFIC_WORDS.has(word) && !/^\d/.test(word));
}

/** The guessed license shares its id's family (`mpl`, `gpl` ...) or a distinctive word of its SPDX name with the declared name. */
function resembles(name: string, spdx: string): boolean {
  const declared = name.toLowerCase();
  // At a word start: `GPLv2` mentions gpl, `Example` does not mention mpl.
  const mentions = (word: string) => new RegExp(`(^|[^a-z])${word.replace(/[^a-z0-9]/g, '')}`).test(declared);
  const ids = spdx.split(/\s+(?:AND|OR|WITH)\s+|[()]/).map((id) => id.trim()).filter(Boolean);
  return ids.every((id) => {
    const family = id.toLowerCase().split('-')[0]!;
    if (family.length >= 2 && mentions(family)) return true;
    const fullName = spdxLicenseList[id]?.name;
    return fullName !== undefined && words(fullName).some(mentions);
  });
}

/**
 * The shared guess, unless the name says version N and the guess another one, or the guess names a license
 * the declared name does not mention at all (spdx-correct turns "Proprietary Example License" into MPL-2.0).
 */
function guessed(name: string): string | null {
  const spdx = toSpdxExpression(name);
  if (!spdx) return null;
  const declared = versionNumbers(name);
  const chosen = versionNumbers(spdx);
  if (declared.size > 0 && chosen.size > 0 && ![...chosen].some((version) => declared.has(version))) return null;
  return resembles(name, spdx) ? spdx : null;
}

export function spdxOfPomLicense(license: PomLicense): string | null {
  const name = license.name?.replace(/\s+/g, ' ').trim();
  if (name) {
    const known = KNOWN_NAMES[name.toLowerCase()] ?? KNOWN_NAME_PATTERNS.find(([pattern]) => pattern.test(name))?.[1];
    if (known) return known;
  }
  if (license.url) {
    const key = urlKey(license.url);
    for (const [pattern, id] of KNOWN_URLS) if (pattern.test(key)) return id;
  }
  return name ? guessed(name) : null;
}

function isCompound(expression: string): boolean {
  return /\s(AND|OR)\s/.test(expression);
}

/**
 * A POM's license list. Maven's model says a project listing several licenses lets the user choose any of
 * them ("If multiple licenses are listed, it is assumed that the user can select any of them, not that they
 * must accept all"), so several licenses join with OR; the expression is null when any member maps to none.
 */
export function pomLicenseInfo(licenses: readonly PomLicense[], source: string): LicenseInfo | null {
  const entries = licenses.filter((license) => license.name || license.url);
  if (entries.length === 0) return null;
  const names = entries.map((license) => license.name ?? license.url!);
  const base = normalizeLicense(names, source);
  if (!base) return null;
  const ids = entries.map(spdxOfPomLicense);
  let spdx: string | null = null;
  if (ids.every((id): id is string => id !== null)) {
    const unique = [...new Set(ids)];
    spdx = unique.length === 1 ? unique[0]! : unique.map((id) => (isCompound(id) ? `(${id})` : id)).join(' OR ');
  }
  return { ...base, spdx };
}
