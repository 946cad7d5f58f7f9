import 'server-only';
import pg from 'pg';
import { env } from '@/lib/env';

/**
 * The token service's hot path (credential lookup, token state, replay guard, audit batch)
 * talks to PostgreSQL through node-postgres directly: these few fixed statements are the
 * requests the service exists for, and a plain pool costs a fraction of the ORM's per-query
 * overhead (see `npm run bench`). Everything else uses the Prisma client (lib/db/client.ts).
 * The pool follows DATABASE_URL and is shared across hot reloads.
 */
const cache = globalThis as unknown as { __latchkeyHotPool?: { url: string; pool: pg.Pool } };

export function hotPool(): pg.Pool {
  const url = env().DATABASE_URL;
  if (cache.__latchkeyHotPool?.url !== url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('error', () => undefined); // an idle client's error is reported on its next use
    cache.__latchkeyHotPool = { url, pool };
  }
  return cache.__latchkeyHotPool.pool;
}

export async function hotQuery<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  return hotPool().query<R>({ text, values });
}
