import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { findClientTokenPair, type Principal } from '@/lib/credentials/principals';
import { db } from '@/lib/db/client';
import { mintAccessToken } from '@/lib/tokens/access-token';
import {
  consumeRefreshToken,
  findRefreshToken,
  issueRefreshToken,
  revokeRefreshFamily,
} from '@/lib/tokens/refresh-token';
import type { TokenAttempt } from '../attempt';
import { assertAccountUsable, assertCredentialUsable } from '../client-auth';
import { issuedDetails, resolveScopes, tokenResult } from '../issue-token';
import { refuse, TokenRefusal } from '../refusal';
import { issuedEvent, refusedEvent } from '../token-audit';
import type { GrantHandler, GrantOutcome, TokenCallContext } from './types';

const UNKNOWN = 'The refresh token is invalid, expired or revoked.';

/**
 * refreshGrant rotates a refresh token: the presented token is consumed and a successor of the
 * same family issued in one transaction, with the audit event. A token used twice (a stolen
 * copy, or a replay) revokes its whole family and is refused; parallel requests with the same
 * token get one success at most.
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
  attempt.identified(principal);
  if (client && client.account.id !== principal.account.id)
    refuse('invalid_grant', 'refresh_token_other_client', 'The refresh token was issued to another client.');
  if (stored.revokedAt) refuse('invalid_grant', 'refresh_token_revoked', UNKNOWN);
  if (stored.expiresAt.getTime() <= Date.now()) refuse('invalid_grant', 'refresh_token_expired', UNKNOWN);
  assertCredentialUsable(principal, 'invalid_grant');
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_grant');
  // The refresh grant never widens: the original scopes, minus any the account has lost since.
  const original = stored.scope.split(' ').filter(Boolean);
  const scopes = resolveScopes(
    scope,
    original.filter((s) => principal.account.scopes.includes(s)),
  );
  const narrowing = { projectId: stored.projectId, environmentId: stored.environmentId };
  const minted = await mintAccessToken({
    serviceAccountId: principal.account.id,
    clientId: principal.credentialId,
    scopes,
    lifetimeSeconds: principal.account.tokenLifetimeSeconds,
    ...narrowing,
  });
  const d = issuedDetails(minted, narrowing, true);
  try {
    const refreshToken = await db.$transaction(async (tx) => {
      if (!(await consumeRefreshToken(tx, stored)))
        refuse(
          'invalid_grant',
          'refresh_token_reused',
          'This refresh token has been used already; its whole family is now revoked.',
        );
      const token = await issueRefreshToken(
        tx,
        principal,
        { scopes: original, ...narrowing },
        { jti: minted.jti, expiresAt: minted.expiresAt },
        { familyId: stored.familyId, parentId: stored.id },
      );
      await recordAuditEvent(tx, issuedEvent(attempt, ctx.meta, ctx.endpoint, d));
      return token;
    });
    return { principal, result: tokenResult(minted, { refresh_token: refreshToken }), details: d, audited: true };
  } catch (error) {
    if (!(error instanceof TokenRefusal) || error.reason !== 'refresh_token_reused') throw error;
    // Reuse: revoke the family and record the refusal together.
    await db.$transaction(async (tx) => {
      await revokeRefreshFamily(tx, stored.familyId);
      await recordAuditEvent(
        tx,
        refusedEvent(attempt, ctx.meta, ctx.endpoint, 'invalid_grant', 'refresh_token_reused'),
      );
    });
    error.audited = true;
    throw error;
  }
}

/** refresh_token (RFC 6749 §6): rotate a client token pair's refresh token. */
export const refreshToken: GrantHandler = {
  type: 'refresh_token',
  cacheable: false,
  handle({ form, client, attempt, ctx }) {
    const token = form.get('refresh_token');
    if (!token) refuse('invalid_request', 'refresh_token_missing', 'refresh_token is required.');
    return refreshGrant(token, attempt, ctx, form.get('scope'), client?.principal ?? null);
  },
};
