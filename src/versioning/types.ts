/** A parsed dependency constraint of one ecosystem. */
export interface VersionConstraint {
  /** The constraint as written. */
  readonly raw: string;
  /**
   * Whether `version` satisfies it, with the ecosystem's own prerelease rule (npm and Cargo: a
   * prerelease only when the range names one of the same release; PEP 440: only when asked ...).
   */
  matches(version: string): boolean;
  /** The one version an exact pin names (`=1.2.3`, `[1.2.3]`, `==1.2.3`): yanked versions may then be chosen. */
  readonly exact: string | null;
}

/** One ecosystem's version scheme: validity, prerelease, total order and constraint matching. */
export interface Versioning {
  readonly id: string;
  isValid(version: string): boolean;
  isPrerelease(version: string): boolean;
  /** Total order: negative when a < b. Unparseable versions sort before parseable ones, then by string. */
  compare(a: string, b: string): number;
  /** Reads a constraint in the ecosystem's syntax; throws InvalidInputError naming what it cannot read. */
  parseConstraint?(constraint: string): VersionConstraint;
}
