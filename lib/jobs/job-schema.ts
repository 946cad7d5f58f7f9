import PgBoss from 'pg-boss';
import { QUEUES } from './queues';

/** pg-boss keeps its tables here. */
export const PGBOSS_SCHEMA = 'pgboss';

/**
 * installJobSchema creates or upgrades pg-boss's schema and Latchkey's queues as the role of
 * `ownerUrl` (the migration role, lib/db/migrate.ts), so that the server's runtime role needs no
 * DDL: a pg-boss queue is a table partition, which only its schema's owner should create. The
 * workers then start with `migrate: false` and find everything in place.
 */
export async function installJobSchema(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    schema: PGBOSS_SCHEMA,
    application_name: 'latchkey-migrate',
    max: 2,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    for (const name of Object.values(QUEUES)) await boss.createQueue(name);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
