import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';

export type GettingStarted = {
  /** The first service account that is not revoked, the one the next steps refer to. */
  account: { id: string; name: string } | null;
  /** The key id of that account's first enabled client secret (never the secret itself). */
  secretKeyId: string | null;
};

/**
 * gettingStarted is what a new organization still has to do before its first token: create a
 * service account, give it a client secret, call the token endpoint. It is null once any service
 * account of the organization has obtained a token (its last use is set by the token audit), so
 * the overview's guide disappears for good after the first success.
 */
export async function gettingStarted(ctx: OrgContext): Promise<GettingStarted | null> {
  const used = await db.serviceAccount.findFirst({
    where: { organizationId: ctx.orgId, lastUsedAt: { not: null } },
    select: { id: true },
  });
  if (used) return null;
  const account = await db.serviceAccount.findFirst({
    where: { organizationId: ctx.orgId, status: { not: 'REVOKED' } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true },
  });
  if (!account) return { account: null, secretKeyId: null };
  const secret = await db.clientSecret.findFirst({
    where: { organizationId: ctx.orgId, serviceAccountId: account.id, status: 'ENABLED' },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  return { account, secretKeyId: secret?.id ?? null };
}
