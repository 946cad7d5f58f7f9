import { randomBytes } from 'node:crypto';
import { databaseUrl, quoteIdent, withClient } from '@/lib/db/admin';
import { migrate } from '@/lib/db/migrate';
import { ensureRuntimeRole } from '@/lib/db/runtime-role';

/**
 * The role the tests run the application as, like the server in production: it owns nothing
 * and holds only what lib/db/runtime-role.ts grants. Cluster-wide, shared by every test run on
 * the server (each run's databases grant it their own privileges); distinct from the role
 * `npm start` creates, so a test run never changes a real installation's password.
 */
export const TEST_RUNTIME_ROLE = 'latchkey_test_app';
const TEST_RUNTIME_PASSWORD = 'latchkey-test-app';

/** runtimeUrl is `ownerUrl` (same server and database) connecting as the tests' runtime role. */
export function runtimeUrl(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  u.username = TEST_RUNTIME_ROLE;
  u.password = TEST_RUNTIME_PASSWORD;
  return u.toString();
}

/** newRunId names one test run's databases, so parallel runs never meet. */
export function newRunId(): string {
  return `lkt_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * createTemplate creates and migrates the run's template database, as the admin role (the
 * owner), with the runtime role's privileges set; clones copy them.
 */
export async function createTemplate(adminUrl: string, runId: string): Promise<string> {
  const name = `${runId}_tpl`;
  await ensureRuntimeRole(adminUrl, TEST_RUNTIME_ROLE, TEST_RUNTIME_PASSWORD);
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  await migrate(databaseUrl(adminUrl, name), { runtimeRole: TEST_RUNTIME_ROLE });
  return name;
}

/**
 * cloneTemplate creates `name` as a copy of the migrated template (fast: a file copy) and
 * returns its owner's URL; runtimeUrl(it) connects as the application does.
 */
export async function cloneTemplate(adminUrl: string, template: string, name: string): Promise<string> {
  await withClient(adminUrl, async (c) => {
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
    } catch (error) {
      // 42P04 duplicate_database: this worker's database exists already; reuse it. 23505 is the
      // same answer when another process of this worker slot was creating it at the same moment.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  });
  return databaseUrl(adminUrl, name);
}

/** dropDatabases drops every database whose name starts with `prefix`. */
export async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  });
}
