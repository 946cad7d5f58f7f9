import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '@/lib/env';
import { moduleState } from '@/lib/process-state';
import { PrismaClient } from './generated/client';

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * createPrismaClient connects the generated client to PostgreSQL through node-postgres. A
 * transaction waits up to 10 s for a connection of the pool (Prisma's default is 2 s): a burst
 * of writers that all take the same audit chain lock queues up instead of failing; past that the
 * failure is a 503 with Retry-After (lib/db/unavailable.ts), never a 500.
 */
export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: 10 }),
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
}

function client(): PrismaClient {
  // On globalThis in development and tests, so that hot reloads and test files share one pool
  // (lib/testing/db.ts swaps it there); this copy's own in production (lib/process-state.ts):
  // a client made by the other copy of lib/ would throw errors this copy's checks don't know.
  return moduleState('__latchkeyDb', () => createPrismaClient(env().DATABASE_URL));
}

/**
 * db is the application's one Prisma client. It is created on first use, so importing this
 * module (for example during `next build`) needs no database.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const value: unknown = Reflect.get(c, prop, c);
    return typeof value === 'function' ? value.bind(c) : value;
  },
});
