import 'server-only';
import { generateSecret, isWellFormedSecret } from '@/lib/credentials/secret-format';
import { keyedHash, keyedHashCandidates } from '@/lib/crypto/keyed-hash';
import { db, type Tx } from '@/lib/db/client';
import { newId } from '@/lib/ids';
import type { Principal } from '@/lib/credentials/principals';

/** A refresh token lives 30 days, and is single-use: each use rotates it. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 86_400;

export type RefreshGrant = { scopes: string[]; projectId: string | null; environmentId: string | null };

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
  chain?: { familyId: string; parentId: string },
  now = new Date(),
): Promise<string> {
  const token = generateSecret('refreshToken');
  const id = newId('refreshToken');
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
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_SECONDS * 1000),
      accessJti: access.jti,
      accessExpiresAt: access.expiresAt,
    },
  });
  return token;
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
  usedAt: Date | null;
  revokedAt: Date | null;
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
      usedAt: true,
      revokedAt: true,
    },
  });
}

/**
 * consumeRefreshToken marks a refresh token used, atomically: of two parallel requests with the
 * same token exactly one gets the row (UPDATE … WHERE used_at IS NULL; the loser waits on the
 * row lock and then sees it used). Run inside the transaction that issues the successor, so a
 * loser that detects reuse afterwards always finds the successor to revoke with the family.
 * Returns false when the token was used or revoked already (reuse: the caller refuses it).
 */
export async function consumeRefreshToken(tx: Tx, stored: StoredRefreshToken, now = new Date()): Promise<boolean> {
  const updated = await tx.$executeRaw`
    UPDATE refresh_tokens SET used_at = ${now} WHERE id = ${stored.id} AND used_at IS NULL AND revoked_at IS NULL`;
  return updated === 1;
}

/**
 * revokeRefreshFamily revokes every token of a family (reuse detection, RFC 7009 revocation)
 * and the access tokens issued with them that have not expired yet (RFC 7009 §2.1). Returns
 * how many refresh tokens it revoked.
 */
export async function revokeRefreshFamily(tx: Tx, familyId: string, now = new Date()): Promise<number> {
  await tx.$executeRaw`
    INSERT INTO revoked_tokens (jti, organization_id, service_account_id, expires_at)
    SELECT access_jti, organization_id, service_account_id, access_expires_at FROM refresh_tokens
    WHERE family_id = ${familyId} AND access_jti IS NOT NULL AND access_expires_at > ${now}
    ON CONFLICT (jti) DO NOTHING`;
  return tx.$executeRaw`UPDATE refresh_tokens SET revoked_at = ${now} WHERE family_id = ${familyId} AND revoked_at IS NULL`;
}
