import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { newId } from '@/lib/ids';
import { createTestOrg, memberCtx, createTestMember } from '@/lib/testing/factories';
import {
  auditEventsOf,
  createTestProject,
  createTestServiceAccount,
  orgWithRoles,
} from '@/lib/testing/service-account-fixtures';
import { createServiceAccount } from './create-service-account';
import { getAccountCatalog, getServiceAccount, listServiceAccounts } from './queries';
import { createServiceAccountInput, listServiceAccountsQuery, updateServiceAccountInput } from './schema';
import { reactivateServiceAccount, revokeServiceAccount, suspendServiceAccount } from './set-service-account-status';
import { updateServiceAccount } from './update-service-account';

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? String(e),
  );
const fieldsOf = async (p: Promise<unknown>): Promise<Record<string, string[]>> =>
  p.then(
    () => ({}),
    (e: { fields?: Record<string, string[]> }) => e.fields ?? {},
  );

describe('createServiceAccount', () => {
  it('creates an account with scopes, role bindings, lifetime and allow-list, audited in the same transaction', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const project = await createTestProject(org.id);
    const catalog = await getAccountCatalog(adminCtx);
    const orgRole = catalog.roles.find((r) => r.kind === 'ORGANIZATION');
    const projectRole = catalog.roles.find((r) => r.kind === 'PROJECT');
    const account = await createServiceAccount(
      adminCtx,
      createServiceAccountInput.parse({
        name: 'billing-backend',
        description: 'Bills customers',
        platform: 'SERVER',
        isAdmin: true,
        scopes: ['TILE', 'GEOCODING', 'manage:service_accounts'],
        roleBindings: [{ roleId: orgRole?.id }, { roleId: projectRole?.id, projectId: project.id }],
        tokenLifetimeSeconds: 900,
        ipAllowList: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'],
      }),
    );
    expect(account).toMatchObject({
      name: 'billing-backend',
      status: 'ACTIVE',
      isAdmin: true,
      scopes: ['GEOCODING', 'TILE', 'manage:service_accounts'],
      tokenLifetimeSeconds: 900,
      ipAllowList: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'],
      createdBy: { id: adminCtx.actor.id },
    });
    expect(account.roleBindings.map((b) => [b.roleName, b.projectName])).toEqual(
      expect.arrayContaining([
        [orgRole?.name, null],
        [projectRole?.name, project.name],
      ]),
    );
    const events = await auditEventsOf(org.id);
    expect(events.at(-1)).toMatchObject({
      action: 'service_account.created',
      targetId: account.id,
      actorId: adminCtx.actor.id,
      requestId: adminCtx.requestId,
    });
  });

  it('refuses a taken name, unknown scopes, management scopes on a non-admin account and bad role bindings', async () => {
    const { org, adminCtx } = await orgWithRoles();
    await createTestServiceAccount(adminCtx, { name: 'dup' });
    expect(await codeOf(createTestServiceAccount(adminCtx, { name: 'dup' }))).toBe('name_taken');
    expect(await fieldsOf(createTestServiceAccount(adminCtx, { scopes: ['NOPE'] }))).toHaveProperty('scopes');
    expect(
      await fieldsOf(createTestServiceAccount(adminCtx, { scopes: ['read:audit'], isAdmin: false })),
    ).toHaveProperty('scopes');
    const catalog = await getAccountCatalog(adminCtx);
    const projectRole = catalog.roles.find((r) => r.kind === 'PROJECT');
    const orgRole = catalog.roles.find((r) => r.kind === 'ORGANIZATION');
    const project = await createTestProject(org.id);
    // A project role without a project, an organization role with one, an unknown role.
    for (const binding of [
      { roleId: projectRole?.id ?? '', projectId: null },
      { roleId: orgRole?.id ?? '', projectId: project.id },
      { roleId: newId('role'), projectId: null },
    ]) {
      expect(await fieldsOf(createTestServiceAccount(adminCtx, { roleBindings: [binding] }))).toHaveProperty(
        'roleBindings',
      );
    }
    // Another organization's project and role are unknown here.
    const other = await createTestOrg();
    const otherProject = await createTestProject(other.id);
    expect(
      await codeOf(
        createTestServiceAccount(adminCtx, {
          roleBindings: [{ roleId: projectRole?.id ?? '', projectId: otherProject.id }],
        }),
      ),
    ).toBe('validation_failed');
    expect(await db.serviceAccount.count({ where: { organizationId: org.id } })).toBe(1);
  });

  it('validates input: CIDRs, lifetime bounds, platform, unknown fields', () => {
    const base = { name: 'x', platform: 'SERVER' };
    const bad = [
      { ...base, ipAllowList: ['10.0.0.0/33'] },
      { ...base, ipAllowList: ['not-an-ip'] },
      { ...base, tokenLifetimeSeconds: 59 },
      { ...base, tokenLifetimeSeconds: 86_401 },
      { ...base, platform: 'MAINFRAME' },
      { ...base, name: '' },
      { ...base, name: 'x'.repeat(101) },
      { ...base, extra: true },
    ];
    for (const input of bad)
      expect(createServiceAccountInput.safeParse(input).success, JSON.stringify(input)).toBe(false);
    expect(createServiceAccountInput.safeParse({ ...base, ipAllowList: ['::1', '10.1.2.0/24'] }).success).toBe(true);
  });

  it('an AUDITOR may read but not create, change or suspend', async () => {
    const { adminCtx, auditorCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    expect(await codeOf(createTestServiceAccount(auditorCtx))).toBe('forbidden');
    expect(await codeOf(updateServiceAccount(auditorCtx, account.id, { description: 'x' }))).toBe('forbidden');
    expect(await codeOf(suspendServiceAccount(auditorCtx, account.id))).toBe('forbidden');
    expect(await codeOf(revokeServiceAccount(auditorCtx, account.id, account.name))).toBe('forbidden');
    expect((await getServiceAccount(auditorCtx, account.id)).id).toBe(account.id);
    expect((await listServiceAccounts(auditorCtx, listServiceAccountsQuery.parse({}))).total).toBe(1);
  });
});

describe('listServiceAccounts and getServiceAccount', () => {
  it('searches, filters and pages within the organization only', async () => {
    const { adminCtx } = await orgWithRoles();
    const other = await orgWithRoles();
    await createTestServiceAccount(other.adminCtx, { name: 'alpha-other' });
    for (const [name, platform] of [
      ['alpha-web', 'WEB'],
      ['alpha-server', 'SERVER'],
      ['beta-server', 'SERVER'],
    ] as const) {
      await createTestServiceAccount(adminCtx, { name, platform });
    }
    const suspended = await createTestServiceAccount(adminCtx, { name: 'gamma' });
    await suspendServiceAccount(adminCtx, suspended.id);

    const all = await listServiceAccounts(adminCtx, listServiceAccountsQuery.parse({}));
    expect(all.total).toBe(4);
    const alpha = await listServiceAccounts(adminCtx, listServiceAccountsQuery.parse({ q: 'ALPHA' }));
    expect(alpha.items.map((i) => i.name).sort()).toEqual(['alpha-server', 'alpha-web']);
    const servers = await listServiceAccounts(
      adminCtx,
      listServiceAccountsQuery.parse({ platform: 'SERVER', status: 'ACTIVE' }),
    );
    expect(servers.items.map((i) => i.name).sort()).toEqual(['alpha-server', 'beta-server']);
    const onlySuspended = await listServiceAccounts(adminCtx, listServiceAccountsQuery.parse({ status: 'SUSPENDED' }));
    expect(onlySuspended.items.map((i) => i.name)).toEqual(['gamma']);
    const page2 = await listServiceAccounts(adminCtx, listServiceAccountsQuery.parse({ page: '2', pageSize: '3' }));
    expect(page2).toMatchObject({ page: 2, pageSize: 3, total: 4, totalPages: 2 });
    expect(page2.items).toHaveLength(1);
    expect(listServiceAccountsQuery.safeParse({ status: 'GONE' }).success).toBe(false);
    expect(listServiceAccountsQuery.safeParse({ pageSize: '1000' }).success).toBe(false);
  });

  it("answers not_found for another organization's account, for every operation", async () => {
    const mine = await orgWithRoles();
    const theirs = await orgWithRoles();
    const account = await createTestServiceAccount(theirs.adminCtx);
    expect(await codeOf(getServiceAccount(mine.adminCtx, account.id))).toBe('not_found');
    expect(await codeOf(updateServiceAccount(mine.adminCtx, account.id, { description: 'pwned' }))).toBe('not_found');
    expect(await codeOf(suspendServiceAccount(mine.adminCtx, account.id))).toBe('not_found');
    expect(await codeOf(reactivateServiceAccount(mine.adminCtx, account.id))).toBe('not_found');
    expect(await codeOf(revokeServiceAccount(mine.adminCtx, account.id, account.name))).toBe('not_found');
    expect((await getServiceAccount(theirs.adminCtx, account.id)).status).toBe('ACTIVE');
  });
});

describe('updateServiceAccount', () => {
  it('changes only the fields sent and audits what changed', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx, { scopes: ['TILE'], ipAllowList: ['10.0.0.0/8'] });
    const updated = await updateServiceAccount(
      adminCtx,
      account.id,
      updateServiceAccountInput.parse({ description: 'new', scopes: ['MATRIX', 'TILE'], tokenLifetimeSeconds: 120 }),
    );
    expect(updated).toMatchObject({
      description: 'new',
      scopes: ['MATRIX', 'TILE'],
      tokenLifetimeSeconds: 120,
      ipAllowList: ['10.0.0.0/8'],
      name: account.name,
    });
    const event = (await auditEventsOf(org.id)).at(-1);
    expect(event?.action).toBe('service_account.updated');
    expect((event?.details as { changed: string[] }).changed.sort()).toEqual([
      'description',
      'scopes',
      'tokenLifetimeSeconds',
    ]);
    // Nothing changed: no event.
    const count = (await auditEventsOf(org.id)).length;
    await updateServiceAccount(adminCtx, account.id, { description: 'new' });
    expect((await auditEventsOf(org.id)).length).toBe(count);
  });

  it('refuses a taken name, dropping isAdmin while holding management scopes, and unknown fields such as platform', async () => {
    const { adminCtx } = await orgWithRoles();
    await createTestServiceAccount(adminCtx, { name: 'taken' });
    const admin = await createTestServiceAccount(adminCtx, { isAdmin: true, scopes: ['read:audit'] });
    expect(await codeOf(updateServiceAccount(adminCtx, admin.id, { name: 'taken' }))).toBe('name_taken');
    expect(await fieldsOf(updateServiceAccount(adminCtx, admin.id, { isAdmin: false }))).toHaveProperty('scopes');
    expect(updateServiceAccountInput.safeParse({ platform: 'WEB' }).success).toBe(false);
    expect((await getServiceAccount(adminCtx, admin.id)).isAdmin).toBe(true);
  });
});

describe('suspend, reactivate, revoke', () => {
  it('suspends and reactivates, refusing a repeated transition', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    expect((await suspendServiceAccount(adminCtx, account.id)).status).toBe('SUSPENDED');
    expect(await codeOf(suspendServiceAccount(adminCtx, account.id))).toBe('invalid_state');
    const back = await reactivateServiceAccount(adminCtx, account.id);
    expect(back).toMatchObject({ status: 'ACTIVE', suspendedAt: null });
    expect(await codeOf(reactivateServiceAccount(adminCtx, account.id))).toBe('invalid_state');
    const actions = (await auditEventsOf(org.id)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['service_account.suspended', 'service_account.reactivated']);
  });

  it('revokes terminally: typed confirmation, every credential disabled, refresh tokens revoked, no way back', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx, { name: 'doomed', platform: 'WEB' });
    const { createClientSecret } = await import('@/lib/credentials/create-client-secret');
    const { createKeyPair } = await import('@/lib/credentials/create-key-pair');
    const { createTokenPair } = await import('@/lib/credentials/create-token-pair');
    await createClientSecret(adminCtx, account.id, { name: 's' });
    await createKeyPair(adminCtx, account.id, { name: 'k' });
    await createTokenPair(adminCtx, account.id, {});
    await db.refreshToken.create({
      data: {
        id: newId('refreshToken'),
        organizationId: org.id,
        serviceAccountId: account.id,
        familyId: 'fam',
        tokenHash: new Uint8Array(32).fill(7),
        scope: '',
        expiresAt: new Date(Date.now() + 3_600_000),
        familyExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });

    expect(await fieldsOf(revokeServiceAccount(adminCtx, account.id, 'Doomed'))).toHaveProperty('confirmName');
    expect((await getServiceAccount(adminCtx, account.id)).status).toBe('ACTIVE');

    const revoked = await revokeServiceAccount(adminCtx, account.id, 'doomed');
    expect(revoked.status).toBe('REVOKED');
    expect(revoked.revokedAt).not.toBeNull();
    const detail = await getServiceAccount(adminCtx, account.id);
    for (const c of [...detail.clientSecrets, ...detail.keyPairs, ...detail.clientTokenPairs])
      expect(c.status).toBe('DISABLED');
    expect(await db.refreshToken.count({ where: { serviceAccountId: account.id, revokedAt: null } })).toBe(0);

    expect(await codeOf(reactivateServiceAccount(adminCtx, account.id))).toBe('account_revoked');
    expect(await codeOf(suspendServiceAccount(adminCtx, account.id))).toBe('account_revoked');
    expect(await codeOf(revokeServiceAccount(adminCtx, account.id, 'doomed'))).toBe('account_revoked');
    expect(await codeOf(updateServiceAccount(adminCtx, account.id, { description: 'x' }))).toBe('account_revoked');
    expect(await codeOf(createClientSecret(adminCtx, account.id, { name: 'again' }))).toBe('account_revoked');
    const event = (await auditEventsOf(org.id)).at(-1);
    expect(event).toMatchObject({ action: 'service_account.revoked', targetId: account.id });
    expect(event?.details).toMatchObject({
      disabledClientSecrets: 1,
      disabledKeyPairs: 1,
      disabledClientTokenPairs: 1,
      revokedRefreshTokens: 1,
    });
  });

  it('an OWNER may do what an ADMIN may', async () => {
    const org = await createTestOrg();
    const owner = await createTestMember(org.id, 'OWNER');
    const ctx = memberCtx(org, owner, 'OWNER');
    const account = await createTestServiceAccount(ctx);
    expect((await suspendServiceAccount(ctx, account.id)).status).toBe('SUSPENDED');
  });
});
