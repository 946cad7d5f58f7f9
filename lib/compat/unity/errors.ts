import 'server-only';
import { toOAuthError } from '@/lib/oauth/errors';

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/**
 * unityError renders an error the way Unity's services do: RFC 7807 problem details
 * `{type, title, status, detail}` with application/problem+json; 401 for bad credentials,
 * 403 for an account that may not have a token (suspended, IP, project it has no role in).
 */
export function unityError(error: unknown, requestId: string): Response {
  const e = toOAuthError(error, requestId);
  let status = e.status;
  if (e.error === 'unauthorized_client' || e.error === 'invalid_target' || e.error === 'invalid_scope') status = 403;
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', 'X-Request-Id': requestId };
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="latchkey"';
  if (e.retryAfter) headers['Retry-After'] = String(e.retryAfter);
  const body = { type: 'problems/basic', title: TITLES[status] ?? 'Error', status, detail: e.description, code: e.error };
  return new Response(JSON.stringify(body), { status, headers });
}
