import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { logger } from '@/lib/logger';
import { moduleState } from '@/lib/process-state';
import { createLimiter, isRateLimitRejection } from '@/lib/rate-limit';
import { recordAuditEvent } from './record-audit-event';

/** The audit action of a refused authorization (ASVS 16.3.2). */
export const ACCESS_DENIED = 'access.denied';

/** At most this many denied events per caller and minute are written; the rest are counted. */
export const DENIALS_PER_MINUTE = 20;

export type Denial = {
  /** The answer's code: forbidden, insufficient_scope, not_found, two_factor_required. */
  code: string;
  /** What was asked: the permission, and the method and path (or the server action). */
  permission: string;
  method: string;
  path: string;
};

const state = () =>
  moduleState('__latchkeyDenials', () => ({
    limiter: createLimiter({ keyPrefix: 'audit-denied', points: DENIALS_PER_MINUTE, durationSeconds: 60 }),
    suppressed: new Map<string, number>(),
  }));

/**
 * recordDenial writes an `access.denied` event (outcome FAILURE) in the caller's organization
 * when an authenticated caller is refused: a role or token scope that does not allow the call
 * (403), or an object that is not in the caller's organization (404: another organization's
 * object looks exactly like a missing one, to the caller and in this event alike). Rate-limited
 * per caller (DENIALS_PER_MINUTE, shared through Redis when REDIS_URL is set): a caller probing
 * in a loop cannot flood the log; the denials dropped since the last event written (on this
 * instance) are counted in the next one's `suppressed`. Never throws: a denial that cannot be
 * recorded (the database is down) is logged and the answer stays the same.
 */
export async function recordDenial(ctx: OrgContext, denial: Denial): Promise<void> {
  const { limiter, suppressed } = state();
  const key = `${ctx.orgId}:${ctx.actor.type}:${ctx.actor.id ?? ''}`;
  try {
    await limiter.consume(key);
  } catch (error) {
    if (isRateLimitRejection(error)) {
      suppressed.set(key, (suppressed.get(key) ?? 0) + 1);
      return;
    }
    logger.warn({ err: error, requestId: ctx.requestId }, 'denial rate limit unavailable');
  }
  const dropped = suppressed.get(key) ?? 0;
  suppressed.delete(key);
  try {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        organizationId: ctx.orgId,
        actor: ctx.actor,
        action: ACCESS_DENIED,
        outcome: 'FAILURE',
        meta: ctx,
        details: { ...denial, ...(dropped ? { suppressed: dropped } : {}) },
      }),
    );
  } catch (error) {
    if (dropped) suppressed.set(key, (suppressed.get(key) ?? 0) + dropped);
    logger.warn({ err: error, requestId: ctx.requestId }, 'denied request not recorded');
  }
}
