import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { db } from '@/lib/db/client';
import { getServiceAccount } from '@/lib/service-accounts/queries';
import { updateServiceAccount } from '@/lib/service-accounts/update-service-account';
import { basic, formRequest } from '@/lib/testing/oauth-factories';
import { createTestProject, createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { listLiveTokens } from '@/lib/tokens/live-tokens';
import { createRole, deleteRole, listRoles, updateRole } from './manage-roles';
import { createRoleInput, updateRoleInput } from './schema';

type Cred = { id: string; secret: string };

async function plainToken(cred: Cred): Promise<string> {
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(cred.id, cred.secret) },
    ),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** exchange narrows a fresh token to a project (RFC 8693), answering the response. */
async function exchange(cred: Cred, projectId: string): Promise<Response> {
  return tokenRoute(
    formRequest(
      '/api/oauth/token',
      {
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: await plainToken(cred),
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        project_id: projectId,
      },
      { authorization: basic(cred.id, cred.secret) },
    ),
  );
}

async function active(token: string, by: Cred): Promise<boolean> {
  const res = await introspectRoute(
    formRequest('/api/oauth/introspect', { token }, { authorization: basic(by.id, by.secret) }),
  );
  return ((await res.json()) as { active: boolean }).active;
}

describe("the organization's roles", () => {
  it('creates, renames (unique), retires, restores and deletes roles; narrowed tokens follow at once', async () => {
    const { org, adminCtx, auditorCtx } = await orgWithRoles();
    const project = await createTestProject(org.id);
    const operator = await createRole(
      adminCtx,
      createRoleInput.parse({ name: 'fleet.operator', description: 'Runs one fleet', kind: 'PROJECT' }),
    );
    expect(operator).toMatchObject({ kind: 'PROJECT', retiredAt: null, accounts: 0 });
    await expect(
      createRole(adminCtx, createRoleInput.parse({ name: 'fleet.operator', kind: 'ORGANIZATION' })),
    ).rejects.toMatchObject({ code: 'name_taken' });

    const account = await createTestServiceAccount(adminCtx, {
      roleBindings: [{ roleId: operator.id, projectId: project.id }],
    });
    const { clientSecret, secret } = await createClientSecret(adminCtx, account.id, { name: 's' });
    const cred = { id: clientSecret.id, secret };
    const narrowedRes = await exchange(cred, project.id);
    expect(narrowedRes.status).toBe(200);
    const narrowed = ((await narrowedRes.json()) as { access_token: string }).access_token;
    const plain = await plainToken(cred);
    expect(await active(narrowed, cred)).toBe(true);
    expect((await listRoles(auditorCtx)).find((r) => r.id === operator.id)?.accounts).toBe(1);

    // A rename changes nothing for bindings or tokens (they name the role by id).
    await updateRole(adminCtx, operator.id, updateRoleInput.parse({ name: 'fleet.runner' }));
    await expect(updateRole(adminCtx, operator.id, { name: 'project.viewer' })).rejects.toMatchObject({
      code: 'name_taken',
    });
    expect(await active(narrowed, cred)).toBe(true);

    // Retired: the token narrowed through it dies on the next request, exchange is refused, the
    // plain token lives on, and nobody new is bound to it.
    const liveBefore = (await listLiveTokens(adminCtx, account.id)).length;
    const retired = await updateRole(adminCtx, operator.id, { retired: true });
    expect(retired.retiredAt).not.toBeNull();
    expect(await active(narrowed, cred)).toBe(false);
    expect(await active(plain, cred)).toBe(true);
    expect((await listLiveTokens(adminCtx, account.id)).length).toBe(liveBefore - 1);
    const refused = await exchange(cred, project.id);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_target');
    await expect(
      createTestServiceAccount(adminCtx, { roleBindings: [{ roleId: operator.id, projectId: project.id }] }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    // The account keeps its binding across unrelated edits, marked retired.
    await updateServiceAccount(adminCtx, account.id, { description: 'bound to a retired role' });
    expect((await getServiceAccount(auditorCtx, account.id)).roleBindings).toEqual([
      expect.objectContaining({ roleId: operator.id, projectId: project.id, retired: true }),
    ]);

    // Restored: the binding reaches the project again.
    await updateRole(adminCtx, operator.id, { retired: false });
    expect(await active(narrowed, cred)).toBe(true);

    // Removing the binding ends the narrowed token as well.
    await updateServiceAccount(adminCtx, account.id, { roleBindings: [] });
    expect(await active(narrowed, cred)).toBe(false);

    // An unbound role can be deleted; a bound one cannot.
    const bound = await createRole(adminCtx, createRoleInput.parse({ name: 'org.reader', kind: 'ORGANIZATION' }));
    await createTestServiceAccount(adminCtx, { roleBindings: [{ roleId: bound.id, projectId: null }] });
    await expect(deleteRole(adminCtx, bound.id)).rejects.toMatchObject({ code: 'in_use' });
    await deleteRole(adminCtx, operator.id);
    expect((await listRoles(auditorCtx)).map((r) => r.name)).not.toContain('fleet.runner');

    const events = await db.auditEvent.findMany({ where: { organizationId: org.id, targetType: 'role' } });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['role.created', 'role.renamed', 'role.retired', 'role.restored', 'role.deleted']),
    );
    expect(events.find((e) => e.action === 'role.renamed')?.details).toMatchObject({
      name: 'fleet.runner',
      previousName: 'fleet.operator',
    });
  });

  it('refuses auditors and other organizations, and validates input', async () => {
    const { adminCtx, auditorCtx } = await orgWithRoles();
    await expect(createRole(auditorCtx, { name: 'x', description: '', kind: 'PROJECT' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const own = await createRole(adminCtx, { name: 'own', description: '', kind: 'PROJECT' });
    await expect(updateRole(auditorCtx, own.id, { retired: true })).rejects.toMatchObject({ code: 'forbidden' });
    const other = await orgWithRoles();
    await expect(updateRole(other.adminCtx, own.id, { retired: true })).rejects.toMatchObject({ code: 'not_found' });
    await expect(deleteRole(other.adminCtx, own.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listRoles(other.adminCtx)).map((r) => r.id)).not.toContain(own.id);
    expect(createRoleInput.safeParse({ name: 'has space', kind: 'PROJECT' }).success).toBe(false);
    expect(createRoleInput.safeParse({ name: 'ok' }).success).toBe(false);
    expect(createRoleInput.safeParse({ name: 'ok', kind: 'GLOBAL' }).success).toBe(false);
    expect(updateRoleInput.safeParse({}).success).toBe(false);
    expect(updateRoleInput.safeParse({ kind: 'ORGANIZATION' }).success).toBe(false);
  });

  it('a binding racing a retirement waits for it and is refused, never left on a retired role', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const project = await createTestProject(org.id);
    const role = await createRole(adminCtx, { name: 'racer', description: '', kind: 'PROJECT' });
    // Another instance retires the role and holds its transaction open, as lockRole does.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM roles WHERE id = $1 FOR UPDATE', [role.id]);
      await other.query('UPDATE roles SET retired_at = now() WHERE id = $1', [role.id]);
      let settled = false;
      const binding = createTestServiceAccount(adminCtx, {
        roleBindings: [{ roleId: role.id, projectId: project.id }],
      }).finally(() => (settled = true));
      binding.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      await other.query('COMMIT');
      await expect(binding).rejects.toMatchObject({ code: 'validation_failed' });
    } finally {
      await other.end();
    }
    expect(await db.roleBinding.count({ where: { roleId: role.id } })).toBe(0);
  });
});
