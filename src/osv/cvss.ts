/**
 * CVSS base scores from vector strings. v3.0/v3.1: the specification's equations
 * (https://www.first.org/cvss/v3.1/specification-document §7.1, Appendix A for Roundup; v3.0 rounds up
 * with a plain ceiling). v2: https://www.first.org/cvss/v2/guide §3.2.1. v4.0 is not computed: its score
 * comes from a lookup table of macro-vectors plus interpolation, not from a formula.
 */

export type CvssRating = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** Metrics of a vector; null when a key repeats or a part is not `KEY:VALUE`. */
function metrics(parts: readonly string[]): Map<string, string> | null {
  const map = new Map<string, string>();
  for (const part of parts) {
    const match = /^([A-Za-z]+):([A-Za-z0-9]+)$/.exec(part);
    if (!match || map.has(match[1]!)) return null;
    map.set(match[1]!, match[2]!);
  }
  return map;
}

const V3_WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** CVSS v3.1 Roundup (Appendix A): the smallest one-decimal number >= input, immune to float noise. */
function roundUp31(value: number): number {
  const integer = Math.round(value * 100_000);
  return integer % 10_000 === 0 ? integer / 100_000 : (Math.floor(integer / 10_000) + 1) / 10;
}

/** CVSS v3.0 round_up: ceiling to one decimal. */
function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

function pick<T extends Record<string, number>>(table: T, value: string | undefined): number | null {
  return value !== undefined && Object.hasOwn(table, value) ? table[value as keyof T]! : null;
}

/** The base score of a `CVSS:3.0/...` or `CVSS:3.1/...` vector, or null when the vector is not valid. */
export function cvss3BaseScore(vector: string): number | null {
  const [prefix, ...parts] = vector.trim().split('/');
  const version = prefix === 'CVSS:3.1' ? '3.1' : prefix === 'CVSS:3.0' ? '3.0' : null;
  if (!version) return null;
  const m = metrics(parts);
  if (!m) return null;
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return null;
  const changed = scope === 'C';
  const av = pick(V3_WEIGHTS.AV, m.get('AV'));
  const ac = pick(V3_WEIGHTS.AC, m.get('AC'));
  const ui = pick(V3_WEIGHTS.UI, m.get('UI'));
  const pr = pick(changed ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 }, m.get('PR'));
  const c = pick(V3_WEIGHTS.CIA, m.get('C'));
  const i = pick(V3_WEIGHTS.CIA, m.get('I'));
  const a = pick(V3_WEIGHTS.CIA, m.get('A'));
  if (av === null || ac === null || ui === null || pr === null || c === null || i === null || a === null) return null;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const roundUp = version === '3.1' ? roundUp31 : roundUp30;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

/** The base score of a CVSS v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally in parentheses), or null. */
export function cvss2BaseScore(vector: string): number | null {
  const trimmed = vector.trim().replace(/^\((.*)\)$/, '$1').replace(/^CVSS:2\.0\//, '');
  const m = metrics(trimmed.split('/'));
  if (!m) return null;
  const av = pick({ L: 0.395, A: 0.646, N: 1.0 }, m.get('AV'));
  const ac = pick({ H: 0.35, M: 0.61, L: 0.71 }, m.get('AC'));
  const au = pick({ M: 0.45, S: 0.56, N: 0.704 }, m.get('Au'));
  const cia = { N: 0, P: 0.275, C: 0.66 };
  const c = pick(cia, m.get('C'));
  const i = pick(cia, m.get('I'));
  const a = pick(cia, m.get('A'));
  if (av === null || ac === null || au === null || c === null || i === null || a === null) return null;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  // round_to_1_decimal; the epsilon keeps x.x5 from falling to x.x4999... in binary floating point.
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10 + 1e-9) / 10;
}

/** The qualitative rating of a v3/v4 score (CVSS v3.1 §5). */
export function cvssRating(score: number): CvssRating {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** Base score of an OSV severity entry: CVSS_V3 and CVSS_V2 computed; CVSS_V4 and others null. */
export function baseScore(type: string, score: string): number | null {
  if (type === 'CVSS_V3') return cvss3BaseScore(score);
  if (type === 'CVSS_V2') return cvss2BaseScore(score);
  return null;
}
