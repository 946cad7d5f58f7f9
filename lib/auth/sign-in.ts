import 'server-only';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RequestMeta } from '@/lib/audit/actor';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import {
  createFailureLimits,
  createLimiter,
  isRateLimitRejection,
  retryAfterSeconds,
  type FailureLimits,
} from '@/lib/rate-limit';
import { verifyPassword } from './password';
import type { SignInInput } from './schema';
import { consumeRecoveryCode, normalizeRecoveryCode } from './recovery-codes';
import { consumeTotp } from './two-factor';
import { recordUserEvent } from './user-audit';

export type SignedInUser = { id: string; email: string; name: string };

const INVALID = 'Incorrect email or password.';

let limiters: { perIp: RateLimiterAbstract; failures: FailureLimits } | undefined;

function signInLimiters() {
  const e = env();
  limiters ??= {
    // All attempts per address: stops one client from spraying many accounts.
    perIp: createLimiter({
      keyPrefix: 'signin-ip',
      points: e.SIGN_IN_MAX_ATTEMPTS_PER_IP,
      durationSeconds: e.SIGN_IN_WINDOW_SECONDS,
    }),
    // Failures per (e-mail, address) and per address, never per e-mail alone: five wrong
    // passwords typed by someone else, anywhere, must not lock the member out everywhere.
    failures: createFailureLimits({
      keyPrefix: 'signin-fail',
      perSubjectAddress: e.SIGN_IN_MAX_FAILURES_PER_EMAIL,
      perAddress: e.SIGN_IN_MAX_FAILURES_PER_IP,
      durationSeconds: e.SIGN_IN_WINDOW_SECONDS,
    }),
  };
  return limiters;
}

function rateLimited(seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    'rate_limited',
    `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    {
      retryAfterSeconds: seconds,
    },
  );
}

async function audit(
  user: { id: string; email: string } | null,
  email: string,
  outcome: 'SUCCESS' | 'FAILURE',
  meta: RequestMeta,
  reason?: string,
) {
  await db.$transaction((tx) =>
    recordUserEvent(tx, {
      user,
      action: outcome === 'SUCCESS' ? 'member.signed_in' : 'member.sign_in_failed',
      outcome,
      meta,
      details: { ...(user ? {} : { email }), ...(reason ? { reason } : {}) },
    }),
  );
}

/**
 * verifySignIn checks an email, password and (when the member turned it on) an authenticator
 * code. Unknown email and wrong password give the same `invalid_credentials` error after the
 * same amount of work. A right password without a code gives `totp_required`; a wrong code
 * counts as a failure (`invalid_totp`). Attempts are limited per address, failures per (email,
 * address) and per address (`rate_limited`), never per email alone (a stranger's guesses must
 * not lock the member out), checked before the password so a blocked attacker learns nothing. Every
 * outcome but `totp_required` is audited, never with the password or code.
 */
export async function verifySignIn(input: SignInInput, meta: RequestMeta): Promise<SignedInUser> {
  const { perIp, failures } = signInLimiters();
  try {
    await perIp.consume(meta.ip ?? 'unknown');
  } catch (error) {
    if (isRateLimitRejection(error)) throw rateLimited(retryAfterSeconds(error));
    throw error;
  }
  // Counted as a failure up front (given back on success), so parallel guesses cannot all pass.
  const blocked = await failures.reserve(input.email, meta.ip);
  if (blocked) throw rateLimited(blocked.retryAfterSeconds);

  const user = await db.user.findUnique({
    where: { email: input.email },
    select: {
      id: true,
      email: true,
      name: true,
      passwordHash: true,
      totpSecretEnc: true,
      totpEnabledAt: true,
      totpLastStep: true,
    },
  });
  const fail = async (code: 'invalid_credentials' | 'invalid_totp' | 'totp_reused', detail: string) => {
    await audit(user, input.email, 'FAILURE', meta, code);
    return new AppError(code, detail);
  };

  if (!(await verifyPassword(input.password, user?.passwordHash)) || !user)
    throw await fail('invalid_credentials', INVALID);
  if (user.totpEnabledAt && user.totpSecretEnc) {
    if (!input.code) {
      // A right password is no failure, even if the code comes in the next request.
      await failures.succeeded(input.email, meta.ip);
      throw new AppError('totp_required', 'Enter the 6-digit code from your authenticator app.');
    }
    if (normalizeRecoveryCode(input.code)) {
      // A recovery code stands in for the authenticator once; the auditors see that one was used.
      const left = await consumeRecoveryCode(user.id, input.code);
      if (left === null) throw await fail('invalid_totp', 'That recovery code is not valid or was used already.');
      await db.$transaction((tx) =>
        recordUserEvent(tx, {
          user,
          action: 'member.recovery_code_used',
          outcome: 'SUCCESS',
          meta,
          details: { recovery_codes_left: left },
        }),
      );
    } else {
      const result = await consumeTotp(
        { id: user.id, totpSecretEnc: user.totpSecretEnc, totpLastStep: user.totpLastStep },
        input.code,
      );
      if (result === 'reused')
        throw await fail('totp_reused', 'That code was used already: wait for the next code from your app.');
      if (result === 'invalid')
        throw await fail('invalid_totp', 'That code is not valid. Enter the current code from your authenticator app.');
    }
  }

  await failures.succeeded(input.email, meta.ip);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await audit(user, user.email, 'SUCCESS', meta);
  return { id: user.id, email: user.email, name: user.name };
}

/** resetSignInLimits forgets all counters; for tests only. */
export function resetSignInLimits(): void {
  limiters = undefined;
}
