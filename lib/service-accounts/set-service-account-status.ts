import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import { emitEvent } from '@/lib/events/emit-event';
import { accountSubject } from '@/lib/events/subjects';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { accountSelect, roleBindingSelect, toServiceAccountDto } from './dto';
import { normalizeName } from '@/lib/validation/names';
import { assertNotRevoked, lockAccount } from './lock-account';
import type { ServiceAccountDto } from './schema';

async function reload(tx: Tx, ctx: OrgContext, accountId: string): Promise<ServiceAccountDto> {
  const row = await tx.serviceAccount.findUniqueOrThrow({ where: { id: accountId }, select: accountSelect });
  const roleRows = await tx.roleBinding.findMany({
    where: { serviceAccountId: accountId, organizationId: ctx.orgId },
    select: roleBindingSelect,
    orderBy: { createdAt: 'asc' },
  });
  return toServiceAccountDto(row, roleRows);
}

/**
 * suspendServiceAccount moves an ACTIVE account to SUSPENDED (reversible: the token service
 * issues nothing to it and its tokens stop introspecting as active). The tokens issued before
 * it stay dead after a reactivation: access tokens by tokensValidAfter, refresh tokens revoked.
 * Audited `service_account.suspended`. Revoked → account_revoked; already suspended → invalid_state.
 */
export async function suspendServiceAccount(ctx: OrgContext, accountId: string): Promise<ServiceAccountDto> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    if (account.status !== 'ACTIVE') throw new AppError('invalid_state', 'This service account is already suspended.');
    const now = new Date();
    // A suspension is how a stolen token is cut off, so what it ends stays ended: every token
    // issued until now is dead for good (tokensValidAfter, lib/tokens/token-state.ts), and so
    // is every refresh token, reactivation or not.
    await tx.serviceAccount.update({
      where: { id: accountId, organizationId: ctx.orgId },
      data: { status: 'SUSPENDED', suspendedAt: now, tokensValidAfter: now },
    });
    const refresh = await tx.refreshToken.updateMany({
      where: { serviceAccountId: accountId, organizationId: ctx.orgId, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'service_account.suspended',
      target: { type: 'service_account', id: accountId },
      meta: ctx,
      details: { name: account.name, revokedRefreshTokens: refresh.count },
    });
    await emitEvent(tx, 'service_account.suspended', accountSubject(ctx, account));
    return reload(tx, ctx, accountId);
  });
}

/**
 * reactivateServiceAccount moves a SUSPENDED account back to ACTIVE: it may obtain new tokens;
 * those issued before the suspension stay dead. A revoked account can never be reactivated
 * (account_revoked). Audited `service_account.reactivated`.
 */
export async function reactivateServiceAccount(ctx: OrgContext, accountId: string): Promise<ServiceAccountDto> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    if (account.status !== 'SUSPENDED') throw new AppError('invalid_state', 'This service account is not suspended.');
    await tx.serviceAccount.update({
      where: { id: accountId, organizationId: ctx.orgId },
      data: { status: 'ACTIVE', suspendedAt: null },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'service_account.reactivated',
      target: { type: 'service_account', id: accountId },
      meta: ctx,
      details: { name: account.name },
    });
    await emitEvent(tx, 'service_account.reactivated', accountSubject(ctx, account));
    return reload(tx, ctx, accountId);
  });
}

/**
 * revokeServiceAccount permanently revokes an account: status REVOKED with revokedAt, every
 * client secret, key pair and client token pair DISABLED, every refresh token revoked. The
 * record stays for audit. The caller must type the account's name (`confirmName`); a mismatch
 * is a field error. Audited `service_account.revoked` with the counts, in the same transaction.
 */
export async function revokeServiceAccount(
  ctx: OrgContext,
  accountId: string,
  confirmName: string,
): Promise<ServiceAccountDto> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    if (normalizeName(confirmName) !== account.name) {
      throw new AppError('validation_failed', 'Type the account name exactly to confirm the revocation.', {
        fields: { confirmName: [`Type "${account.name}" to confirm.`] },
      });
    }
    const now = new Date();
    const where = { serviceAccountId: accountId, organizationId: ctx.orgId };
    await tx.serviceAccount.update({
      where: { id: accountId, organizationId: ctx.orgId },
      data: { status: 'REVOKED', revokedAt: now, tokensValidAfter: now },
    });
    const disabled = { status: 'DISABLED', tokensValidAfter: now } as const;
    const secrets = await tx.clientSecret.updateMany({ where: { ...where, status: 'ENABLED' }, data: disabled });
    const keys = await tx.keyPair.updateMany({ where: { ...where, status: 'ENABLED' }, data: disabled });
    const pairs = await tx.clientTokenPair.updateMany({ where: { ...where, status: 'ENABLED' }, data: disabled });
    const federated = await tx.federatedCredential.updateMany({
      where: { ...where, status: 'ENABLED' },
      data: disabled,
    });
    const refresh = await tx.refreshToken.updateMany({
      where: { ...where, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'service_account.revoked',
      target: { type: 'service_account', id: accountId },
      meta: ctx,
      details: {
        name: account.name,
        disabledClientSecrets: secrets.count,
        disabledKeyPairs: keys.count,
        disabledClientTokenPairs: pairs.count,
        disabledFederatedCredentials: federated.count,
        revokedRefreshTokens: refresh.count,
      },
    });
    await emitEvent(tx, 'service_account.revoked', accountSubject(ctx, account));
    return reload(tx, ctx, accountId);
  });
}
