import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Principal } from '@/lib/credentials/principals';
import { db } from '@/lib/db/client';
import { requestMeta } from '@/lib/http/request-meta';
import { verifyAccessToken } from '@/lib/tokens/access-token';
import { findRefreshToken, revokeRefreshFamily } from '@/lib/tokens/refresh-token';
import { revokeAccessToken } from '@/lib/tokens/token-state';
import { authenticateCaller } from './caller-auth';
import { oauthErrorReply, oauthReply, readForm, toResponse, type OAuthReply, type OAuthRequest } from './errors';
import { refuse } from './refusal';

type Actor = { type: 'SERVICE_ACCOUNT'; id: string; label: string };

/**
 * refuseOtherClient answers a client that asks to revoke a token issued to another client:
 * RFC 7009 §2.1 says the request is refused, and the token stays valid. The refusal is audited
 * in the caller's organization (which token it was is not: it may be another organization's).
 */
async function refuseOtherClient(caller: Principal, actor: Actor, meta: RequestMeta, tokenType: string) {
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      organizationId: caller.account.organizationId,
      actor,
      action: 'token.revocation_refused',
      target: { type: 'service_account', id: caller.account.id },
      outcome: 'FAILURE',
      meta,
      details: { token_type: tokenType, reason: 'other_client', client_id: caller.credentialId },
    }),
  );
  refuse('unauthorized_client', 'revoke_other_client', 'The token was not issued to this client.');
}

/**
 * revoke implements RFC 7009 for the caller's own tokens: an access token whose client_id is the
 * caller's credential (its jti is recorded until it would expire) or a refresh token of the
 * caller's client token pair (its whole family, and the access tokens issued with it) is revoked
 * and audited. An unknown, malformed or expired token is ignored (200, §2.2); a valid token issued
 * to another client is refused with unauthorized_client and stays valid (§2.1). Both kinds are
 * looked for whatever token_type_hint says (§2.1: the hint only speeds the search).
 */
export async function revoke(caller: Principal, token: string, meta: RequestMeta): Promise<void> {
  const actor: Actor = { type: 'SERVICE_ACCOUNT', id: caller.account.id, label: caller.account.name };
  const orgId = caller.account.organizationId;
  if (token.startsWith('lk_rt_')) {
    const stored = await findRefreshToken(token);
    if (!stored) return;
    if (stored.clientTokenPairId !== caller.credentialId)
      return refuseOtherClient(caller, actor, meta, 'refresh_token');
    await db.$transaction(async (tx) => {
      const count = await revokeRefreshFamily(tx, stored.familyId);
      await recordAuditEvent(tx, {
        organizationId: orgId,
        actor,
        action: 'token.revoked',
        target: { type: 'service_account', id: caller.account.id },
        meta,
        details: {
          token_type: 'refresh_token',
          family_id: stored.familyId,
          revoked: count,
          client_id: caller.credentialId,
        },
      });
    });
    return;
  }
  const claims = await verifyAccessToken(token);
  if (!claims) return;
  if (claims.client_id !== caller.credentialId || claims.sub !== caller.account.id)
    return refuseOtherClient(caller, actor, meta, 'access_token');
  await db.$transaction(async (tx) => {
    await revokeAccessToken(tx, claims, orgId);
    await recordAuditEvent(tx, {
      organizationId: orgId,
      actor,
      action: 'token.revoked',
      target: { type: 'service_account', id: caller.account.id },
      meta,
      details: { token_type: 'access_token', jti: claims.jti, client_id: caller.credentialId },
    });
  });
}

/** revocationEndpoint is POST /api/oauth/revoke (both mounts). */
export async function revocationEndpoint(request: OAuthRequest): Promise<OAuthReply> {
  const meta = requestMeta(request.headers);
  try {
    const form = await readForm(request);
    const caller = await authenticateCaller(request, form, meta.ip);
    const token = form.get('token');
    if (!token) refuse('invalid_request', 'token_missing', 'token is required.');
    // token_type_hint is only a hint (RFC 7009 §2.1): any value, known or not, is read and ignored.
    await revoke(caller, token, meta);
    return oauthReply({}, meta.requestId);
  } catch (error) {
    return oauthErrorReply(error, meta.requestId);
  }
}

export async function handleRevocation(request: Request): Promise<Response> {
  return toResponse(await revocationEndpoint(request));
}
