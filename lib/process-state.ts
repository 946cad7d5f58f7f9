import 'server-only';
import { env } from '@/lib/env';

/**
 * One copy of each module's state per copy of the module (issue 10 item 0).
 *
 * The production server loads lib/ twice in one process: Next.js runs its own bundled copy, and
 * scripts/server.ts imports lib/oauth/node-mount (the token service's fast path) through tsx.
 * State parked on globalThis was shared by both copies while their classes were not: the audit
 * writer of one copy rejected with its StaleCredential, which failed the other copy's
 * `instanceof` test, so that copy answered 500 (and kept a stale cached secret) after every
 * suspension; a limiter's RateLimiterRes or a Prisma error can fail the same way.
 *
 * So in production each copy keeps its own state in its own module scope and shares nothing
 * with the other copy: two pools, two audit writers (safe: the group commit is built for several
 * writers on one database), two signing-key caches. On top of that the fast path serves every
 * token-service route, /compat/* included (lib/oauth/node-mount.ts), so in production the token
 * service runs in one copy only and its rate limits and caches are whole. In development and
 * tests there is one copy (the fast path is off in `next dev`); there the state lives on
 * globalThis so that hot reloads and test files reuse one pool instead of leaking a new one on
 * every reload.
 */
const local: Record<string, unknown> = {};

/**
 * scripts/server.ts sets this flag while it imports its own copy of lib/ (the job workers, the
 * fast path), and clears it after: that copy then keeps its state to itself in development too,
 * where Next's copy (evaluated later, without the flag) keeps its own on globalThis. Read once,
 * when this module is evaluated.
 */
const ownCopy = (globalThis as { __latchkeyOwnCopy?: boolean }).__latchkeyOwnCopy === true;

/**
 * moduleState returns the state named `key`, created by `init` on first use: this copy's own in
 * production, on globalThis (under `key`) elsewhere (see above).
 */
export function moduleState<T>(key: `__latchkey${string}`, init: () => T): T {
  const store = env().NODE_ENV === 'production' || ownCopy ? local : (globalThis as unknown as Record<string, unknown>);
  if (store[key] === undefined) store[key] = init();
  return store[key] as T;
}
