import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';
import { activeAccessToken } from '@/lib/tokens/token-state';

/** What a verified management access token tells about its caller. */
export type BearerCaller = {
  orgId: string;
  orgSlug: string;
  serviceAccountId: string;
  serviceAccountName: string;
  scopes: string[];
};

/**
 * A valid, active token that may not use the management API at all: its account is not
 * `isAdmin`, or the token was narrowed to a project. RFC 6750 §3.1 calls this
 * insufficient_scope (403), not invalid_token (401): retrying with the same token cannot help,
 * and the client must not be told to re-authenticate as if its token were broken.
 */
export const NOT_A_MANAGEMENT_TOKEN = 'not_a_management_token' as const;

/**
 * authenticateManagementBearer verifies an access token presented to /api/v1 and returns its
 * caller when the token is valid (Latchkey signature, issuer, audience, expiry), active (not
 * revoked, account ACTIVE, its credential enabled and unexpired) and belongs to an `isAdmin`
 * service account; null otherwise. The organization comes from the account row, never from
 * the request. The token's scopes are returned as issued: apiRoute checks that one of them
 * grants the route's permission (a scope the account no longer holds is dropped here).
 * A token that is valid and active but not a management token (see NOT_A_MANAGEMENT_TOKEN)
 * answers that marker, so the caller can refuse it with 403 rather than 401.
 */
export async function authenticateManagementBearer(
  token: string,
  _meta: RequestMeta,
): Promise<BearerCaller | typeof NOT_A_MANAGEMENT_TOKEN | null> {
  const active = await activeAccessToken(token);
  if (!active) return null;
  if (!active.isAdmin) return NOT_A_MANAGEMENT_TOKEN;
  // A token narrowed to a project (token exchange) must not manage the whole organization.
  if (active.claims.project_id || active.claims.environment_id) return NOT_A_MANAGEMENT_TOKEN;
  return {
    orgId: active.organizationId,
    orgSlug: active.orgSlug,
    serviceAccountId: active.claims.sub,
    serviceAccountName: active.accountName,
    scopes: active.scopes,
  };
}
