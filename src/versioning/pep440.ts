import { compare as pep440Compare, explain, satisfies, valid, validRange, type Pep440Version } from '@renovatebot/pep440';
import { InvalidInputError } from '../errors.js';
import type { VersionConstraint, Versioning } from './types.js';

/**
 * PyPI's scheme: PEP 440 (https://packaging.python.org/en/latest/specifications/version-specifiers/) as
 * @renovatebot/pep440 reads it (a port of `packaging.version`). Pre-releases include dev releases
 * (`1.0.dev1`, `1.0a1.dev2`); post-releases of a final release are not pre-releases. Legacy versions that
 * PEP 440 rejects (`2004d`, `0.1dev-r1234`: still listed by old PyPI projects) are invalid here, as pip
 * treats them since 24.1.
 */
export function parsePep440(version: string): Pep440Version | null {
  return explain(version);
}

/** True when both parse and are equal by PEP 440 (`1.0` == `1.0.0`, `1.0RC1` == `1.0rc1`). */
export function pep440Equal(a: string, b: string): boolean {
  if (a === b) return true;
  return valid(a) !== null && valid(b) !== null && pep440Compare(a, b) === 0;
}

/**
 * A PEP 440 version specifier (`>=1.0,<2`, `~=1.4`, `==1.0.*`, `===foo`; `` = any) as written in Requires-Dist.
 * Metadata 1.2 parentheses and bare versions (`(1.0)` = `==1.0`) are accepted. Pre-releases match only when a
 * clause names one (PEP 440's default; installers also take a pre-release when nothing else matches, which a
 * single-version test cannot know). Legacy (non-PEP 440) versions match nothing but `===`.
 */
export function parsePep440Constraint(constraint: string): VersionConstraint {
  let spec = constraint.replace(/\s+/g, '');
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1);
  if (spec.startsWith('@')) throw new InvalidInputError(`not an index dependency: ${JSON.stringify(constraint.slice(0, 100))} (a direct URL reference is not resolved)`, 'constraint');
  const clauses = spec === '' ? [] : spec.split(',').map((clause) => (/^v?\d/i.test(clause) ? `==${clause}` : clause));
  const range = clauses.join(',');
  if (clauses.some((clause) => clause === '') || (range !== '' && !validRange(range))) {
    throw new InvalidInputError(`not a PEP 440 version specifier: ${JSON.stringify(constraint.slice(0, 100))}`, 'constraint');
  }
  const pin = clauses.length === 1 ? /^(?:===|==)([^*]+)$/.exec(clauses[0]!) : null;
  return {
    raw: constraint,
    matches(version) {
      try {
        return satisfies(version, range);
      } catch {
        return false; // the library throws on versions it cannot parse
      }
    },
    exact: pin ? pin[1]! : null,
  };
}

export const pep440Versioning: Versioning = {
  id: 'pep440',
  isValid: (version) => valid(version) !== null,
  isPrerelease: (version) => explain(version)?.is_prerelease ?? false,
  compare(a, b) {
    const va = valid(a) !== null;
    const vb = valid(b) !== null;
    if (va && vb) {
      // PEP 440 equality is not identity (`1.0` == `1.0.0`): the string keeps the order total and stable.
      const order = pep440Compare(a, b);
      if (order !== 0) return order < 0 ? -1 : 1;
    } else if (va) return 1;
    else if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  },
  parseConstraint: parsePep440Constraint,
};
