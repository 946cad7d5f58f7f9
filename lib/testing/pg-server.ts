import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '@/lib/db/embedded';

const LOCAL_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * testServer finds a PostgreSQL server for a test run: TEST_DATABASE_URL when set, else the
 * local server on 127.0.0.1:5432 if it answers, else a private embedded server under
 * .data/test-postgres. Tests never touch a database they did not create.
 */
export async function testServer(): Promise<{ adminUrl: string; embedded?: EmbeddedServer }> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) return { adminUrl: configured };
  if (await reachable(LOCAL_SERVER)) return { adminUrl: LOCAL_SERVER };
  const embedded = await startEmbeddedPostgres({
    dataDir: path.resolve(import.meta.dirname, '../../.data/test-postgres'),
    port: Number(process.env.LATCHKEY_TEST_PG_PORT ?? 54330),
    password: 'latchkey-tests',
  });
  return { adminUrl: embedded.adminUrl, embedded };
}
