import 'server-only';
import { toOAuthError } from '@/lib/oauth/errors';

/**
 * restApiError renders an error as a JSON object with the HTTP `status` and a `message` (400
 * invalid input, 401 wrong clientId/clientSecret, 403 account not allowed, 429, 5xx).
 * RestAPI.com's public docs show no error response for System/UserAccount, so this shape is
 * Latchkey's own choice, not a documented one.
 */
export function restApiError(error: unknown, requestId: string): Response {
  const e = toOAuthError(error, requestId);
  let status = e.status;
  if (e.error === 'invalid_grant') status = 401;
  if (e.error === 'unauthorized_client' || e.error === 'invalid_scope') status = 403;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Request-Id': requestId };
  if (e.retryAfter) headers['Retry-After'] = String(e.retryAfter);
  return Response.json({ status, message: e.description }, { status, headers });
}
