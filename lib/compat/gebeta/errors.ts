import 'server-only';
import { toOAuthError } from '@/lib/oauth/errors';

/**
 * gebetaError renders an error in Gebeta Maps' shape (docs.gebeta.app/authentication, "Error
 * Responses"), `{"error": "<message>", "code": "<CODE>"}`: FAILED_VALIDATION (400, documented),
 * UNAUTHORIZED (401: wrong tokens or refresh token; Gebeta documents 401 with `error` only),
 * FORBIDDEN (403: account suspended or revoked, address not allowed), TOO_MANY_REQUESTS (429),
 * SERVICE_UNAVAILABLE (503 with Retry-After: the database cannot be reached; not in Gebeta's list),
 * INTERNAL_ERROR (5xx, with Gebeta's documented message "Internal server error").
 */
export function gebetaError(error: unknown, requestId: string): Response {
  const e = toOAuthError(error, requestId);
  let status = e.status;
  let code = 'INTERNAL_ERROR';
  // A DPoP proof that does not pass (or is missing where the account requires one) is a bad request too.
  if (e.error === 'invalid_request' || e.error === 'invalid_dpop_proof' || e.error === 'use_dpop_nonce')
    code = 'FAILED_VALIDATION';
  else if (e.error === 'invalid_client' || e.error === 'invalid_grant') [status, code] = [401, 'UNAUTHORIZED'];
  else if (e.error === 'unauthorized_client' || e.error === 'invalid_scope') [status, code] = [403, 'FORBIDDEN'];
  else if (e.error === 'slow_down') code = 'TOO_MANY_REQUESTS';
  else if (e.error === 'temporarily_unavailable') code = 'SERVICE_UNAVAILABLE';
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Request-Id': requestId };
  if (e.retryAfter) headers['Retry-After'] = String(e.retryAfter);
  const message = e.error === 'server_error' ? 'Internal server error' : e.description;
  return Response.json({ error: message, code }, { status, headers });
}
