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
 * authenticateManagementBearer verifies an access token presented to /api/v1 and returns its
 * caller when the token is valid (Latchkey signature, issuer, audience, expiry), active (not
 * revoked, account ACTIVE, its credential enabled and unexpired) and belongs to an `isAdmin`
 * service account; null otherwise. The organization comes from the account row, never from
 * the request. The token's scopes are returned as issued: apiRoute checks that one of them
 * grants the route's permission (a scope the account no longer holds is dropped here).
 */
export async function authenticateManagementBearer(token: string, _meta: RequestMeta): Promise<BearerCaller | null> {
  const active = await activeAccessToken(token);
  if (!active || !active.isAdmin) return null;
  // A token narrowed to a project (token exchange) must not manage the whole organization.
  if (active.claims.project_id || active.claims.environment_id) return null;
  return {
    orgId: active.organizationId,
    orgSlug: active.orgSlug,
    serviceAccountId: active.claims.sub,
    serviceAccountName: active.accountName,
    scopes: active.scopes,
  };
}
