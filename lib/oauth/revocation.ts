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

/**
 * revoke implements RFC 7009: an access token (its jti is recorded until it would expire) or a
 * refresh token (its whole family) of the caller's own service account is revoked and audited.
 * Unknown, invalid or foreign tokens are ignored: the answer is 200 either way (RFC 7009 §2.2).
 */
export async function revoke(caller: Principal, token: string, meta: RequestMeta): Promise<void> {
  const actor = { type: 'SERVICE_ACCOUNT', id: caller.account.id, label: caller.account.name } as const;
  const orgId = caller.account.organizationId;
  if (token.startsWith('lk_rt_')) {
    const stored = await findRefreshToken(token);
    if (!stored || stored.serviceAccountId !== caller.account.id) return;
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
  if (!claims || claims.sub !== caller.account.id) return;
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
    const hint = form.get('token_type_hint');
    if (hint !== null && hint !== 'access_token' && hint !== 'refresh_token') {
      return oauthReply(
        {
          error: 'unsupported_token_type',
          error_description: 'token_type_hint must be access_token or refresh_token.',
        },
        meta.requestId,
        400,
      );
    }
    await revoke(caller, token, meta);
    return oauthReply({}, meta.requestId);
  } catch (error) {
    return oauthErrorReply(error, meta.requestId);
  }
}

export async function handleRevocation(request: Request): Promise<Response> {
  return toResponse(await revocationEndpoint(request));
}
