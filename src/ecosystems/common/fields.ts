import type { z } from 'zod';

/* Small readers shared by the adapters' normalizers: upstream fields are untrusted, so each takes `unknown`. */

/** A non-blank string, trimmed; null for anything else. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

/** A date string any `Date.parse` reads, as ISO-8601 UTC; null otherwise. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The first three issues of a zod error, `path: message`, for UPSTREAM_INVALID messages. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
