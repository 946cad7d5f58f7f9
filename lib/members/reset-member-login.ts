import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { hashPassword } from '@/lib/auth/password';
import { can } from '@/lib/auth/permissions';
import { clearRecoveryCodes } from '@/lib/auth/recovery-codes';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

/**
 * The login an owner may reset: a member of the caller's organization (another organization's
 * user is not_found), not the owner themselves (they use Your account), and nobody who also
 * belongs to another organization: a login is shared by all its organizations, so an owner here
 * resetting it could take over that person's access there, where this owner has no say.
 */
async function resettableMember(tx: Tx, ctx: OrgContext, userId: string) {
  if (!can(ctx.role, 'members.write')) throw new AppError('forbidden', 'Only owners manage members.');
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: ctx.orgId, userId } },
    select: { user: { select: { id: true, email: true, passwordHash: true, totpEnabledAt: true } } },
  });
  if (!membership) throw new AppError('not_found', 'Member not found.');
  if (ctx.actor.type === 'MEMBER' && ctx.actor.id === userId)
    throw new AppError('invalid_state', 'Change your own password and second factor under Your account.');
  const elsewhere = await tx.membership.count({ where: { userId, organizationId: { not: ctx.orgId } } });
  if (elsewhere > 0)
    throw new AppError(
      'forbidden',
      'This person also belongs to another organization, so only they can reset their login (under Your account).',
    );
  return membership.user;
}

/**
 * resetMemberPassword gives a member a new initial password (the owner hands it over) and ends
 * their console sessions. Audited in this organization, never with the password.
 */
export async function resetMemberPassword(ctx: OrgContext, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    const user = await resettableMember(tx, ctx, userId);
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionsValidAfter: new Date() } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'member.password_reset',
      target: { type: 'user', id: user.id },
      meta: ctx,
      details: { email: user.email },
    });
  });
}

/**
 * resetMemberTwoFactor turns a member's second factor off (a lost authenticator and no recovery
 * codes left), drops their recovery codes and ends their console sessions; they set it up again
 * at their next sign-in. Audited.
 */
export async function resetMemberTwoFactor(ctx: OrgContext, userId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await resettableMember(tx, ctx, userId);
    if (!user.totpEnabledAt) throw new AppError('invalid_state', 'This member has no second factor to reset.');
    await tx.user.update({
      where: { id: user.id },
      data: { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null, sessionsValidAfter: new Date() },
    });
    await clearRecoveryCodes(tx, user.id);
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'member.totp_reset',
      target: { type: 'user', id: user.id },
      meta: ctx,
      details: { email: user.email },
    });
  });
}
