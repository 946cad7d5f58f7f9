import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { POST as gebetaAuthRoute } from '@/app/compat/gebeta/api/v1/external/auth/route';
import { POST as gebetaRefreshRoute } from '@/app/compat/gebeta/api/v1/external/refresh/route';
import { POST as highMobilityRoute } from '@/app/compat/high-mobility/v1/auth_tokens/route';
import { POST as restApiRoute } from '@/app/compat/restapi/System/UserAccount/route';
import { POST as unityRoute } from '@/app/compat/unity/v1/token-exchange/route';
import { gebetaError } from '@/lib/compat/gebeta/errors';
import { TOKEN_ISSUED, TOKEN_REFUSED } from '@/lib/audit/actions';
import { db } from '@/lib/db/client';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { issuerUrl } from '@/lib/issuer';
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
    return {
      org,
      key,
      assertion: await signAssertion(key, {
        aud: HM_AUD,
        sub: undefined,
        exp: undefined,
        iat: now,
        jti: randomUUID(),
        ver: 2,
        ...claims,
      }),
    };
  }

  it('exchanges a JSON or form assertion for 201 {auth_token, valid_from, valid_until}; the jti is accepted once', async () => {
    const { org, key, assertion } = await hmAssertion();
    const res = await highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', { assertion }));
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { auth_token: string; valid_from: string; valid_until: string };
    // High Mobility's ServiceAccountTokenResponse: exactly these three, the dates in ISO 8601.
    expect(Object.keys(body).sort()).toEqual(['auth_token', 'valid_from', 'valid_until']);
    const claims = await verifyAccessToken(body.auth_token);
    expect(claims?.client_id).toBe(key.id);
    expect(body.valid_from).toBe(new Date((claims?.iat ?? 0) * 1000).toISOString());
    expect(body.valid_until).toBe(new Date((claims?.exp ?? 0) * 1000).toISOString());
    expect(Date.parse(body.valid_until) - Date.parse(body.valid_from)).toBe(3600_000);

    const replay = await highMobilityRoute(formRequest('/compat/high-mobility/v1/auth_tokens', { assertion }));
    expect(replay.status).toBe(401);
    const err = (await replay.json()) as { errors: Array<{ title: string; source: string; detail: string }> };
    expect(err.errors[0]).toMatchObject({
      title: 'Not authorized',
      source: 'Authorization',
      detail: expect.stringMatching(/used already/),
    });

    const events = await tokenEvents(org.id);
    expect(events.map((e) => e.action)).toEqual([TOKEN_ISSUED, TOKEN_REFUSED]);
    expect(events[0]?.details).toMatchObject({
      grant_type: 'high_mobility:assertion',
      endpoint: '/compat/high-mobility/v1/auth_tokens',
    });
  });

  it('accepts a form-encoded assertion (the HMKit Fleet SDK posts a form)', async () => {
    const { assertion } = await hmAssertion();
    const res = await highMobilityRoute(formRequest('/compat/high-mobility/v1/auth_tokens', { assertion }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ auth_token: expect.any(String), valid_until: expect.any(String) });
  });

  it("answers High Mobility's documented errors: 401 Not authorized for a missing or bad assertion, 422 for an unreadable body", async () => {
    const notAuthorized = {
      errors: [{ title: 'Not authorized', source: 'Authorization', detail: expect.any(String) }],
    };
    for (const body of [{}, { assertion: '' }, { assertion: 42 }]) {
      const missing = await highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', body));
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({
        errors: [
          {
            title: 'Not authorized',
            source: 'Authorization',
            detail: expect.stringContaining('Missing or invalid assertion'),
          },
        ],
      });
    }
    for (const claims of [
      { ver: undefined },
      // ver must be the documented integer.
      { ver: {} },
      { ver: true },
      { ver: null },
      { ver: 'banana' },
      { ver: 2.5 },
      { aud: 'https://example.test' },
      // Audience injection: an array is refused even when it holds our audience.
      { aud: [HM_AUD] },
      { aud: [HM_AUD, 'https://example.test'] },
      // A jti that is not a UUID.
      { jti: 'not-a-uuid-at-all' },
      { iat: Math.floor(Date.now() / 1000) - 31 },
    ]) {
      const { assertion } = await hmAssertion(claims);
      const res = await highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', { assertion }));
      expect(res.status).toBe(401);
      const json = (await res.json()) as { errors: unknown[] };
      expect(json).toMatchObject(notAuthorized);
      expect(json.errors).toHaveLength(1);
    }
    const garbage = await highMobilityRoute(
      new Request('http://localhost:3000/compat/high-mobility/v1/auth_tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PEER_IP_HEADER]: '127.0.0.1' },
        body: '{"assertion":',
      }),
    );
    expect(garbage.status).toBe(422);
    expect(await garbage.json()).toMatchObject({ errors: [{ title: 'Invalid request', detail: expect.any(String) }] });
  });

  it('audits a missing assertion as a refusal', async () => {
    const res = await highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', { assertion: null }));
    expect(res.status).toBe(401);
    const requestId = res.headers.get('x-request-id') ?? '';
    const refused = await db.auditEvent.findMany({ where: { requestId } });
    expect(refused.map((e) => e.action)).toEqual([TOKEN_REFUSED]);
    expect(refused[0]?.details).toMatchObject({
      grant_type: 'high_mobility:assertion',
      endpoint: '/compat/high-mobility/v1/auth_tokens',
      reason: 'assertion_missing',
    });
  });
});

describe('Unity: POST /compat/unity/v1/token-exchange', () => {
  const url = (q: string) => `/compat/unity/v1/token-exchange${q}`;
  function unityRequest(query: string, authorization?: string, body?: unknown) {
    const headers: Record<string, string> = { [PEER_IP_HEADER]: '127.0.0.1' };
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return new Request(`http://localhost:3000${url(query)}`, {
      method: 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('trades Basic key id + secret for a project/environment-bound accessToken; earlier tokens stay valid', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org, { scopes: ['TILE', 'MATRIX'] });
    const secret = await createClientSecret(account);
    const { projectId, environmentId } = await createProject(org, account);
    const first = await unityRoute(
      unityRequest(`?projectId=${projectId}&environmentId=${environmentId}`, basic(secret.id, secret.secret)),
    );
    expect(first.status).toBe(200);
    const { accessToken } = (await first.json()) as { accessToken: string };
    expect(await verifyAccessToken(accessToken)).toMatchObject({
      project_id: projectId,
      environment_id: environmentId,
      scope: 'MATRIX TILE',
    });
    const second = await unityRoute(
      unityRequest(`?projectId=${projectId}`, basic(secret.id, secret.secret), { scopes: ['TILE'] }),
    );
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
    // Unity's error attributes: `code` is Unity's numeric error code (55 InvalidRequest), `details` an array.
    expect(await noProject.json()).toMatchObject({
      type: 'problems/basic',
      status: 400,
      title: 'Bad Request',
      code: 55,
      detail: expect.any(String),
      details: [],
    });
    const badAuth = await unityRoute(unityRequest(`?projectId=${projectId}`, basic(secret.id, 'lk_sec_wrong')));
    expect(badAuth.status).toBe(401);
    const badAuthBody = (await badAuth.json()) as Record<string, unknown>;
    expect(badAuthBody).toMatchObject({ status: 401, title: 'Unauthorized', code: 51, details: [] });
    expect(badAuthBody.requestId).toBe(badAuth.headers.get('x-request-id'));
    expect(JSON.stringify(badAuthBody)).not.toContain('lk_sec_wrong');
    const noAuth = await unityRoute(unityRequest(`?projectId=${projectId}`));
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ code: 51 });
    const unbound = await unityRoute(unityRequest(`?projectId=${projectId}`, basic(secret.id, secret.secret)));
    expect(unbound.status).toBe(403);
    expect(await unbound.json()).toMatchObject({ status: 403, title: 'Forbidden', code: 53 });
  });

  it('accepts the SDK body {"scopes": []} as "all scopes"', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org, { scopes: ['TILE', 'MATRIX'] });
    const secret = await createClientSecret(account);
    const { projectId } = await createProject(org, account);
    const res = await unityRoute(
      unityRequest(`?projectId=${projectId}`, basic(secret.id, secret.secret), { scopes: [] }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string };
    expect(Object.keys(body)).toEqual(['accessToken']);
    expect(await verifyAccessToken(body.accessToken)).toMatchObject({ project_id: projectId, scope: 'MATRIX TILE' });
  });
});

describe('Gebeta Maps: /compat/gebeta/api/v1/external/{auth,refresh}', () => {
  it('mints access + refresh tokens from client token + server token, rotates on refresh, and kills the family on reuse', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org, { platform: 'WEB' });
    const pair = await createClientTokenPair(account);
    const auth = await gebetaAuthRoute(
      jsonRequest('/compat/gebeta/api/v1/external/auth', {
        client_token: pair.clientToken,
        server_token: pair.serverToken,
      }),
    );
    expect(auth.status).toBe(200);
    const { data } = (await auth.json()) as { data: { accessToken: string; refreshToken: string } };
    expect(await verifyAccessToken(data.accessToken)).toMatchObject({ sub: account.id, client_id: pair.id });
    expect((await db.clientTokenPair.findUniqueOrThrow({ where: { id: pair.id } })).lastUsedAt).not.toBeNull();

    const refreshed = await gebetaRefreshRoute(
      jsonRequest('/compat/gebeta/api/v1/external/refresh', { refresh_token: data.refreshToken }),
    );
    expect(refreshed.status).toBe(200);
    const next = ((await refreshed.json()) as { data: { accessToken: string; refreshToken: string } }).data;
    expect(next.refreshToken).not.toBe(data.refreshToken);

    const reuse = await gebetaRefreshRoute(
      jsonRequest('/compat/gebeta/api/v1/external/refresh', { refresh_token: data.refreshToken }),
    );
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(
      (
        await gebetaRefreshRoute(
          jsonRequest('/compat/gebeta/api/v1/external/refresh', { refresh_token: next.refreshToken }),
        )
      ).status,
    ).toBe(401);
  });

  it('answers {error, code} errors: FAILED_VALIDATION, UNAUTHORIZED, FORBIDDEN', async () => {
    const missing = await gebetaAuthRoute(jsonRequest('/compat/gebeta/api/v1/external/auth', { client_token: 'x' }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      code: 'FAILED_VALIDATION',
      error: expect.stringContaining('server_token'),
    });
    const org = await createTestOrg();
    const account = await createAccount(org, { platform: 'WEB', status: 'SUSPENDED' });
    const pair = await createClientTokenPair(account);
    const other = await createClientTokenPair(await createAccount(org, { platform: 'WEB' }));
    const wrong = await gebetaAuthRoute(
      jsonRequest('/compat/gebeta/api/v1/external/auth', {
        client_token: pair.clientToken,
        server_token: other.serverToken,
      }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const suspended = await gebetaAuthRoute(
      jsonRequest('/compat/gebeta/api/v1/external/auth', {
        client_token: pair.clientToken,
        server_token: pair.serverToken,
      }),
    );
    expect(suspended.status).toBe(403);
    expect(await suspended.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a refresh request without refresh_token as FAILED_VALIDATION, and an unknown one as 401', async () => {
    const missing = await gebetaRefreshRoute(jsonRequest('/compat/gebeta/api/v1/external/refresh', {}));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: expect.stringContaining('refresh_token'),
      code: 'FAILED_VALIDATION',
    });
    const unknown = await gebetaRefreshRoute(
      jsonRequest('/compat/gebeta/api/v1/external/refresh', { refresh_token: 'lk_rt_not-a-token' }),
    );
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: expect.any(String), code: 'UNAUTHORIZED' });
  });

  it("renders an unexpected failure as Gebeta's documented 500 body, without internals", async () => {
    const res = gebetaError(new Error('connection to 10.0.0.5 refused, password=hunter2'), 'req-test');
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ error: 'Internal server error', code: 'INTERNAL_ERROR' });
  });
});

describe('RestAPI.com: POST /compat/restapi/System/UserAccount', () => {
  it('trades clientId + clientSecret for {"token"}; wrong secret 401, missing field 400', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const ok = await restApiRoute(
      jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret: secret.secret }),
    );
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    expect(await verifyAccessToken(token)).toMatchObject({ sub: account.id, client_id: secret.id });
    const wrong = await restApiRoute(
      jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret: 'nope' }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ status: 401 });
    const missing = await restApiRoute(jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: 400, message: expect.stringContaining('clientSecret') });
    // The mistyped secret names a real credential: its refusal is in that organization's log
    // (the missing field is refused before any credential is read).
    const events = await tokenEvents(org.id);
    expect(events.map((e) => e.action)).toEqual([TOKEN_ISSUED, TOKEN_REFUSED]);
    expect(events[1]?.details).toMatchObject({ client_id: secret.id, reason: 'bad_credentials' });
  });
});
