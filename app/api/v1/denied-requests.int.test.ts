import { describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { ACCESS_DENIED, DENIALS_PER_MINUTE } from '@/lib/audit/record-denial';
import type { OrgContext } from '@/lib/auth/context';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { db } from '@/lib/db/client';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { basic, formRequest } from '@/lib/testing/oauth-factories';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { GET as getAccount } from './service-accounts/[accountId]/route';
import { POST as createAccount } from './service-accounts/route';

// Issue 11 item 5 (ASVS 16.3.2): a refused authorization is recorded in the caller's organization.

type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;

async function bearerFor(ctx: OrgContext, scopes: string[]) {
  const account = await createTestServiceAccount(ctx, { isAdmin: true, scopes });
  const { clientSecret, secret } = await createClientSecret(ctx, account.id, { name: 'api' });
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(clientSecret.id, secret) },
    ),
  );
  expect(res.status).toBe(200);
  return { account, token: ((await res.json()) as { access_token: string }).access_token };
}

function call(handler: Handler, token: string, method: string, path: string, params = {}, body?: unknown) {
  const headers: Record<string, string> = { [PEER_IP_HEADER]: '127.0.0.1', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return handler(
    new Request(`http://localhost:3000${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
}

const denials = (orgId: string) =>
  db.auditEvent.findMany({ where: { organizationId: orgId, action: ACCESS_DENIED }, orderBy: { seq: 'asc' } });

describe('denied requests are audited', () => {
  it('a write without the scope for it: 403 and one access.denied event naming what was asked', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const reader = await bearerFor(adminCtx, ['read:service_accounts']);
    const res = await call(createAccount, reader.token, 'POST', '/api/v1/service-accounts', {
      name: 'nope',
      platform: 'SERVER',
    });
    expect(res.status).toBe(403);
    const events = await denials(org.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'FAILURE', actorType: 'SERVICE_ACCOUNT', actorId: reader.account.id });
    expect(events[0]?.details).toMatchObject({
      code: 'insufficient_scope',
      permission: 'service_accounts.write',
      method: 'POST',
      path: '/api/v1/service-accounts',
    });
    expect(JSON.stringify(events[0]?.details)).not.toContain(reader.token);
    // The positive control: an allowed read writes no such event.
    expect((await call(getAccount, reader.token, 'GET', '/x', { accountId: reader.account.id })).status).toBe(200);
    expect(await denials(org.id)).toHaveLength(1);
  });

  it("another organization's object: 404, recorded in the caller's organization only", async () => {
    const mine = await orgWithRoles();
    const theirs = await orgWithRoles();
    const caller = await bearerFor(mine.adminCtx, ['read:service_accounts']);
    const target = await createTestServiceAccount(theirs.adminCtx);
    const path = `/api/v1/service-accounts/${target.id}`;
    const res = await call(getAccount, caller.token, 'GET', path, { accountId: target.id });
    expect(res.status).toBe(404);
    expect((await denials(mine.org.id)).map((e) => e.details)).toEqual([
      expect.objectContaining({ code: 'not_found', path }),
    ]);
    expect(await denials(theirs.org.id)).toHaveLength(0);
  });

  it('a caller probing in a loop cannot flood the log', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const reader = await bearerFor(adminCtx, ['read:service_accounts']);
    const answers = await Promise.all(
      Array.from({ length: DENIALS_PER_MINUTE * 3 }, () =>
        call(createAccount, reader.token, 'POST', '/api/v1/service-accounts', { name: 'x', platform: 'SERVER' }),
      ),
    );
    expect(answers.every((a) => a.status === 403)).toBe(true);
    expect(await denials(org.id)).toHaveLength(DENIALS_PER_MINUTE);
  });
});
