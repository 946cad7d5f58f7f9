import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { findClientTokenPair, type Principal } from '@/lib/credentials/principals';
import { emitEvent } from '@/lib/events/emit-event';
import { reuseSubject } from '@/lib/events/subjects';
import { db } from '@/lib/db/client';
import {
  type Consumed,
  consumeRefreshToken,
  findRefreshToken,
  issueRefreshToken,
  revokeRefreshFamily,
} from '@/lib/tokens/refresh-token';
import type { TokenAttempt } from '../attempt';
import { assertAccountUsable, assertCredentialUsable } from '../client-auth';
import { issuedDetails, mintFor, resolveScopes, tokenResult } from '../issue-token';
import { refuse, TokenRefusal } from '../refusal';
import { issuedEvent, refusedEvent } from '../token-audit';
import type { GrantHandler, GrantOutcome, TokenCallContext } from './types';

const UNKNOWN = 'The refresh token is invalid, expired or revoked.';

/**
 * refreshGrant rotates a refresh token: the presented token is consumed and a successor of the
 * same family issued in one transaction, with the audit event, under the family's lock
 * (lib/tokens/refresh-token.ts), so a revocation of the family never misses the successor. A
 * token used twice (a stolen copy, or a replay) revokes its whole family and is refused, and the
 * refusal names the family; parallel requests with the same token get one success at most. The
 * successor ends with its family (absolute lifetime), however often it rotates.
 *
 * `client` is the client the request authenticated: it must be the token's own client token
 * pair (RFC 6749 §6). POST /api/oauth/token requires it (refreshToken below); a compat flow
 * whose vendor documents a refresh without client credentials passes `null`.
 */
export async function refreshGrant(
  presented: string,
  attempt: TokenAttempt,
  ctx: TokenCallContext,
  scope: string | null,
  client: Principal | null,
): Promise<GrantOutcome> {
  const stored = await findRefreshToken(presented);
  if (!stored) refuse('invalid_grant', 'unknown_refresh_token', UNKNOWN);
  const principal = stored.clientTokenPairId ? await findClientTokenPair({ id: stored.clientTokenPairId }) : null;
  if (!principal) refuse('invalid_grant', 'unknown_refresh_token', UNKNOWN);
  if (client && client.credentialId !== principal.credentialId)
    refuse('invalid_grant', 'refresh_token_other_client', 'The refresh token was issued to another client.');
  attempt.identified(principal);
  if (stored.revokedAt) refuse('invalid_grant', 'refresh_token_revoked', UNKNOWN);
  if (stored.expiresAt.getTime() <= Date.now()) refuse('invalid_grant', 'refresh_token_expired', UNKNOWN);
  assertCredentialUsable(principal, 'invalid_grant');
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_grant');
  // The refresh grant never widens: the original scopes, minus any the account has lost since.
  const original = stored.scope.split(' ').filter(Boolean);
  const scopes = resolveScopes(
    scope,
    original.filter((s) => principal.account.scopes.includes(s)),
    'refresh_token',
  );
  const narrowing = { projectId: stored.projectId, environmentId: stored.environmentId };
  // A refresh token issued with a DPoP proof needs a proof by the same key (Keycloak #36475
  // accepted a refresh without one); its successor keeps the binding. An unbound one used with a
  // proof gives a bound access token, and its successor is bound from then on.
  const minted = await mintFor(
    principal,
    attempt,
    { scopes, lifetimeSeconds: principal.account.tokenLifetimeSeconds, ...narrowing },
    { jkt: stored.dpopJkt, what: 'refresh token' },
  );
  const d = { ...issuedDetails(minted, narrowing, true), family_id: stored.familyId };
  const family = { family_id: stored.familyId };
  const rotation = await db.$transaction(async (tx): Promise<{ consumed: Consumed; token?: string }> => {
    const consumed = await consumeRefreshToken(tx, stored);
    if (consumed === 'used') {
      // Reuse: revoke the family and record the refusal together.
      await revokeRefreshFamily(tx, stored.familyId);
      await recordAuditEvent(
        tx,
        refusedEvent(attempt, ctx.meta, ctx.endpoint, 'invalid_grant', 'refresh_token_reused', family),
      );
      await emitEvent(
        tx,
        'refresh_token.reuse_detected',
        reuseSubject(principal.account, principal.credentialId, stored.familyId),
      );
      return { consumed };
    }
    if (consumed === 'revoked') return { consumed };
    const { token } = await issueRefreshToken(
      tx,
      principal,
      { scopes: original, ...narrowing, dpopJkt: minted.jkt },
      { jti: minted.jti, expiresAt: minted.expiresAt },
      { familyId: stored.familyId, parentId: stored.id, familyExpiresAt: stored.familyExpiresAt },
    );
    await recordAuditEvent(tx, issuedEvent(attempt, ctx.meta, ctx.endpoint, d));
    return { consumed, token };
  });
  if (rotation.consumed === 'used') {
    const error = new TokenRefusal(
      'invalid_grant',
      'refresh_token_reused',
      'This refresh token has been used already; its whole family is now revoked.',
    );
    error.audited = true;
    throw error;
  }
  if (rotation.token === undefined) refuse('invalid_grant', 'refresh_token_revoked', UNKNOWN);
  return { principal, result: tokenResult(minted, { refresh_token: rotation.token }), details: d, audited: true };
}

/**
 * refresh_token (RFC 6749 §6): rotate a client token pair's refresh token. Refresh tokens are
 * issued to confidential clients only (a token pair's server token is its secret), so the
 * request must authenticate that same client.
 */
export const refreshToken: GrantHandler = {
  type: 'refresh_token',
  cacheable: false,
  handle({ form, client, attempt, ctx }) {
    const token = form.get('refresh_token');
    if (!token) refuse('invalid_request', 'refresh_token_missing', 'refresh_token is required.');
    if (!client) refuse('invalid_client', 'no_client_auth', 'Client authentication is required.');
    return refreshGrant(token, attempt, ctx, form.get('scope'), client.principal);
  },
};
