import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { POST as gebetaAuthRoute } from '@/app/compat/gebeta/api/v1/external/auth/route';
import { POST as gebetaRefreshRoute } from '@/app/compat/gebeta/api/v1/external/refresh/route';
import { POST as highMobilityRoute } from '@/app/compat/high-mobility/v1/auth_tokens/route';
import { POST as restApiRoute } from '@/app/compat/restapi/System/UserAccount/route';
import { POST as unityRoute } from '@/app/compat/unity/v1/token-exchange/route';
import { TOKEN_ISSUED, TOKEN_REFUSED } from '@/lib/audit/actions';
import { db } from '@/lib/db/client';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { issuerUrl } from '@/lib/oauth/issuer';
import { createTestOrg } from '@/lib/testing/factories';
import {
  basic,
  createAccount,
  createClientSecret,
  createClientTokenPair,
  createKeyPair,
  createProject,
  formRequest,
  jsonRequest,
  signAssertion,
  tokenEvents,
} from '@/lib/testing/oauth-factories';
import { verifyAccessToken } from '@/lib/tokens/access-token';

const HM_AUD = `${issuerUrl()}/compat/high-mobility/v1`;

describe('High Mobility: POST /compat/high-mobility/v1/auth_tokens', () => {
  async function hmAssertion(claims: Record<string, unknown> = {}) {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const key = await createKeyPair(account);
    const now = Math.floor(Date.now() / 1000);
    return { org, key, assertion: await signAssertion(key, { aud: HM_AUD, sub: undefined, exp: undefined, iat: now, jti: randomUUID(), ver: 2, ...claims }) };
  }

  it('exchanges a JSON or form assertion for an auth_token; the jti is accepted once', async () => {
    const { org, key, assertion } = await hmAssertion();
    const res = await highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', { assertion }));
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { auth_token: string; expires_in: number };
    expect(body.expires_in).toBe(3600);
    expect((await verifyAccessToken(body.auth_token))?.client_id).toBe(key.id);

    const replay = await highMobilityRoute(formRequest('/compat/high-mobility/v1/auth_tokens', { assertion }));
    expect(replay.status).toBe(401);
    const err = (await replay.json()) as { errors: Array<{ title: string; detail: string }> };
    expect(err.errors[0]?.detail).toMatch(/used already/);

    const events = await tokenEvents(org.id);
    expect(events.map((e) => e.action)).toEqual([TOKEN_ISSUED, TOKEN_REFUSED]);
    expect(events[0]?.details).toMatchObject({ grant_type: 'high_mobility:assertion', endpoint: '/compat/high-mobility/v1/auth_tokens' });
  });

  it('answers errors in High Mobility\'s shape: missing assertion, missing ver, wrong audience, stale iat', async () => {
    const missing = await highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', {}));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ errors: [{ title: 'Invalid request' }] });
    for (const claims of [{ ver: undefined }, { aud: 'https://example.test' }, { iat: Math.floor(Date.now() / 1000) - 31 }]) {
      const { assertion } = await hmAssertion(claims);
      const res = await highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', { assertion }));
      expect(res.status).toBe(401);
      expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    }
  });
});

describe('Unity: POST /compat/unity/v1/token-exchange', () => {
  const url = (q: string) => `/compat/unity/v1/token-exchange${q}`;
  function unityRequest(query: string, authorization?: string, body?: unknown) {
    const headers: Record<string, string> = { [PEER_IP_HEADER]: '127.0.0.1' };
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return new Request(`http://localhost:3000${url(query)}`, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  it('trades Basic key id + secret for a project/environment-bound accessToken; earlier tokens stay valid', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org, { scopes: ['TILE', 'MATRIX'] });
    const secret = await createClientSecret(account);
    const { projectId, environmentId } = await createProject(org, account);
    const first = await unityRoute(unityRequest(`?projectId=${projectId}&environmentId=${environmentId}`, basic(secret.id, secret.secret)));
    expect(first.status).toBe(200);
    const { accessToken } = (await first.json()) as { accessToken: string };
    expect(await verifyAccessToken(accessToken)).toMatchObject({ project_id: projectId, environment_id: environmentId, scope: 'MATRIX TILE' });
    const second = await unityRoute(unityRequest(`?projectId=${projectId}`, basic(secret.id, secret.secret), { scopes: ['TILE'] }));
    const secondToken = ((await second.json()) as { accessToken: string }).accessToken;
    expect(await verifyAccessToken(secondToken)).toMatchObject({ project_id: projectId, scope: 'TILE' });
    expect(await verifyAccessToken(accessToken)).not.toBeNull();
  });

  it('answers problem details: 400 without projectId, 401 for bad credentials, 403 for an unbound project', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const { projectId } = await createProject(org);
    const noProject = await unityRoute(unityRequest('', basic(secret.id, secret.secret)));
    expect(noProject.status).toBe(400);
    expect(noProject.headers.get('content-type')).toBe('application/problem+json');
    expect(await noProject.json()).toMatchObject({ status: 400, title: 'Bad Request' });
    const badAuth = await unityRoute(unityRequest(`?projectId=${projectId}`, basic(secret.id, 'lk_sec_wrong')));
    expect(badAuth.status).toBe(401);
    expect(await badAuth.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    const noAuth = await unityRoute(unityRequest(`?projectId=${projectId}`));
    expect(noAuth.status).toBe(401);
    const unbound = await unityRoute(unityRequest(`?projectId=${projectId}`, basic(secret.id, secret.secret)));
    expect(unbound.status).toBe(403);
  });
});

describe('Gebeta Maps: /compat/gebeta/api/v1/external/{auth,refresh}', () => {
  it('mints access + refresh tokens from client token + server token, rotates on refresh, and kills the family on reuse', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org, { platform: 'WEB' });
    const pair = await createClientTokenPair(account);
    const auth = await gebetaAuthRoute(jsonRequest('/compat/gebeta/api/v1/external/auth', { client_token: pair.clientToken, server_token: pair.serverToken }));
    expect(auth.status).toBe(200);
    const { data } = (await auth.json()) as { data: { accessToken: string; refreshToken: string } };
    expect(await verifyAccessToken(data.accessToken)).toMatchObject({ sub: account.id, client_id: pair.id });
    expect((await db.clientTokenPair.findUniqueOrThrow({ where: { id: pair.id } })).lastUsedAt).not.toBeNull();

    const refreshed = await gebetaRefreshRoute(jsonRequest('/compat/gebeta/api/v1/external/refresh', { refresh_token: data.refreshToken }));
    expect(refreshed.status).toBe(200);
    const next = ((await refreshed.json()) as { data: { accessToken: string; refreshToken: string } }).data;
    expect(next.refreshToken).not.toBe(data.refreshToken);

    const reuse = await gebetaRefreshRoute(jsonRequest('/compat/gebeta/api/v1/external/refresh', { refresh_token: data.refreshToken }));
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await gebetaRefreshRoute(jsonRequest('/compat/gebeta/api/v1/external/refresh', { refresh_token: next.refreshToken }))).status).toBe(401);
  });

  it('answers {error, code} errors: FAILED_VALIDATION, UNAUTHORIZED, FORBIDDEN', async () => {
    const missing = await gebetaAuthRoute(jsonRequest('/compat/gebeta/api/v1/external/auth', { client_token: 'x' }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'FAILED_VALIDATION', error: expect.stringContaining('server_token') });
    const org = await createTestOrg();
    const account = await createAccount(org, { platform: 'WEB', status: 'SUSPENDED' });
    const pair = await createClientTokenPair(account);
    const other = await createClientTokenPair(await createAccount(org, { platform: 'WEB' }));
    const wrong = await gebetaAuthRoute(jsonRequest('/compat/gebeta/api/v1/external/auth', { client_token: pair.clientToken, server_token: other.serverToken }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const suspended = await gebetaAuthRoute(jsonRequest('/compat/gebeta/api/v1/external/auth', { client_token: pair.clientToken, server_token: pair.serverToken }));
    expect(suspended.status).toBe(403);
    expect(await suspended.json()).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('RestAPI.com: POST /compat/restapi/System/UserAccount', () => {
  it('trades clientId + clientSecret for {"token"}; wrong secret 401, missing field 400', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const ok = await restApiRoute(jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret: secret.secret }));
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    expect(await verifyAccessToken(token)).toMatchObject({ sub: account.id, client_id: secret.id });
    const wrong = await restApiRoute(jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret: 'nope' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ status: 401 });
    const missing = await restApiRoute(jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: 400, message: expect.stringContaining('clientSecret') });
    const events = await tokenEvents(org.id);
    expect(events.map((e) => e.action)).toEqual([TOKEN_ISSUED]);
  });
});
