import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '@/lib/env';
import { moduleState } from '@/lib/process-state';
import { PrismaClient } from './generated/client';

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** createPrismaClient connects the generated client to PostgreSQL through node-postgres. */
export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
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
