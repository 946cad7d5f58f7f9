import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { POST as gebetaAuthRoute } from '@/app/compat/gebeta/api/v1/external/auth/route';
import { POST as highMobilityRoute } from '@/app/compat/high-mobility/v1/auth_tokens/route';
import { POST as restApiRoute } from '@/app/compat/restapi/System/UserAccount/route';
import { POST as unityRoute } from '@/app/compat/unity/v1/token-exchange/route';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { issuerUrl } from '@/lib/issuer';
import { resetTokenLimiters } from '@/lib/oauth/token-service';
import { createTestOrg } from '@/lib/testing/factories';
import {
  basic,
  createAccount,
  createClientSecret,
  createClientTokenPair,
  createKeyPair,
  createProject,
  jsonRequest,
  signAssertion,
} from '@/lib/testing/oauth-factories';

/**
 * Issue 10 item 5: the vendor flows answer a rate limit and a suspended account in their
 * vendor's shape (429 + Retry-After where throttled; the vendor's "not allowed" error for a
 * suspension), never 500.
 */

afterEach(() => {
  delete process.env.TOKEN_RATE_LIMIT_PER_CLIENT;
  delete process.env.TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS;
  resetEnvCache();
  resetTokenLimiters();
});

type Flow = {
  name: string;
  /** A fresh account (platform as the flow needs) and a function making one request for it. */
  setup(): Promise<{ accountId: string; call: () => Promise<Response>; wrong: () => Promise<Response> }>;
  ok: number;
  /** The vendor's body for a throttled request and for a suspended account. */
  throttled: (body: unknown) => void;
  suspended: { status: number; body: (body: unknown) => void };
};

const FLOWS: Flow[] = [
  {
    name: 'High Mobility',
    ok: 201,
    async setup() {
      const org = await createTestOrg();
      const account = await createAccount(org);
      const key = await createKeyPair(account);
      const assertion = () =>
        signAssertion(key, {
          aud: `${issuerUrl()}/compat/high-mobility/v1`,
          sub: undefined,
          exp: undefined,
          iat: Math.floor(Date.now() / 1000),
          jti: randomUUID(),
          ver: 2,
        });
      const send = async (value: string) =>
        highMobilityRoute(jsonRequest('/compat/high-mobility/v1/auth_tokens', { assertion: value }));
      return {
        accountId: account.id,
        call: async () => send(await assertion()),
        wrong: async () => send(`${(await assertion()).slice(0, -4)}AAAA`),
      };
    },
    throttled: (body) => expect(body).toEqual({ errors: [{ title: 'Too many requests', detail: expect.any(String) }] }),
    suspended: {
      status: 401,
      body: (body) =>
        expect(body).toEqual({
          errors: [{ title: 'Not authorized', source: 'Authorization', detail: expect.any(String) }],
        }),
    },
  },
  {
    name: 'Gebeta',
    ok: 200,
    async setup() {
      const org = await createTestOrg();
      const account = await createAccount(org, { platform: 'WEB', scopes: ['TILE'] });
      const pair = await createClientTokenPair(account);
      const send = (serverToken: string) =>
        gebetaAuthRoute(
          jsonRequest('/compat/gebeta/api/v1/external/auth', {
            client_token: pair.clientToken,
            server_token: serverToken,
          }),
        );
      return {
        accountId: account.id,
        call: () => send(pair.serverToken),
        wrong: () => send(pair.serverToken.replace(/.{6}$/, 'AAAAAA')),
      };
    },
    throttled: (body) => expect(body).toEqual({ error: expect.any(String), code: 'TOO_MANY_REQUESTS' }),
    suspended: { status: 403, body: (body) => expect(body).toEqual({ error: expect.any(String), code: 'FORBIDDEN' }) },
  },
  {
    name: 'RestAPI.com',
    ok: 200,
    async setup() {
      const org = await createTestOrg();
      const account = await createAccount(org);
      const secret = await createClientSecret(account);
      const send = (clientSecret: string) =>
        restApiRoute(jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret }));
      return { accountId: account.id, call: () => send(secret.secret), wrong: () => send('lk_cs_wrong') };
    },
    throttled: (body) => expect(body).toEqual({ status: 429, message: expect.any(String) }),
    suspended: { status: 403, body: (body) => expect(body).toEqual({ status: 403, message: expect.any(String) }) },
  },
  {
    name: 'Unity',
    ok: 200,
    async setup() {
      const org = await createTestOrg();
      const account = await createAccount(org);
      const secret = await createClientSecret(account);
      const { projectId } = await createProject(org, account);
      const send = (value: string) =>
        unityRoute(
          new Request(`http://localhost:3000/compat/unity/v1/token-exchange?projectId=${projectId}`, {
            method: 'POST',
            headers: { [PEER_IP_HEADER]: '127.0.0.1', authorization: basic(secret.id, value) },
          }),
        );
      return { accountId: account.id, call: () => send(secret.secret), wrong: () => send('lk_cs_wrong') };
    },
    throttled: (body) => expect(body).toMatchObject({ status: 429, title: 'Too Many Requests', code: 50 }),
    suspended: {
      status: 403,
      body: (body) => expect(body).toMatchObject({ status: 403, title: 'Forbidden', code: 53 }),
    },
  },
];

describe.each(FLOWS)('$name compat flow', (flow) => {
  it('answers its rate limit with 429 and Retry-After in the vendor shape, for successes and for failures', async () => {
    process.env.TOKEN_RATE_LIMIT_PER_CLIENT = '1';
    process.env.TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS = '1';
    resetEnvCache();
    resetTokenLimiters();
    const { call, wrong } = await flow.setup();
    expect((await call()).status).toBe(flow.ok);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    flow.throttled(await limited.json());

    resetTokenLimiters();
    expect((await wrong()).status).toBeLessThan(500);
    const failing = await wrong();
    expect(failing.status).toBe(429);
    flow.throttled(await failing.json());
  });

  it('answers a suspended account with the vendor error for a client that may not have a token', async () => {
    const { accountId, call } = await flow.setup();
    expect((await call()).status).toBe(flow.ok);
    await db.serviceAccount.update({
      where: { id: accountId },
      data: { status: 'SUSPENDED', suspendedAt: new Date(), tokensValidAfter: new Date() },
    });
    for (let i = 0; i < 2; i++) {
      const refused = await call();
      expect(refused.status).toBe(flow.suspended.status);
      flow.suspended.body(await refused.json());
    }
  });
});
