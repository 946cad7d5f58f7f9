import 'server-only';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { env } from '@/lib/env';
import { moduleState } from '@/lib/process-state';

/**
 * The token service's hot path (credential lookup, token state, replay guard, audit batch)
 * talks to PostgreSQL through node-postgres directly: these few fixed statements are the
 * requests the service exists for, and a plain pool costs a fraction of the ORM's per-query
 * overhead (see `npm run bench`). Everything else uses the Prisma client (lib/db/client.ts).
 * The pool follows DATABASE_URL; each copy of lib/ in a process has its own (lib/process-state.ts).
 */
type Pools = { url: string; pool: pg.Pool; pipelined?: Promise<pg.Client> };

function pools(): Pools {
  const url = env().DATABASE_URL;
  const cache = moduleState('__latchkeyHotPool', () => ({}) as { current?: Pools });
  if (cache.current?.url !== url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('error', () => undefined); // an idle client's error is reported on its next use
    cache.current = { url, pool };
  }
  return cache.current;
}

export function hotPool(): pg.Pool {
  return pools().pool;
}

/**
 * pipelinedClient is one connection in node-postgres' pipeline mode: each statement is sent at
 * once, without waiting for the answers to those before it, and the server runs them in the
 * order sent. The audit group commit (lib/audit/token-event-writer.ts) sends its next batch on it while the
 * previous one commits. A connection that fails is replaced on the next call.
 */
export function pipelinedClient(): Promise<pg.Client> {
  const holder = pools();
  if (!holder.pipelined) {
    const client = new pg.Client({ connectionString: holder.url, pipeline: true } as pg.ClientConfig);
    const ready = client.connect().then(() => client);
    const forget = () => {
      if (holder.pipelined === ready) holder.pipelined = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    ready.catch(forget);
    holder.pipelined = ready;
  }
  return holder.pipelined;
}

const names = new Map<string, string>();

/**
 * statementName names a fixed statement after its text, so that each connection parses and
 * plans it once (a named prepared statement) instead of on every request. Only for statements
 * whose text never varies.
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `lk_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** hotQuery runs one of the hot path's fixed statements as a named prepared statement. */
export async function hotQuery<R extends pg.QueryResultRow>(
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  return hotPool().query<R>({ name: statementName(text), text, values });
}
