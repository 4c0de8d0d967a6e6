import { InvalidInputError } from '../../errors.js';

/** PEP 508 name rule: ASCII letters and digits, with `.`, `_`, `-` inside (not at either end). */
const PEP508_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/**
 * PyPI sets no length limit of its own; this guard keeps absurd input out of URLs and store keys (the
 * longest project names on PyPI are well under 100 characters).
 */
export const MAX_NAME_LENGTH = 255;

/** PEP 503 normalization: runs of `-`, `_`, `.` become one `-`, lower-cased (`Foo.Bar_baz` -> `foo-bar-baz`). */
export function pep503Normalize(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

export function isValidPep508Name(name: string): boolean {
  return PEP508_NAME.test(name);
}

function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** Validates a client-given project name (PEP 508) and returns its canonical PEP 503 form. */
export function normalizePypiName(input: string): string {
  const name = input.trim();
  const reason = !name
    ? 'the name is empty'
    : name.length > MAX_NAME_LENGTH
      ? `the name is longer than ${MAX_NAME_LENGTH} characters`
      : !/^[\x21-\x7e]+$/.test(name)
        ? 'names are ASCII letters, digits, ".", "_" and "-" only (PEP 508)'
        : !isValidPep508Name(name)
          ? 'names start and end with a letter or digit and contain only letters, digits, ".", "_" and "-" (PEP 508)'
          : null;
  if (reason) throw new InvalidInputError(`Invalid PyPI project name ${quoted(input)}: ${reason}`, 'name');
  return pep503Normalize(name);
}

/** PEP 685: extra names compare after the same normalization as project names. */
export function normalizeExtra(extra: string): string {
  return pep503Normalize(extra.trim());
}
