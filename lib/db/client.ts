import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '@/lib/env';
import { PrismaClient } from './generated/client';

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** createPrismaClient connects the generated client to PostgreSQL through node-postgres. */
export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

const cache = globalThis as unknown as { __latchkeyDb?: PrismaClient };

function client(): PrismaClient {
  // Cached on globalThis so that dev-mode hot reloads and test files share one pool.
  cache.__latchkeyDb ??= createPrismaClient(env().DATABASE_URL);
  return cache.__latchkeyDb;
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
