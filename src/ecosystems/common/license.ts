import parseSpdx from 'spdx-expression-parse';
import correctSpdx from 'spdx-correct';
import spdxIds from 'spdx-license-list/simple.js';
import type { LicenseInfo } from '../types.js';

/** Lower-case id -> SPDX spelling: an id in the wrong case is exact, not a guess (spdx-correct maps `gpl-2.0-or-later` to `GPL-2.0-only`). */
const SPDX_BY_LOWER = new Map([...spdxIds].map((id) => [id.toLowerCase(), id]));

// npm's documented escape hatches for non-SPDX licenses; both also show up misspelled "LICENCE".
const SEE_LICENSE_IN = /^SEE\s+LICEN[CS]E\s+IN\s+\S/i;
const UNLICENSED = /^UNLICEN[CS]ED$/i;

export function isValidSpdxExpression(expression: string): boolean {
  try {
    parseSpdx(expression);
    return true;
  } catch {
    return false;
  }
}

/** The operators need surrounding blanks so ids such as `GPL-2.0-or-later` are not cut at `-or-`. */
const EXPRESSION_TOKENS = /(\s+(?:AND|OR|WITH)\s+|\(|\))/i;

/** Corrects each license id of an expression, keeping AND/OR/WITH and parentheses. */
function correctIdByIdExpression(expression: string): string | null {
  const parts = expression.split(EXPRESSION_TOKENS);
  const out: string[] = [];
  let afterWith = false;
  for (const part of parts) {
    const operator = /^\s+(AND|OR|WITH)\s+$/i.exec(part);
    if (operator) {
      const op = operator[1]!.toUpperCase();
      out.push(` ${op} `);
      afterWith = op === 'WITH';
      continue;
    }
    if (part === '(' || part === ')') {
      out.push(part);
      continue;
    }
    const id = part.trim();
    if (!id) continue;
    if (afterWith) {
      // spdx-correct knows licenses only; an exception id is kept as written.
      out.push(id);
      afterWith = false;
      continue;
    }
    const corrected = isValidSpdxExpression(id) ? id : (SPDX_BY_LOWER.get(id.toLowerCase()) ?? correctSpdx(id));
    if (!corrected) return null;
    out.push(corrected);
  }
  const joined = out.join('').trim();
  return joined && isValidSpdxExpression(joined) ? joined : null;
}

/** SPDX expression for one declared string, or null when nothing sensible matches. */
export function toSpdxExpression(declared: string): string | null {
  const value = declared.trim();
  if (!value || UNLICENSED.test(value) || SEE_LICENSE_IN.test(value)) return null;
  if (isValidSpdxExpression(value)) return value;
  const byId = correctIdByIdExpression(value);
  if (byId) return byId;
  const whole = correctSpdx(value);
  return whole && isValidSpdxExpression(whole) ? whole : null;
}

/** True when the first `(` closes at the very end, i.e. the expression is already one group. */
function isParenthesized(expression: string): boolean {
  if (!expression.startsWith('(')) return false;
  let depth = 0;
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] === '(') depth++;
    else if (expression[i] === ')' && --depth === 0) return i === expression.length - 1;
  }
  return false;
}

function isCompound(expression: string): boolean {
  return /\s(AND|OR)\s/i.test(expression) && !isParenthesized(expression);
}

function single(value: string, source: string): LicenseInfo {
  if (UNLICENSED.test(value)) return { spdx: null, name: 'UNLICENSED', source };
  return { spdx: toSpdxExpression(value), name: value, source };
}

/**
 * Normalizes a declared license (npm `license`, the legacy `licenses` list, PyPI classifiers...).
 * A list is read as a choice (npm's legacy `licenses` array), so its members are joined with OR;
 * when any member maps to no SPDX id the whole expression is null rather than partly right.
 */
export function normalizeLicense(declared: string | string[] | null, source: string): LicenseInfo | null {
  if (declared === null) return null;
  if (typeof declared === 'string') {
    const value = declared.trim();
    return value ? single(value, source) : null;
  }
  const values = [...new Set(declared.map((entry) => entry.trim()).filter(Boolean))];
  if (values.length === 0) return null;
  if (values.length === 1) return single(values[0]!, source);
  const expressions: string[] = [];
  for (const value of values) {
    const spdx = UNLICENSED.test(value) ? null : toSpdxExpression(value);
    if (!spdx) return { spdx: null, name: values.join(' OR '), source };
    const wrapped = isCompound(spdx) ? `(${spdx})` : spdx;
    if (!expressions.includes(wrapped)) expressions.push(wrapped);
  }
  return { spdx: expressions.join(' OR '), name: values.join(' OR '), source };
}
