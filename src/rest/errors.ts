import type { RestErrorCode } from './shapes.js';

/** HTTP status per error code; the codes are GraphQL's `extensions.code` plus the two REST-only ones. */
export const STATUS_BY_CODE: Record<RestErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  UPSTREAM_INVALID: 502,
  UPSTREAM_UNAVAILABLE: 503,
};

export interface RestErrorDetails {
  /** Seconds, from the GraphQL error's `extensions.retryAfter` (Retry-After header). */
  retryAfter?: number;
  /** Methods the path answers (405 Allow header). */
  allow?: string[];
  /** `extensions.field` and `path` of the GraphQL error it came from. */
  field?: string;
  path?: readonly (string | number)[];
}

/** An answer other than 2xx, rendered as `{error: {code, message}}` with the status of its code. */
export class RestError extends Error {
  constructor(readonly code: RestErrorCode, message: string, readonly details: RestErrorDetails = {}) {
    super(message);
    this.name = 'RestError';
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}
