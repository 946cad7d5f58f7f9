import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { lockAccount } from '@/lib/service-accounts/lock-account';
import type { LiveTokenDto } from '@/lib/service-accounts/schema';
import { credentialStateJoin, narrowingHoldsSql } from './token-state';

/** The longest access token lifetime an account can have (service_accounts CHECK: 60..86400 s). */
const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
const LIST_LIMIT = 100;

type LiveRow = {
  jti: string;
  client_id: string | null;
  scope: string | null;
  grant_type: string | null;
  ip: string | null;
  issued_at: Date;
  expires_at: Date;
};

/**
 * The access tokens of one account that would still be accepted, read from their `token.issued`
 * audit events (the token service keeps no other record of an access token): unexpired, not
 * revoked, the account ACTIVE, the credential that obtained it enabled and unexpired, and issued
 * after the account's last suspension and the credential's last disable, its exchange chain's
 * first token (root_jti) not revoked either, and its narrowing still holding, the same rules as
 * lib/tokens/token-state.ts, compared at whole seconds as there. Parameters: organization, account
 * (and the jti, with `oneJti`).
 */
const liveSql = (oneJti: boolean) => `
  SELECT e.details->>'jti' AS jti, e.details->>'client_id' AS client_id, e.details->>'scope' AS scope,
         e.details->>'grant_type' AS grant_type, e.ip, e.occurred_at AS issued_at,
         e.occurred_at + make_interval(secs => (e.details->>'expires_in')::float8) AS expires_at
  FROM audit_events e
  JOIN service_accounts sa ON sa.id = e.actor_id AND sa.organization_id = e.organization_id
  ${credentialStateJoin("e.details->>'client_id'")}
  WHERE e.organization_id = $1 AND e.actor_id = $2 AND e.action = 'token.issued'
    AND e.occurred_at > now() - make_interval(secs => ${MAX_TOKEN_LIFETIME_SECONDS})
    AND jsonb_typeof(e.details->'expires_in') = 'number' AND ${oneJti ? `e.details->>'jti' = $3` : `e.details ? 'jti'`}
    AND e.occurred_at + make_interval(secs => (e.details->>'expires_in')::float8) > now()
    AND sa.status = 'ACTIVE' AND COALESCE(cred.ok, false)
    AND (sa.tokens_valid_after IS NULL
         OR floor(extract(epoch FROM e.occurred_at)) > floor(extract(epoch FROM sa.tokens_valid_after)))
    AND (cred.tokens_valid_after IS NULL
         OR floor(extract(epoch FROM e.occurred_at)) > floor(extract(epoch FROM cred.tokens_valid_after)))
    AND NOT EXISTS (SELECT 1 FROM revoked_tokens r
                    WHERE r.jti = e.details->>'jti' OR r.jti = e.details->>'root_jti')
    AND ${narrowingHoldsSql("e.details->>'project_id'", "e.details->>'environment_id'")}
  ORDER BY e.occurred_at DESC, e.id DESC
  LIMIT ${LIST_LIMIT}`;

function toDto(row: LiveRow): LiveTokenDto {
  return {
    jti: row.jti,
    clientId: row.client_id,
    scope: row.scope ?? '',
    grantType: row.grant_type,
    ip: row.ip,
    issuedAt: row.issued_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}

/**
 * listLiveTokens lists the newest (at most 100) access tokens of a service account of the
 * caller's organization that are live right now. Another organization's account is not_found.
 */
export async function listLiveTokens(ctx: OrgContext, accountId: string): Promise<LiveTokenDto[]> {
  assertCan(ctx, 'service_accounts.read');
  const account = await db.serviceAccount.findFirst({
    where: { id: accountId, organizationId: ctx.orgId },
    select: { id: true },
  });
  if (!account) throw new AppError('not_found', 'Service account not found.');
  const rows = await db.$queryRawUnsafe<LiveRow[]>(liveSql(false), ctx.orgId, accountId);
  return rows.map(toDto);
}

/**
 * revokeLiveToken revokes one access token of an account by its jti, as RFC 7009 revocation
 * does for its own client: every instance refuses it on the next request (introspection, token
 * exchange and the management API read revoked_tokens). The jti must be a token this account
 * was issued within the longest lifetime, or not_found: nobody revokes by guessing ids of
 * another account or organization. Revoking twice is not_found the second time (it is no
 * longer live). Audited `token.revoked`.
 */
export async function revokeLiveToken(ctx: OrgContext, accountId: string, jti: string): Promise<LiveTokenDto> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    const live = (await tx.$queryRawUnsafe<LiveRow[]>(liveSql(true), ctx.orgId, accountId, jti))[0];
    if (!live) throw new AppError('not_found', 'No live token of this service account has this id.');
    await tx.$executeRaw`
      INSERT INTO revoked_tokens (jti, organization_id, service_account_id, expires_at)
      VALUES (${live.jti}, ${ctx.orgId}, ${accountId}, ${new Date(live.expires_at.getTime() + 1000)})
      ON CONFLICT (jti) DO NOTHING`;
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'token.revoked',
      target: { type: 'service_account', id: accountId },
      meta: ctx,
      details: { token_type: 'access_token', jti: live.jti, client_id: live.client_id, name: account.name },
    });
    return toDto(live);
  });
  // (expires_at + 1 s: the event's time may trail the token's iat by a moment; the revocation
  // must outlive the token, since purgeRevokedTokens forgets it after.)
}
