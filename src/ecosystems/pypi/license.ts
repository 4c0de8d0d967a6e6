import { isValidSpdxExpression, normalizeLicense } from '../common/license.js';
import type { LicenseInfo } from '../types.js';

/**
 * Trove `License ::` classifiers (https://pypi.org/classifiers/) that name one SPDX license. Classifiers that
 * do not say which version or variant (`BSD License`, `GNU General Public License (GPL)`, `Artistic License`,
 * `Academic Free License (AFL)`, `Zope Public License` ...) are deliberately absent: they map to no SPDX id rather than a guess.
 * `Apache Software License` is read as Apache-2.0, as every license scanner does (1.x is extinct on PyPI).
 */
const CLASSIFIER_SPDX: Record<string, string> = {
  'OSI Approved :: MIT License': 'MIT',
  'OSI Approved :: MIT No Attribution License (MIT-0)': 'MIT-0',
  'OSI Approved :: Apache Software License': 'Apache-2.0',
  'OSI Approved :: ISC License (ISCL)': 'ISC',
  'OSI Approved :: Mozilla Public License 1.0 (MPL)': 'MPL-1.0',
  'OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)': 'MPL-1.1',
  'OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'OSI Approved :: GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'OSI Approved :: GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'OSI Approved :: GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'OSI Approved :: GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'OSI Approved :: GNU Affero General Public License v3': 'AGPL-3.0-only',
  'OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'OSI Approved :: Python Software Foundation License': 'PSF-2.0',
  'OSI Approved :: Python License (CNRI Python License)': 'CNRI-Python',
  'OSI Approved :: The Unlicense (Unlicense)': 'Unlicense',
  'OSI Approved :: Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'OSI Approved :: Eclipse Public License 1.0 (EPL-1.0)': 'EPL-1.0',
  'OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'OSI Approved :: European Union Public Licence 1.0 (EUPL 1.0)': 'EUPL-1.0',
  'OSI Approved :: European Union Public Licence 1.1 (EUPL 1.1)': 'EUPL-1.1',
  'OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)': 'EUPL-1.2',
  'OSI Approved :: Common Development and Distribution License 1.0 (CDDL-1.0)': 'CDDL-1.0',
  'OSI Approved :: Common Public License': 'CPL-1.0',
  'OSI Approved :: Universal Permissive License (UPL)': 'UPL-1.0',
  'OSI Approved :: zlib/libpng License': 'Zlib',
  'OSI Approved :: W3C License': 'W3C',
  'OSI Approved :: Historical Permission Notice and Disclaimer (HPND)': 'HPND',
  'OSI Approved :: Open Software License 3.0 (OSL-3.0)': 'OSL-3.0',
  'OSI Approved :: PostgreSQL License': 'PostgreSQL',
  'OSI Approved :: Blue Oak Model License (BlueOak-1.0.0)': 'BlueOak-1.0.0',
  'OSI Approved :: University of Illinois/NCSA Open Source License': 'NCSA',
  'OSI Approved :: Sun Industry Standards Source License (SISSL)': 'SISSL',
  'OSI Approved :: Attribution Assurance License': 'AAL',
  'OSI Approved :: MirOS License (MirOS)': 'MirOS',
  'OSI Approved :: Sleepycat License': 'Sleepycat',
  'OSI Approved :: Mulan Permissive Software License v2 (MulanPSL-2.0)': 'MulanPSL-2.0',
  'OSI Approved :: SIL Open Font License 1.1 (OFL-1.1)': 'OFL-1.1',
  'CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0',
  'CeCILL-2.1 Free Software License Agreement (CECILL-2.1)': 'CECILL-2.1',
  'CeCILL-B Free Software License Agreement (CECILL-B)': 'CECILL-B',
  'CeCILL-C Free Software License Agreement (CECILL-C)': 'CECILL-C',
  'Aladdin Free Public License (AFPL)': 'Aladdin',
  'Nokia Open Source License (NOKOS)': 'Nokia',
};

const CLASSIFIER_PREFIX = /^License\s*::\s*/;

/** Longest `name` kept for a free-text `license` field (whole license texts get pasted there). */
export const MAX_LICENSE_NAME = 120;

/** The SPDX id of one `License ::` classifier, or null (ambiguous, non-SPDX, or not a license classifier). */
export function classifierToSpdx(classifier: string): string | null {
  const key = classifier.replace(CLASSIFIER_PREFIX, '').replace(/\s*::\s*/g, ' :: ').trim();
  const mapped = CLASSIFIER_SPDX[key];
  if (mapped) return mapped;
  // Newer classifiers end in the SPDX id itself, e.g. `(BSL-1.0)`; only an exact, valid single id counts.
  const id = /\(([A-Za-z0-9.+-]+)\)$/.exec(key)?.[1];
  return id && /^[A-Za-z0-9.-]+\+?$/.test(id) && isValidSpdxExpression(id) ? id : null;
}

/** setuptools wrote `UNKNOWN` for every missing metadata field (Metadata 1.x). */
export function isUnknown(value: string): boolean {
  return /^unknown$/i.test(value.trim());
}

/** A whole license text as a short name: its first line, cut at a word boundary. */
function shortName(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const first = lines[0] ?? '';
  if (first.length <= MAX_LICENSE_NAME) return lines.length > 1 ? `${first}…` : first;
  const cut = first.slice(0, MAX_LICENSE_NAME);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_LICENSE_NAME / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The free-text `License` field: an SPDX id or known name is mapped, anything longer is kept as a short raw name. */
function freeTextLicense(value: string, source: string): LicenseInfo | null {
  const text = value.trim();
  if (!text || isUnknown(text)) return null;
  const singleLine = !/[\r\n]/.test(text);
  if (singleLine && text.length <= MAX_LICENSE_NAME) return normalizeLicense(text, source);
  // A pasted license text: only its title line may name a license ("MIT License", "BSD 3-Clause License").
  const title = text.split(/\r?\n/).map((line) => line.trim()).find(Boolean) ?? '';
  const titled = title.length <= 60 ? normalizeLicense(title, source) : null;
  return { spdx: titled?.spdx ?? null, name: shortName(text), source };
}

export interface LicenseFields {
  license_expression?: string | undefined;
  classifiers?: string[] | undefined;
  license?: string | undefined;
}

/**
 * PEP 639 `License-Expression` first, then the `License ::` classifiers that map to SPDX (several are read as
 * a choice, joined with OR), then the free-text `License` field; ambiguous classifiers are the last resort.
 * `source` names the `info` field used.
 */
export function pypiLicense(info: LicenseFields): LicenseInfo | null {
  const expression = info.license_expression?.trim();
  if (expression && !isUnknown(expression)) {
    const normalized = normalizeLicense(expression, 'info.license_expression');
    if (normalized) return normalized;
  }
  const licenseClassifiers = (info.classifiers ?? []).filter((classifier) => CLASSIFIER_PREFIX.test(classifier));
  const names = licenseClassifiers.map((classifier) => classifier.replace(CLASSIFIER_PREFIX, '').split('::').at(-1)!.trim()).filter(Boolean);
  const ids = licenseClassifiers.map(classifierToSpdx);
  const mapped = [...new Set(ids.filter((id): id is string => id !== null))];
  if (mapped.length > 0) {
    // Ambiguous classifiers next to mapped ones (`OSI Approved :: BSD License` beside MIT) stay in `name` only.
    return { spdx: mapped.join(' OR '), name: [...new Set(names)].join(' OR '), source: 'info.classifiers' };
  }
  const free = info.license === undefined ? null : freeTextLicense(info.license, 'info.license');
  if (free) return free;
  // Only bare `OSI Approved` or `Other/Proprietary License`-style classifiers: keep what they say.
  const meaningful = [...new Set(names)].filter((name) => !/^OSI Approved$/i.test(name));
  return meaningful.length > 0 ? { spdx: null, name: meaningful.join(' OR '), source: 'info.classifiers' } : null;
}
