import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { hashPassword, verifyPassword } from './password';
import { recordUserEvent } from './user-audit';

/**
 * changeOwnPassword sets a member's new password after checking the current one, and ends every
 * console session of theirs (sessions_valid_after), this one included: whoever else held a
 * session, or the old password, is out. Audited in each of their organizations, never with a
 * password. SSO-only logins have no password to change (invalid_state).
 */
export async function changeOwnPassword(
  userId: string,
  input: { currentPassword: string; newPassword: string },
  meta: Partial<RequestMeta>,
): Promise<void> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!user.passwordHash) throw new AppError('invalid_state', 'This login signs in through single sign-on only.');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new AppError('invalid_credentials', 'The current password is not right.', {
      fields: { currentPassword: ['Not your current password.'] },
    });
  if (input.currentPassword === input.newPassword)
    throw new AppError('validation_failed', 'Choose a password different from the current one.', {
      fields: { newPassword: ['Same as the current password.'] },
    });
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, sessionsValidAfter: new Date() } });
    await recordUserEvent(tx, { user, action: 'member.password_changed', outcome: 'SUCCESS', meta });
  });
}
