import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import { withClient } from './admin';
import { installJobSchema } from '@/lib/jobs/job-schema';
import { grantRuntimeRole } from './runtime-role';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');
const MIGRATION_LOCK = 7_240_000;

export type MigrateOptions = {
  /** The server's least-privilege role: its privileges are set again after the migrations (lib/db/runtime-role.ts). */
  runtimeRole?: string;
};

/**
 * migrate applies the plain-SQL migrations in prisma/migrations with postgrator (which records
 * each one with a checksum, so an edited migration is refused), as the role of `url`, which
 * becomes the owner of what they create. Each file runs as one multi-statement query, which
 * PostgreSQL executes atomically. An advisory lock lets several instances start at once: one
 * migrates, the others wait and find nothing to do. With `runtimeRole`, that role's privileges
 * are then set from the migrated schema, under the same lock, on every run (also when nothing
 * was pending), so that a server role never keeps a privilege a migration took away.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
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
      // pg-boss's own tables (the job queue) as the same owner, before the runtime role's grants.
      await installJobSchema(url);
      if (options.runtimeRole) await grantRuntimeRole(client, options.runtimeRole);
      return applied.map((m) => `${m.version}.${m.action}.${m.name}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}
