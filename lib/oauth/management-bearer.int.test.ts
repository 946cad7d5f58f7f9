import { describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { POST as revokeRoute } from '@/app/api/oauth/revoke/route';
import { db } from '@/lib/db/client';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { apiRoute } from '@/lib/http/api-route';
import { createTestOrg } from '@/lib/testing/factories';
import { basic, createAccount, createClientSecret, createProject, formRequest } from '@/lib/testing/oauth-factories';

// A throwaway /api/v1-style route: it answers with the context apiRoute resolved.
const whoAmI = apiRoute({ permission: 'service_accounts.read' }, async (ctx) =>
  Response.json({ orgId: ctx.orgId, orgSlug: ctx.orgSlug, actor: ctx.actor }),
);
const writeSomething = apiRoute({ permission: 'service_accounts.write' }, async () => Response.json({ ok: true }));

function call(handler: typeof whoAmI, bearer: string | null, method = 'GET') {
  const headers: Record<string, string> = { [PEER_IP_HEADER]: '127.0.0.1' };
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  return handler(new Request('http://localhost:3000/api/v1/whoami', { method, headers }), {
    params: Promise.resolve({}),
  });
}

async function adminToken(options: { isAdmin?: boolean; scopes?: string[] } = {}) {
  const org = await createTestOrg();
  const account = await createAccount(org, {
    isAdmin: options.isAdmin ?? true,
    scopes: options.scopes ?? ['read:service_accounts'],
  });
  const secret = await createClientSecret(account);
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(secret.id, secret.secret) },
    ),
  );
  const body = (await res.json()) as { access_token: string };
  return { org, account, secret, token: body.access_token };
}

describe('management bearer tokens on /api/v1', () => {
  it("an isAdmin account's token reaches its own organization as that service account", async () => {
    const { org, account, token } = await adminToken();
    const res = await call(whoAmI, token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      orgId: org.id,
      orgSlug: org.slug,
      actor: { type: 'SERVICE_ACCOUNT', id: account.id, label: account.name },
    });
  });

  it('a garbage token is 401 invalid_token with an RFC 6750 challenge', async () => {
    const garbage = await call(whoAmI, 'abc.def.ghi');
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="latchkey", error="invalid_token", error_description="/,
    );
    expect(await garbage.json()).toMatchObject({ code: 'invalid_token' });
  });

  it("a non-admin account's valid token is 403 insufficient_scope (RFC 6750 §3.1), not 401", async () => {
    const { token } = await adminToken({ isAdmin: false });
    const res = await call(whoAmI, token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect(await res.json()).toMatchObject({ code: 'insufficient_scope' });
  });

  it('a scope that does not grant the permission is 403 insufficient_scope naming the scope that would', async () => {
    const { token } = await adminToken({ scopes: ['read:service_accounts'] });
    const res = await call(writeSomething, token, 'POST');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="latchkey", error="insufficient_scope", error_description="[^"]+", scope="manage:service_accounts"$/,
    );
    expect(await res.json()).toMatchObject({ code: 'insufficient_scope' });
  });

  it('a revoked token, a suspended account or a disabled credential is 401', async () => {
    const first = await adminToken();
    await revokeRoute(
      formRequest(
        '/api/oauth/revoke',
        { token: first.token },
        { authorization: basic(first.secret.id, first.secret.secret) },
      ),
    );
    expect((await call(whoAmI, first.token)).status).toBe(401);

    const second = await adminToken();
    await db.serviceAccount.update({
      where: { id: second.account.id },
      data: { status: 'SUSPENDED', suspendedAt: new Date() },
    });
    expect((await call(whoAmI, second.token)).status).toBe(401);

    const third = await adminToken();
    await db.clientSecret.update({ where: { id: third.secret.id }, data: { status: 'DISABLED' } });
    expect((await call(whoAmI, third.token)).status).toBe(401);

    // Losing the admin flag takes effect on tokens already issued.
    const fourth = await adminToken();
    expect((await call(whoAmI, fourth.token)).status).toBe(200);
    await db.serviceAccount.update({ where: { id: fourth.account.id }, data: { isAdmin: false } });
    expect((await call(whoAmI, fourth.token)).status).toBe(403);
  });

  it('a token narrowed to a project by token exchange cannot manage the organization', async () => {
    const { org, account, token } = await adminToken();
    const { projectId } = await createProject(org, account);
    const res = await tokenRoute(
      formRequest('/api/oauth/token', {
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        project_id: projectId,
      }),
    );
    const narrowed = ((await res.json()) as { access_token: string }).access_token;
    const refused = await call(whoAmI, narrowed);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'insufficient_scope' });
    expect((await call(whoAmI, token)).status).toBe(200);
  });

  it('a scope removed from the account stops counting on tokens already issued', async () => {
    const { org, account, token } = await adminToken();
    const scope = await db.scope.findFirstOrThrow({ where: { organizationId: org.id, name: 'read:service_accounts' } });
    await db.serviceAccountScope.delete({
      where: { serviceAccountId_scopeId: { serviceAccountId: account.id, scopeId: scope.id } },
    });
    expect((await call(whoAmI, token)).status).toBe(403);
  });
});
