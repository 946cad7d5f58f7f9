import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { PATCH as patchOrganization } from '../organization/route';
import { POST as createProject } from '../projects/route';
import { PATCH as patchScope } from '../scopes/[scopeId]/route';
import { GET as listScopes, POST as createScope } from '../scopes/route';
import { DELETE as deleteRole, PATCH as patchRole } from './[roleId]/route';
import { GET as listRoles, POST as createRole } from './route';

type Role = { id: string; name: string; kind: string; retiredAt: string | null; accounts: number };

describe('the catalog API with a manage:catalog token', () => {
  it('defines, renames, retires and deletes roles, adds scopes and projects, and audits the account', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:catalog']);
    const created = await callRoute(
      createRole,
      token,
      'POST',
      '/api/v1/roles',
      {},
      { name: 'fleet.operator', kind: 'PROJECT' },
    );
    expect(created.status).toBe(201);
    const role = (await created.json()) as Role;
    expect(role).toMatchObject({ name: 'fleet.operator', kind: 'PROJECT', retiredAt: null, accounts: 0 });
    expect(
      (
        await problemOf(
          await callRoute(createRole, token, 'POST', '/api/v1/roles', {}, { name: 'fleet.operator', kind: 'PROJECT' }),
        )
      ).code,
    ).toBe('name_taken');

    const at = `/api/v1/roles/${role.id}`;
    const renamed = await callRoute(patchRole, token, 'PATCH', at, { roleId: role.id }, { name: 'fleet.runner' });
    expect(((await renamed.json()) as Role).name).toBe('fleet.runner');
    const retired = await callRoute(patchRole, token, 'PATCH', at, { roleId: role.id }, { retired: true });
    expect(((await retired.json()) as Role).retiredAt).not.toBeNull();
    const listed = (await (await callRoute(listRoles, token, 'GET', '/api/v1/roles')).json()) as { roles: Role[] };
    expect(listed.roles.find((r) => r.id === role.id)?.retiredAt).not.toBeNull();
    expect((await callRoute(deleteRole, token, 'DELETE', at, { roleId: role.id })).status).toBe(204);
    expect((await callRoute(deleteRole, token, 'DELETE', at, { roleId: role.id })).status).toBe(404);

    expect((await callRoute(createScope, token, 'POST', '/api/v1/scopes', {}, { name: 'fleet:read' })).status).toBe(
      201,
    );
    expect((await callRoute(createProject, token, 'POST', '/api/v1/projects', {}, { name: 'Routing' })).status).toBe(
      201,
    );
    const events = await db.auditEvent.findMany({ where: { organizationId: org.id, action: 'role.created' } });
    expect(events[0]?.actorType).toBe('SERVICE_ACCOUNT');
  });

  it('is refused without the scope, never reaches organization settings, and validates ids and bodies', async () => {
    const { adminCtx } = await orgWithRoles();
    const reader = await bearerFor(adminCtx, ['read:service_accounts']);
    const refused = await callRoute(createRole, reader, 'POST', '/api/v1/roles', {}, { name: 'x', kind: 'PROJECT' });
    expect(refused.status).toBe(403);
    expect((await problemOf(refused)).code).toBe('insufficient_scope');
    expect(refused.headers.get('www-authenticate')).toContain('scope="manage:catalog"');

    const catalog = await bearerFor(adminCtx, ['manage:catalog']);
    const settings = await callRoute(
      patchOrganization,
      catalog,
      'PATCH',
      '/api/v1/organization',
      {},
      { maxCredentialLifetimeDays: 3650 },
    );
    expect(settings.status).toBe(403);
    const badId = await callRoute(patchRole, catalog, 'PATCH', '/api/v1/roles/nope', { roleId: 'nope' }, { name: 'x' });
    expect(badId.status).toBe(400);
    const badBody = await callRoute(
      createRole,
      catalog,
      'POST',
      '/api/v1/roles',
      {},
      { name: 'x', kind: 'GLOBAL', extra: 1 },
    );
    expect((await problemOf(badBody)).code).toBe('validation_failed');
    // Own scopes never take a management scope's name.
    const reserved = await callRoute(createScope, catalog, 'POST', '/api/v1/scopes', {}, { name: 'manage:vehicles' });
    expect((await problemOf(reserved)).errors?.name).toEqual(['This name is reserved for a management scope.']);

    // Another organization's role is not found.
    const other = await orgWithRoles();
    const theirs = (await (
      await callRoute(listRoles, await bearerFor(other.adminCtx, ['manage:catalog']), 'GET', '/api/v1/roles')
    ).json()) as { roles: Role[] };
    const id = theirs.roles[0]!.id;
    const cross = await callRoute(
      patchRole,
      catalog,
      'PATCH',
      `/api/v1/roles/${id}`,
      { roleId: id },
      { retired: true },
    );
    expect(cross.status).toBe(404);
    const scopeCross = await callRoute(
      patchScope,
      catalog,
      'PATCH',
      `/api/v1/scopes/scp_00000000000000000000000000`,
      { scopeId: 'scp_00000000000000000000000000' },
      { retired: true },
    );
    expect(scopeCross.status).toBe(404);
  });

  it('never lets a service account change a scope it holds or a role it is bound to', async () => {
    const { adminCtx } = await orgWithRoles();
    const admin = await bearerFor(adminCtx, ['manage:catalog']);
    const roles = ((await (await callRoute(listRoles, admin, 'GET', '/api/v1/roles')).json()) as { roles: Role[] })
      .roles;
    const viewer = roles.find((r) => r.name === 'organization.viewer')!;
    const editor = roles.find((r) => r.name === 'project.editor')!;
    const token = await bearerFor(adminCtx, ['manage:catalog', 'TILE'], {
      roleBindings: [{ roleId: viewer.id, projectId: null }],
    });
    const scopes = (
      (await (await callRoute(listScopes, token, 'GET', '/api/v1/scopes')).json()) as {
        scopes: Array<{ id: string; name: string }>;
      }
    ).scopes;
    const tile = scopes.find((s) => s.name === 'TILE')!;
    const matrix = scopes.find((s) => s.name === 'MATRIX')!;
    // Renaming its own scope would change what its tokens carry: refused, and nothing changes.
    const own = await callRoute(
      patchScope,
      token,
      'PATCH',
      `/api/v1/scopes/${tile.id}`,
      { scopeId: tile.id },
      {
        name: 'TILE_ADMIN',
      },
    );
    expect(own.status).toBe(403);
    expect((await problemOf(own)).detail).toContain('cannot change a scope it holds');
    expect(await db.scope.findUniqueOrThrow({ where: { id: tile.id } })).toMatchObject({ name: 'TILE' });
    const others = await callRoute(
      patchScope,
      token,
      'PATCH',
      `/api/v1/scopes/${matrix.id}`,
      { scopeId: matrix.id },
      {
        description: 'Matrices',
      },
    );
    expect(others.status).toBe(200);
    // The same for its role: retiring (and so later restoring) it is a person's decision.
    const ownRole = await callRoute(
      patchRole,
      token,
      'PATCH',
      `/api/v1/roles/${viewer.id}`,
      { roleId: viewer.id },
      {
        retired: true,
      },
    );
    expect(ownRole.status).toBe(403);
    expect(
      (await callRoute(deleteRole, token, 'DELETE', `/api/v1/roles/${viewer.id}`, { roleId: viewer.id })).status,
    ).toBe(403);
    const otherRole = await callRoute(
      patchRole,
      token,
      'PATCH',
      `/api/v1/roles/${editor.id}`,
      { roleId: editor.id },
      {
        retired: true,
      },
    );
    expect(otherRole.status).toBe(200);
  });
});
