import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import { emitEvent } from '@/lib/events/emit-event';
import { credentialSubject } from '@/lib/events/subjects';
import { assertMayIssueCredentialFor } from '@/lib/auth/grant-rules';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { assertNotRevoked, lockAccount } from '@/lib/service-accounts/lock-account';
import { MAX_ENABLED_KEY_PAIRS, MAX_ENABLED_SECRETS, MAX_ENABLED_TOKEN_PAIRS } from '@/lib/service-accounts/schema';
import { MAX_ENABLED_FEDERATED_CREDENTIALS } from '@/lib/federation/schema';

export type CredentialKind = 'client_secret' | 'key_pair' | 'client_token_pair' | 'federated_credential';

export const CREDENTIAL_LABEL: Record<CredentialKind, string> = {
  client_secret: 'Client secret',
  key_pair: 'Key pair',
  client_token_pair: 'Client token pair',
  federated_credential: 'Federated credential',
};
const LIMIT: Record<CredentialKind, number> = {
  client_secret: MAX_ENABLED_SECRETS,
  key_pair: MAX_ENABLED_KEY_PAIRS,
  client_token_pair: MAX_ENABLED_TOKEN_PAIRS,
  federated_credential: MAX_ENABLED_FEDERATED_CREDENTIALS,
};

type Where = { id?: string; serviceAccountId: string; organizationId: string; status?: 'ENABLED' | 'DISABLED' };
type Row = { id: string; status: 'ENABLED' | 'DISABLED' };

/**
 * statusChange is what enabling or disabling writes. A disable also ends, for good, every token
 * the credential obtained until now (tokensValidAfter, lib/tokens/token-state.ts): enabling it
 * again lets it obtain new tokens, never revives the old ones.
 */
function statusChange(status: Row['status']) {
  return status === 'DISABLED' ? { status, tokensValidAfter: new Date() } : { status };
}

/** credentialTable gives the same three operations over the three credential tables. */
export function credentialTable(tx: Tx, kind: CredentialKind) {
  const select = { id: true, status: true } as const;
  switch (kind) {
    case 'client_secret':
      return {
        find: (where: Where): Promise<Row | null> => tx.clientSecret.findFirst({ where, select }),
        count: (where: Where) => tx.clientSecret.count({ where }),
        setStatus: (id: string, orgId: string, status: Row['status']) =>
          tx.clientSecret.update({ where: { id, organizationId: orgId }, data: statusChange(status), select }),
        remove: (id: string, orgId: string) => tx.clientSecret.delete({ where: { id, organizationId: orgId }, select }),
      };
    case 'key_pair':
      return {
        find: (where: Where): Promise<Row | null> => tx.keyPair.findFirst({ where, select }),
        count: (where: Where) => tx.keyPair.count({ where }),
        setStatus: (id: string, orgId: string, status: Row['status']) =>
          tx.keyPair.update({ where: { id, organizationId: orgId }, data: statusChange(status), select }),
        remove: (id: string, orgId: string) => tx.keyPair.delete({ where: { id, organizationId: orgId }, select }),
      };
    case 'client_token_pair':
      return {
        find: (where: Where): Promise<Row | null> => tx.clientTokenPair.findFirst({ where, select }),
        count: (where: Where) => tx.clientTokenPair.count({ where }),
        setStatus: (id: string, orgId: string, status: Row['status']) =>
          tx.clientTokenPair.update({ where: { id, organizationId: orgId }, data: statusChange(status), select }),
        remove: (id: string, orgId: string) =>
          tx.clientTokenPair.delete({ where: { id, organizationId: orgId }, select }),
      };
    case 'federated_credential':
      return {
        find: (where: Where): Promise<Row | null> => tx.federatedCredential.findFirst({ where, select }),
        count: (where: Where) => tx.federatedCredential.count({ where }),
        setStatus: (id: string, orgId: string, status: Row['status']) =>
          tx.federatedCredential.update({ where: { id, organizationId: orgId }, data: statusChange(status), select }),
        remove: (id: string, orgId: string) =>
          tx.federatedCredential.delete({ where: { id, organizationId: orgId }, select }),
      };
  }
}

/**
 * setCredentialStatus enables or disables one credential of an account of the caller's
 * organization. A credential of another account or organization is not_found; a revoked
 * account's credentials stay disabled (account_revoked); enabling respects the per-account limit
 * (limit_exceeded). Setting the current status again changes nothing and records nothing.
 * Audited `<kind>.enabled` / `<kind>.disabled` in the same transaction.
 */
export async function setCredentialStatus(
  ctx: OrgContext,
  kind: CredentialKind,
  accountId: string,
  credentialId: string,
  status: 'ENABLED' | 'DISABLED',
): Promise<{ id: string; status: 'ENABLED' | 'DISABLED' }> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    // Re-enabling a credential hands its account's grants back to whoever holds it.
    if (status === 'ENABLED') await assertMayIssueCredentialFor(tx, ctx, accountId);
    const table = credentialTable(tx, kind);
    const where = { serviceAccountId: accountId, organizationId: ctx.orgId };
    const row = await table.find({ ...where, id: credentialId });
    if (!row) throw new AppError('not_found', `${CREDENTIAL_LABEL[kind]} not found.`);
    if (row.status === status) return row;
    if (status === 'ENABLED' && (await table.count({ ...where, status: 'ENABLED' })) >= LIMIT[kind]) {
      throw new AppError(
        'limit_exceeded',
        `An account may have at most ${LIMIT[kind]} enabled ${CREDENTIAL_LABEL[kind].toLowerCase()}s: disable or delete one first.`,
      );
    }
    const updated = await table.setStatus(credentialId, ctx.orgId, status);
    // A client token pair's refresh tokens die with the disable too (enabling it again needs a new sign-in).
    if (kind === 'client_token_pair' && status === 'DISABLED') {
      await tx.refreshToken.updateMany({
        where: { clientTokenPairId: credentialId, organizationId: ctx.orgId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
    }
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: `${kind}.${status === 'ENABLED' ? 'enabled' : 'disabled'}`,
      target: { type: kind, id: credentialId },
      meta: ctx,
      details: { serviceAccountId: accountId, serviceAccountName: account.name },
    });
    if (status === 'DISABLED') await emitEvent(tx, 'credential.disabled', credentialSubject(ctx, kind, row, account));
    return updated;
  });
}

/**
 * deleteCredential deletes one credential of an account of the caller's organization (allowed
 * for a revoked account too: the credentials are dead already). not_found outside the account
 * or organization. Audited `<kind>.deleted` in the same transaction.
 */
export async function deleteCredential(
  ctx: OrgContext,
  kind: CredentialKind,
  accountId: string,
  credentialId: string,
): Promise<void> {
  assertCan(ctx, 'service_accounts.write');
  await db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    const table = credentialTable(tx, kind);
    const row = await table.find({ serviceAccountId: accountId, organizationId: ctx.orgId, id: credentialId });
    if (!row) throw new AppError('not_found', `${CREDENTIAL_LABEL[kind]} not found.`);
    await table.remove(credentialId, ctx.orgId);
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: `${kind}.deleted`,
      target: { type: kind, id: credentialId },
      meta: ctx,
      details: { serviceAccountId: accountId, serviceAccountName: account.name, statusAtDeletion: row.status },
    });
    await emitEvent(tx, 'credential.deleted', credentialSubject(ctx, kind, row, account));
  });
}
