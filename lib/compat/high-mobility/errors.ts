import 'server-only';
import { toOAuthError } from '@/lib/oauth/errors';

/**
 * highMobilityError renders an error in High Mobility's shape (their OpenAPI spec
 * `hm-service-account-token-v1.yml`, POST /v1/auth_tokens):
 * `{"errors": [{"title", "source", "detail"}]}`. An assertion that does not authenticate
 * (missing, malformed, wrong signature or claims, replayed, account not usable) is 401 with
 * title "Not authorized" and source "Authorization", as documented; a request that cannot be
 * read at all is 422, the spec's other client error. 429 and 5xx (not in the spec) keep the shape.
 */
export function highMobilityError(error: unknown, requestId: string): Response {
  const e = toOAuthError(error, requestId);
  let status = e.status;
  let title: string;
  let source: string | undefined;
  switch (e.error) {
    case 'invalid_grant':
    case 'invalid_client':
    case 'unauthorized_client':
    case 'invalid_scope':
      [status, title, source] = [401, 'Not authorized', 'Authorization'];
      break;
    // A DPoP proof that does not pass (or an account that requires one): the spec's 401, naming the header.
    case 'invalid_dpop_proof':
    case 'use_dpop_nonce':
      [status, title, source] = [401, 'Not authorized', 'DPoP'];
      break;
    case 'invalid_request':
      [status, title, source] = [422, 'Invalid request', 'body'];
      break;
    case 'slow_down':
      title = 'Too many requests';
      break;
    case 'temporarily_unavailable':
      title = 'Service unavailable';
      break;
    default:
      title = 'Internal server error';
  }
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Request-Id': requestId };
  if (e.retryAfter) headers['Retry-After'] = String(e.retryAfter);
  return Response.json(
    { errors: [{ title, ...(source ? { source } : {}), detail: e.description }] },
    { status, headers },
  );
}
