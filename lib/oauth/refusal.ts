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

export function refuse(code: ErrorCode, reason: string, detail: string): never {
  throw new TokenRefusal(code, reason, detail);
}

/** refusalReason is the audit reason of any error the token service may see. */
export function refusalReason(error: unknown): string {
  if (error instanceof TokenRefusal) return error.reason;
  if (error instanceof AppError) return error.code;
  return 'internal';
}
