import 'server-only';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { env } from '@/lib/env';

/**
 * Rate limits use rate-limiter-flexible: in memory by default (one instance), in Redis when
 * REDIS_URL is set so that every instance behind a load balancer shares the counters. Keys are
 * named `<REDIS_KEY_PREFIX>:<limiter>:<key>`, so installations can share one Redis.
 */
let redis: { url: string; client: Redis } | undefined;

function redisClient(url: string): Redis {
  if (redis?.url !== url) {
    redis = {
      url,
      client: new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }),
    };
  }
  return redis.client;
}

export type LimiterOptions = { keyPrefix: string; points: number; durationSeconds: number };

/** createLimiter builds a limiter that allows `points` per `durationSeconds` and key. */
export function createLimiter(options: LimiterOptions): RateLimiterAbstract {
  const e = env();
  const common = {
    keyPrefix: `${e.REDIS_KEY_PREFIX}:${options.keyPrefix}`,
    points: options.points,
    duration: options.durationSeconds,
  };
  const url = e.REDIS_URL;
  if (!url) return new RateLimiterMemory(common);
  // If Redis is unreachable, fall back to per-instance memory limits rather than refusing every request.
  return new RateLimiterRedis({
    ...common,
    storeClient: redisClient(url),
    insuranceLimiter: new RateLimiterMemory(common),
  });
}

/**
 * rateLimitStoreReady resolves once the shared counters' Redis connection is up (at once
 * without REDIS_URL). Until then the limiters count in memory (their insurance), so a test
 * that proves sharing, or a server that wants shared limits from its first request, waits.
 */
export async function rateLimitStoreReady(): Promise<void> {
  const url = env().REDIS_URL;
  if (!url) return;
  const client = redisClient(url);
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
}

/** isRateLimitRejection tells a limiter's "over the limit" answer apart from a store error. */
export function isRateLimitRejection(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

export function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Which failure budget ran out: one subject's from one address, or the address's over all subjects. */
export type FailureBlock = { scope: 'subject_address' | 'address'; retryAfterSeconds: number };

export type FailureLimits = {
  /** blocked tells whether `subject` at `ip`, or `ip` itself, has failed too often lately (null: go ahead). */
  blocked(subject: string | null, ip: string | null): Promise<FailureBlock | null>;
  /** failed counts one failed attempt for `subject` at `ip` and for `ip`. */
  failed(subject: string | null, ip: string | null): Promise<void>;
  /**
   * reserve counts the attempt as a failure before it is decided, so that parallel attempts
   * cannot all pass one check (for password guessing); succeeded gives it back. Null when
   * admitted, else the block (nothing is counted then).
   */
  reserve(subject: string, ip: string | null): Promise<FailureBlock | null>;
  /** succeeded forgets `subject`'s failures at `ip` and gives back a reserved attempt of the address. */
  succeeded(subject: string, ip: string | null): Promise<void>;
};

/**
 * createFailureLimits counts failed authentications per (subject, source address) and per
 * source address, never per subject alone: whoever fails against an account (a key id, an
 * e-mail) from elsewhere spends their own budget, not the real owner's, so nobody can lock an
 * account out without its secret. Guessing one subject's secret from one address is stopped by
 * `perSubjectAddress`, spraying many subjects from one address by `perAddress`.
 *
 * Two ways to use it: blocked + failed (check, decide, count a failure: parallel attempts may
 * overshoot by their number, fine where secrets cannot be guessed anyway and honest clients
 * send many requests at once, as at the token endpoint), or reserve + succeeded (count first,
 * give back on success: exact, for passwords).
 */
export function createFailureLimits(options: {
  keyPrefix: string;
  perSubjectAddress: number;
  perAddress: number;
  durationSeconds: number;
}): FailureLimits {
  const pair = createLimiter({
    keyPrefix: `${options.keyPrefix}-pair`,
    points: options.perSubjectAddress,
    durationSeconds: options.durationSeconds,
  });
  const address = createLimiter({
    keyPrefix: `${options.keyPrefix}-addr`,
    points: options.perAddress,
    durationSeconds: options.durationSeconds,
  });
  // An address never contains a space, so "<address> <subject>" cannot collide.
  const pairKey = (subject: string, ip: string | null) => `${ip ?? 'unknown'} ${subject}`;
  const exhausted = (res: RateLimiterRes | null, points: number) => res !== null && res.consumedPoints >= points;
  return {
    async blocked(subject, ip) {
      const [byPair, byAddress] = await Promise.all([
        subject === null ? null : pair.get(pairKey(subject, ip)),
        address.get(ip ?? 'unknown'),
      ]);
      if (byPair && exhausted(byPair, pair.points))
        return { scope: 'subject_address', retryAfterSeconds: retryAfterSeconds(byPair) };
      if (byAddress && exhausted(byAddress, address.points))
        return { scope: 'address', retryAfterSeconds: retryAfterSeconds(byAddress) };
      return null;
    },
    async failed(subject, ip) {
      await Promise.all([
        subject === null ? undefined : pair.penalty(pairKey(subject, ip), 1),
        address.penalty(ip ?? 'unknown', 1),
      ]);
    },
    async reserve(subject, ip) {
      try {
        await pair.consume(pairKey(subject, ip));
      } catch (error) {
        if (!isRateLimitRejection(error)) throw error;
        return { scope: 'subject_address', retryAfterSeconds: retryAfterSeconds(error) };
      }
      try {
        await address.consume(ip ?? 'unknown');
      } catch (error) {
        await pair.reward(pairKey(subject, ip), 1);
        if (!isRateLimitRejection(error)) throw error;
        return { scope: 'address', retryAfterSeconds: retryAfterSeconds(error) };
      }
      return null;
    },
    async succeeded(subject, ip) {
      await Promise.all([pair.delete(pairKey(subject, ip)), address.reward(ip ?? 'unknown', 1)]);
    },
  };
}
