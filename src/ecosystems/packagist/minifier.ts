/** The marker a minified entry uses to delete a field it would otherwise inherit. */
export const UNSET = '__unset';

type Entry = Record<string, unknown>;

/** Plain assignment would turn a `__proto__` key from upstream JSON into a prototype change. */
function setOwn(target: Entry, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Composer's MetadataMinifier::expand (composer/metadata-minifier): entries come newest first; the first is
 * complete, each later one carries only the fields that differ from the expanded entry before it, with
 * `"__unset"` deleting a field. As in PHP, an empty expanded entry counts as "none yet" (the next entry is then
 * taken as is), and the first entry is never scanned for `"__unset"`. Inputs are not modified.
 * https://github.com/composer/metadata-minifier/blob/main/src/MetadataMinifier.php
 */
export function expandComposerMetadata(versions: readonly Entry[]): Entry[] {
  const expanded: Entry[] = [];
  let previous: Entry | null = null;
  for (const entry of versions) {
    // PHP's `!$expandedVersion` is also true for an empty array.
    if (previous === null || Object.keys(previous).length === 0) {
      previous = { ...entry };
      expanded.push(previous);
      continue;
    }
    const next: Entry = { ...previous };
    for (const [key, value] of Object.entries(entry)) {
      if (value === UNSET) delete next[key];
      else setOwn(next, key, value);
    }
    expanded.push(next);
    previous = next;
  }
  return expanded;
}
