import DataLoader from 'dataloader';
import type { OsvRecord } from './schema.js';
import type { OsvLookup, OsvService } from './service.js';

export type OsvLoader = DataLoader<OsvLookup, OsvRecord[], string>;

/** Per request: every version asked in one tick (a graph's nodes, an audit's refs) becomes one OSV lookup. */
export function createOsvLoader(service: OsvService): OsvLoader {
  return new DataLoader<OsvLookup, OsvRecord[], string>((lookups) => service.lookup(lookups), {
    cacheKeyFn: (lookup) => `${lookup.ecosystem}\0${lookup.name}\0${lookup.version}\0${lookup.spelling ?? ''}`,
  });
}
