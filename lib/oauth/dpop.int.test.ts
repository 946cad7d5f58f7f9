import { calculateJwkThumbprint, decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { POST as gebetaRefreshRoute } from '@/app/compat/gebeta/api/v1/external/refresh/route';
import { POST as restApiRoute } from '@/app/compat/restapi/System/UserAccount/route';
import { GET as metadataRoute } from '@/app/.well-known/oauth-authorization-server/route';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { issuerUrl, tokenUrl } from '@/lib/issuer';
import { createTestOrg } from '@/lib/testing/factories';
import { dpopKey, dpopProof, type DpopKey } from '@/lib/testing/dpop';
import {
  basic,
  createAccount,
  createClientSecret,
  createClientTokenPair,
  createKeyPair,
  formRequest,
  jsonRequest,
  signAssertion,
  tokenEvents,
} from '@/lib/testing/oauth-factories';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { updateServiceAccountInput } from '@/lib/service-accounts/schema';
import { updateServiceAccount } from '@/lib/service-accounts/update-service-account';
import { POST as highMobilityRoute } from '@/app/compat/high-mobility/v1/auth_tokens/route';
import { PATCH as patchAccountRoute } from '@/app/api/v1/service-accounts/[accountId]/route';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { apiRoute } from '@/lib/http/api-route';
import { resetTokenLimiters } from './token-service';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_URN = 'urn:ietf:params:oauth:token-type:access_token';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type Body = {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  error?: string;
  error_description?: string;
};

afterEach(() => {
  delete process.env.DPOP_NONCE;
  delete process.env.REDIS_URL;
  delete process.env.REDIS_KEY_PREFIX;
  resetEnvCache();
  resetTokenLimiters();
});

/** token posts to /api/oauth/token with the given DPoP header values (none, one, or several). */
async function token(params: Record<string, string>, options: { authorization?: string; dpop?: string[] } = {}) {
  const request = formRequest('/api/oauth/token', params, { authorization: options.authorization });
  for (const proof of options.dpop ?? []) request.headers.append('dpop', proof);
  const res = await tokenRoute(request);
  return { res, body: (await res.json()) as Body };
}

const proofFor = (key: DpopKey, extra: Partial<Parameters<typeof dpopProof>[1]> = {}) =>
  dpopProof(key, { htu: tokenUrl(), ...extra });

async function setup(options: Parameters<typeof createAccount>[1] = {}) {
  const org = await createTestOrg();
  const account = await createAccount(org, options);
  const secret = await createClientSecret(account);
  return { org, account, secret };
}

async function introspect(caller: { id: string; secret: string }, value: string) {
  const res = await introspectRoute(
    formRequest('/api/oauth/introspect', { token: value }, { authorization: basic(caller.id, caller.secret) }),
  );
  return (await res.json()) as Record<string, unknown>;
}

describe('DPoP at the token endpoint (RFC 9449 §5)', () => {
  it('client_credentials with a proof answers token_type DPoP and a token bound to the key; without one, Bearer', async () => {
    const { org, secret } = await setup();
    const key = await dpopKey();
    const jkt = await calculateJwkThumbprint(key.publicJwk, 'sha256');
    const bound = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(secret.id, secret.secret), dpop: [await proofFor(key)] },
    );
    expect(bound.res.status).toBe(200);
    expect(bound.body.token_type).toBe('DPoP');
    expect(decodeJwt(bound.body.access_token).cnf).toEqual({ jkt });
    // Positive control: the same client without a proof gets a bearer token.
    const bearer = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(secret.id, secret.secret) },
    );
    expect(bearer.body.token_type).toBe('Bearer');
    expect(decodeJwt(bearer.body.access_token).cnf).toBeUndefined();

    expect(await introspect(secret, bound.body.access_token)).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf: { jkt },
    });
    const plain = await introspect(secret, bearer.body.access_token);
    expect(plain).toMatchObject({ active: true, token_type: 'Bearer' });
    expect(plain.cnf).toBeUndefined();
    const issued = (await tokenEvents(org.id)).filter((e) => e.action === 'token.issued');
    expect(issued.map((e) => (e.details as Record<string, unknown>).dpop_jkt)).toEqual([jkt, undefined]);
  });

  it('binds the tokens of every client authentication and of jwt-bearer', async () => {
    const { account, secret } = await setup();
    const pair = await createKeyPair(account);
    const key = await dpopKey('PS256');
    const jkt = await calculateJwkThumbprint(key.publicJwk, 'sha256');
    const requests: [Record<string, string>, string | undefined][] = [
      [{ grant_type: 'client_credentials', client_id: secret.id, client_secret: secret.secret }, undefined],
      [
        {
          grant_type: 'client_credentials',
          client_assertion_type: CLIENT_ASSERTION_TYPE,
          client_assertion: await signAssertion(pair, { aud: issuerUrl() }),
        },
        undefined,
      ],
      [{ grant_type: JWT_BEARER, assertion: await signAssertion(pair) }, undefined],
    ];
    for (const [params, authorization] of requests) {
      const { res, body } = await token(params, { authorization, dpop: [await proofFor(key)] });
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.token_type).toBe('DPoP');
      expect(decodeJwt(body.access_token).cnf).toEqual({ jkt });
    }
  });

  it('refuses a bad proof with 400 invalid_dpop_proof, audited in the account’s organization', async () => {
    const { org, secret } = await setup();
    const key = await dpopKey();
    const auth = { authorization: basic(secret.id, secret.secret) };
    const cases: [Promise<string>, string][] = [
      [proofFor(key, { htu: `${issuerUrl()}/api/oauth/introspect` }), 'dpop_htu'],
      [proofFor(key, { htm: 'GET' }), 'dpop_htm'],
      [proofFor(key, { typ: 'JWT' }), 'dpop_typ'],
      [proofFor(key, { iat: Math.floor(Date.now() / 1000) - 600 }), 'dpop_iat'],
      [Promise.resolve('not-a-jwt'), 'dpop_malformed'],
    ];
    for (const [proof, reason] of cases) {
      const { res, body } = await token({ grant_type: 'client_credentials' }, { ...auth, dpop: [await proof] });
      expect(res.status).toBe(400);
      expect(body.error).toBe('invalid_dpop_proof');
      expect(body.error_description).toBeTruthy();
      const last = (await tokenEvents(org.id)).at(-1);
      expect(last?.action).toBe('token.refused');
      expect(last?.details).toMatchObject({ error: 'invalid_dpop_proof', reason });
    }
  });

  it('refuses two DPoP headers, even when each is a good proof', async () => {
    const { secret } = await setup();
    const key = await dpopKey();
    const { res, body } = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(secret.id, secret.secret), dpop: [await proofFor(key), await proofFor(key)] },
    );
    expect(res.status).toBe(400);
    expect(body.error).toBe('invalid_dpop_proof');
    expect(body.error_description).toMatch(/exactly one/);
  });

  it('accepts a proof once only (PostgreSQL store), and once only in Redis when REDIS_URL is set', async () => {
    const { secret } = await setup();
    const key = await dpopKey();
    const auth = basic(secret.id, secret.secret);
    for (const redis of [false, true]) {
      if (redis) {
        process.env.REDIS_URL = 'redis://127.0.0.1:6379';
        process.env.REDIS_KEY_PREFIX = `dpop-test-${Date.now()}`;
        resetEnvCache();
      }
      const proof = await proofFor(key);
      const first = await token({ grant_type: 'client_credentials' }, { authorization: auth, dpop: [proof] });
      expect(first.res.status).toBe(200);
      const replay = await token({ grant_type: 'client_credentials' }, { authorization: auth, dpop: [proof] });
      expect(replay.res.status).toBe(400);
      expect(replay.body.error_description).toMatch(/used already/);
      const rows = await db.dpopProofJti.count({ where: { jkt: await calculateJwkThumbprint(key.publicJwk) } });
      expect(rows).toBe(1); // the PostgreSQL round only: Redis holds the second
    }
  });

  it('decides a request on a stale cached secret twice but spends its proof once', async () => {
    const { account, secret } = await setup();
    const auth = basic(secret.id, secret.secret);
    expect((await token({ grant_type: 'client_credentials' }, { authorization: auth })).res.status).toBe(200);
    // The cached copy is now outdated (its fingerprint changed): the issuance is decided again.
    await db.serviceAccount.update({ where: { id: account.id }, data: { tokenLifetimeSeconds: 900 } });
    const key = await dpopKey();
    const { res, body } = await token(
      { grant_type: 'client_credentials' },
      { authorization: auth, dpop: [await proofFor(key)] },
    );
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.access_token).exp).toBe((decodeJwt(body.access_token).iat ?? 0) + 900);
  });

  it('with DPOP_NONCE=on asks for the server nonce (use_dpop_nonce + DPoP-Nonce) and accepts it', async () => {
    const { secret } = await setup();
    const key = await dpopKey();
    process.env.DPOP_NONCE = 'on';
    resetEnvCache();
    const auth = basic(secret.id, secret.secret);
    const first = await token(
      { grant_type: 'client_credentials' },
      { authorization: auth, dpop: [await proofFor(key)] },
    );
    expect(first.res.status).toBe(400);
    expect(first.body.error).toBe('use_dpop_nonce');
    const nonce = first.res.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();
    const second = await token(
      { grant_type: 'client_credentials' },
      { authorization: auth, dpop: [await proofFor(key, { nonce: nonce ?? '' })] },
    );
    expect(second.res.status).toBe(200);
    expect(second.body.token_type).toBe('DPoP');
    expect(second.res.headers.get('dpop-nonce')).toBeTruthy();
  });

  it('token exchange: a bound subject token needs a proof by its key; an unbound one with a proof becomes bound', async () => {
    const { secret } = await setup();
    const auth = basic(secret.id, secret.secret);
    const key = await dpopKey();
    const other = await dpopKey();
    const subject = (
      await token({ grant_type: 'client_credentials' }, { authorization: auth, dpop: [await proofFor(key)] })
    ).body.access_token;
    const exchange = async (subjectToken: string, dpop: string[]) =>
      token(
        {
          grant_type: TOKEN_EXCHANGE,
          subject_token: subjectToken,
          subject_token_type: ACCESS_TOKEN_URN,
          scope: 'TILE',
        },
        { authorization: auth, dpop },
      );
    const without = await exchange(subject, []);
    expect(without.res.status).toBe(400);
    expect(without.body.error).toBe('invalid_dpop_proof');
    const wrongKey = await exchange(subject, [await proofFor(other)]);
    expect(wrongKey.body.error).toBe('invalid_dpop_proof');
    expect(wrongKey.body.error_description).toMatch(/not signed by the key/);
    const sameKey = await exchange(subject, [await proofFor(key)]);
    expect(sameKey.res.status).toBe(200);
    expect(sameKey.body.token_type).toBe('DPoP');
    expect(decodeJwt(sameKey.body.access_token).cnf).toEqual(decodeJwt(subject).cnf);

    const bearer = (await token({ grant_type: 'client_credentials' }, { authorization: auth })).body.access_token;
    const upgraded = await exchange(bearer, [await proofFor(other)]);
    expect(upgraded.body.token_type).toBe('DPoP');
    expect(decodeJwt(upgraded.body.access_token).cnf).toEqual({
      jkt: await calculateJwkThumbprint(other.publicJwk),
    });
  });

  it('a compat flow binds its token to a proof naming the flow’s URL', async () => {
    const { secret } = await setup();
    const key = await dpopKey();
    const path = '/compat/restapi/System/UserAccount';
    const request = (proof: string) => {
      const r = jsonRequest(path, { clientId: secret.id, clientSecret: secret.secret });
      r.headers.set('dpop', proof);
      return r;
    };
    const res = await restApiRoute(request(await dpopProof(key, { htu: `${issuerUrl()}${path}` })));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string };
    expect(decodeJwt(body.token).cnf).toEqual({ jkt: await calculateJwkThumbprint(key.publicJwk) });
    // The token endpoint's URL is not this flow's.
    expect((await restApiRoute(request(await proofFor(key)))).status).toBe(400);
  });

  it('advertises dpop_signing_alg_values_supported (RFC 9449 §5.1), asymmetric only', async () => {
    const metadata = (await (await metadataRoute()).json()) as Record<string, unknown>;
    expect(metadata.dpop_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['ES256', 'RS256', 'PS256', 'EdDSA']),
    );
    expect(metadata.dpop_signing_alg_values_supported).not.toContain('HS256');
  });
});

describe('DPoP-bound refresh tokens', () => {
  async function pairSetup() {
    const org = await createTestOrg();
    const account = await createAccount(org, { platform: 'WEB' });
    const pair = await createClientTokenPair(account);
    const auth = { client_id: pair.clientToken, client_secret: pair.serverToken };
    return { org, account, pair, auth };
  }

  it('a refresh token issued with a proof needs a proof by the same key; without one or with another key it is refused and stays usable', async () => {
    const { auth, pair } = await pairSetup();
    const key = await dpopKey();
    const other = await dpopKey();
    const first = await token({ grant_type: 'client_credentials', ...auth }, { dpop: [await proofFor(key)] });
    expect(first.body.token_type).toBe('DPoP');
    const refreshToken = first.body.refresh_token ?? '';
    const stored = await db.refreshToken.findFirstOrThrow({
      where: { accessJti: String(decodeJwt(first.body.access_token).jti) },
    });
    expect(stored.dpopJkt).toBe(await calculateJwkThumbprint(key.publicJwk));
    expect(await introspect({ id: pair.id, secret: pair.serverToken }, refreshToken)).toMatchObject({
      active: true,
      cnf: { jkt: stored.dpopJkt },
    });

    // Keycloak #36475: a refresh without a proof must not work.
    const without = await token({ grant_type: 'refresh_token', refresh_token: refreshToken, ...auth });
    expect(without.res.status).toBe(400);
    expect(without.body.error).toBe('invalid_dpop_proof');
    const wrong = await token(
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...auth },
      { dpop: [await proofFor(other)] },
    );
    expect(wrong.body.error).toBe('invalid_dpop_proof');

    // Positive control: the same key refreshes, and the successor is bound to it too.
    const rotated = await token(
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...auth },
      { dpop: [await proofFor(key)] },
    );
    expect(rotated.res.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.token_type).toBe('DPoP');
    const again = await token({
      grant_type: 'refresh_token',
      refresh_token: rotated.body.refresh_token ?? '',
      ...auth,
    });
    expect(again.body.error).toBe('invalid_dpop_proof');
  });

  it('an unbound refresh token used with a proof gives a bound access token and a bound successor', async () => {
    const { auth } = await pairSetup();
    const key = await dpopKey();
    const first = await token({ grant_type: 'client_credentials', ...auth });
    expect(first.body.token_type).toBe('Bearer');
    const rotated = await token(
      { grant_type: 'refresh_token', refresh_token: first.body.refresh_token ?? '', ...auth },
      { dpop: [await proofFor(key)] },
    );
    expect(rotated.body.token_type).toBe('DPoP');
    const unbound = await token({
      grant_type: 'refresh_token',
      refresh_token: rotated.body.refresh_token ?? '',
      ...auth,
    });
    expect(unbound.body.error).toBe('invalid_dpop_proof');
  });

  it('the Gebeta refresh flow refuses a bound refresh token without a proof', async () => {
    const { auth } = await pairSetup();
    const key = await dpopKey();
    const first = await token({ grant_type: 'client_credentials', ...auth }, { dpop: [await proofFor(key)] });
    const path = '/compat/gebeta/api/v1/external/refresh';
    const refreshWith = async (proof?: string) => {
      const request = jsonRequest(path, { refresh_token: first.body.refresh_token });
      if (proof) request.headers.set('dpop', proof);
      const res = await gebetaRefreshRoute(request);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const refused = await refreshWith();
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('FAILED_VALIDATION');
    const ok = await refreshWith(await dpopProof(key, { htu: `${issuerUrl()}${path}` }));
    expect(ok.status).toBe(200);
  });
});

describe('requireDpop, per service account', () => {
  async function requiring() {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    await updateServiceAccount(adminCtx, account.id, updateServiceAccountInput.parse({ requireDpop: true }));
    return { org, adminCtx, account, secret };
  }

  it('a token request without a proof gets 400 invalid_dpop_proof, never a bearer token; with one, a DPoP token', async () => {
    const { org, account, secret } = await requiring();
    const auth = basic(secret.id, secret.secret);
    const refused = await token({ grant_type: 'client_credentials' }, { authorization: auth });
    expect(refused.res.status).toBe(400);
    expect(refused.body.error).toBe('invalid_dpop_proof');
    expect(refused.body).not.toHaveProperty('access_token');
    expect((await tokenEvents(org.id)).at(-1)?.details).toMatchObject({ reason: 'dpop_required' });
    const key = await dpopKey();
    const ok = await token({ grant_type: 'client_credentials' }, { authorization: auth, dpop: [await proofFor(key)] });
    expect(ok.res.status).toBe(200);
    expect(ok.body.token_type).toBe('DPoP');

    // Every other way to a token: jwt-bearer and a compat flow are refused the same way.
    const pair = await createKeyPair(account);
    expect((await token({ grant_type: JWT_BEARER, assertion: await signAssertion(pair) })).body.error).toBe(
      'invalid_dpop_proof',
    );
    const hm = await highMobilityRoute(
      jsonRequest('/compat/high-mobility/v1/auth_tokens', {
        assertion: await signAssertion(pair, { aud: `${issuerUrl()}/compat/high-mobility/v1`, ver: 2, exp: undefined }),
      }),
    );
    expect(hm.status).toBe(401);
    expect(await hm.text()).toMatch(/DPoP/);
    const rest = await restApiRoute(
      jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret: secret.secret }),
    );
    expect(rest.status).toBe(400);
  });

  it('a refresh token issued before the policy cannot be refreshed without a proof once it is on', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createAccount(org, { platform: 'WEB' });
    const pair = await createClientTokenPair(account);
    const auth = { client_id: pair.clientToken, client_secret: pair.serverToken };
    const first = await token({ grant_type: 'client_credentials', ...auth });
    expect(first.body.token_type).toBe('Bearer');
    await updateServiceAccount(adminCtx, account.id, { requireDpop: true });
    const refused = await token({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token ?? '',
      ...auth,
    });
    expect(refused.body.error).toBe('invalid_dpop_proof');
    const key = await dpopKey();
    const ok = await token(
      { grant_type: 'refresh_token', refresh_token: first.body.refresh_token ?? '', ...auth },
      { dpop: [await proofFor(key)] },
    );
    expect(ok.body.token_type).toBe('DPoP');
  });

  it('takes effect on the next request although the client secret was cached, and is audited', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const auth = basic(secret.id, secret.secret);
    // Positive control, and the secret is now cached (with requireDpop off).
    expect((await token({ grant_type: 'client_credentials' }, { authorization: auth })).body.token_type).toBe('Bearer');
    const updated = await updateServiceAccount(adminCtx, account.id, { requireDpop: true });
    expect(updated.requireDpop).toBe(true);
    const refused = await token({ grant_type: 'client_credentials' }, { authorization: auth });
    expect(refused.res.status).toBe(400);
    expect(refused.body.error).toBe('invalid_dpop_proof');
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'service_account.updated' },
      orderBy: { seq: 'desc' },
    });
    expect(audit.details).toMatchObject({ changed: ['requireDpop'], requireDpop: true });
    await updateServiceAccount(adminCtx, account.id, { requireDpop: false });
    expect((await token({ grant_type: 'client_credentials' }, { authorization: auth })).body.token_type).toBe('Bearer');
  });

  it('a service account may not drop its own DPoP requirement', async () => {
    const { org, account } = await requiring();
    const selfCtx = {
      orgId: org.id,
      orgSlug: org.slug,
      role: 'ADMIN' as const,
      actor: { type: 'SERVICE_ACCOUNT' as const, id: account.id, label: account.name },
      tokenScopes: ['manage:service_accounts'],
      requestId: 'req-test',
      ip: '127.0.0.1',
      userAgent: 'vitest',
    };
    await expect(updateServiceAccount(selfCtx, account.id, { requireDpop: false })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('Latchkey as a resource server: DPoP-bound tokens on /api/v1 (RFC 9449 §7)', () => {
  const whoAmI = apiRoute({ permission: 'service_accounts.read' }, async (ctx) =>
    Response.json({ actor: ctx.actor.id }),
  );
  const URL_PATH = '/api/v1/whoami';

  function call(authorization: string, dpop: string[] = [], method = 'GET') {
    const headers = new Headers({ [PEER_IP_HEADER]: '127.0.0.1', authorization });
    for (const proof of dpop) headers.append('dpop', proof);
    return whoAmI(new Request(`http://localhost:3000${URL_PATH}`, { method, headers }), {
      params: Promise.resolve({}),
    });
  }

  async function adminTokens() {
    const org = await createTestOrg();
    const account = await createAccount(org, { isAdmin: true, scopes: ['manage:service_accounts'] });
    const secret = await createClientSecret(account);
    const key = await dpopKey();
    const auth = basic(secret.id, secret.secret);
    const bound = (
      await token({ grant_type: 'client_credentials' }, { authorization: auth, dpop: [await proofFor(key)] })
    ).body.access_token;
    const bearer = (await token({ grant_type: 'client_credentials' }, { authorization: auth })).body.access_token;
    return { org, account, key, bound, bearer };
  }

  const rsProof = (
    key: DpopKey,
    accessToken: string | undefined,
    extra: Partial<Parameters<typeof dpopProof>[1]> = {},
  ) => dpopProof(key, { htm: 'GET', htu: `${issuerUrl()}${URL_PATH}`, accessToken, ...extra });

  async function challenge(res: Response) {
    expect(res.status).toBe(401);
    return res.headers.get('www-authenticate') ?? '';
  }

  it('accepts a bound token as DPoP with a proof carrying ath, htm and htu; refuses it as Bearer', async () => {
    const { account, key, bound } = await adminTokens();
    const ok = await call(`DPoP ${bound}`, [await rsProof(key, bound)]);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ actor: account.id });
    expect(await challenge(await call(`Bearer ${bound}`))).toMatch(/^DPoP realm="latchkey", error="invalid_token", /);
  });

  it('refuses a missing, unbound, misdirected, replayed or foreign proof with a DPoP challenge', async () => {
    const { key, bound } = await adminTokens();
    const other = await dpopKey();
    const invalidProof = /^DPoP realm="latchkey", error="invalid_dpop_proof", error_description="[^"]+", algs="ES256 /;
    expect(await challenge(await call(`DPoP ${bound}`))).toMatch(invalidProof);
    expect(await challenge(await call(`DPoP ${bound}`, [await rsProof(key, undefined)]))).toMatch(/ath/);
    expect(await challenge(await call(`DPoP ${bound}`, [await rsProof(key, 'another.token.value')]))).toMatch(/ath/);
    expect(await challenge(await call(`DPoP ${bound}`, [await rsProof(key, bound, { htm: 'POST' })]))).toMatch(/htm/);
    expect(
      await challenge(await call(`DPoP ${bound}`, [await rsProof(key, bound, { htu: `${issuerUrl()}/api/v1/other` })])),
    ).toMatch(/htu/);
    expect(await challenge(await call(`DPoP ${bound}`, [await rsProof(other, bound)]))).toMatch(
      /not signed by the key/,
    );
    const once = await rsProof(key, bound);
    expect((await call(`DPoP ${bound}`, [once])).status).toBe(200);
    expect(await challenge(await call(`DPoP ${bound}`, [once]))).toMatch(/used already/);
    expect(
      await challenge(await call(`DPoP ${bound}`, [await rsProof(key, bound), await rsProof(key, bound)])),
    ).toMatch(/exactly one/);
  });

  it('accepts an unbound token as Bearer only', async () => {
    const { key, bearer } = await adminTokens();
    expect((await call(`Bearer ${bearer}`)).status).toBe(200);
    expect(await challenge(await call(`DPoP ${bearer}`, [await rsProof(key, bearer)]))).toMatch(
      /error="invalid_token".*not DPoP-bound/,
    );
  });

  it('with DPOP_NONCE=on answers use_dpop_nonce with a DPoP-Nonce, and accepts the nonce', async () => {
    const { key, bound } = await adminTokens();
    process.env.DPOP_NONCE = 'on';
    resetEnvCache();
    const first = await call(`DPoP ${bound}`, [await rsProof(key, bound)]);
    expect(await challenge(first)).toMatch(/error="use_dpop_nonce"/);
    const nonce = first.headers.get('dpop-nonce') ?? '';
    expect(nonce).not.toBe('');
    expect((await call(`DPoP ${bound}`, [await rsProof(key, bound, { nonce })])).status).toBe(200);
  });

  it('PATCH /api/v1/service-accounts/{id} turns requireDpop on, called with a DPoP-bound token', async () => {
    const { org, key, bound } = await adminTokens();
    const target = await createAccount(org);
    const path = `/api/v1/service-accounts/${target.id}`;
    const headers = new Headers({
      [PEER_IP_HEADER]: '127.0.0.1',
      authorization: `DPoP ${bound}`,
      'content-type': 'application/json',
      dpop: await dpopProof(key, { htm: 'PATCH', htu: `${issuerUrl()}${path}`, accessToken: bound }),
    });
    const res = await patchAccountRoute(
      new Request(`http://localhost:3000${path}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ requireDpop: true }),
      }),
      { params: Promise.resolve({ accountId: target.id }) },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: target.id, requireDpop: true });
    const bad = await patchAccountRoute(
      new Request(`http://localhost:3000${path}`, {
        method: 'PATCH',
        headers: { ...Object.fromEntries(headers), dpop: '' },
        body: JSON.stringify({ requireDpop: 'yes' }),
      }),
      { params: Promise.resolve({ accountId: target.id }) },
    );
    expect(bad.status).toBe(401);
  });
});
