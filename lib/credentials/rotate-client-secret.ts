import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import { emitEvent } from '@/lib/events/emit-event';
import { credentialSubject } from '@/lib/events/subjects';
import { assertMayIssueCredentialFor } from '@/lib/auth/grant-rules';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { assertNotRevoked, lockAccount } from '@/lib/service-accounts/lock-account';
import type { RotateClientSecretInput, RotatedClientSecretDto } from '@/lib/service-accounts/schema';
import { insertClientSecret } from './create-client-secret';
import { clientSecretSelect, toClientSecretDto } from './dto';
import { credentialExpiry } from './expiry';

/**
 * rotateClientSecret issues a new secret and makes the old one expire after the chosen grace
 * period (0 hours = now), so callers can move over without downtime. The old secret must be
 * ENABLED and belong to the account; its expiry only ever moves earlier. The new secret
 * counts against the 10-enabled limit, the old one included (it is still enabled during the
 * grace period). One audit event `client_secret.rotated`, in the same transaction.
 */
export async function rotateClientSecret(
  ctx: OrgContext,
  accountId: string,
  secretId: string,
  input: RotateClientSecretInput,
): Promise<RotatedClientSecretDto> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    // Holding a credential of the account is holding its grants (lib/auth/grant-rules.ts).
    await assertMayIssueCredentialFor(tx, ctx, accountId);
    const old = await tx.clientSecret.findFirst({
      where: { id: secretId, serviceAccountId: accountId, organizationId: ctx.orgId },
      select: { id: true, name: true, status: true, expiresAt: true },
    });
    if (!old) throw new AppError('not_found', 'Client secret not found.');
    if (old.status !== 'ENABLED')
      throw new AppError(
        'invalid_state',
        'Only an enabled secret can be rotated: enable it first, or create a new one.',
      );
    const now = new Date();
    const expiresAt = await credentialExpiry(tx, ctx.orgId, input.expiresAt, now);
    const created = await insertClientSecret(tx, ctx, accountId, input.name ?? old.name, expiresAt, old.id);
    const graceEnd = new Date(now.getTime() + input.gracePeriodHours * 3_600_000);
    const oldExpiresAt = graceEnd < old.expiresAt ? graceEnd : old.expiresAt;
    const previous = await tx.clientSecret.update({
      where: { id: old.id, organizationId: ctx.orgId },
      data: { expiresAt: oldExpiresAt },
      select: clientSecretSelect,
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'client_secret.rotated',
      target: { type: 'client_secret', id: old.id },
      meta: ctx,
      details: {
        serviceAccountId: accountId,
        serviceAccountName: account.name,
        previousSecretId: old.id,
        previousExpiresAt: oldExpiresAt.toISOString(),
        gracePeriodHours: input.gracePeriodHours,
        newSecretId: created.clientSecret.id,
        newName: created.clientSecret.name,
        newExpiresAt: created.clientSecret.expiresAt,
      },
    });
    await emitEvent(tx, 'credential.rotated', {
      ...credentialSubject(ctx, 'client_secret', previous, account),
      replacement: { id: created.clientSecret.id, expiresAt: created.clientSecret.expiresAt },
    });
    return { ...created, previous: toClientSecretDto(previous, now) };
  });
}
