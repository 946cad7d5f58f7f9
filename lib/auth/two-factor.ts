import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';
import { open, seal } from '@/lib/crypto/secret-box';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { clearRecoveryCodes, replaceRecoveryCodes } from './recovery-codes';
import { checkTotp, newTotpSecret, totpUri } from './totp';
import { recordUserEvent } from './user-audit';

const context = (userId: string) => `user_totp:${userId}`;

export type TotpStatus = { enabled: true } | { enabled: false; pending: { secret: string; uri: string } | null };

/** totpStatus tells whether a user's second factor is on, or shows the enrollment in progress. */
export async function totpStatus(userId: string): Promise<TotpStatus> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, totpSecretEnc: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt) return { enabled: true };
  if (!user.totpSecretEnc) return { enabled: false, pending: null };
  const secret = open(user.totpSecretEnc, context(userId)).toString('utf8');
  return { enabled: false, pending: { secret, uri: totpUri(secret, user.email) } };
}

/**
 * startTotpEnrollment stores a new, not yet active TOTP secret (encrypted) for the user. The
 * secret becomes active only when confirmTotpEnrollment sees a valid code from it.
 */
export async function startTotpEnrollment(userId: string): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } });
  if (user.totpEnabledAt)
    throw new AppError(
      'invalid_state',
      'Two-factor authentication is already on. Turn it off first to set up a new authenticator.',
    );
  await db.user.update({
    where: { id: userId },
    data: { totpSecretEnc: seal(newTotpSecret(), context(userId)).sealed, totpEnabledAt: null, totpLastStep: null },
  });
}

/**
 * confirmTotpEnrollment turns the pending secret on after checking a code from it, and returns
 * the member's first recovery codes (lib/auth/recovery-codes.ts), to be shown once; audited.
 */
export async function confirmTotpEnrollment(
  userId: string,
  code: string,
  meta: Partial<RequestMeta>,
): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { id: true, email: true, totpSecretEnc: true, totpEnabledAt: true },
    });
    if (user.totpEnabledAt || !user.totpSecretEnc) throw new AppError('invalid_state', 'Start the set-up again.');
    const step = checkTotp(open(user.totpSecretEnc, context(userId)).toString('utf8'), code, null);
    if (step === null)
      throw new AppError(
        'invalid_totp',
        'That code is not valid. Enter the current code from your authenticator app.',
        { fields: { code: ['That code is not valid.'] } },
      );
    await tx.user.update({ where: { id: userId }, data: { totpEnabledAt: new Date(), totpLastStep: step } });
    const codes = await replaceRecoveryCodes(tx, userId);
    await recordUserEvent(tx, {
      user,
      action: 'member.totp_enabled',
      outcome: 'SUCCESS',
      meta,
      details: { recovery_codes: codes.length },
    });
    return codes;
  });
}

/**
 * spendCurrentCode checks a current authenticator code of a user whose second factor is on and
 * spends its time step with a conditional UPDATE, so two parallel requests with one code cannot
 * both pass (the same rule as consumeTotp at sign-in). Throws invalid_state / invalid_totp.
 */
async function spendCurrentCode(tx: Tx, userId: string, code: string) {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, totpSecretEnc: true, totpEnabledAt: true, totpLastStep: true },
  });
  if (!user.totpEnabledAt || !user.totpSecretEnc)
    throw new AppError('invalid_state', 'Two-factor authentication is not on.');
  const step = checkTotp(open(user.totpSecretEnc, context(userId)).toString('utf8'), code, user.totpLastStep);
  const spent =
    step === null
      ? 0
      : (
          await tx.user.updateMany({
            where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
            data: { totpLastStep: step },
          })
        ).count;
  if (spent !== 1)
    throw new AppError('invalid_totp', 'That code is not valid.', { fields: { code: ['That code is not valid.'] } });
  return user;
}

/**
 * regenerateRecoveryCodes replaces a member's recovery codes (all earlier ones stop working)
 * after checking a current authenticator code, which is spent like a sign-in code; audited.
 */
export async function regenerateRecoveryCodes(
  userId: string,
  code: string,
  meta: Partial<RequestMeta>,
): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const user = await spendCurrentCode(tx, userId, code);
    const codes = await replaceRecoveryCodes(tx, userId);
    await recordUserEvent(tx, {
      user,
      action: 'member.recovery_codes_regenerated',
      outcome: 'SUCCESS',
      meta,
      details: { recovery_codes: codes.length },
    });
    return codes;
  });
}

/** disableTotp turns the second factor off; it needs a current code, so a stolen session alone cannot. */
export async function disableTotp(userId: string, code: string, meta: Partial<RequestMeta>): Promise<void> {
  await db.$transaction(async (tx) => {
    const user = await spendCurrentCode(tx, userId, code);
    await tx.user.update({
      where: { id: userId },
      data: { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null },
    });
    await clearRecoveryCodes(tx, userId);
    await recordUserEvent(tx, { user, action: 'member.totp_disabled', outcome: 'SUCCESS', meta });
  });
}

/**
 * consumeTotp checks a sign-in code against an enabled second factor and records its time step
 * atomically (the conditional UPDATE fails if another request used this step or a later one).
 * `reused`: the code is right for the clock but its time step was spent already (typed twice, or
 * replayed), so the member can be told to wait for the next code.
 */
export async function consumeTotp(
  user: { id: string; totpSecretEnc: Uint8Array; totpLastStep: bigint | null },
  code: string,
): Promise<'accepted' | 'reused' | 'invalid'> {
  const secret = open(user.totpSecretEnc, context(user.id)).toString('utf8');
  const step = checkTotp(secret, code, user.totpLastStep);
  if (step === null) return checkTotp(secret, code, null) === null ? 'invalid' : 'reused';
  const updated = await db.user.updateMany({
    where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return updated.count === 1 ? 'accepted' : 'reused';
}
