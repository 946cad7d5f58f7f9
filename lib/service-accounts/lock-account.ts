import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

export type LockedAccount = {
  id: string;
  name: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
  platform: 'SERVER' | 'WEB' | 'ANDROID' | 'IOS' | 'DESKTOP';
};

/**
 * lockAccount reads a service account of the caller's organization FOR UPDATE, so concurrent
 * changes to it (status changes, the enabled-credential limits) run one after the other.
 * Throws not_found for an unknown id or another organization's account: 404 rather than 403,
 * so another organization's account looks exactly like a missing one.
 *
 * Lock order (every writer, the token service's audit batch included, migration 0010): the
 * account row first, then its credential rows (client secrets, key pairs, client token pairs),
 * then the organization's audit chain lock (recordAuditEvent, last). A transaction that took
 * them in another order could deadlock with token traffic, and PostgreSQL would abort the
 * administrator's suspension or revocation.
 */
export async function lockAccount(tx: Tx, ctx: OrgContext, accountId: string): Promise<LockedAccount> {
  const rows = await tx.$queryRaw<LockedAccount[]>`
    SELECT id, name, status::text AS status, platform::text AS platform
    FROM service_accounts
    WHERE id = ${accountId} AND organization_id = ${ctx.orgId}
    FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new AppError('not_found', 'Service account not found.');
  return row;
}

/** assertNotRevoked refuses changes to a revoked account: revocation is terminal. */
export function assertNotRevoked(account: LockedAccount): void {
  if (account.status === 'REVOKED')
    throw new AppError('account_revoked', 'This service account is revoked: it cannot change any more.');
}
