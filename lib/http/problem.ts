import { ERROR_STATUS, type AppError, type ErrorCode, type FieldErrors } from '@/lib/errors';

/** The RFC 9457 problem details body every /api/v1 error uses. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId: string;
  errors?: FieldErrors;
};

export function problemTitle(code: ErrorCode): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** problemResponse renders an AppError as application/problem+json. */
export function problemResponse(error: AppError, requestId: string, headers: Record<string, string> = {}): Response {
  const status = ERROR_STATUS[error.code];
  const body: Problem = {
    type: `urn:latchkey:problem:${error.code}`,
    title: problemTitle(error.code),
    status,
    code: error.code,
    detail: error.detail,
    requestId,
    ...(error.fields ? { errors: error.fields } : {}),
  };
  const extra: Record<string, string> = { ...headers };
  if (error.retryAfterSeconds) extra['Retry-After'] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      'X-Request-Id': requestId,
      ...extra,
    },
  });
}

/**
 * bearerChallenge is the RFC 6750 §3 `WWW-Authenticate` value for an /api/v1 refusal, or null
 * when the error is not about the caller's credentials. A request without credentials gets the
 * bare challenge (§3.1: no error code then); a token that failed gets `error="invalid_token"`;
 * a valid token without the rights gets `error="insufficient_scope"` and the scopes that would do.
 */
export function bearerChallenge(error: AppError, scopes: readonly string[]): string | null {
  const quoted = (value: string) => `"${value.replace(/[\\"]/g, '')}"`;
  if (error.code === 'unauthenticated') return 'Bearer realm="latchkey"';
  if (error.code === 'invalid_token')
    return `Bearer realm="latchkey", error="invalid_token", error_description=${quoted(error.detail)}`;
  if (error.code === 'insufficient_scope')
    return `Bearer realm="latchkey", error="insufficient_scope", error_description=${quoted(error.detail)}, scope=${quoted(scopes.join(' '))}`;
  return null;
}
