import 'server-only';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { env } from '@/lib/env';

/**
 * Rate limits use rate-limiter-flexible: in memory by default (one instance), in Redis when
 * REDIS_URL is set so that every instance behind a load balancer shares the counters.
 */
let redis: Redis | undefined;

function redisClient(url: string): Redis {
  redis ??= new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  return redis;
}

export type LimiterOptions = { keyPrefix: string; points: number; durationSeconds: number };

/** createLimiter builds a limiter that allows `points` per `durationSeconds` and key. */
export function createLimiter(options: LimiterOptions): RateLimiterAbstract {
  const common = { keyPrefix: `lk:${options.keyPrefix}`, points: options.points, duration: options.durationSeconds };
  const url = env().REDIS_URL;
  if (!url) return new RateLimiterMemory(common);
  // If Redis is unreachable, fall back to per-instance memory limits rather than refusing every request.
  return new RateLimiterRedis({
    ...common,
    storeClient: redisClient(url),
    insuranceLimiter: new RateLimiterMemory(common),
  });
}

/** isRateLimitRejection tells a limiter's "over the limit" answer apart from a store error. */
export function isRateLimitRejection(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

export function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
