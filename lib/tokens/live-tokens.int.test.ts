import { describe, expect, it } from 'vitest';
import { GET as listRoute } from '@/app/api/v1/service-accounts/[accountId]/tokens/route';
import { POST as revokeRoute } from '@/app/api/v1/service-accounts/[accountId]/tokens/[jti]/revoke/route';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { suspendServiceAccount } from '@/lib/service-accounts/set-service-account-status';
import type { OrgContext } from '@/lib/auth/context';
import { basic, formRequest } from '@/lib/testing/oauth-factories';
import { auditEventsOf, createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { decodeJwt } from 'jose';
import { listLiveTokens, revokeLiveToken } from './live-tokens';

// Issue 18: an account's live access tokens are listed from their audit events and revoked one by one.

async function secretOf(ctx: OrgContext, accountId: string) {
  const { clientSecret, secret } = await createClientSecret(ctx, accountId, { name: `s-${Math.random()}` });
  return { id: clientSecret.id, secret };
}

async function issue(credential: { id: string; secret: string }) {
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(credential.id, credential.secret) },
    ),
  );
  expect(res.status).toBe(200);
  const token = ((await res.json()) as { access_token: string }).access_token;
  return { token, jti: decodeJwt(token).jti as string };
}

async function active(token: string, by: { id: string; secret: string }): Promise<boolean> {
  const res = await introspectRoute(
    formRequest('/api/oauth/introspect', { token }, { authorization: basic(by.id, by.secret) }),
  );
  return ((await res.json()) as { active: boolean }).active;
}

function call(handler: typeof listRoute, token: string, method: string, params: Record<string, string>) {
  return handler(
    new Request('http://localhost:3000/api/v1/x', {
      method,
      headers: { [PEER_IP_HEADER]: '127.0.0.1', authorization: `Bearer ${token}` },
    }),
    { params: Promise.resolve(params) },
  );
}

describe('live tokens', () => {
  it('lists what would be accepted, newest first, and revokes one on every path; others are untouched', async () => {
    const { org, adminCtx, auditorCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const a = await secretOf(adminCtx, account.id);
    const b = await secretOf(adminCtx, account.id);
    const first = await issue(a);
    const second = await issue(a);
    const third = await issue(b);

    const listed = await listLiveTokens(auditorCtx, account.id);
    expect(listed.map((t) => t.jti)).toEqual([third.jti, second.jti, first.jti]);
    expect(listed[0]).toMatchObject({ clientId: b.id, grantType: 'client_credentials', ip: '127.0.0.1' });
    expect(new Date(listed[0]?.expiresAt ?? 0).getTime() - new Date(listed[0]?.issuedAt ?? 0).getTime()).toBe(
      3_600_000,
    );
    expect(JSON.stringify(listed)).not.toContain(first.token);

    // An auditor reads but does not revoke.
    await expect(revokeLiveToken(auditorCtx, account.id, first.jti)).rejects.toMatchObject({ code: 'forbidden' });

    const revoked = await revokeLiveToken(adminCtx, account.id, first.jti);
    expect(revoked.jti).toBe(first.jti);
    expect(await active(first.token, a)).toBe(false);
    expect(await active(second.token, a)).toBe(true);
    expect((await listLiveTokens(adminCtx, account.id)).map((t) => t.jti)).toEqual([third.jti, second.jti]);
    // Revoked already: no longer live.
    await expect(revokeLiveToken(adminCtx, account.id, first.jti)).rejects.toMatchObject({ code: 'not_found' });
    const events = (await auditEventsOf(org.id)).filter((e) => e.action === 'token.revoked');
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ token_type: 'access_token', jti: first.jti, client_id: a.id });
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(first.token);

    // Disabling a credential ends its tokens in the list too; suspending ends all.
    await setCredentialStatus(adminCtx, 'client_secret', account.id, b.id, 'DISABLED');
    expect((await listLiveTokens(adminCtx, account.id)).map((t) => t.jti)).toEqual([second.jti]);
    await suspendServiceAccount(adminCtx, account.id);
    expect(await listLiveTokens(adminCtx, account.id)).toEqual([]);
  });

  it('a token exchanged from a revoked token is no longer listed, as introspection no longer accepts it', async () => {
    const { adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const a = await secretOf(adminCtx, account.id);
    const root = await issue(a);
    const exchange = async (subject: string) => {
      const res = await tokenRoute(
        formRequest(
          '/api/oauth/token',
          {
            grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
            subject_token: subject,
            subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          },
          { authorization: basic(a.id, a.secret) },
        ),
      );
      expect(res.status).toBe(200);
      const token = ((await res.json()) as { access_token: string }).access_token;
      return { token, jti: decodeJwt(token).jti as string };
    };
    const child = await exchange(root.token);
    const grandchild = await exchange(child.token);
    const other = await issue(a);
    expect((await listLiveTokens(adminCtx, account.id)).map((t) => t.jti)).toEqual([
      other.jti,
      grandchild.jti,
      child.jti,
      root.jti,
    ]);

    await revokeLiveToken(adminCtx, account.id, root.jti);
    expect(await active(grandchild.token, a)).toBe(false);
    expect((await listLiveTokens(adminCtx, account.id)).map((t) => t.jti)).toEqual([other.jti]);
  });

  it("nobody revokes another account's or organization's token by its id", async () => {
    const { adminCtx } = await orgWithRoles();
    const theirs = await orgWithRoles();
    const mine = await createTestServiceAccount(adminCtx);
    const other = await createTestServiceAccount(adminCtx);
    const token = await issue(await secretOf(adminCtx, other.id));
    // The jti of a token of `other`, named under `mine`: not found, and still live.
    await expect(revokeLiveToken(adminCtx, mine.id, token.jti)).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokeLiveToken(theirs.adminCtx, other.id, token.jti)).rejects.toMatchObject({ code: 'not_found' });
    await expect(listLiveTokens(theirs.adminCtx, other.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listLiveTokens(adminCtx, other.id)).map((t) => t.jti)).toEqual([token.jti]);
  });

  it('the API lists and revokes with the scopes for each, and validates the token id', async () => {
    const { adminCtx } = await orgWithRoles();
    const target = await createTestServiceAccount(adminCtx);
    const live = await issue(await secretOf(adminCtx, target.id));
    const manager = await createTestServiceAccount(adminCtx, { isAdmin: true, scopes: ['manage:service_accounts'] });
    const reader = await createTestServiceAccount(adminCtx, { isAdmin: true, scopes: ['read:service_accounts'] });
    const managerToken = (await issue(await secretOf(adminCtx, manager.id))).token;
    const readerToken = (await issue(await secretOf(adminCtx, reader.id))).token;

    const list = await call(listRoute, readerToken, 'GET', { accountId: target.id });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { jti: string }[] }).items.map((t) => t.jti)).toEqual([live.jti]);

    const bad = await call(revokeRoute, managerToken, 'POST', { accountId: target.id, jti: 'not-a-uuid' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'validation_failed' });
    const refused = await call(revokeRoute, readerToken, 'POST', { accountId: target.id, jti: live.jti });
    expect(refused.status).toBe(403);
    const done = await call(revokeRoute, managerToken, 'POST', { accountId: target.id, jti: live.jti.toUpperCase() });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ jti: live.jti });
    const again = await call(revokeRoute, managerToken, 'POST', { accountId: target.id, jti: live.jti });
    expect(again.status).toBe(404);
  });
});
