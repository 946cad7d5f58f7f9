import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import { withClient } from './admin';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');
const MIGRATION_LOCK = 7_240_000;

/**
 * migrate applies the plain-SQL migrations in prisma/migrations with postgrator (which records
 * each one with a checksum, so an edited migration is refused). Each file runs as one
 * multi-statement query, which PostgreSQL executes atomically. An advisory lock lets several
 * instances start at once: one migrates, the others wait and find nothing to do.
 */
export async function migrate(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const database = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const postgrator = new Postgrator({
        migrationPattern: path.join(MIGRATIONS_DIR, '*.sql'),
        driver: 'pg',
        database,
        schemaTable: 'schema_migrations',
        newline: 'LF',
        execQuery: (query) => client.query(query),
      });
      const applied = await postgrator.migrate();
      return applied.map((m) => `${m.version}.${m.action}.${m.name}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}
