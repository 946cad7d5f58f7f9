import { describe, expect, it } from 'vitest';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { createTestProject, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { POST as createAccount } from '../service-accounts/route';
import { GET as listRoles } from './route';

type Role = { id: string; name: string; description: string; kind: 'ORGANIZATION' | 'PROJECT' };

describe('GET /api/v1/roles', () => {
  it("lists the organization's roles with the ids an integrator binds, and a listed project role binds", async () => {
    const { org, adminCtx } = await orgWithRoles();
    const other = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:service_accounts']);
    const res = await callRoute(listRoles, token, 'GET', '/api/v1/roles');
    expect(res.status).toBe(200);
    const { roles } = (await res.json()) as { roles: Role[] };
    expect(roles.map((r) => [r.kind, r.name])).toEqual([
      ['ORGANIZATION', 'organization.manager'],
      ['ORGANIZATION', 'organization.viewer'],
      ['PROJECT', 'project.editor'],
      ['PROJECT', 'project.manager'],
      ['PROJECT', 'project.viewer'],
    ]);
    for (const role of roles) expect(role.id).toMatch(/^rol_[0-9A-HJKMNP-TV-Z]{26}$/);
    // Only this organization's rows: the other organization has roles of the same names.
    const otherRoles = (await (
      await callRoute(listRoles, await bearerFor(other.adminCtx, ['read:service_accounts']), 'GET', '/api/v1/roles')
    ).json()) as { roles: Role[] };
    expect(otherRoles.roles.map((r) => r.id).filter((id) => roles.some((r) => r.id === id))).toEqual([]);

    // What Unity's token exchange needs: a project role bound to a project, by the listed id.
    const project = await createTestProject(org.id);
    const editor = roles.find((r) => r.name === 'project.editor');
    // A token grants only role bindings its own account holds (lib/auth/grant-rules.ts).
    const binder = await bearerFor(adminCtx, ['manage:service_accounts'], {
      roleBindings: [{ roleId: editor?.id ?? '', projectId: project.id }],
    });
    const created = await callRoute(
      createAccount,
      binder,
      'POST',
      '/api/v1/service-accounts',
      {},
      {
        name: 'unity-backend',
        platform: 'SERVER',
        roleBindings: [{ roleId: editor?.id, projectId: project.id }],
      },
    );
    expect(created.status).toBe(201);
    expect(((await created.json()) as { roleBindings: unknown[] }).roleBindings).toEqual([
      expect.objectContaining({ roleId: editor?.id, projectId: project.id }),
    ]);
  });

  it('needs a scope granting organization.read: 401 without a token, 403 insufficient_scope with another', async () => {
    const { adminCtx } = await orgWithRoles();
    expect((await callRoute(listRoles, 'not-a-token', 'GET', '/api/v1/roles')).status).toBe(401);
    const auditOnly = await callRoute(listRoles, await bearerFor(adminCtx, ['read:audit']), 'GET', '/api/v1/roles');
    expect(auditOnly.status).toBe(403);
    expect((await problemOf(auditOnly)).code).toBe('insufficient_scope');
    expect(auditOnly.headers.get('www-authenticate')).toContain(
      'scope="manage:service_accounts read:service_accounts manage:webhooks read:webhooks manage:catalog"',
    );
  });
});
