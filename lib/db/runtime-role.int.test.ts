import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { TOKEN_ISSUED } from '@/lib/audit/actions';
import { findChainBreak } from '@/lib/audit/hash-chain';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { createTokenEventLog } from '@/lib/audit/token-event-writer';
import { databaseUrl, quoteIdent, withClient } from '@/lib/db/admin';
import { db } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrate';
import { env } from '@/lib/env';
import { TEST_RUNTIME_ROLE } from '@/lib/testing/databases';
import { withOwner } from '@/lib/testing/db';
import { createTestOrg } from '@/lib/testing/factories';
import { basic, createAccount, createClientSecret, formRequest, tokenEvents } from '@/lib/testing/oauth-factories';
import {
  APPEND_ONLY_TABLES,
  describeConnectionRole,
  ensureRuntimeRole,
  grantRuntimeRole,
  RuntimeRoleError,
} from './runtime-role';

/** asRuntime runs `fn` on a connection of the application's own role (DATABASE_URL). */
function asRuntime<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(env().DATABASE_URL, fn);
}

/** refusal runs `sql` as the runtime role and returns the SQLSTATE it fails with (null if it succeeds). */
async function refusal(sql: string): Promise<string | null> {
  return asRuntime(async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(sql);
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? 'no code';
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

/** privileges lists what the runtime role holds on `relation`, as the owner sees it. */
async function privileges(relation: string): Promise<string[]> {
  return withOwner(async (c) => {
    const { rows } = await c.query<{ privilege: string }>(
      `SELECT privilege_type AS privilege FROM information_schema.role_table_grants
       WHERE grantee = $1 AND table_name = $2 ORDER BY 1`,
      [TEST_RUNTIME_ROLE, relation],
    );
    return rows.map((r) => r.privilege);
  });
}

describe('the runtime database role', () => {
  it('is what the application connects as: no superuser, a member of nothing, owner of nothing', async () => {
    const [row] = await db.$queryRaw<
      Array<{ role: string; superuser: boolean; createrole: boolean; createdb: boolean; memberships: bigint }>
    >`SELECT current_user AS role, rolsuper AS superuser, rolcreaterole AS createrole, rolcreatedb AS createdb,
             (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid) AS memberships
      FROM pg_roles r WHERE rolname = current_user`;
    expect(row).toEqual({
      role: TEST_RUNTIME_ROLE,
      superuser: false,
      createrole: false,
      createdb: false,
      memberships: 0n,
    });
    const [owned] = await db.$queryRaw<Array<{ n: bigint }>>`
      SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
           + (SELECT count(*) FROM pg_type WHERE typowner = r.oid) + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
           + (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relowner = r.oid) AS n
      FROM pg_roles r WHERE rolname = current_user`;
    expect(owned?.n).toBe(0n);
    expect(await describeConnectionRole(env().DATABASE_URL)).toEqual({
      role: TEST_RUNTIME_ROLE,
      superuser: false,
      ownsSchema: false,
    });
    // The migration role, by contrast, owns the schema.
    expect((await describeConnectionRole(process.env.LATCHKEY_TEST_OWNER_URL ?? '')).ownsSchema).toBe(true);
  });

  it('cannot alter, disable or drop the audit log’s protections, nor change or remove any table', async () => {
    const org = await createTestOrg(); // leaves an organization.created event to aim at
    const forbidden = [
      'ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only',
      'ALTER TABLE audit_events DISABLE TRIGGER ALL',
      'ALTER TABLE audit_events DISABLE TRIGGER audit_events_token_activity',
      'DROP TRIGGER audit_events_append_only ON audit_events',
      'ALTER TABLE audit_events ADD COLUMN note TEXT',
      'ALTER TABLE audit_events DROP CONSTRAINT audit_events_hash_check',
      'ALTER TABLE audit_events OWNER TO CURRENT_USER',
      `UPDATE audit_events SET action = 'tampered' WHERE organization_id = '${org.id}'`,
      `DELETE FROM audit_events WHERE organization_id = '${org.id}'`,
      'TRUNCATE audit_events',
      'DROP TABLE audit_events',
      'DROP TABLE vehicles',
      'TRUNCATE vehicles',
      'ALTER TABLE service_accounts DISABLE TRIGGER ALL',
      `CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
      'DROP FUNCTION audit_events_refuse_change() CASCADE',
      'ALTER FUNCTION audit_token_activity_add() SECURITY INVOKER',
      'DROP FUNCTION latchkey_append_token_events',
      'DROP VIEW latchkey_client_secret_principals',
      'CREATE TABLE audit_events_shadow (id INT)',
      `CREATE TRIGGER shadow AFTER INSERT ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_token_activity_add()`,
      `INSERT INTO audit_token_activity VALUES ('${org.id}', now(), '${TOKEN_ISSUED}', 'x', 1000)`,
      `UPDATE audit_token_activity SET events = 0`,
      'DELETE FROM schema_migrations',
      'SET session_replication_role = replica',
      'SET ROLE postgres',
      `ALTER ROLE ${quoteIdent(TEST_RUNTIME_ROLE)} SUPERUSER`,
      'CREATE SCHEMA shadow',
    ];
    const outcomes: Record<string, string | null> = {};
    for (const sql of forbidden) outcomes[sql] = await refusal(sql);
    // 42501 insufficient_privilege ("permission denied", "must be owner of"), every one of them.
    expect(outcomes).toEqual(Object.fromEntries(forbidden.map((sql) => [sql, '42501'])));
    // Granting itself a privilege is a no-op (PostgreSQL only warns that nothing was granted).
    expect(await refusal(`GRANT UPDATE ON audit_events TO ${quoteIdent(TEST_RUNTIME_ROLE)}`)).toBeNull();
    await asRuntime((c) =>
      c.query(`GRANT UPDATE, DELETE, TRUNCATE ON audit_events TO ${quoteIdent(TEST_RUNTIME_ROLE)}`),
    );
    expect(await privileges('audit_events')).toEqual(['INSERT', 'SELECT']);
    // Nothing changed: the event is still there and the trigger still enabled.
    expect(await db.auditEvent.count({ where: { organizationId: org.id } })).toBe(1);
    const [trigger] = await db.$queryRaw<Array<{ enabled: string }>>`
      SELECT tgenabled::text AS enabled FROM pg_trigger WHERE tgname = 'audit_events_append_only'`;
    expect(trigger?.enabled).toBe('O');
  });

  it('does what the application does: issues a token, writes audit events, runs the token event batch', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org, { scopes: ['TILE'] });
    const secret = await createClientSecret(account);
    const res = await tokenRoute(
      formRequest(
        '/api/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(secret.id, secret.secret) },
      ),
    );
    expect(res.status).toBe(200);
    expect((await tokenEvents(org.id)).map((e) => e.action)).toEqual([TOKEN_ISSUED]);
    // The rollup the trigger maintains as its owner (SECURITY DEFINER) counted it.
    const [rollup] = await db.$queryRaw<Array<{ events: bigint }>>`
      SELECT sum(events)::bigint AS events FROM audit_token_activity WHERE organization_id = ${org.id}`;
    expect(rollup?.events).toBe(1n);

    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        organizationId: org.id,
        actor: { type: 'SYSTEM', id: null, label: 'test' },
        action: 'test.as_runtime_role',
      }),
    );
    const log = createTokenEventLog();
    await Promise.all(
      [1, 2, 3].map((i) =>
        log.record({
          organizationId: org.id,
          actor: { type: 'SYSTEM', id: null, label: 'test' },
          action: 'test.batched',
          details: { i },
        }),
      ),
    );
    const chain = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    expect(chain.map((e) => e.action)).toEqual([
      'organization.created',
      TOKEN_ISSUED,
      'test.as_runtime_role',
      'test.batched',
      'test.batched',
      'test.batched',
    ]);
    expect(findChainBreak(chain)).toBeNull();
  });

  it('loses on the next migration run any privilege granted to it by hand', async () => {
    const role = quoteIdent(TEST_RUNTIME_ROLE);
    const owner = process.env.LATCHKEY_TEST_OWNER_URL ?? '';
    try {
      await withOwner((c) =>
        c.query(
          `GRANT UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_events, audit_token_activity, schema_migrations TO ${role}`,
        ),
      );
      expect(await privileges('audit_events')).toEqual(['DELETE', 'INSERT', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE']);
    } finally {
      // Nothing pending: the run only sets the runtime role's privileges again.
      expect(await migrate(owner, { runtimeRole: TEST_RUNTIME_ROLE })).toEqual([]);
    }
    expect(await privileges('audit_events')).toEqual(['INSERT', 'SELECT']);
    expect(await privileges('audit_token_activity')).toEqual(['SELECT']);
    expect(await privileges('schema_migrations')).toEqual([]);
    expect(await privileges('vehicles')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(await privileges('latchkey_client_secret_principals')).toEqual(['SELECT']);
  });

  it('may change no table that a migration made append-only', async () => {
    // Every table whose trigger refuses changes (0001's audit_events_refuse_change, or a later
    // table's own) must be listed in APPEND_ONLY_TABLES, or the runtime role would get UPDATE on it.
    const protectedTables = await withOwner(async (c) => {
      const { rows } = await c.query<{ relation: string }>(
        `SELECT DISTINCT t.tgrelid::regclass::text AS relation
         FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE NOT t.tgisinternal AND (p.proname LIKE '%refuse%' OR p.prosrc ILIKE '%append-only%')
         ORDER BY 1`,
      );
      return rows.map((r) => r.relation);
    });
    expect(protectedTables).toContain('audit_events');
    for (const relation of protectedTables) {
      expect(APPEND_ONLY_TABLES, relation).toContain(relation);
      expect(await privileges(relation), relation).toEqual(['INSERT', 'SELECT']);
    }
  });

  it('refuses to make a superuser, the owner itself or a missing role the runtime role', async () => {
    const owner = process.env.LATCHKEY_TEST_OWNER_URL ?? '';
    const { role: ownerRole, superuser } = await describeConnectionRole(owner);
    await withOwner(async (client) => {
      await expect(grantRuntimeRole(client, ownerRole)).rejects.toThrow(RuntimeRoleError);
      await expect(grantRuntimeRole(client, `lk_missing_${randomBytes(4).toString('hex')}`)).rejects.toThrow(
        /does not exist/,
      );
      if (superuser) await expect(grantRuntimeRole(client, 'postgres')).rejects.toThrow(RuntimeRoleError);
      // CREATEROLE could make itself a member of the owner (PostgreSQL 15).
      const admin = `lk_createrole_${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE ROLE ${quoteIdent(admin)} LOGIN CREATEROLE`);
      try {
        await expect(grantRuntimeRole(client, admin)).rejects.toThrow(/CREATEROLE/);
      } finally {
        await client.query(`DROP ROLE ${quoteIdent(admin)}`);
      }
    });
  });

  it('is created once when several processes create it at the same moment', async () => {
    const owner = process.env.LATCHKEY_TEST_OWNER_URL ?? '';
    const adminUrl = databaseUrl(owner, 'postgres');
    const name = `lk_race_${randomBytes(4).toString('hex')}`;
    try {
      await Promise.all(Array.from({ length: 6 }, () => ensureRuntimeRole(adminUrl, name, 'pw')));
      await ensureRuntimeRole(adminUrl, name, 'pw2');
      const { rows } = await withClient(adminUrl, (c) =>
        c.query<{ login: boolean; super: boolean }>(
          'SELECT rolcanlogin AS login, rolsuper AS super FROM pg_roles WHERE rolname = $1',
          [name],
        ),
      );
      expect(rows).toEqual([{ login: true, super: false }]);
    } finally {
      await withClient(adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${quoteIdent(name)}`));
    }
  });
});
