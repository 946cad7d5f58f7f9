import 'server-only';
import { AppError, toAppError, type ErrorCode } from '@/lib/errors';
import { requestMeta } from '@/lib/http/request-meta';
import { logger } from '@/lib/logger';

/** The RFC 6749 §5.2 (and RFC 8693, RFC 8628) error codes the token service answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'unsupported_token_type'
  | 'slow_down'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'temporarily_unavailable'
  | 'server_error';

const DIRECT: Partial<Record<ErrorCode, OAuthErrorCode>> = {
  invalid_client: 'invalid_client',
  invalid_grant: 'invalid_grant',
  unauthorized_client: 'unauthorized_client',
  unsupported_grant_type: 'unsupported_grant_type',
  invalid_scope: 'invalid_scope',
  invalid_target: 'invalid_target',
  invalid_dpop_proof: 'invalid_dpop_proof',
  use_dpop_nonce: 'use_dpop_nonce',
  // Rate limits: RFC 8628's `slow_down` is the registered token-endpoint error meaning "ask
  // less often"; it comes with 429 and Retry-After.
  rate_limited: 'slow_down',
  temporarily_unavailable: 'temporarily_unavailable',
  // The database cannot be reached: RFC 6749 §5.2's temporarily_unavailable, 503 + Retry-After.
  service_unavailable: 'temporarily_unavailable',
};

export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * toOAuthError maps any error to its RFC 6749 code and a safe description. Every 5xx is logged
 * with the request id and its cause (unknown errors at error level); nothing of it is shown.
 */
export function toOAuthError(
  error: unknown,
  requestId: string,
): { error: OAuthErrorCode; description: string; status: number; retryAfter?: number } {
  const app = toAppError(error);
  if (!app || app.code === 'internal') {
    logger.error({ err: error, requestId }, 'token service failed');
    return { error: 'server_error', description: 'Something went wrong on our side.', status: 500 };
  }
  // Every 5xx is logged with its request id and cause (an outage, an overloaded database…): the
  // caller only sees the request id, and an operator must be able to find why from it.
  if (app.status >= 500) logger.warn({ err: app.cause ?? app, code: app.code, requestId }, 'token service failed');
  // A token-service code keeps its error's status (lib/errors.ts ERROR_STATUS); any other
  // error is the client's invalid_request, or our server_error.
  const direct = DIRECT[app.code];
  if (direct) return { error: direct, description: app.detail, status: app.status, retryAfter: app.retryAfterSeconds };
  if (app.status >= 500) return { error: 'server_error', description: app.detail, status: 500 };
  return { error: 'invalid_request', description: app.detail, status: 400, retryAfter: app.retryAfterSeconds };
}

/**
 * What the token endpoints need of an HTTP request and give back, whichever server received it:
 * the Next.js route handlers (a WHATWG Request fits OAuthRequest as is) and the production
 * server's fast path (scripts/server.ts via lib/oauth/node-mount.ts), so that both mounts run
 * one implementation. `text()` rejects with invalid_request when the body is over the limit.
 */
export type OAuthRequest = {
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The request target (absolute, or a path with its query): read for credentials misplaced in the query string. */
  url?: string;
};
export type OAuthReply = { status: number; headers: Record<string, string>; body: string };

/** toResponse turns a reply into a WHATWG Response (the Next.js mount). */
export function toResponse(reply: OAuthReply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

/**
 * safeErrorDescription keeps an error_description within the characters RFC 6749 §5.2 allows
 * (%x20-21 / %x23-5B / %x5D-7E): a double quote becomes a single one, a backslash a slash, any
 * other character (control, non-ASCII) a question mark. Clients may put the text into a header
 * or a log line; it must not be able to break out of either.
 */
export function safeErrorDescription(description: string): string {
  return description.replace(/[^\x20-\x7e]|["\\]/g, (c) => (c === '"' ? "'" : c === '\\' ? '/' : '?'));
}

/**
 * oauthErrorReply renders an error as RFC 6749 §5.2 JSON: `error`, `error_description`,
 * no-store caching; invalid_client answers 401 with `WWW-Authenticate: Basic` (RFC 6749 says
 * so when Basic was used; sent always, so clients learn the scheme), slow_down Retry-After.
 * The description is reduced to RFC 6749 §5.2 characters (safeErrorDescription).
 */
export function oauthErrorReply(error: unknown, requestId: string): OAuthReply {
  const e = toOAuthError(error, requestId);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    ...NO_STORE,
    'X-Request-Id': requestId,
  };
  if (e.error === 'invalid_client') headers['WWW-Authenticate'] = 'Basic realm="latchkey", charset="UTF-8"';
  if (e.retryAfter) headers['Retry-After'] = String(e.retryAfter);
  return {
    status: e.status,
    headers,
    body: JSON.stringify({ error: e.error, error_description: safeErrorDescription(e.description) }),
  };
}

/** oauthErrorResponse is oauthErrorReply as a Response. */
export function oauthErrorResponse(error: unknown, requestId: string): Response {
  return toResponse(oauthErrorReply(error, requestId));
}

/** oauthReply renders a successful token-service answer (never cached). */
export function oauthReply(body: unknown, requestId: string, status = 200): OAuthReply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...NO_STORE, 'X-Request-Id': requestId },
    body: JSON.stringify(body),
  };
}

/** The largest form body the token endpoints read (both mounts). */
export const MAX_FORM_BYTES = 64 * 1024;

export function bodyTooLarge(): AppError {
  return new AppError('invalid_request', 'The request body is too large.');
}

/** Parameters that carry a credential or a grant: never accepted in the query string. */
const QUERY_CREDENTIALS = [
  'client_secret',
  'client_assertion',
  'refresh_token',
  'assertion',
  'subject_token',
  'actor_token',
  'token',
];

/**
 * refuseQueryCredentials refuses a request whose query string carries a credential (RFC 6749
 * §2.3.1, §3.2: parameters go in the body): URLs end up in access logs, proxies and browser
 * history, so the credential is already exposed, and silently ignoring it beside valid Basic
 * credentials would hide that from the client. invalid_request; the value is never read further.
 */
export function refuseQueryCredentials(request: OAuthRequest): void {
  if (!request.url) return;
  const q = request.url.indexOf('?');
  if (q < 0) return;
  const query = new URLSearchParams(request.url.slice(q + 1).split('#')[0]);
  const found = QUERY_CREDENTIALS.filter((name) => query.has(name));
  if (found.length > 0)
    throw new AppError(
      'invalid_request',
      `Credentials may not be sent in the query string (${found.join(', ')}); send them in the form body, and replace them: they may have been logged.`,
    );
}

/**
 * readForm reads an application/x-www-form-urlencoded body (RFC 6749 §3.2); anything else is
 * invalid_request, and so is a request with a credential in its query string (refuseQueryCredentials).
 */
export async function readForm(request: OAuthRequest): Promise<URLSearchParams> {
  refuseQueryCredentials(request);
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new AppError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) throw bodyTooLarge();
  return new URLSearchParams(text);
}

/**
 * methodNotAllowedReply answers a method other than POST on a POST-only endpoint (token,
 * introspection, revocation): 405 with `Allow: POST` (RFC 9110 §15.5.6) and an RFC 6749-style
 * JSON body, so that a client reading JSON learns what went wrong. Both mounts.
 */
export function methodNotAllowedReply(request: Pick<OAuthRequest, 'headers'>): OAuthReply {
  const { requestId } = requestMeta(request.headers);
  return {
    status: 405,
    headers: { 'Content-Type': 'application/json', ...NO_STORE, 'X-Request-Id': requestId, Allow: 'POST' },
    body: JSON.stringify({ error: 'invalid_request', error_description: 'This endpoint only accepts POST.' }),
  };
}

/** methodNotAllowed is methodNotAllowedReply as a Next.js route handler. */
export function methodNotAllowed(request: Request): Response {
  return toResponse(methodNotAllowedReply(request));
}
