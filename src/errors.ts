/** Error codes shared by GraphQL `extensions.code` and (later) the REST layer. */
export type ErrorCode = 'INVALID_INPUT' | 'UPSTREAM_UNAVAILABLE' | 'RATE_LIMITED' | 'UPSTREAM_INVALID' | 'NOT_IMPLEMENTED' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'INTERNAL';

/** Bad input from a client: the message says what was wrong. No upstream request is made. */
export class InvalidInputError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** An ecosystem the schema knows but no adapter serves yet. */
export class NotImplementedError extends Error {
  readonly code = 'NOT_IMPLEMENTED' as const;
  constructor(message: string) {
    super(message);
    this.name = 'NotImplementedError';
  }
}

export type UpstreamErrorCode = 'UPSTREAM_UNAVAILABLE' | 'RATE_LIMITED' | 'UPSTREAM_INVALID';

/** Trouble with an upstream registry: 429, 5xx, timeouts, bodies too big or of the wrong shape. */
export class UpstreamError extends Error {
  constructor(
    readonly code: UpstreamErrorCode,
    message: string,
    readonly details: { ecosystem?: string; status?: number; retryAfterSeconds?: number; url?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

/** A mutation without a key (UNAUTHENTICATED) or with an unknown one (FORBIDDEN). */
export class AuthError extends Error {
  constructor(readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string) {
    super(message);
    this.name = 'AuthError';
  }
}
