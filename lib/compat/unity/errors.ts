import 'server-only';
import { toOAuthError } from '@/lib/oauth/errors';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Unity's common error codes (services.docs.unity.com/docs/errors; Unity.Services.Core
 * CommonErrorCodes): the numeric `code` of an error body, by HTTP status.
 */
const CODES: Record<number, number> = { 400: 55, 401: 51, 403: 53, 404: 54, 429: 50, 503: 3 };
const UNKNOWN = 0;

/**
 * unityError renders an error the way Unity's services do: RFC 7807 problem details with
 * Unity's attributes, `{type, title, status, code, detail, details, requestId}` where `code` is
 * Unity's numeric error code (55 InvalidRequest, 51 InvalidToken, 53 Forbidden, 50
 * TooManyRequests, 0 Unknown); 401 for bad or missing credentials, 403 for an account that may
 * not have a token (suspended, IP, a project it has no role in).
 */
export function unityError(error: unknown, requestId: string): Response {
  const e = toOAuthError(error, requestId);
  let status = e.status;
  if (e.error === 'unauthorized_client' || e.error === 'invalid_target' || e.error === 'invalid_scope') status = 403;
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
    'X-Request-Id': requestId,
  };
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="latchkey"';
  if (e.retryAfter) headers['Retry-After'] = String(e.retryAfter);
  const body = {
    type: 'problems/basic',
    title: TITLES[status] ?? 'Error',
    status,
    code: CODES[status] ?? UNKNOWN,
    detail: e.description,
    details: [],
    requestId,
  };
  return new Response(JSON.stringify(body), { status, headers });
}
