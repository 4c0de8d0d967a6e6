import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

/*
 * SPDX id of a license file's text. Go modules declare no license: the proxy's zip carries LICENSE/COPYING
 * files, and pkg.go.dev classifies them by text. Here: fast paths on the wording that identifies the common
 * licenses (titles and operative sentences, robust to copyright lines and reflowed text), then a word-bag
 * Dice coefficient against every SPDX license text (spdx-license-list/full) for the rest.
 */

/** Below this the best Dice match is not trusted: a custom or heavily edited license is reported as unknown. */
export const DICE_THRESHOLD = 0.9;

/** Lower-case words; copyright lines dropped (they differ in every file), `licence` spelled `license`. */
export function licenseWords(text: string): string[] {
  const kept = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => !/^\s*(?:[#*>/-]+\s*)?(?:copyright\b|\(c\)|©|all rights reserved)/i.test(line))
    .join('\n');
  return kept
    .toLowerCase()
    .replace(/licen[cs]e/g, 'license')
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

interface Rule {
  /** Returns the SPDX id, or null when the rule does not apply. */
  match(text: string): string | null;
}

const has = (text: string, phrase: string) => text.includes(` ${phrase} `);

/** GPL family: the title names the license; "-or-later" only when the project's own notice (not the appendix) says so. */
function gplFamily(text: string, title: string, id: string): string | null {
  const at = text.indexOf(` ${title} `);
  if (at < 0) return null;
  const notice = /either version \d(?: \d)? of the license or at your option any later version/;
  // The "how to apply" appendix shows a sample "or any later version" notice: only a notice outside it counts.
  const appendix = text.search(/ how to apply these terms to your new (?:programs|libraries) /);
  const later = notice.test(appendix >= 0 ? text.slice(0, appendix) : text);
  return `${id}-${later ? 'or-later' : 'only'}`;
}

/** Short notices without the license text: "under the terms of the GNU General Public License ... version 3". */
function gplNotice(text: string): string | null {
  const match = /under the terms of the gnu (affero |lesser |library )?general public license (?:as published by the free software foundation )?(?:either )?version (\d(?: \d)?)( of the license)?( or at your option any later version)?/.exec(text);
  if (!match) return null;
  const version = match[2]!.replace(' ', '.');
  const family = match[1] === 'affero ' ? 'AGPL' : match[1] === 'lesser ' || match[1] === 'library ' ? 'LGPL' : 'GPL';
  const full = /^\d$/.test(version) ? `${version}.0` : version;
  return `${family}-${full}-${match[4] ? 'or-later' : 'only'}`;
}

const RULES: Rule[] = [
  { match: (t) => gplFamily(t, 'gnu affero general public license version 3 19 november 2007', 'AGPL-3.0') },
  { match: (t) => gplFamily(t, 'gnu lesser general public license version 3 29 june 2007', 'LGPL-3.0') },
  { match: (t) => gplFamily(t, 'gnu lesser general public license version 2 1 february 1999', 'LGPL-2.1') },
  { match: (t) => gplFamily(t, 'gnu library general public license version 2 june 1991', 'LGPL-2.0') },
  { match: (t) => gplFamily(t, 'gnu general public license version 3 29 june 2007', 'GPL-3.0') },
  { match: (t) => gplFamily(t, 'gnu general public license version 2 june 1991', 'GPL-2.0') },
  { match: (t) => (has(t, 'mozilla public license version 2 0') || has(t, 'mozilla public license v 2 0') ? 'MPL-2.0' : null) },
  { match: (t) => (has(t, 'mozilla public license version 1 1') ? 'MPL-1.1' : null) },
  {
    // The full text, or the short form many LICENSE files carry ("Licensed under the Apache License, Version 2.0 ...").
    match: (t) => (has(t, 'apache license version 2 0') || has(t, 'www apache org licenses license 2 0') ? 'Apache-2.0' : null),
  },
  { match: (t) => (has(t, 'eclipse public license v 2 0') || has(t, 'eclipse public license version 2 0') ? 'EPL-2.0' : null) },
  { match: (t) => (has(t, 'eclipse public license v 1 0') || has(t, 'eclipse public license version 1 0') ? 'EPL-1.0' : null) },
  { match: (t) => (has(t, 'boost software license version 1 0') ? 'BSL-1.0' : null) },
  { match: (t) => (has(t, 'this is free and unencumbered software released into the public domain') ? 'Unlicense' : null) },
  { match: (t) => (has(t, 'cc0 1 0 universal') ? 'CC0-1.0' : null) },
  { match: (t) => (has(t, 'do what the fuck you want to public license') ? 'WTFPL' : null) },
  {
    match: (t) => {
      if (!/ permission to use copy modify (?:and or |and )?distribute this software for any purpose with or without fee is hereby granted /.test(t)) return null;
      return has(t, 'provided that the above copyright notice and this permission notice appear in all copies') ? 'ISC' : '0BSD';
    },
  },
  {
    match: (t) => {
      if (!has(t, 'permission is hereby granted free of charge to any person obtaining a copy of this software')) return null;
      return has(t, 'the above copyright notice and this permission notice shall be included in all copies or substantial portions of the software') ? 'MIT' : 'MIT-0';
    },
  },
  {
    match: (t) => {
      if (!has(t, 'redistribution and use in source and binary forms with or without modification are permitted provided that the following conditions are met')) return null;
      if (has(t, 'all advertising materials mentioning features or use of this software must display the following acknowledgement')) return 'BSD-4-Clause';
      if (has(t, 'no express or implied licenses to any party s patent rights are granted by this license')) return 'BSD-3-Clause-Clear';
      // The non-endorsement clause makes it three clauses ("Neither the name of ...", "The names of its contributors may not ...").
      if (/ (?:neither the name|the names? of (?:\w+ ){0,12}(?:may|must) not be used to endorse or promote) /.test(t)) return 'BSD-3-Clause';
      return 'BSD-2-Clause';
    },
  },
  {
    match: (t) =>
      has(t, 'in no event will the authors be held liable for any damages arising from the use of this software') && has(t, 'altered source versions must be plainly marked as such')
        ? 'Zlib'
        : null,
  },
  { match: gplNotice },
];

type Bag = Map<string, number>;

function bagOf(words: string[]): Bag {
  const bag: Bag = new Map();
  for (const word of words) bag.set(word, (bag.get(word) ?? 0) + 1);
  return bag;
}

/** 2·|A∩B| / (|A|+|B|) over word multisets. */
export function diceCoefficient(a: Bag, aSize: number, b: Bag, bSize: number): number {
  if (aSize + bSize === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [word, count] of small) shared += Math.min(count, large.get(word) ?? 0);
  return (2 * shared) / (aSize + bSize);
}

interface Reference {
  id: string;
  bag: Bag;
  size: number;
}

let references: Reference[] | null = null;

/** Ids that are deprecated aliases (`GPL-2.0`, `GPL-2.0+`, `GPL-2.0-with-...-exception`) of a current id. */
function isDeprecatedAlias(id: string, all: Set<string>): boolean {
  return id.endsWith('+') || all.has(`${id}-only`) || /-with-.+-exception$/.test(id);
}

/** The SPDX texts, tokenized once on first use (the list is ~5 MB: not loaded at startup). */
function spdxReferences(): Reference[] {
  if (references) return references;
  const require = createRequire(import.meta.url);
  const list = require('spdx-license-list/full') as Record<string, { licenseText?: string }>;
  const ids = new Set(Object.keys(list));
  references = [];
  for (const [id, entry] of Object.entries(list)) {
    if (!entry.licenseText || isDeprecatedAlias(id, ids)) continue;
    const words = licenseWords(entry.licenseText);
    references.push({ id, bag: bagOf(words), size: words.length });
  }
  // Only the word bags are kept: let the ~5 MB of license texts be collected.
  for (const module of ['spdx-license-list/full', 'spdx-license-list/spdx-full.json']) {
    try {
      delete require.cache[require.resolve(module)];
    } catch {
      // not resolvable under this name: nothing cached to drop
    }
  }
  return references;
}

/** Best SPDX match by Dice coefficient, with its score (for tests and diagnostics). */
export function closestSpdxLicense(text: string): { id: string; score: number } | null {
  const words = licenseWords(text);
  if (words.length === 0) return null;
  const bag = bagOf(words);
  let best: { id: string; score: number } | null = null;
  for (const ref of spdxReferences()) {
    // Dice cannot reach the threshold when the lengths differ too much: skip without counting.
    const ratio = Math.min(ref.size, words.length) / Math.max(ref.size, words.length);
    if (ratio < DICE_THRESHOLD * 0.9) continue;
    const score = diceCoefficient(bag, words.length, ref.bag, ref.size);
    // Identical texts (GPL-3.0-only / -or-later, OFL-1.1 / OFL-1.1-no-RFN) tie: the shorter id is the base license.
    if (!best || score > best.score || (score === best.score && ref.id.length < best.id.length)) best = { id: ref.id, score };
  }
  return best;
}

function scoreAgainst(text: string, id: string): number {
  const ref = spdxReferences().find((entry) => entry.id === id);
  if (!ref) return 0;
  const words = licenseWords(text);
  return diceCoefficient(bagOf(words), words.length, ref.bag, ref.size);
}

/** Near-certain Dice match that beats the fast path's own score: a variant (X11 vs MIT, NCSA vs MIT-0). */
const VARIANT_SCORE = 0.97;

const MEMO_LIMIT = 2_000;
const memo = new Map<string, string | null>();

/** SPDX id for a license file's text, or null when none is recognized with confidence. */
export function detectLicense(text: string): string | null {
  const key = createHash('sha1').update(text).digest('hex');
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const joined = ` ${licenseWords(text).join(' ')} `;
  let id: string | null = null;
  for (const rule of RULES) {
    id = rule.match(joined);
    if (id) break;
  }
  const closest = closestSpdxLicense(text);
  if (!id) {
    id = closest && closest.score >= DICE_THRESHOLD ? closest.id : null;
  } else if (closest && closest.id !== id && closest.score >= VARIANT_SCORE && closest.score > scoreAgainst(text, id) + 0.02) {
    // The wording matched a common license, but the whole text is a known variant of it.
    id = closest.id;
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, id);
  return id;
}
