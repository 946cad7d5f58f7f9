import { AppError, type ErrorCode } from '@/lib/errors';

/**
 * TokenRefusal is the AppError the token service throws when it will not issue a token. `code`
 * is the RFC 6749 error the client sees; `reason` is a finer, stable code for the audit log and
 * the auditors' charts (e.g. `account_suspended`, `jti_replayed`). Neither carries a secret.
 */
export class TokenRefusal extends AppError {
  readonly reason: string;
  /** True when the refusal's audit event was already written with the state change it caused. */
  audited = false;

  constructor(code: ErrorCode, reason: string, detail: string) {
    super(code, detail);
    this.name = 'TokenRefusal';
    this.reason = reason;
  }
}

/**
 * The one description of every refused client authentication on the token endpoints (unknown
 * id, wrong secret, bad signature, disabled or expired credential, suspended or revoked account,
 * disallowed address): the same status, headers and body, so that a caller learns nothing about
 * which it was. The precise reason goes to the audit log only.
 */
export const CLIENT_AUTH_FAILED = 'Client authentication failed.';
/** The same for a grant (an assertion, a refresh token) whose key, signature, credential or account does not pass. */
export const GRANT_REFUSED = 'The grant is invalid, expired, revoked or may not be used.';

/** uniformDetail is the one description of a refusal that must not tell its reason (see CLIENT_AUTH_FAILED). */
export function uniformDetail(code: ErrorCode): string {
  if (code === 'invalid_client') return CLIENT_AUTH_FAILED;
  if (code === 'invalid_grant') return GRANT_REFUSED;
  return 'This client may not obtain tokens.';
}

export function refuse(code: ErrorCode, reason: string, detail: string): never {
  throw new TokenRefusal(code, reason, detail);
}

/** refusalReason is the audit reason of any error the token service may see. */
export function refusalReason(error: unknown): string {
  if (error instanceof TokenRefusal) return error.reason;
  if (error instanceof AppError) return error.code;
  return 'internal';
}
