/**
 * zod schemas of what OSV sends: records (https://ossf.github.io/osv-schema/), `POST /v1/querybatch`
 * answers (https://google.github.io/osv.dev/post-v1-querybatch/) and error bodies. Unknown fields are
 * kept (`.loose()`): a stored record is the record as OSV published it, re-readable by a later version.
 */
import { z } from 'zod';

const text = z.string();

/** One event: exactly one key per the spec; extra keys are tolerated and ignored by evaluation. */
export const osvEventSchema = z
  .object({
    introduced: text.optional(),
    fixed: text.optional(),
    last_affected: text.optional(),
    limit: text.optional(),
  })
  .loose();

export const osvRangeSchema = z
  .object({
    type: text.min(1),
    repo: text.optional(),
    events: z.array(osvEventSchema),
    database_specific: z.unknown().optional(),
  })
  .loose();

export const osvSeveritySchema = z.object({ type: text.min(1), score: text }).loose();

export const osvAffectedSchema = z
  .object({
    package: z.object({ ecosystem: text.min(1), name: text, purl: text.optional() }).loose().optional(),
    severity: z.array(osvSeveritySchema).optional(),
    ranges: z.array(osvRangeSchema).optional(),
    versions: z.array(text).optional(),
    ecosystem_specific: z.unknown().optional(),
    database_specific: z.unknown().optional(),
  })
  .loose();

/** Timestamps are RFC 3339 in UTC; only their presence and shape matter here (they are compared as instants). */
const timestamp = text.refine((value) => !Number.isNaN(Date.parse(value)), { error: 'expected an RFC 3339 timestamp' });

export const osvRecordSchema = z
  .object({
    schema_version: text.optional(),
    id: text.min(1).max(200),
    modified: timestamp,
    published: timestamp.optional(),
    withdrawn: timestamp.optional(),
    aliases: z.array(text).optional(),
    related: z.array(text).optional(),
    upstream: z.array(text).optional(),
    summary: text.optional(),
    details: text.optional(),
    severity: z.array(osvSeveritySchema).optional(),
    affected: z.array(osvAffectedSchema).optional(),
    references: z.array(z.object({ type: text, url: text }).loose()).optional(),
    credits: z.array(z.unknown()).optional(),
    database_specific: z.unknown().optional(),
  })
  .loose();

export type OsvEvent = z.infer<typeof osvEventSchema>;
export type OsvRange = z.infer<typeof osvRangeSchema>;
export type OsvAffected = z.infer<typeof osvAffectedSchema>;
export type OsvSeverity = z.infer<typeof osvSeveritySchema>;
export type OsvRecord = z.infer<typeof osvRecordSchema>;

/** `{id, modified}`: all querybatch says of a hit (details come from `GET /v1/vulns/{id}`). */
export const osvHitSchema = z.object({ id: text.min(1).max(200), modified: timestamp }).loose();
export type OsvHit = z.infer<typeof osvHitSchema>;

/** A query with no hits is an empty object (no `vulns` key). `next_page_token` marks more hits to ask for. */
export const querybatchResponseSchema = z
  .object({
    results: z.array(z.object({ vulns: z.array(osvHitSchema).optional(), next_page_token: text.optional() }).loose()),
  })
  .loose();

/** gRPC-style error body, e.g. `{"code": 3, "message": "..."}` with a 400. */
export const osvErrorSchema = z.object({ code: z.number().optional(), message: text }).loose();
