import 'server-only';
import { db } from '@/lib/db/client';
import type { RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createLimiter, isRateLimitRejection, retryAfterSeconds } from '@/lib/rate-limit';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { verifyPassword } from './password';
import type { SignInInput } from './schema';

export type SignedInUser = { id: string; email: string; name: string };

const INVALID = 'Incorrect email or password.';

let limiters: { perEmail: RateLimiterAbstract; perIp: RateLimiterAbstract } | undefined;

function signInLimiters() {
  const e = env();
  limiters ??= {
    // Failed attempts per email: stops password guessing against one account from many IPs.
    perEmail: createLimiter({ keyPrefix: 'signin-email', points: e.SIGN_IN_MAX_FAILURES_PER_EMAIL, durationSeconds: e.SIGN_IN_WINDOW_SECONDS }),
    // All attempts per IP: stops one client from spraying many accounts.
    perIp: createLimiter({ keyPrefix: 'signin-ip', points: e.SIGN_IN_MAX_ATTEMPTS_PER_IP, durationSeconds: e.SIGN_IN_WINDOW_SECONDS }),
  };
  return limiters;
}

function rateLimited(seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  return new AppError('rate_limited', `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
    retryAfterSeconds: seconds,
  });
}

/**
 * verifySignIn checks an email and password. Unknown email and wrong password give the same
 * `invalid_credentials` error after the same amount of work. Attempts are limited per IP and
 * failures per email (`rate_limited`); the limits are checked before the password so a
 * blocked attacker learns nothing. Every outcome is audited, without the password.
 */
export async function verifySignIn(input: SignInInput, meta: RequestMeta): Promise<SignedInUser> {
  const { perEmail, perIp } = signInLimiters();
  try {
    await perIp.consume(meta.ip ?? 'unknown');
  } catch (error) {
    if (isRateLimitRejection(error)) throw rateLimited(retryAfterSeconds(error));
    throw error;
  }
  const failures = await perEmail.get(input.email);
  if (failures && failures.consumedPoints >= perEmail.points) throw rateLimited(retryAfterSeconds(failures));

  const user = await db.user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, name: true, passwordHash: true, memberships: { select: { organizationId: true } } },
  });
  const ok = await verifyPassword(input.password, user?.passwordHash);
  const orgIds = user?.memberships.map((m) => m.organizationId) ?? [];

  if (!user || !ok) {
    await perEmail.consume(input.email).catch((error: unknown) => {
      if (!isRateLimitRejection(error)) throw error;
    });
    await audit(orgIds, user ? { type: 'MEMBER', id: user.id, label: user.email } : null, input.email, 'FAILURE', meta);
    throw new AppError('invalid_credentials', INVALID);
  }

  await perEmail.delete(input.email);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await audit(orgIds, { type: 'MEMBER', id: user.id, label: user.email }, user.email, 'SUCCESS', meta);
  return { id: user.id, email: user.email, name: user.name };
}

async function audit(
  orgIds: string[],
  actor: { type: 'MEMBER'; id: string; label: string } | null,
  email: string,
  outcome: 'SUCCESS' | 'FAILURE',
  meta: RequestMeta,
): Promise<void> {
  const action = outcome === 'SUCCESS' ? 'member.signed_in' : 'member.sign_in_failed';
  const who = actor ?? ({ type: 'SYSTEM', id: null, label: 'anonymous' } as const);
  // An unknown email belongs to no organization: it goes to the instance-level chain.
  const chains = orgIds.length > 0 ? orgIds : [null];
  await db.$transaction(async (tx) => {
    for (const organizationId of chains) {
      await recordAuditEvent(tx, {
        organizationId,
        actor: who,
        action,
        target: { type: 'user', id: actor?.id ?? null },
        outcome,
        meta,
        details: actor ? {} : { email },
      });
    }
  });
}

/** resetSignInLimits forgets all counters; for tests only. */
export function resetSignInLimits(): void {
  limiters = undefined;
}
