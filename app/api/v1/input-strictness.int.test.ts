import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { AppError, ERROR_STATUS } from '@/lib/errors';
import { changeMemberRole, removeMember } from '@/lib/members/manage-members';
import { createProject } from '@/lib/projects/create-project';
import { createProjectInput } from '@/lib/projects/schema';
import { appendTestEvents } from '@/lib/testing/audit-fixtures';
import { createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { GET as listAuditEvents } from './audit-events/route';
import { PATCH as patchAccount } from './service-accounts/[accountId]/route';
import { POST as revokeAccount } from './service-accounts/[accountId]/revoke/route';
import { POST as suspendAccount } from './service-accounts/[accountId]/suspend/route';
import { POST as createSecret } from './service-accounts/[accountId]/secrets/route';
import { GET as listAccounts, POST as createAccount } from './service-accounts/route';

const ACCOUNTS = '/api/v1/service-accounts';

async function manager() {
  const roles = await orgWithRoles();
  return { ...roles, token: await bearerFor(roles.adminCtx, ['manage:service_accounts']) };
}

/** rawPost sends a body exactly as written, for JSON a client library would not produce. */
function rawPost(token: string, raw: string) {
  return createAccount(
    new Request(`http://localhost:3000${ACCOUNTS}`, {
      method: 'POST',
      headers: { [PEER_IP_HEADER]: '127.0.0.1', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: raw,
    }),
    { params: Promise.resolve({}) },
  );
}

describe('names (issue 11 item 4)', () => {
  it('stores names in NFC, so a decomposed spelling of a taken name is name_taken', async () => {
    const { token } = await manager();
    const first = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      { name: 'Caf\u00e9', platform: 'SERVER' },
    );
    expect(first.status).toBe(201);
    const second = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      { name: 'Cafe\u0301', platform: 'SERVER' },
    );
    expect(second.status).toBe(409);
    expect((await problemOf(second)).code).toBe('name_taken');

    const decomposedFirst = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      { name: 'Zoe\u0308', platform: 'WEB' },
    );
    expect(((await decomposedFirst.json()) as { name: string }).name).toBe('Zo\u00eb');
    const composedSecond = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      { name: 'Zo\u00eb', platform: 'WEB' },
    );
    expect((await problemOf(composedSecond)).code).toBe('name_taken');
  });

  it('projects follow the same rule', async () => {
    const { ownerCtx } = await orgWithRoles();
    await createProject(ownerCtx, createProjectInput.parse({ name: 'Cafe\u0301' }));
    await expect(createProject(ownerCtx, createProjectInput.parse({ name: 'Caf\u00e9' }))).rejects.toMatchObject({
      code: 'name_taken',
    });
  });

  it('refuses bidi controls, zero-width characters and lone surrogates with a field message', async () => {
    const { org, token } = await manager();
    for (const [name, says] of [
      ['invoice\u202Efdp.exe', /U\+202E.*text-direction/],
      ['pay\u200Bpal', /U\+200B.*invisible/],
      ['a\u200Db', /U\+200D/],
    ] as const) {
      const res = await callRoute(createAccount, token, 'POST', ACCOUNTS, {}, { name, platform: 'SERVER' });
      expect(res.status, name).toBe(400);
      const problem = await problemOf(res);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors?.name).toEqual([expect.stringMatching(says)]);
    }
    // JSON can carry an unpaired surrogate as an escape; it is not text.
    const lone = await problemOf(await rawPost(token, '{"name":"bad\\ud800name","platform":"SERVER"}'));
    expect(lone.code).toBe('validation_failed');
    expect(lone.errors?.name).toEqual([expect.stringMatching(/valid Unicode.*unpaired surrogate \(U\+D800\)/)]);
    expect(await db.serviceAccount.count({ where: { organizationId: org.id } })).toBe(1); // the bearer's own
  });
});

describe('strict input (issue 11 item 8)', () => {
  it('refuses a number sent as a string, in a body, with 400 validation_failed', async () => {
    const { token } = await manager();
    const res = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      {
        name: 'strings',
        platform: 'SERVER',
        tokenLifetimeSeconds: '3600',
      },
    );
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.tokenLifetimeSeconds).toEqual([expect.stringContaining('JSON number, not a string')]);
    const ok = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      {
        name: 'numbers',
        platform: 'SERVER',
        tokenLifetimeSeconds: 3600,
      },
    );
    expect(ok.status).toBe(201);
  });

  it('refuses CIDRs with host bits set and legacy IPv4 forms, naming the canonical form; stores IPv6 canonically', async () => {
    const { token } = await manager();
    const res = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      {
        name: 'walled',
        platform: 'SERVER',
        ipAllowList: ['10.0.0.1/8', '1.2.3', '192.0.2.0/24'],
      },
    );
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.['ipAllowList.0']).toEqual([expect.stringContaining('use 10.0.0.0/8')]);
    expect(problem.errors?.['ipAllowList.1']).toEqual([expect.stringContaining('as 1.2.0.3')]);
    expect(problem.errors).not.toHaveProperty(['ipAllowList.2']);

    const created = await callRoute(
      createAccount,
      token,
      'POST',
      ACCOUNTS,
      {},
      {
        name: 'walled',
        platform: 'SERVER',
        ipAllowList: ['10.0.0.0/8', '2001:DB8:0:0::/32', '::ffff:192.0.2.0/120'],
      },
    );
    expect(created.status).toBe(201);
    expect(((await created.json()) as { ipAllowList: string[] }).ipAllowList).toEqual([
      '10.0.0.0/8',
      '2001:db8::/32',
      '192.0.2.0/24',
    ]);
  });

  it('lists the allowed values in enum errors', async () => {
    const { token } = await manager();
    const problem = await problemOf(
      await callRoute(createAccount, token, 'POST', ACCOUNTS, {}, { name: 'enum', platform: 'LINUX' }),
    );
    expect(problem.errors?.platform).toEqual([expect.stringContaining('SERVER, WEB, ANDROID, IOS, DESKTOP')]);
    const status = await problemOf(await callRoute(listAccounts, token, 'GET', `${ACCOUNTS}?status=GONE`));
    expect(status.errors?.status).toEqual([expect.stringContaining('ACTIVE, SUSPENDED, REVOKED')]);
  });

  it('pages audit events with signed cursors, and refuses forged, edited or foreign ones with invalid_cursor', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['read:audit']);
    await appendTestEvents(
      org.id,
      Array.from({ length: 5 }, (_, i) => ({
        occurredAt: new Date(Date.UTC(2026, 0, 1, 12, i)),
        action: 'test.cursor',
      })),
    );
    const page = async (query: string) => callRoute(listAuditEvents, token, 'GET', `/api/v1/audit-events?${query}`);
    const first = (await (await page('action=test.cursor&limit=2')).json()) as {
      data: Array<{ id: string }>;
      next_cursor: string;
    };
    expect(first.next_cursor).toEqual(expect.any(String));
    const secondRes = await page(`action=test.cursor&limit=2&cursor=${first.next_cursor}`);
    expect(secondRes.status).toBe(200);
    const second = (await secondRes.json()) as { data: Array<{ id: string }> };
    expect(second.data).toHaveLength(2);
    expect(second.data.map((e) => e.id)).not.toContain(first.data[0]?.id);

    const lastId = first.data.at(-1)?.id ?? '0';
    const forgedPayload = Buffer.from(`2099-01-01T00:00:00.000Z|${lastId}`).toString('base64url');
    const [, version, mac] = first.next_cursor.split('.');
    const other = await orgWithRoles();
    await appendTestEvents(other.org.id, [
      { occurredAt: new Date(Date.UTC(2026, 0, 1)), action: 'test.cursor' },
      { occurredAt: new Date(Date.UTC(2026, 0, 2)), action: 'test.cursor' },
    ]);
    const { listAuditEvents: listDomain } = await import('@/lib/audit/queries');
    const foreign = (await listDomain({ ...other.adminCtx, role: 'AUDITOR' }, {}, { limit: 1 })).next_cursor ?? '';
    expect(foreign).not.toBe('');
    for (const cursor of [
      'bogus',
      forgedPayload, // the unsigned form cursors had before
      `${forgedPayload}.${version}.${mac}`, // a position edited under a real signature
      foreign, // another organization's cursor
    ]) {
      const res = await page(`cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect((await problemOf(res)).code).toBe('invalid_cursor');
    }
  });
});

describe('state codes (issue 11 item 10)', () => {
  it('an operation on a revoked service account is account_revoked', async () => {
    const { token } = await manager();
    const created = (await (
      await callRoute(createAccount, token, 'POST', ACCOUNTS, {}, { name: 'doomed', platform: 'SERVER' })
    ).json()) as { id: string };
    const params = { accountId: created.id };
    const at = `${ACCOUNTS}/${created.id}`;
    expect(
      (await callRoute(revokeAccount, token, 'POST', `${at}/revoke`, params, { confirmName: 'doomed' })).status,
    ).toBe(200);
    for (const res of [
      await callRoute(patchAccount, token, 'PATCH', at, params, { description: 'again' }),
      await callRoute(suspendAccount, token, 'POST', `${at}/suspend`, params),
      await callRoute(createSecret, token, 'POST', `${at}/secrets`, params, { name: 'late' }),
    ]) {
      expect(res.status).toBe(409);
      expect((await problemOf(res)).code).toBe('account_revoked');
    }
  });

  it('the last owner cannot step down or leave: last_owner (409)', async () => {
    const org = await createTestOrg();
    const owner = await createTestMember(org.id, 'OWNER');
    const ctx = memberCtx(org, owner, 'OWNER');
    for (const attempt of [changeMemberRole(ctx, owner.id, 'AUDITOR'), removeMember(ctx, owner.id)]) {
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('last_owner');
      expect((error as AppError).status).toBe(409);
    }
    expect(ERROR_STATUS.last_owner).toBe(409);
  });
});
