import { decodeJwt } from 'jose';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { db } from '@/lib/db/client';
import { updateServiceAccount } from '@/lib/service-accounts/update-service-account';
import { basic, formRequest } from '@/lib/testing/oauth-factories';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { createScope, deleteScope, listScopes, updateScope } from './manage-scopes';
import { createScopeInput, updateScopeInput } from './schema';

async function token(secret: { id: string; secret: string }) {
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(secret.id, secret.secret) },
    ),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function introspectedScope(accessToken: string, by: { id: string; secret: string }) {
  const res = await introspectRoute(
    formRequest('/api/oauth/introspect', { token: accessToken }, { authorization: basic(by.id, by.secret) }),
  );
  return ((await res.json()) as { scope?: string }).scope;
}

describe('the organization scope catalog', () => {
  it('creates, renames (unique), retires and restores a scope; tokens follow at once', async () => {
    const { org, adminCtx, auditorCtx } = await orgWithRoles();
    const fleet = await createScope(
      adminCtx,
      createScopeInput.parse({ name: 'fleet:read', description: 'Read fleets' }),
    );
    await expect(createScope(adminCtx, createScopeInput.parse({ name: 'fleet:read' }))).rejects.toMatchObject({
      code: 'name_taken',
    });
    const account = await createTestServiceAccount(adminCtx, { scopes: ['fleet:read', 'TILE'] });
    const { clientSecret, secret } = await createClientSecret(adminCtx, account.id, { name: 's' });
    const cred = { id: clientSecret.id, secret };
    const before = await token(cred);
    expect(decodeJwt(before).scope).toBe('TILE fleet:read');

    // Rename: future tokens carry the new name.
    await updateScope(adminCtx, fleet.id, updateScopeInput.parse({ name: 'fleets:read' }));
    await expect(updateScope(adminCtx, fleet.id, { name: 'TILE' })).rejects.toMatchObject({ code: 'name_taken' });
    expect(decodeJwt(await token(cred)).scope).toBe('TILE fleets:read');

    // Retire: no new token carries it, and a token that does no longer counts it at introspection.
    const carrying = await token(cred);
    const retired = await updateScope(adminCtx, fleet.id, { retired: true });
    expect(retired.retiredAt).not.toBeNull();
    expect(decodeJwt(await token(cred)).scope).toBe('TILE');
    expect(await introspectedScope(carrying, cred)).toBe('TILE');
    // Nobody new gets it; the account that holds it keeps it across unrelated edits.
    await expect(createTestServiceAccount(adminCtx, { scopes: ['fleets:read'] })).rejects.toMatchObject({
      code: 'scope_retired',
    });
    await updateServiceAccount(adminCtx, account.id, { description: 'still holds a retired scope' });
    // Restore: it is back for the account that held it.
    await updateScope(adminCtx, fleet.id, { retired: false });
    expect(decodeJwt(await token(cred)).scope).toBe('TILE fleets:read');
    expect(await introspectedScope(carrying, cred)).toBe('TILE fleets:read');

    // Deleting a held scope is refused; an unheld one goes.
    await expect(deleteScope(adminCtx, fleet.id)).rejects.toMatchObject({ code: 'in_use' });
    const spare = await createScope(adminCtx, createScopeInput.parse({ name: 'spare' }));
    await deleteScope(adminCtx, spare.id);
    expect((await listScopes(auditorCtx)).map((s) => s.name)).not.toContain('spare');

    const actions = (await db.auditEvent.findMany({ where: { organizationId: org.id } })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['scope.created', 'scope.renamed', 'scope.retired', 'scope.restored', 'scope.deleted']),
    );
  });

  it('protects built-in scopes, refuses auditors and other organizations, and validates input', async () => {
    const { adminCtx, auditorCtx } = await orgWithRoles();
    const builtIn = (await listScopes(adminCtx)).find((s) => s.isManagement)!;
    await expect(updateScope(adminCtx, builtIn.id, { name: 'mine' })).rejects.toMatchObject({ code: 'built_in' });
    await expect(updateScope(adminCtx, builtIn.id, { retired: true })).rejects.toMatchObject({ code: 'built_in' });
    await expect(deleteScope(adminCtx, builtIn.id)).rejects.toMatchObject({ code: 'built_in' });
    await expect(createScope(auditorCtx, { name: 'x', description: '' })).rejects.toMatchObject({ code: 'forbidden' });
    const own = await createScope(adminCtx, { name: 'own', description: '' });
    const other = await orgWithRoles();
    await expect(updateScope(other.adminCtx, own.id, { retired: true })).rejects.toMatchObject({ code: 'not_found' });
    await expect(deleteScope(other.adminCtx, own.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(createScopeInput.safeParse({ name: 'has space' }).success).toBe(false);
    expect(createScopeInput.safeParse({ name: 'a'.repeat(65) }).success).toBe(false);
    expect(updateScopeInput.safeParse({}).success).toBe(false);
    expect(updateScopeInput.safeParse({ retired: 'yes' }).success).toBe(false);
  });

  it('a grant racing a retirement waits for it and is refused, never granting a retired scope', async () => {
    const { adminCtx } = await orgWithRoles();
    const scope = await createScope(adminCtx, { name: 'racing', description: '' });
    // Another instance retires the scope and holds its transaction open, as lockScope does.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM scopes WHERE id = $1 FOR UPDATE', [scope.id]);
      await other.query('UPDATE scopes SET retired_at = now() WHERE id = $1', [scope.id]);
      let settled = false;
      const grant = createTestServiceAccount(adminCtx, { scopes: ['racing'] }).finally(() => (settled = true));
      grant.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      await other.query('COMMIT');
      await expect(grant).rejects.toMatchObject({ code: 'scope_retired' });
    } finally {
      await other.end();
    }
    expect(await db.serviceAccountScope.count({ where: { scopeId: scope.id } })).toBe(0);
  });
});
