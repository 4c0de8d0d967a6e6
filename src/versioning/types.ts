/** One ecosystem's version scheme. Later schemes add constraint matching (see issue on versioning). */
export interface Versioning {
  readonly id: string;
  isValid(version: string): boolean;
  isPrerelease(version: string): boolean;
  /** Total order: negative when a < b. Unparseable versions sort before parseable ones, then by string. */
  compare(a: string, b: string): number;
}
