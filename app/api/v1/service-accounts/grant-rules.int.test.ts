import { describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import type { OrgContext } from '@/lib/auth/context';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { db } from '@/lib/db/client';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { getAccountCatalog } from '@/lib/service-accounts/queries';
import { updateServiceAccount } from '@/lib/service-accounts/update-service-account';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { basic, formRequest } from '@/lib/testing/oauth-factories';
import { PATCH as patchAccount } from './[accountId]/route';
import { POST as create } from './route';
import { POST as createSecret } from './[accountId]/secrets/route';
import { POST as createKey } from './[accountId]/keys/route';

type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;
type Binding = { roleId: string; projectId?: string | null };

/** bearerAccount creates an isAdmin account and mints a real access token for it. */
async function bearerAccount(ctx: OrgContext, scopes: string[], roleBindings: Binding[] = []) {
  const account = await createTestServiceAccount(ctx, { isAdmin: true, scopes, roleBindings: roleBindings as never });
  const { clientSecret, secret } = await createClientSecret(ctx, account.id, { name: 'api' });
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(clientSecret.id, secret) },
    ),
  );
  expect(res.status).toBe(200);
  return { id: account.id, token: ((await res.json()) as { access_token: string }).access_token };
}

function call(handler: Handler, token: string, method: string, params: Record<string, string>, body: unknown) {
  const request = new Request('http://localhost:3000/api/v1/service-accounts', {
    method,
    headers: { [PEER_IP_HEADER]: '127.0.0.1', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

async function refused(res: Response) {
  expect(res.status).toBe(403);
  const body = (await res.json()) as { code: string; detail: string };
  expect(body.code).toBe('forbidden');
  return body.detail;
}

async function grantsOf(accountId: string) {
  const row = await db.serviceAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: {
      isAdmin: true,
      ipAllowList: true,
      scopes: { select: { scope: { select: { name: true } } } },
      roleBindings: { select: { roleId: true, projectId: true } },
    },
  });
  return { ...row, scopes: row.scopes.map((s) => s.scope.name).sort() };
}

async function orgRoles(ctx: OrgContext) {
  const roles = (await getAccountCatalog(ctx)).roles.filter((r) => r.kind === 'ORGANIZATION');
  expect(roles.length).toBeGreaterThanOrEqual(2);
  return roles as unknown as [{ id: string; name: string }, { id: string; name: string }];
}

describe('nobody grants what they do not hold (issue 11)', () => {
  it('a service account holding only manage:service_accounts cannot widen itself', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const [role] = await orgRoles(adminCtx);
    const self = await bearerAccount(adminCtx, ['manage:service_accounts']);
    const before = await grantsOf(self.id);
    // Refusals are recorded as access.denied (issue 11 item 5); nothing else may be written.
    const changes = { organizationId: org.id, action: { not: 'access.denied' } };
    const events = await db.auditEvent.count({ where: changes });

    const patch = (body: unknown) => call(patchAccount, self.token, 'PATCH', { accountId: self.id }, body);
    expect(await refused(await patch({ scopes: ['manage:service_accounts', 'read:audit'] }))).toContain('scopes');
    expect(await refused(await patch({ scopes: ['manage:service_accounts', 'manage:oem_credentials'] }))).toContain(
      'own',
    );
    await refused(await patch({ scopes: ['manage:service_accounts', 'manage:vehicles'] }));
    await refused(await patch({ roleBindings: [{ roleId: role.id }] }));
    await refused(await patch({ ipAllowList: ['0.0.0.0/0'] }));
    // A longer token lifetime for its own tokens is a longer-lived stolen token.
    expect(await refused(await patch({ tokenLifetimeSeconds: 86_400 }))).toContain('tokenLifetimeSeconds');
    await refused(await patch({ isAdmin: false, scopes: [] }));
    // Even narrowing its own scopes is a change of its own grants: refused, nothing written.
    await refused(await patch({ scopes: [] }));

    expect(await grantsOf(self.id)).toEqual(before);
    expect(await db.auditEvent.count({ where: changes })).toBe(events);
    expect(await db.auditEvent.count({ where: { organizationId: org.id, action: 'access.denied' } })).toBeGreaterThan(
      0,
    );

    // Fields that grant nothing stay its own to change; re-sending its scopes unchanged is no change.
    const fine = await patch({ description: 'still me', scopes: ['manage:service_accounts'] });
    expect(fine.status).toBe(200);
  });

  it('a service account cannot create or widen another account beyond what it holds', async () => {
    const { adminCtx } = await orgWithRoles();
    const [role, otherRole] = await orgRoles(adminCtx);
    const caller = await bearerAccount(adminCtx, ['manage:service_accounts', 'TILE'], [{ roleId: role.id }]);
    const other = await createTestServiceAccount(adminCtx, { isAdmin: true, scopes: ['GEOCODING'] });
    const before = await grantsOf(other.id);

    const detail = await refused(
      await call(
        create,
        caller.token,
        'POST',
        {},
        {
          name: 'escalated',
          platform: 'SERVER',
          isAdmin: true,
          scopes: ['manage:service_accounts', 'read:audit'],
        },
      ),
    );
    expect(detail).toBe('You cannot grant read:audit: you do not hold it.');
    expect(
      await refused(
        await call(
          create,
          caller.token,
          'POST',
          {},
          {
            name: 'escalated-role',
            platform: 'SERVER',
            roleBindings: [{ roleId: otherRole.id }],
          },
        ),
      ),
    ).toContain(otherRole.name);
    expect(
      await db.serviceAccount.count({ where: { name: { startsWith: 'escalated' }, organizationId: adminCtx.orgId } }),
    ).toBe(0);

    const patchOther = (body: unknown) => call(patchAccount, caller.token, 'PATCH', { accountId: other.id }, body);
    await refused(await patchOther({ scopes: ['GEOCODING', 'read:audit'] }));
    await refused(await patchOther({ roleBindings: [{ roleId: otherRole.id }] }));
    expect(await grantsOf(other.id)).toEqual(before);

    // Positive controls: what it holds, it may grant; what it lacks may stay where it was.
    const ok = await patchOther({ scopes: ['GEOCODING', 'TILE'], roleBindings: [{ roleId: role.id }] });
    expect(ok.status).toBe(200);
    expect((await grantsOf(other.id)).scopes).toEqual(['GEOCODING', 'TILE']);
    const created = await call(
      create,
      caller.token,
      'POST',
      {},
      {
        name: 'within-bounds',
        platform: 'SERVER',
        isAdmin: true,
        scopes: ['manage:service_accounts', 'TILE'],
        roleBindings: [{ roleId: role.id }],
      },
    );
    expect(created.status).toBe(201);
  });

  it('a service account holding read:audit may grant read:audit; an owner may grant anything', async () => {
    const { ownerCtx, adminCtx, auditorCtx } = await orgWithRoles();
    const holder = await bearerAccount(adminCtx, ['manage:service_accounts', 'read:audit']);
    const target = await createTestServiceAccount(adminCtx, { isAdmin: true, scopes: ['manage:vehicles'] });
    const res = await call(
      patchAccount,
      holder.token,
      'PATCH',
      { accountId: target.id },
      {
        scopes: ['manage:vehicles', 'read:audit'],
      },
    );
    expect(res.status).toBe(200);
    expect((await grantsOf(target.id)).scopes).toEqual(['manage:vehicles', 'read:audit']);

    const [role] = await orgRoles(ownerCtx);
    const byOwner = await createTestServiceAccount(ownerCtx, {
      isAdmin: true,
      scopes: ['read:audit', 'manage:oem_credentials', 'manage:vehicles', 'manage:service_accounts'],
      roleBindings: [{ roleId: role.id, projectId: null }],
    });
    expect(byOwner.scopes).toHaveLength(4);
    // An auditor holds no write at all (checked before the grant rule, same 403).
    await expect(updateServiceAccount(auditorCtx, target.id, { description: 'x' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('a service account cannot mint a credential for an account holding more than it does', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const manager = await bearerAccount(adminCtx, ['manage:service_accounts']);
    const auditor = await createTestServiceAccount(adminCtx, { isAdmin: true, scopes: ['read:audit'] });
    const plain = await createTestServiceAccount(adminCtx, { scopes: [] });
    const secrets = () => db.clientSecret.count({ where: { serviceAccountId: auditor.id } });
    const before = await secrets();
    // A secret of the read:audit account would let this token read the audit log with it.
    expect(
      await refused(
        await call(createSecret as Handler, manager.token, 'POST', { accountId: auditor.id }, { name: 'x' }),
      ),
    ).toContain('read:audit');
    expect(
      await refused(await call(createKey as Handler, manager.token, 'POST', { accountId: auditor.id }, { name: 'k' })),
    ).toContain('read:audit');
    expect(await secrets()).toBe(before);
    // Positive control: an account holding nothing the caller lacks gets its secret.
    const ok = await call(createSecret as Handler, manager.token, 'POST', { accountId: plain.id }, { name: 'fine' });
    expect(ok.status).toBe(201);
    expect(org.id).toBeTruthy();
  });
});
