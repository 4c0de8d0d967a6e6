/** An OSV record as the GraphQL `Vulnerability` shows it for one package: pure, re-runnable on stored records. */
import type { EcosystemId } from '../ecosystems/ids.js';
import { baseScore, cvssRating } from './cvss.js';
import { nativeVersion } from './ecosystems.js';
import { affectedEntriesFor, compareForDisplay } from './match.js';
import type { OsvRecord, OsvSeverity } from './schema.js';

export interface SeverityView {
  type: string;
  /** The vector (CVSS) or label (Ubuntu) as published. */
  score: string;
  baseScore: number | null;
  rating: string | null;
}

export interface RangeEventView {
  introduced: string | null;
  fixed: string | null;
  lastAffected: string | null;
  limit: string | null;
}

export interface RangeView {
  type: string;
  repo: string | null;
  events: RangeEventView[];
  introduced: string[];
  fixed: string[];
  lastAffected: string[];
  limit: string[];
}

export interface VulnerabilityView {
  id: string;
  aliases: string[];
  related: string[];
  summary: string | null;
  details: string | null;
  severity: SeverityView[];
  /** `database_specific.severity` (GitHub: LOW, MODERATE, HIGH, CRITICAL). */
  databaseSeverity: string | null;
  cweIds: string[];
  published: string | null;
  modified: string;
  withdrawn: string | null;
  /** Ranges of this package's `affected` entries. */
  ranges: RangeView[];
  /** Versions listed explicitly for this package. */
  versions: string[];
  /** Versions that fix it for this package, lowest first, in the registry's spelling. */
  fixedVersions: string[];
  references: { type: string; url: string }[];
  url: string;
}

function severityView(entry: OsvSeverity): SeverityView {
  const score = baseScore(entry.type, entry.score);
  // NVD's v2 bands (no CRITICAL); v3's rating table otherwise.
  const rating = score === null ? null : entry.type === 'CVSS_V2' ? (score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : 'HIGH') : cvssRating(score);
  return { type: entry.type, score: entry.score, baseScore: score, rating };
}

function stringField(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** The record as seen from one package: only that package's affected entries, severities and fixes. */
export function vulnerabilityView(record: OsvRecord, ecosystem: EcosystemId, name: string): VulnerabilityView {
  const entries = affectedEntriesFor(record, ecosystem, name);
  // Per-package severity is only allowed when the top level has none (schema: affected[].severity).
  const severities = record.severity ?? entries.flatMap((entry) => entry.severity ?? []);
  const seen = new Set<string>();
  const uniqueSeverities = severities.filter((entry) => {
    const key = `${entry.type}\0${entry.score}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const ranges: RangeView[] = entries.flatMap((entry) =>
    (entry.ranges ?? []).map((range) => {
      const events = range.events.map((event) => ({
        introduced: event.introduced ?? null,
        fixed: event.fixed ?? null,
        lastAffected: event.last_affected ?? null,
        limit: event.limit ?? null,
      }));
      const values = (key: keyof RangeEventView) => events.map((event) => event[key]).filter((value): value is string => value !== null);
      return { type: range.type, repo: range.repo ?? null, events, introduced: values('introduced'), fixed: values('fixed'), lastAffected: values('lastAffected'), limit: values('limit') };
    }),
  );
  const fixed = new Map<string, string>();
  for (const range of ranges) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    for (const version of range.fixed) if (!fixed.has(version)) fixed.set(version, range.type);
  }
  const fixedVersions = [...fixed.entries()]
    .sort(([a, typeA], [b]) => compareForDisplay(ecosystem, typeA, a, b))
    .map(([version]) => nativeVersion(ecosystem, version));
  const databaseSeverity = stringField(record.database_specific, 'severity');
  const cwes = stringField(record.database_specific, 'cwe_ids');
  return {
    id: record.id,
    aliases: record.aliases ?? [],
    related: record.related ?? [],
    summary: record.summary ?? null,
    details: record.details ?? null,
    severity: uniqueSeverities.map(severityView),
    databaseSeverity: typeof databaseSeverity === 'string' ? databaseSeverity : null,
    cweIds: Array.isArray(cwes) ? cwes.filter((cwe): cwe is string => typeof cwe === 'string') : [],
    published: record.published ?? null,
    modified: record.modified,
    withdrawn: record.withdrawn ?? null,
    ranges,
    versions: [...new Set(entries.flatMap((entry) => entry.versions ?? []))],
    fixedVersions: [...new Set(fixedVersions)],
    references: (record.references ?? []).map((reference) => ({ type: reference.type, url: reference.url })),
    url: `https://osv.dev/vulnerability/${encodeURIComponent(record.id)}`,
  };
}
