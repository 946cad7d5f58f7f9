import type pg from 'pg';
import { PGBOSS_SCHEMA } from '@/lib/jobs/job-schema';
import { quoteIdent, withClient } from './admin';

/**
 * Database roles. Migrations run as the owner of the schema (the migration connection); the
 * server runs as a runtime role that owns nothing, so that neither a bug nor a stolen server
 * credential can change what the database enforces: it cannot ALTER, DISABLE or DROP the audit
 * log's append-only trigger, drop or truncate a table, or UPDATE and DELETE audit events.
 *
 * The runtime role's privileges are set here, in one place, after every migration run
 * (lib/db/migrate.ts), from what the migrated schema holds, so a table added by a later
 * migration is covered without a default-privileges rule that could grant too much to it.
 */

/** The runtime role `npm start` creates in its embedded PostgreSQL. */
export const EMBEDDED_RUNTIME_ROLE = 'latchkey_app';

/** Evidence: the runtime role may read and append, never change or remove. */
export const APPEND_ONLY_TABLES: readonly string[] = ['audit_events'];
/** Derived from the evidence by the database itself (a SECURITY DEFINER trigger, 0016/0017): read only. */
export const READ_ONLY_TABLES: readonly string[] = ['audit_token_activity'];
/** The migration library's ledger: the server has no business with it. */
export const HIDDEN_TABLES: readonly string[] = ['schema_migrations'];

const SCHEMA = 'public';

/** privilegesFor names what the runtime role may do on one relation of the schema. */
export function privilegesFor(relation: string, kind: 'table' | 'view' | 'sequence'): string[] {
  if (kind === 'sequence') return ['USAGE', 'SELECT'];
  if (kind === 'view') return ['SELECT'];
  if (HIDDEN_TABLES.includes(relation)) return [];
  if (APPEND_ONLY_TABLES.includes(relation)) return ['SELECT', 'INSERT'];
  if (READ_ONLY_TABLES.includes(relation)) return ['SELECT'];
  return ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
}

export class RuntimeRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeRoleError';
  }
}

/**
 * grantRuntimeRole gives `role` exactly the privileges of privilegesFor on every table, view and
 * sequence of the schema, revoking anything else it held (a table that became append-only loses
 * UPDATE and DELETE here), in one transaction on `client`, a connection of the schema's owner.
 * It refuses a role that is the connection's own user, a superuser, a role with CREATEROLE (on
 * PostgreSQL 15 it may make itself a member of the owner) or a member of an owner: such a role
 * could change the schema whatever it is granted.
 */
export async function grantRuntimeRole(client: pg.Client, role: string): Promise<void> {
  const { rows } = await client.query<{ exists: boolean; super: boolean; owner: boolean; self: boolean; db: string }>(
    `SELECT r.oid IS NOT NULL AS exists, coalesce(r.rolsuper OR r.rolcreaterole, false) AS super,
            r.rolname = current_user AS self, current_database() AS db,
            EXISTS (SELECT 1 FROM pg_class c
                    WHERE c.relnamespace = $2::regnamespace AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS owner
     FROM (SELECT $1::text AS name) n LEFT JOIN pg_roles r ON r.rolname = n.name`,
    [role, SCHEMA],
  );
  const found = rows[0];
  if (!found?.exists)
    throw new RuntimeRoleError(
      `The runtime database role "${role}" does not exist: create it first (CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD '…'), see the README.`,
    );
  if (found.self)
    throw new RuntimeRoleError(
      `The runtime database role "${role}" is the migration role itself: give the server a role of its own (see the README).`,
    );
  if (found.super || found.owner)
    throw new RuntimeRoleError(
      `The runtime database role "${role}" is a superuser, has CREATEROLE or owns Latchkey's tables: it must own nothing and administer nothing (see the README).`,
    );

  const relations = await client.query<{ name: string; kind: 'table' | 'view' | 'sequence' }>(
    `SELECT c.relname AS name,
            CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' ELSE 'table' END AS kind
     FROM pg_class c
     WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     ORDER BY c.relname`,
    [SCHEMA],
  );
  const grantee = quoteIdent(role);
  const schema = quoteIdent(SCHEMA);
  const statements = [
    // PostgreSQL before 15 lets every role create objects in public; a role that creates a table
    // owns it. (Only the schema's owner can revoke it: for anyone else this is a no-op warning.)
    `REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`,
    `REVOKE ALL ON SCHEMA ${schema} FROM ${grantee}`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${grantee}`,
    `GRANT CONNECT ON DATABASE ${quoteIdent(found.db)} TO ${grantee}`,
  ];
  for (const { name, kind } of relations.rows) {
    const target = `${kind === 'sequence' ? 'SEQUENCE ' : 'TABLE '}${schema}.${quoteIdent(name)}`;
    statements.push(`REVOKE ALL ON ${target} FROM ${grantee}`);
    const privileges = privilegesFor(name, kind);
    if (privileges.length) statements.push(`GRANT ${privileges.join(', ')} ON ${target} TO ${grantee}`);
  }
  // The job queue (pg-boss, lib/jobs/job-schema.ts): rows only. Its tables, queue partitions and
  // functions are the owner's; its jobs are work items, not evidence, so they may change.
  const jobs = await client.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS present`,
    [PGBOSS_SCHEMA],
  );
  if (jobs.rows[0]?.present) {
    const q = quoteIdent(PGBOSS_SCHEMA);
    statements.push(
      `REVOKE ALL ON SCHEMA ${q} FROM ${grantee}`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA ${q} FROM ${grantee}`,
      `GRANT USAGE ON SCHEMA ${q} TO ${grantee}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${q} TO ${grantee}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${q} TO ${grantee}`,
      `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${q} TO ${grantee}`,
    );
  }
  await client.query('BEGIN');
  try {
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * ensureRuntimeRole creates the LOGIN role `role` (no superuser, no CREATEDB, CREATEROLE,
 * REPLICATION or BYPASSRLS, and a member of no role) on the server of `adminUrl`, or, when it
 * exists, sets the same attributes and `password` again. Roles are cluster-wide and several
 * processes (parallel test runs, instances starting together) may create the same one at once:
 * the loser of that race sees 42710 duplicate_object or 23505 unique_violation, and a
 * concurrent ALTER ROLE answers XX000 "tuple concurrently updated"; each is retried.
 */
export async function ensureRuntimeRole(adminUrl: string, role: string, password?: string): Promise<void> {
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`;
  await withClient(adminUrl, async (client) => {
    const secret = password === undefined ? 'PASSWORD NULL' : `PASSWORD ${quoteLiteral(password)}`;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
        if (rowCount) await client.query(`ALTER ROLE ${quoteIdent(role)} ${attributes} ${secret}`);
        else await client.query(`CREATE ROLE ${quoteIdent(role)} ${attributes} ${secret}`);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        const raced = code === '42710' || code === '23505' || code === 'XX000' || code === '40001';
        if (!raced || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
      }
    }
  });
}

/** quoteLiteral quotes an SQL string literal (utility statements take no bound parameters). */
function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export type RoleReport = { role: string; superuser: boolean; ownsSchema: boolean };

/**
 * describeConnectionRole tells who a connection string connects as, and whether that role could
 * change the schema (a superuser, or the owner of audit_events or any other table).
 */
export async function describeConnectionRole(url: string): Promise<RoleReport> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<RoleReport>(
      `SELECT current_user AS role, r.rolsuper AS superuser,
              EXISTS (SELECT 1 FROM pg_class c
                      WHERE c.relnamespace = $1::regnamespace AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS "ownsSchema"
       FROM pg_roles r WHERE r.rolname = current_user`,
      [SCHEMA],
    );
    return rows[0] ?? { role: '', superuser: false, ownsSchema: false };
  });
}

/** roleOfUrl is the user a postgresql:// URL names, if it names one. */
export function roleOfUrl(url: string): string | undefined {
  const user = decodeURIComponent(new URL(url).username);
  return user || undefined;
}

/**
 * runtimeRoleOf names the role a connection string connects as: the URL's user, or, when the URL
 * names none (libpq defaults), what the server says.
 */
export async function runtimeRoleOf(url: string): Promise<string> {
  return roleOfUrl(url) ?? (await describeConnectionRole(url)).role;
}

/**
 * runtimeRoleWarning says why the server's connection is not least-privilege (a superuser, or
 * a role that owns or may act as the owner of Latchkey's tables), or nothing when it is.
 */
export async function runtimeRoleWarning(url: string): Promise<string | undefined> {
  const report = await describeConnectionRole(url);
  if (!report.superuser && !report.ownsSchema) return undefined;
  return (
    `The server connects to PostgreSQL as "${report.role}", which ${report.superuser ? 'is a superuser' : "owns Latchkey's tables"}: ` +
    `it could disable or drop the audit log's append-only trigger. Set MIGRATION_DATABASE_URL to the owner and ` +
    `DATABASE_URL to a role that owns nothing (README, "Database roles").`
  );
}
