import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthError } from './errors.js';

/** What a request proved about itself; checked by mutations. */
export interface AuthState {
  /** False when no API keys are configured (mutations are open). */
  required: boolean;
  /** The bearer token, if any (never logged). */
  token: string | null;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <key>` -> the key. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * Null when `token` is one of `keys`, else the error to answer. Keys are compared as SHA-256 digests with
 * timingSafeEqual over every key, so neither the length nor the content nor the match position leaks through timing.
 */
export function keyError(token: string | null, keys: readonly string[], action: string): AuthError | null {
  if (token === null) return new AuthError('UNAUTHENTICATED', `${action} needs an API key: send Authorization: Bearer <key>`);
  const given = digest(token);
  let ok = false;
  for (const key of keys) ok = timingSafeEqual(given, digest(key)) || ok;
  return ok ? null : new AuthError('FORBIDDEN', `${action}: the API key is not valid`);
}

/** Throws unless the request carries one of `keys` (when keys are configured). */
export function assertAuthorized(auth: AuthState, keys: readonly string[], action: string): void {
  if (!auth.required) return;
  const error = keyError(auth.token, keys, action);
  if (error) throw error;
}
