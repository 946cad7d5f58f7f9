import { isDatabaseUnavailable } from '@/lib/db/unavailable';
/** Stable, documented error codes and the HTTP status each one maps to. */
export const ERROR_STATUS = {
  invalid_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  immutable_field: 400,
  invalid_key: 400,
  invalid_vin: 400,
  organization_required: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  totp_required: 401,
  invalid_totp: 401,
  totp_reused: 401,
  forbidden: 403,
  insufficient_scope: 403,
  csrf_rejected: 403,
  two_factor_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  name_taken: 409,
  email_taken: 409,
  setup_complete: 409,
  invalid_state: 409,
  limit_exceeded: 409,
  oem_credential_in_use: 409,
  // issue-18: the organization's scope and role catalog
  in_use: 409,
  built_in: 409,
  scope_retired: 422,
  length_required: 411,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  // The database cannot be reached (an outage, a restart): temporary, answered with Retry-After.
  service_unavailable: 503,
  // issue-3 codes
  // issue-4 codes
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  temporarily_unavailable: 503,
  // issue-13 codes (RFC 9449 §5, §8)
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  // issue-5 codes
  brand_mismatch: 400,
  vin_taken: 409,
  // issue-11 input codes
  invalid_cursor: 400,
  last_owner: 409,
  account_revoked: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string[]>;

/**
 * AppError is the one error type domain code throws for expected failures. `detail` is safe to
 * show to the caller; `cause` is for logs only and never leaves the server.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly fields?: FieldErrors;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { fields?: FieldErrors; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

type PrismaLikeError = { code?: unknown; meta?: unknown; name?: unknown };

/** How long a client is asked to wait when the database cannot be reached. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * toAppError maps known database failures to AppErrors in this one place: an unreachable
 * database is service_unavailable (503, Retry-After; lib/db/unavailable.ts), a unique violation
 * (P2002) is a conflict, a missing row (P2025) is not_found. Anything else stays unknown.
 */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  if (isDatabaseUnavailable(error))
    return new AppError('service_unavailable', 'The service is briefly unavailable. Try again in a few seconds.', {
      cause: error,
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    });
  const code = (error as PrismaLikeError).code;
  if (code === 'P2002') return new AppError('conflict', 'A record with these values already exists.', { cause: error });
  if (code === 'P2025') return new AppError('not_found', 'Not found.', { cause: error });
  return undefined;
}
