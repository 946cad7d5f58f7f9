import 'server-only';
import { toOAuthError } from '@/lib/oauth/errors';

const TITLES: Record<string, string> = {
  invalid_request: 'Invalid request',
  invalid_grant: 'Invalid assertion',
  invalid_client: 'Unauthorized',
  invalid_scope: 'Invalid scope',
  slow_down: 'Too many requests',
  server_error: 'Internal server error',
};

/**
 * highMobilityError renders an error in High Mobility's shape,
 * `{"errors": [{"title": …, "source": …, "detail": …}]}`: 400 for a bad request, 401 for an
 * assertion that does not authenticate, 429 and 5xx as the token service decides.
 */
export function highMobilityError(error: unknown, requestId: string): Response {
  const e = toOAuthError(error, requestId);
  const status = e.error === 'invalid_grant' || e.error === 'unauthorized_client' ? 401 : e.status;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Request-Id': requestId };
  if (e.retryAfter) headers['Retry-After'] = String(e.retryAfter);
  return Response.json({ errors: [{ title: TITLES[e.error] ?? 'Unauthorized', source: 'assertion', detail: e.description }] }, { status, headers });
}
