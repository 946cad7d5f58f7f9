import 'server-only';
import { AppError } from '@/lib/errors';
import { env } from '@/lib/env';
import { createFailureLimits, createLimiter, isRateLimitRejection, retryAfterSeconds } from '@/lib/rate-limit';
import { TokenRefusal } from './refusal';

/**
 * The token service's rate limits (token, introspection and revocation endpoints, the compat
 * flows), per minute:
 *
 * - every request per source address (TOKEN_RATE_LIMIT_PER_IP), counted before anything else;
 * - failed requests per (presented client id, source address) (TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS)
 *   and per source address (TOKEN_FAILURE_LIMIT_PER_IP);
 * - successful requests per client (TOKEN_RATE_LIMIT_PER_CLIENT).
 *
 * Failures are never counted per client id alone: a key id is not a secret, so a budget that
 * anyone could spend by sending wrong secrets would let anyone lock the real client out
 * everywhere. Only the client's own successes spend its budget; an attacker guessing its
 * secret exhausts the failure budget of their own address, which is the lower one. With
 * REDIS_URL set the counters are shared by every instance (lib/rate-limit.ts).
 */
export type TokenRateLimits = {
  /** admit counts the request against its address and refuses it (429 slow_down) when any budget it would draw on is spent. */
  admit(ip: string | null, clientId: string | null): Promise<void>;
  /** settled counts a finished request: a success against the client, a refusal against (client id, address) and the address. */
  settled(ip: string | null, clientId: string | null, outcome: 'success' | 'failure'): Promise<void>;
};

function limited(what: string, reason: string, retryAfter: number): TokenRefusal {
  const refusal = new TokenRefusal('rate_limited', reason, `Too many token requests for this ${what}; retry later.`);
  return Object.assign(refusal, { retryAfterSeconds: retryAfter });
}

/** createTokenRateLimits builds the limits from the environment (each instance has one: tokenRateLimits). */
export function createTokenRateLimits(): TokenRateLimits {
  const e = env();
  const perIp = createLimiter({ keyPrefix: 'token-ip', points: e.TOKEN_RATE_LIMIT_PER_IP, durationSeconds: 60 });
  const perClient = createLimiter({
    keyPrefix: 'token-client',
    points: e.TOKEN_RATE_LIMIT_PER_CLIENT,
    durationSeconds: 60,
  });
  const failures = createFailureLimits({
    keyPrefix: 'token-fail',
    perSubjectAddress: e.TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS,
    perAddress: e.TOKEN_FAILURE_LIMIT_PER_IP,
    durationSeconds: 60,
  });
  return {
    async admit(ip, clientId) {
      try {
        await perIp.consume(ip ?? 'unknown');
      } catch (error) {
        if (isRateLimitRejection(error)) throw limited('address', 'rate_limited_address', retryAfterSeconds(error));
        throw error;
      }
      const [block, used] = await Promise.all([
        failures.blocked(clientId, ip),
        clientId === null ? null : perClient.get(clientId),
      ]);
      if (block?.scope === 'subject_address')
        throw limited('client', 'rate_limited_client_failures', block.retryAfterSeconds);
      if (block) throw limited('address', 'rate_limited_address_failures', block.retryAfterSeconds);
      if (used && used.consumedPoints >= perClient.points)
        throw limited('client', 'rate_limited_client', retryAfterSeconds(used));
    },
    async settled(ip, clientId, outcome) {
      if (outcome === 'failure') return failures.failed(clientId, ip);
      if (clientId !== null) await perClient.penalty(clientId, 1);
    },
  };
}

let limits: TokenRateLimits | undefined;

/** tokenRateLimits is this instance's limits (created on first use, from the environment then). */
export function tokenRateLimits(): TokenRateLimits {
  limits ??= createTokenRateLimits();
  return limits;
}

/** resetTokenRateLimits drops the limits so that the next call reads the environment again (tests). */
export function resetTokenRateLimits(): void {
  limits = undefined;
}

/**
 * settledOutcome tells how a token request that threw counts: a refusal (the client's doing:
 * wrong secret, unknown key, bad grant) is a failure; our own trouble (a 5xx) and a rate-limit
 * refusal (counted already) count as nothing.
 */
export function settledOutcome(error: unknown): 'failure' | null {
  if (!(error instanceof AppError)) return null;
  if (error.code === 'rate_limited' || error.status >= 500) return null;
  return 'failure';
}
