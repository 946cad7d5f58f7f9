import 'server-only';
import { generateSecret, isWellFormedSecret } from '@/lib/credentials/secret-format';
import { keyedHash, keyedHashCandidates } from '@/lib/crypto/keyed-hash';
import { db, type Tx } from '@/lib/db/client';
import { env } from '@/lib/env';
import { newId } from '@/lib/ids';
import type { Principal } from '@/lib/credentials/principals';

/**
 * A refresh token lives 30 days, and is single-use: each use rotates it. Its family (every token
 * rotated from the same first one) ends REFRESH_TOKEN_FAMILY_LIFETIME_DAYS after it started,
 * however often it rotates: no token of it lives past that.
 */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 86_400;

function familyLifetimeMs(): number {
  return env().REFRESH_TOKEN_FAMILY_LIFETIME_DAYS * 86_400_000;
}

/** What a refresh token grants; `dpopJkt`: the DPoP key it is bound to (refreshing needs a proof by that key). */
export type RefreshGrant = {
  scopes: string[];
  projectId: string | null;
  environmentId: string | null;
  dpopJkt?: string | null;
};

/** The access token handed out together with a refresh token (revoked with its family). */
export type CompanionAccessToken = { jti: string; expiresAt: Date };

/**
 * issueRefreshToken stores a new refresh token (only its keyed hash) for a client token pair,
 * starting a family or continuing one (rotation), inside the caller's transaction, with the
 * access token issued together with it.
 */
export async function issueRefreshToken(
  tx: Tx,
  principal: Principal,
  grant: RefreshGrant,
  access: CompanionAccessToken,
  chain?: { familyId: string; parentId: string; familyExpiresAt: Date },
  now = new Date(),
): Promise<{ token: string; familyId: string }> {
  const token = generateSecret('refreshToken');
  const id = newId('refreshToken');
  const familyExpiresAt = chain?.familyExpiresAt ?? new Date(now.getTime() + familyLifetimeMs());
  const expiresAt = Math.min(now.getTime() + REFRESH_TOKEN_LIFETIME_SECONDS * 1000, familyExpiresAt.getTime());
  await tx.refreshToken.create({
    data: {
      id,
      organizationId: principal.account.organizationId,
      serviceAccountId: principal.account.id,
      familyId: chain?.familyId ?? id,
      parentId: chain?.parentId ?? null,
      tokenHash: new Uint8Array(keyedHash(token).hash),
      clientTokenPairId: principal.kind === 'client_token_pair' ? principal.credentialId : null,
      scope: grant.scopes.join(' '),
      projectId: grant.projectId,
      environmentId: grant.environmentId,
      expiresAt: new Date(expiresAt),
      familyExpiresAt,
      accessJti: access.jti,
      accessExpiresAt: access.expiresAt,
      dpopJkt: grant.dpopJkt ?? null,
    },
  });
  return { token, familyId: chain?.familyId ?? id };
}

export type StoredRefreshToken = {
  id: string;
  familyId: string;
  organizationId: string;
  serviceAccountId: string;
  clientTokenPairId: string | null;
  scope: string;
  projectId: string | null;
  environmentId: string | null;
  expiresAt: Date;
  familyExpiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  dpopJkt: string | null;
};

/** findRefreshToken looks a presented refresh token up by its keyed hash (every key version). */
export async function findRefreshToken(presented: string): Promise<StoredRefreshToken | null> {
  if (!isWellFormedSecret('refreshToken', presented)) return null;
  return db.refreshToken.findFirst({
    where: { tokenHash: { in: keyedHashCandidates(presented).map((c) => new Uint8Array(c.hash)) } },
    select: {
      id: true,
      familyId: true,
      organizationId: true,
      serviceAccountId: true,
      clientTokenPairId: true,
      scope: true,
      projectId: true,
      environmentId: true,
      expiresAt: true,
      familyExpiresAt: true,
      usedAt: true,
      revokedAt: true,
      dpopJkt: true,
    },
  });
}

/**
 * lockRefreshFamily serializes, across instances, every transaction that changes one family:
 * a rotation and a revocation of the same family never overlap, so a revocation always sees
 * (and revokes) the successor a rotation committed before it, and a rotation that waited for a
 * revocation finds its token revoked. Held until the transaction ends; take it first.
 */
export async function lockRefreshFamily(tx: Tx, familyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'refresh_family:' + familyId}, 0))`;
}

export type Consumed = 'consumed' | 'used' | 'revoked';

/**
 * consumeRefreshToken marks a refresh token used, atomically and under its family's lock
 * (lockRefreshFamily, taken here): of two parallel requests with the same token exactly one
 * gets it. Run inside the transaction that issues the successor, so a loser that detects reuse
 * afterwards always finds the successor to revoke with the family. A token is not consumed when
 * it was used or revoked already, or when its account or its client token pair was suspended,
 * revoked or disabled at or after the moment it was issued (tokens_valid_after, the same rule as
 * for access tokens in token-state.ts): a rotation that raced a suspension leaves nothing alive.
 */
export async function consumeRefreshToken(tx: Tx, stored: StoredRefreshToken, now = new Date()): Promise<Consumed> {
  await lockRefreshFamily(tx, stored.familyId);
  // The successor's foreign keys take KEY SHARE locks on the account and the token pair rows.
  // Take them now, before any refresh-token row, in the order every writer uses (the account,
  // then its credentials, then refresh tokens, then the audit chain; migration 0010): a
  // suspension or a disable running at the same moment then waits for this rotation or this
  // rotation for it, and neither deadlocks.
  await tx.$executeRaw`SELECT 1 FROM service_accounts WHERE id = ${stored.serviceAccountId} FOR KEY SHARE`;
  if (stored.clientTokenPairId)
    await tx.$executeRaw`SELECT 1 FROM client_token_pairs WHERE id = ${stored.clientTokenPairId} FOR KEY SHARE`;
  const updated = await tx.$executeRaw`
    UPDATE refresh_tokens rt SET used_at = ${now}
    WHERE rt.id = ${stored.id} AND rt.used_at IS NULL AND rt.revoked_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM service_accounts sa
                      WHERE sa.id = rt.service_account_id AND sa.tokens_valid_after >= rt.created_at)
      AND NOT EXISTS (SELECT 1 FROM client_token_pairs c
                      WHERE c.id = rt.client_token_pair_id AND c.tokens_valid_after >= rt.created_at)`;
  if (updated === 1) return 'consumed';
  const row = await tx.refreshToken.findUnique({ where: { id: stored.id }, select: { usedAt: true } });
  return row?.usedAt ? 'used' : 'revoked';
}

/**
 * revokeRefreshFamily revokes every token of a family (reuse detection, RFC 7009 revocation)
 * and the access tokens issued with them that have not expired yet (RFC 7009 §2.1). Returns
 * how many refresh tokens it revoked.
 */
export async function revokeRefreshFamily(tx: Tx, familyId: string, now = new Date()): Promise<number> {
  await lockRefreshFamily(tx, familyId);
  await tx.$executeRaw`
    INSERT INTO revoked_tokens (jti, organization_id, service_account_id, expires_at)
    SELECT access_jti, organization_id, service_account_id, access_expires_at FROM refresh_tokens
    WHERE family_id = ${familyId} AND access_jti IS NOT NULL AND access_expires_at > ${now}
    ON CONFLICT (jti) DO NOTHING`;
  return tx.$executeRaw`UPDATE refresh_tokens SET revoked_at = ${now} WHERE family_id = ${familyId} AND revoked_at IS NULL`;
}

/**
 * refreshTokenUsable tells whether a stored refresh token may be used right now: unused, not
 * revoked, unexpired, its account ACTIVE and its client token pair enabled and unexpired, and
 * neither suspended, revoked nor disabled at or after the token was issued (tokens_valid_after).
 * Introspection answers with it; the rotation itself re-checks all of it under the family lock
 * (consumeRefreshToken).
 */
export async function refreshTokenUsable(stored: StoredRefreshToken, now = new Date()): Promise<boolean> {
  if (stored.usedAt || stored.revokedAt || stored.expiresAt.getTime() <= now.getTime()) return false;
  const rows = await db.$queryRaw<unknown[]>`
    SELECT 1 FROM refresh_tokens rt
    JOIN service_accounts sa ON sa.id = rt.service_account_id
    JOIN client_token_pairs c ON c.id = rt.client_token_pair_id
    WHERE rt.id = ${stored.id} AND rt.used_at IS NULL AND rt.revoked_at IS NULL AND rt.expires_at > ${now}
      AND sa.status = 'ACTIVE' AND (sa.tokens_valid_after IS NULL OR sa.tokens_valid_after < rt.created_at)
      AND c.status = 'ENABLED' AND c.expires_at > ${now}
      AND (c.tokens_valid_after IS NULL OR c.tokens_valid_after < rt.created_at)`;
  return rows.length === 1;
}
