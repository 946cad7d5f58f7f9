import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';

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
 * caller when the token is valid, active (not revoked, account active) and belongs to an
 * `isAdmin` service account; null otherwise.
 * TODO(#4): verify the JWT with the token service once it lands; until then no bearer token is accepted.
 */
export async function authenticateManagementBearer(_token: string, _meta: RequestMeta): Promise<BearerCaller | null> {
  return null;
}
