import { z } from 'zod';
import { InvalidInputError } from '../errors.js';

/** Validates resolver arguments with zod; the first problem becomes an INVALID_INPUT naming the argument. */
export function parseArgs<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new InvalidInputError(`${field ? `${field}: ` : ''}${issue?.message ?? 'invalid input'}`, field || undefined);
}

export const MAX_PAGE_SIZE = 1000;
export const MAX_BULK_REFS = 500;

/** Shared by every argument that names a package or a version. */
export const NAME_DESCRIPTION =
  'Package name in the registry\'s own form (see `Ecosystem`), at most 1024 characters; canonicalized before lookup (PyPI PEP 503, NuGet and crates.io lower-case ...). A name the registry cannot have is INVALID_INPUT, with no upstream request.';
export const VERSION_DESCRIPTION =
  'An exact version as the registry lists it (Go: the leading `v` may be left out), or a dist-tag from `Package.distTags`; `latest` is `Package.latestVersion` in every ecosystem.';

export const nameSchema = z.string().min(1, { error: 'must not be empty' }).max(1024, { error: 'is too long (max 1024 characters)' });

export const pageArgs = z.object({
  first: z.number().int().min(0, { error: 'must be >= 0' }).max(MAX_PAGE_SIZE, { error: `must be <= ${MAX_PAGE_SIZE}` }).nullish(),
  after: z.string().nullish(),
  last: z.null({ error: 'backward pagination is not supported; use first/after' }).optional(),
  before: z.null({ error: 'backward pagination is not supported; use first/after' }).optional(),
});

const CURSOR_PREFIX = 'seq:';

export function encodeCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isInteger(seq) || seq < 0) throw new InvalidInputError(`after: not a cursor of this connection: ${JSON.stringify(cursor)}`, 'after');
  return seq;
}
