import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import * as introspectRoutes from '@/app/api/oauth/introspect/route';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import * as revokeRoutes from '@/app/api/oauth/revoke/route';
import { POST as revokeRoute } from '@/app/api/oauth/revoke/route';
import * as tokenRoutes from '@/app/api/oauth/token/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { GET as metadataRoute } from '@/app/.well-known/oauth-authorization-server/route';
import { GET as jwksRoute } from '@/app/.well-known/jwks.json/route';
import { TOKEN_ISSUED, TOKEN_REFUSED } from '@/lib/audit/actions';
import { findChainBreak } from '@/lib/audit/hash-chain';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { generateSecret } from '@/lib/credentials/secret-format';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { issuerUrl, tokenUrl } from '@/lib/issuer';
import { resetTokenLimiters } from '@/lib/oauth/token-service';
import { createTestOrg } from '@/lib/testing/factories';
import {
  basic,
  bindProjectRole,
  createAccount,
  createClientSecret,
  createClientTokenPair,
  createKeyPair,
  createProject,
  formRequest,
  signAssertion,
  tokenEvents,
} from '@/lib/testing/oauth-factories';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_URN = 'urn:ietf:params:oauth:token-type:access_token';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type TokenBody = {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  issued_token_type?: string;
};
type ErrorBody = { error: string; error_description: string };

async function token(params: Record<string, string>, options: Parameters<typeof formRequest>[2] = {}) {
  const res = await tokenRoute(formRequest('/api/oauth/token', params, options));
  return { res, body: (await res.json()) as TokenBody & ErrorBody };
}

async function introspect(caller: { id: string; secret: string }, tokenValue: string) {
  const res = await introspectRoute(
    formRequest('/api/oauth/introspect', { token: tokenValue }, { authorization: basic(caller.id, caller.secret) }),
  );
  return { res, body: (await res.json()) as Record<string, unknown> };
}

async function setup(options: Parameters<typeof createAccount>[1] = {}) {
  const org = await createTestOrg();
  const account = await createAccount(org, options);
  const secret = await createClientSecret(account);
  return { org, account, secret };
}

async function clientCredentials(
  secret: { id: string; secret: string },
  extra: Record<string, string> = {},
  options: Parameters<typeof formRequest>[2] = {},
) {
  return token(
    { grant_type: 'client_credentials', ...extra },
    { authorization: basic(secret.id, secret.secret), ...options },
  );
}

/** refresh redeems a refresh token as its client token pair (RFC 6749 §6: the client authenticates). */
async function refresh(pair: { clientToken: string; serverToken: string }, refreshToken: string, extra = {}) {
  return token({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: pair.clientToken,
    client_secret: pair.serverToken,
    ...extra,
  });
}

afterEach(() => {
  delete process.env.TOKEN_RATE_LIMIT_PER_CLIENT;
  delete process.env.LATCHKEY_TRUSTED_PROXIES;
  resetEnvCache();
  resetTokenLimiters();
});

describe('client_credentials', () => {
  it('issues an RFC 9068 access token for client_secret_basic, verifiable with the JWKS, audited without secrets', async () => {
    const { org, account, secret } = await setup({ scopes: ['TILE', 'MATRIX'] });
    const { res, body } = await clientCredentials(secret);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'MATRIX TILE' });

    const jwks = createLocalJWKSet((await (await jwksRoute()).json()) as { keys: [] });
    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, {
      issuer: issuerUrl(),
      audience: issuerUrl(),
      typ: 'at+jwt',
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(protectedHeader.kid).toMatch(/^sk_/);
    expect(payload).toMatchObject({ sub: account.id, client_id: secret.id, scope: 'MATRIX TILE' });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);

    const events = await tokenEvents(org.id);
    expect(events.map((e) => e.action)).toEqual([TOKEN_ISSUED]);
    expect(events[0]).toMatchObject({
      actorType: 'SERVICE_ACCOUNT',
      actorId: account.id,
      outcome: 'SUCCESS',
      ip: '127.0.0.1',
    });
    expect(events[0]?.details).toMatchObject({
      grant_type: 'client_credentials',
      client_id: secret.id,
      scope: 'MATRIX TILE',
    });
    const serialized = JSON.stringify(events.map((e) => e.details));
    expect(serialized).not.toContain(secret.secret);
    expect(serialized).not.toContain(body.access_token);

    const stamped = await db.clientSecret.findUniqueOrThrow({ where: { id: secret.id } });
    expect(stamped.lastUsedAt).not.toBeNull();
    expect(stamped.lastUsedIp).toBe('127.0.0.1');
    expect((await db.serviceAccount.findUniqueOrThrow({ where: { id: account.id } })).lastUsedAt).not.toBeNull();
  });

  it('accepts client_secret_post and narrows to requested scopes, never wider than the account holds', async () => {
    const { secret } = await setup({ scopes: ['TILE', 'MATRIX'] });
    const ok = await token({
      grant_type: 'client_credentials',
      client_id: secret.id,
      client_secret: secret.secret,
      scope: 'TILE',
    });
    expect(ok.res.status).toBe(200);
    expect(ok.body.scope).toBe('TILE');
    const wider = await token({
      grant_type: 'client_credentials',
      client_id: secret.id,
      client_secret: secret.secret,
      scope: 'TILE GEOCODING',
    });
    expect(wider.res.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
  });

  it('refuses a wrong secret with 401 invalid_client and WWW-Authenticate, and audits the refusal without the secret', async () => {
    const { org, secret } = await setup();
    const wrong = generateSecret('clientSecret');
    const { res, body } = await token({ grant_type: 'client_credentials' }, { authorization: basic(secret.id, wrong) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="latchkey"/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body.error).toBe('invalid_client');
    const events = await tokenEvents(org.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: TOKEN_REFUSED, outcome: 'FAILURE' });
    expect(events[0]?.details).toMatchObject({
      grant_type: 'client_credentials',
      client_id: secret.id,
      error: 'invalid_client',
      reason: 'bad_credentials',
    });
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(wrong);

    // A well-formed secret of another credential does not work either.
    const other = await setup();
    expect(
      (await token({ grant_type: 'client_credentials' }, { authorization: basic(secret.id, other.secret.secret) })).res
        .status,
    ).toBe(401);
  });

  it('audits an unknown client in the instance chain (no organization)', async () => {
    const before = (await tokenEvents(null)).length;
    const { res, body } = await token({
      grant_type: 'client_credentials',
      client_id: 'kid_01JAAAAAAAAAAAAAAAAAAAAAAA',
      client_secret: 'lk_sec_nope',
    });
    expect(res.status).toBe(401);
    expect(body.error).toBe('invalid_client');
    const events = await tokenEvents(null);
    expect(events.length).toBeGreaterThan(before);
    expect(events.at(-1)).toMatchObject({ action: TOKEN_REFUSED, organizationId: null, actorType: 'SYSTEM' });
    expect(JSON.stringify(events.at(-1)?.details)).not.toContain('lk_sec_nope');
  });

  it('answers RFC 6749 errors for bad requests', async () => {
    const { secret } = await setup();
    const notForm = await tokenRoute(
      new Request('http://localhost:3000/api/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-latchkey-peer-ip': '127.0.0.1' },
        body: '{"grant_type":"client_credentials"}',
      }),
    );
    expect(notForm.status).toBe(400);
    expect(await notForm.json()).toMatchObject({ error: 'invalid_request' });
    expect((await token({})).body.error).toBe('invalid_request');
    expect((await token({ grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    expect((await token({ grant_type: 'client_credentials' })).res.status).toBe(401);
    const twoMethods = await token(
      { grant_type: 'client_credentials', client_id: secret.id, client_secret: secret.secret },
      { authorization: basic(secret.id, secret.secret) },
    );
    expect(twoMethods.body.error).toBe('invalid_request');
    const repeated = await tokenRoute(
      new Request('http://localhost:3000/api/oauth/token', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-latchkey-peer-ip': '127.0.0.1',
          authorization: basic(secret.id, secret.secret),
        },
        body: 'grant_type=client_credentials&scope=TILE&scope=MATRIX',
      }),
    );
    expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('authenticates with private_key_jwt, once per assertion', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const key = await createKeyPair(account);
    const assertion = await signAssertion(key, { aud: issuerUrl() });
    const params = {
      grant_type: 'client_credentials',
      client_id: key.id,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    };
    const first = await token(params);
    expect(first.res.status).toBe(200);
    const claims = JSON.parse(
      Buffer.from(first.body.access_token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims.client_id).toBe(key.id);
    const replay = await token(params);
    expect(replay.res.status).toBe(401);
    expect(replay.body.error).toBe('invalid_client');
    expect((await token({ ...params, client_assertion_type: 'urn:nope' })).body.error).toBe('invalid_request');
  });
});

describe('jwt-bearer (RFC 7523)', () => {
  async function keySetup() {
    const org = await createTestOrg();
    const account = await createAccount(org, { scopes: ['TILE'] });
    const key = await createKeyPair(account);
    return { org, account, key };
  }
  const grant = (assertion: string, extra: Record<string, string> = {}) =>
    token({ grant_type: JWT_BEARER, assertion, ...extra });

  it('issues a token for a valid ES256 assertion whose iss is the key id', async () => {
    const { account, key } = await keySetup();
    const { res, body } = await grant(await signAssertion(key));
    expect(res.status).toBe(200);
    expect(body.scope).toBe('TILE');
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ sub: account.id, client_id: key.id });
    expect((await db.keyPair.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).not.toBeNull();
  });

  it('refuses assertions that break a rule, each with invalid_grant and a stable reason', async () => {
    const { org, key } = await keySetup();
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, Promise<string>]> = [
      ['assertion_claim_aud', signAssertion(key, { aud: `${tokenUrl()}/` })],
      ['assertion_claim_aud', signAssertion(key, { aud: [tokenUrl(), 'https://attacker.example'] })],
      ['assertion_claim_aud', signAssertion(key, { aud: [tokenUrl()] })],
      ['assertion_claim_iat', signAssertion(key, { iat: now - 45, exp: now + 60 })],
      ['assertion_claim_iat', signAssertion(key, { iat: now + 45, exp: now + 120 })],
      ['assertion_claim_exp', signAssertion(key, { exp: undefined })],
      ['assertion_claim_exp', signAssertion(key, { exp: now + 3600 })],
      ['assertion_expired', signAssertion(key, { iat: now - 20, exp: now - 5 })],
      ['assertion_claim_jti', signAssertion(key, { jti: 'not-a-uuid' })],
      ['assertion_claim_sub', signAssertion(key, { sub: 'someone-else' })],
      ['unknown_key', signAssertion(key, { iss: 'kp_01JAAAAAAAAAAAAAAAAAAAAAAA' })],
    ];
    for (const [reason, pending] of cases) {
      const { res, body } = await grant(await pending);
      expect(res.status, reason).toBe(400);
      expect(body.error, reason).toBe('invalid_grant');
    }
    const reasons = (await tokenEvents(org.id)).map((e) => (e.details as { reason?: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'assertion_claim_aud',
        'assertion_claim_iat',
        'assertion_claim_exp',
        'assertion_expired',
        'assertion_claim_jti',
        'assertion_claim_sub',
      ]),
    );

    // Not ES256: an assertion signed by a different key (signature), and alg none-like headers.
    const other = await keySetup();
    const forged = await signAssertion(other.key, { iss: key.id, sub: key.id });
    expect((await grant(forged)).body.error).toBe('invalid_grant');
    const [h, p] = (await signAssertion(key)).split('.');
    const hs256 = `${Buffer.from(JSON.stringify({ alg: 'HS256', kid: key.id })).toString('base64url')}.${p}.${h}`;
    expect((await grant(hs256)).body.error).toBe('invalid_grant');
  });

  it('accepts a jti once, even under parallel requests', async () => {
    const { org, key } = await keySetup();
    const assertion = await signAssertion(key);
    const results = await Promise.all(Array.from({ length: 12 }, () => grant(assertion)));
    const statuses = results.map((r) => r.res.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(11);
    const events = await tokenEvents(org.id);
    expect(events.filter((e) => e.action === TOKEN_ISSUED)).toHaveLength(1);
    expect(events.filter((e) => (e.details as { reason?: string }).reason === 'jti_replayed')).toHaveLength(11);
    // Batched appends keep the organization's hash chain intact.
    const chain = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    expect(findChainBreak(chain)).toBeNull();
  });

  it('refuses disabled and expired keys and a suspended account', async () => {
    const { account, key } = await keySetup();
    const disabled = await createKeyPair(account, { status: 'DISABLED' });
    expect((await grant(await signAssertion(disabled))).body.error).toBe('invalid_grant');
    const expired = await createKeyPair(account, { expiresAt: new Date(Date.now() - 1000) });
    expect((await grant(await signAssertion(expired))).body.error).toBe('invalid_grant');
    await db.serviceAccount.update({
      where: { id: account.id },
      data: { status: 'SUSPENDED', suspendedAt: new Date() },
    });
    const suspended = await grant(await signAssertion(key));
    expect(suspended.body).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('audit', () => {
  it('token events batched by the token service and events written by other code interleave into one intact chain', async () => {
    const { org, secret } = await setup();
    // The other writer keeps moving the chain under the token service's feet (as another
    // instance would): every request must still get its token, never a server error.
    const [answers] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, () => clientCredentials(secret))),
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          db.$transaction((tx) =>
            recordAuditEvent(tx, {
              organizationId: org.id,
              actor: { type: 'SYSTEM', id: null, label: 'test' },
              action: 'test.interleaved',
              details: { i },
            }),
          ),
        ),
      ),
    ]);
    expect(answers.map((a) => a.res.status)).toEqual(Array(40).fill(200));
    const chain = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    expect(chain.filter((e) => e.action === TOKEN_ISSUED)).toHaveLength(40);
    expect(chain.filter((e) => e.action === 'test.interleaved')).toHaveLength(40);
    expect(findChainBreak(chain)).toBeNull();
  });
});

describe('lifecycle', () => {
  it('a suspended or revoked account gets no token, and its earlier tokens introspect inactive', async () => {
    const { org, account, secret } = await setup();
    const caller = await createClientSecret(await createAccount(org));
    const issued = (await clientCredentials(secret)).body.access_token;
    expect((await introspect(caller, issued)).body.active).toBe(true);

    await db.serviceAccount.update({
      where: { id: account.id },
      data: { status: 'SUSPENDED', suspendedAt: new Date() },
    });
    const refused = await clientCredentials(secret);
    expect(refused.res.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    expect((await introspect(caller, issued)).body).toEqual({ active: false });

    await db.serviceAccount.update({ where: { id: account.id }, data: { status: 'ACTIVE', suspendedAt: null } });
    expect((await introspect(caller, issued)).body.active).toBe(true);

    await db.serviceAccount.update({ where: { id: account.id }, data: { status: 'REVOKED', revokedAt: new Date() } });
    expect((await clientCredentials(secret)).body.error).toBe('invalid_client');
    expect((await introspect(caller, issued)).body).toEqual({ active: false });
    const reasons = (await tokenEvents(org.id)).map((e) => (e.details as { reason?: string }).reason).filter(Boolean);
    expect(reasons).toEqual(['account_suspended', 'account_revoked']);
  });

  it('decides on fresh data whatever it read before: a removed scope, a shrunk allow-list, a reactivation', async () => {
    const { org, account, secret } = await setup({ scopes: ['TILE', 'MATRIX'] });
    expect((await clientCredentials(secret)).body.scope).toBe('MATRIX TILE');
    const matrix = await db.scope.findFirstOrThrow({ where: { organizationId: org.id, name: 'MATRIX' } });
    await db.serviceAccountScope.delete({
      where: { serviceAccountId_scopeId: { serviceAccountId: account.id, scopeId: matrix.id } },
    });
    expect((await clientCredentials(secret)).body.scope).toBe('TILE');
    expect((await clientCredentials(secret, { scope: 'MATRIX' })).body.error).toBe('invalid_scope');

    await db.serviceAccount.update({ where: { id: account.id }, data: { ipAllowList: ['10.9.9.0/24'] } });
    const outside = await clientCredentials(secret);
    expect(outside.body.error).toBe('invalid_client');

    await db.serviceAccount.update({
      where: { id: account.id },
      data: { ipAllowList: [], status: 'SUSPENDED', suspendedAt: new Date() },
    });
    expect((await clientCredentials(secret)).body.error).toBe('invalid_client');
    await db.serviceAccount.update({ where: { id: account.id }, data: { status: 'ACTIVE', suspendedAt: null } });
    expect((await clientCredentials(secret)).res.status).toBe(200);

    // One event per request, each telling what was finally decided.
    const events = await tokenEvents(org.id);
    expect(events.map((e) => [e.action, (e.details as { reason?: string }).reason ?? null])).toEqual([
      [TOKEN_ISSUED, null],
      [TOKEN_ISSUED, null],
      [TOKEN_REFUSED, 'scope_not_held'],
      [TOKEN_REFUSED, 'ip_not_allowed'],
      [TOKEN_REFUSED, 'account_suspended'],
      [TOKEN_ISSUED, null],
    ]);
  });

  it('never issues to a secret disabled while requests are in flight', async () => {
    const { org, secret } = await setup();
    expect((await clientCredentials(secret)).res.status).toBe(200);
    await db.clientSecret.update({ where: { id: secret.id }, data: { status: 'DISABLED' } });
    const answers = await Promise.all(Array.from({ length: 8 }, () => clientCredentials(secret)));
    expect(answers.map((a) => a.res.status)).toEqual(Array(8).fill(401));
    const events = await tokenEvents(org.id);
    expect(events.filter((e) => e.action === TOKEN_ISSUED)).toHaveLength(1);
    expect(events.filter((e) => e.action === TOKEN_REFUSED)).toHaveLength(8);
  });

  it('a disabled or expired credential gets no token, and tokens it obtained introspect inactive', async () => {
    const { org, secret } = await setup();
    const caller = await createClientSecret(await createAccount(org));
    const issued = (await clientCredentials(secret)).body.access_token;
    await db.clientSecret.update({ where: { id: secret.id }, data: { status: 'DISABLED' } });
    expect((await clientCredentials(secret)).res.status).toBe(401);
    expect((await introspect(caller, issued)).body).toEqual({ active: false });
    await db.clientSecret.update({
      where: { id: secret.id },
      data: { status: 'ENABLED', expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await clientCredentials(secret);
    expect(expired.body.error).toBe('invalid_client');
    expect((await introspect(caller, issued)).body).toEqual({ active: false });
  });

  it('a revoked access token introspects inactive; revocation needs client authentication and only touches own tokens', async () => {
    const { org, secret } = await setup();
    const caller = await createClientSecret(await createAccount(org));
    const issued = (await clientCredentials(secret)).body.access_token;

    const unauthenticated = await revokeRoute(formRequest('/api/oauth/revoke', { token: issued }));
    expect(unauthenticated.status).toBe(401);
    // Another client of the same organization cannot revoke it: 400 unauthorized_client (RFC 7009 §2.1).
    expect(
      (
        await revokeRoute(
          formRequest('/api/oauth/revoke', { token: issued }, { authorization: basic(caller.id, caller.secret) }),
        )
      ).status,
    ).toBe(400);
    expect((await introspect(caller, issued)).body.active).toBe(true);

    const res = await revokeRoute(
      formRequest(
        '/api/oauth/revoke',
        { token: issued, token_type_hint: 'access_token' },
        { authorization: basic(secret.id, secret.secret) },
      ),
    );
    expect(res.status).toBe(200);
    expect((await introspect(caller, issued)).body).toEqual({ active: false });
    expect((await tokenEvents(org.id)).some((e) => e.action === 'token.revoked')).toBe(true);
    expect(
      (
        await revokeRoute(
          formRequest('/api/oauth/revoke', { token: 'garbage' }, { authorization: basic(secret.id, secret.secret) }),
        )
      ).status,
    ).toBe(200);
  });

  it('an unknown key id is decided like a wrong secret (cached answer, then fresh data): a secret created under it works at once', async () => {
    const { account } = await setup();
    const { newId } = await import('@/lib/ids');
    const id = newId('clientSecret');
    const wrong = generateSecret('clientSecret');
    // Twice: the second answer rests on the cached "unknown", and is decided again on fresh data.
    for (let i = 0; i < 2; i++) expect((await clientCredentials({ id, secret: wrong })).res.status).toBe(401);
    const created = await createClientSecret(account, { id });
    expect((await clientCredentials(created)).res.status).toBe(200);
    // One refusal event per request, none for the cached first try.
    const refusals = (await tokenEvents(null)).filter((e) => (e.details as { client_id?: string }).client_id === id);
    expect(refusals).toHaveLength(2);
  });

  it('enforces the IP allow-list on the real client address, believing X-Forwarded-For only from trusted proxies', async () => {
    const { secret } = await setup({ ipAllowList: ['203.0.113.0/24'] });
    expect((await clientCredentials(secret, {}, { ip: '203.0.113.7' })).res.status).toBe(200);
    const outside = await clientCredentials(secret, {}, { ip: '198.51.100.1' });
    expect(outside.body.error).toBe('invalid_client');
    // A spoofed header from an untrusted peer changes nothing.
    const spoofed = await clientCredentials(
      secret,
      {},
      { ip: '198.51.100.1', headers: { 'x-forwarded-for': '203.0.113.7' } },
    );
    expect(spoofed.body.error).toBe('invalid_client');
    // Behind a configured proxy the forwarded client address counts.
    process.env.LATCHKEY_TRUSTED_PROXIES = '10.0.0.0/8';
    resetEnvCache();
    expect(
      (await clientCredentials(secret, {}, { ip: '10.1.2.3', headers: { 'x-forwarded-for': '203.0.113.9' } })).res
        .status,
    ).toBe(200);
    expect(
      (await clientCredentials(secret, {}, { ip: '10.1.2.3', headers: { 'x-forwarded-for': '198.51.100.1' } })).body
        .error,
    ).toBe('invalid_client');
  });

  it('rate-limits per client with 429 slow_down and Retry-After', async () => {
    process.env.TOKEN_RATE_LIMIT_PER_CLIENT = '2';
    resetEnvCache();
    resetTokenLimiters();
    const { org, secret } = await setup();
    expect((await clientCredentials(secret)).res.status).toBe(200);
    expect((await clientCredentials(secret)).res.status).toBe(200);
    const limited = await clientCredentials(secret);
    expect(limited.res.status).toBe(429);
    expect(limited.body.error).toBe('slow_down');
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused before any lookup (a flood must not cost queries): recorded in the instance chain.
    expect((await tokenEvents(org.id)).filter((e) => e.action === TOKEN_REFUSED)).toHaveLength(0);
    expect((await tokenEvents(null)).at(-1)?.details).toMatchObject({
      client_id: secret.id,
      reason: 'rate_limited_client',
    });
  });
});

describe('refresh_token', () => {
  async function pairSetup() {
    const org = await createTestOrg();
    const account = await createAccount(org, { platform: 'WEB', scopes: ['TILE'] });
    const pair = await createClientTokenPair(account);
    const first = await token({
      grant_type: 'client_credentials',
      client_id: pair.clientToken,
      client_secret: pair.serverToken,
    });
    expect(first.res.status).toBe(200);
    expect(first.body.refresh_token).toMatch(/^lk_rt_/);
    return { org, account, pair, refreshToken: first.body.refresh_token ?? '', accessToken: first.body.access_token };
  }

  it('a client token pair needs both tokens', async () => {
    const { pair } = await pairSetup();
    const wrong = await token({
      grant_type: 'client_credentials',
      client_id: pair.clientToken,
      client_secret: pair.serverToken.replace(/.{6}$/, 'AAAAAA'),
    });
    expect(wrong.body.error).toBe('invalid_client');
  });

  it('rotates on every use; a reused refresh token revokes its whole family, and the access tokens issued with it', async () => {
    const { org, account, pair, refreshToken, accessToken } = await pairSetup();
    const caller = await createClientSecret(account);
    const second = await refresh(pair, refreshToken);
    expect(second.res.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(refreshToken);
    const other = await pairSetup(); // another family is not touched
    for (const t of [accessToken, second.body.access_token])
      expect((await introspect(caller, t)).body.active).toBe(true);
    const reuse = await refresh(pair, refreshToken);
    expect(reuse.body.error).toBe('invalid_grant');
    for (const t of [accessToken, second.body.access_token])
      expect((await introspect(caller, t)).body).toEqual({ active: false });
    expect((await introspect(await createClientSecret(other.account), other.accessToken)).body.active).toBe(true);
    // The successor died with its family.
    const successor = await refresh(pair, second.body.refresh_token ?? '');
    expect(successor.body.error).toBe('invalid_grant');
    const reasons = (await tokenEvents(org.id)).map((e) => (e.details as { reason?: string }).reason).filter(Boolean);
    expect(reasons).toEqual(['refresh_token_reused', 'refresh_token_revoked']);
    // The reuse, and only it, is a lifecycle event (issue 14): issuances and other refusals write none.
    const events = await db.lifecycleEvent.findMany({ where: { organizationId: org.id } });
    expect(events.map((e) => e.type)).toEqual(['refresh_token.reuse_detected']);
    expect((events[0]?.payload as { data: unknown }).data).toMatchObject({
      serviceAccount: { id: account.id },
      credential: { id: pair.id, kind: 'client_token_pair' },
    });
  });

  it('parallel uses of one refresh token: at most one succeeds, and the family ends revoked', async () => {
    const { refreshToken, account, pair } = await pairSetup();
    const results = await Promise.all(Array.from({ length: 8 }, () => refresh(pair, refreshToken)));
    const ok = results.filter((r) => r.res.status === 200);
    expect(ok.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.body.error === 'invalid_grant').length).toBeGreaterThanOrEqual(7);
    const live = await db.refreshToken.count({ where: { serviceAccountId: account.id, revokedAt: null } });
    expect(live).toBe(0);
    for (const r of ok) expect((await refresh(pair, r.body.refresh_token ?? '')).body.error).toBe('invalid_grant');
  });

  it('refuses refresh for a suspended account and revokes via RFC 7009', async () => {
    const { account, pair, refreshToken, accessToken } = await pairSetup();
    const caller = await createClientSecret(account);
    const asPair = { id: pair.clientToken, secret: pair.serverToken };
    expect((await introspect(asPair, refreshToken)).body).toMatchObject({ active: true, token_type: 'refresh_token' });
    expect((await introspect(caller, accessToken)).body.active).toBe(true);
    expect(
      (
        await revokeRoute(
          formRequest('/api/oauth/revoke', { token: refreshToken }, { authorization: basic(asPair.id, asPair.secret) }),
        )
      ).status,
    ).toBe(200);
    expect((await introspect(asPair, refreshToken)).body).toEqual({ active: false });
    expect((await introspect(caller, refreshToken)).body).toEqual({ active: false });
    expect((await introspect(caller, accessToken)).body).toEqual({ active: false });
    expect((await refresh(pair, refreshToken)).body.error).toBe('invalid_grant');
    const fresh = await token({
      grant_type: 'client_credentials',
      client_id: pair.clientToken,
      client_secret: pair.serverToken,
    });
    await db.serviceAccount.update({
      where: { id: account.id },
      data: { status: 'SUSPENDED', suspendedAt: new Date() },
    });
    expect((await refresh(pair, fresh.body.refresh_token ?? '')).body.error).toBe('invalid_grant');
  });
});

describe('token exchange (RFC 8693)', () => {
  it('narrows a token to a project, environment and fewer scopes; never widens', async () => {
    const { org, account, secret } = await setup({ scopes: ['TILE', 'MATRIX'] });
    const { projectId, environmentId } = await createProject(org, account);
    const subject = (await clientCredentials(secret)).body.access_token;
    const exchange = (extra: Record<string, string>, subjectToken = subject) =>
      token({
        grant_type: TOKEN_EXCHANGE,
        subject_token: subjectToken,
        subject_token_type: ACCESS_TOKEN_URN,
        ...extra,
      });

    const narrowed = await exchange({ project_id: projectId, environment_id: environmentId, scope: 'TILE' });
    expect(narrowed.res.status).toBe(200);
    expect(narrowed.body).toMatchObject({ issued_token_type: ACCESS_TOKEN_URN, scope: 'TILE', token_type: 'Bearer' });
    const claims = JSON.parse(
      Buffer.from(narrowed.body.access_token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: account.id,
      client_id: secret.id,
      project_id: projectId,
      environment_id: environmentId,
      scope: 'TILE',
    });
    expect(decodeProtectedHeader(narrowed.body.access_token).typ).toBe('at+jwt');

    expect((await exchange({ scope: 'GEOCODING' })).body.error).toBe('invalid_scope');
    const wider = await exchange({ scope: 'MATRIX' }, narrowed.body.access_token);
    expect(wider.body.error).toBe('invalid_scope');
    // The account holds MATRIX; the subject token does not, and the refusal says which.
    expect(wider.body.error_description).toBe(
      'Scope not in the subject token (or no longer granted to its account): MATRIX.',
    );
    const other = await createProject(org, account);
    expect((await exchange({ project_id: other.projectId }, narrowed.body.access_token)).body.error).toBe(
      'invalid_target',
    );
    expect((await exchange({ project_id: projectId, environment_id: other.environmentId })).body.error).toBe(
      'invalid_target',
    );
    expect((await exchange({ subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' })).body.error).toBe(
      'invalid_request',
    );
    // RFC 8693 §2.2.2: an invalid subject token is invalid_request.
    expect((await exchange({}, 'not-a-token')).body.error).toBe('invalid_request');
  });

  it('tokens exchanged from a token end with it: RFC 7009 revocation of the original, or of the refresh family it came with', async () => {
    const { org, secret } = await setup({ scopes: ['TILE', 'MATRIX'] });
    const exchange = (subjectToken: string, scope: string) =>
      token({ grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_URN, scope });
    const original = (await clientCredentials(secret)).body.access_token;
    const narrowed = (await exchange(original, 'TILE MATRIX')).body.access_token;
    const narrower = (await exchange(narrowed, 'TILE')).body.access_token;
    const unrelated = (await clientCredentials(secret)).body.access_token;
    const claims = (t: string) =>
      JSON.parse(Buffer.from(t.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; root_jti?: string };
    expect(claims(narrowed).root_jti).toBe(claims(original).jti);
    expect(claims(narrower).root_jti).toBe(claims(original).jti);
    for (const t of [original, narrowed, narrower]) expect((await introspect(secret, t)).body.active).toBe(true);
    expect(
      (
        await revokeRoute(
          formRequest('/api/oauth/revoke', { token: original }, { authorization: basic(secret.id, secret.secret) }),
        )
      ).status,
    ).toBe(200);
    for (const t of [original, narrowed, narrower])
      expect((await introspect(secret, t)).body).toEqual({ active: false });
    expect((await exchange(narrowed, 'TILE')).body.error).toBe('invalid_request');
    expect((await introspect(secret, unrelated)).body.active).toBe(true);

    // A client app's token, exchanged, ends when its refresh token is reused.
    const app = await createAccount(org, { platform: 'WEB', scopes: ['TILE'] });
    const pair = await createClientTokenPair(app);
    const first = await token({
      grant_type: 'client_credentials',
      client_id: pair.clientToken,
      client_secret: pair.serverToken,
    });
    const fromApp = (await exchange(first.body.access_token, 'TILE')).body.access_token;
    const caller = await createClientSecret(app);
    expect((await introspect(caller, fromApp)).body.active).toBe(true);
    await refresh(pair, first.body.refresh_token ?? '');
    await refresh(pair, first.body.refresh_token ?? ''); // reuse
    expect((await introspect(caller, fromApp)).body).toEqual({ active: false });
  });

  it("refuses a project the account has no role in, and another organization's project", async () => {
    const { org, secret } = await setup();
    const unbound = await createProject(org);
    const foreign = await createProject(await createTestOrg());
    const subject = (await clientCredentials(secret)).body.access_token;
    for (const projectId of [unbound.projectId, foreign.projectId]) {
      const res = await token({
        grant_type: TOKEN_EXCHANGE,
        subject_token: subject,
        subject_token_type: ACCESS_TOKEN_URN,
        project_id: projectId,
      });
      expect(res.body.error).toBe('invalid_target');
    }
  });

  it('an organization-wide role reaches every project; a revoked subject token cannot be exchanged', async () => {
    const { org, account, secret } = await setup();
    await bindProjectRole(account, null);
    const { projectId } = await createProject(org);
    const subject = (await clientCredentials(secret)).body.access_token;
    const ok = await token({
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN_URN,
      project_id: projectId,
    });
    expect(ok.res.status).toBe(200);
    await revokeRoute(
      formRequest('/api/oauth/revoke', { token: subject }, { authorization: basic(secret.id, secret.secret) }),
    );
    const refused = await token({
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: ACCESS_TOKEN_URN,
      project_id: projectId,
    });
    expect(refused.body.error).toBe('invalid_request');
  });

  it('RFC 8693 §2.2.2: a subject token from elsewhere, or without its type, is invalid_request', async () => {
    const { secret } = await setup();
    const stranger = await setup();
    const foreign = (await clientCredentials(stranger.secret)).body.access_token;
    const exchange = (params: Record<string, string>) =>
      token({ grant_type: TOKEN_EXCHANGE, ...params }, { authorization: basic(secret.id, secret.secret) });
    const other = await exchange({ subject_token: foreign, subject_token_type: ACCESS_TOKEN_URN });
    expect(other.res.status).toBe(400);
    expect(other.body.error).toBe('invalid_request');
    const untyped = await exchange({ subject_token: (await clientCredentials(secret)).body.access_token });
    expect(untyped.body).toMatchObject({ error: 'invalid_request' });
    expect(untyped.body.error_description).toContain('subject_token_type');
    // The positive control: the caller's own token, typed, is exchanged.
    const own = await exchange({
      subject_token: (await clientCredentials(secret)).body.access_token,
      subject_token_type: ACCESS_TOKEN_URN,
    });
    expect(own.res.status).toBe(200);
  });
});

describe('introspection and metadata', () => {
  it("needs client authentication and never reveals another organization's token", async () => {
    const { secret } = await setup();
    const issued = (await clientCredentials(secret)).body.access_token;
    const anonymous = await introspectRoute(formRequest('/api/oauth/introspect', { token: issued }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    const stranger = await setup();
    expect((await introspect(stranger.secret, issued)).body).toEqual({ active: false });
    const self = await introspect(secret, issued);
    expect(self.res.headers.get('cache-control')).toBe('no-store');
    expect(self.body).toMatchObject({ active: true, client_id: secret.id, token_type: 'Bearer', iss: issuerUrl() });
    expect((await introspect(secret, `${issued.slice(0, -4)}AAAA`)).body).toEqual({ active: false });
    // The caller is authenticated whatever the token: a wrong or disabled secret is 401.
    expect((await introspect({ id: secret.id, secret: generateSecret('clientSecret') }, issued)).res.status).toBe(401);
    const post = await introspectRoute(
      formRequest('/api/oauth/introspect', { token: issued, client_id: secret.id, client_secret: secret.secret }),
    );
    expect(((await post.json()) as { active: boolean }).active).toBe(true);
    await db.clientSecret.update({ where: { id: secret.id }, data: { status: 'DISABLED' } });
    expect((await introspect(secret, issued)).res.status).toBe(401);
  });

  it('publishes RFC 8414 metadata pointing at the endpoints', async () => {
    const body = (await (await metadataRoute()).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      issuer: issuerUrl(),
      token_endpoint: tokenUrl(),
      jwks_uri: `${issuerUrl()}/.well-known/jwks.json`,
      introspection_endpoint: `${issuerUrl()}/api/oauth/introspect`,
      revocation_endpoint: `${issuerUrl()}/api/oauth/revoke`,
    });
    expect(body.grant_types_supported).toEqual(
      expect.arrayContaining(['client_credentials', JWT_BEARER, 'refresh_token', TOKEN_EXCHANGE]),
    );
  });
});

describe('assertion rules (issue 9)', () => {
  async function keySetup(options: Parameters<typeof createAccount>[1] = {}) {
    const org = await createTestOrg();
    const account = await createAccount(org, { scopes: ['TILE'], ...options });
    const key = await createKeyPair(account);
    return { org, account, key };
  }
  const clientAuth = (assertion: string, extra: Record<string, string> = {}, options = {}) =>
    token(
      {
        grant_type: 'client_credentials',
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: assertion,
        ...extra,
      },
      options,
    );
  const grant = (assertion: string) => token({ grant_type: JWT_BEARER, assertion });
  const clientAssertion = (
    key: Parameters<typeof signAssertion>[0],
    claims: Parameters<typeof signAssertion>[1] = {},
    header: Parameters<typeof signAssertion>[2] = {},
  ) => signAssertion(key, { aud: issuerUrl(), ...claims }, header);
  const reasonsOf = async (orgId: string) =>
    (await tokenEvents(orgId)).map((e) => (e.details as { reason?: string }).reason).filter(Boolean);

  afterEach(() => {
    delete process.env.LATCHKEY_LEGACY_ASSERTION_AUDIENCE;
    resetEnvCache();
  });

  it('private_key_jwt: aud is the issuer as one string; the token URL only with the legacy setting, audited as deprecated', async () => {
    const { org, key } = await keySetup();
    expect((await clientAuth(await clientAssertion(key))).res.status).toBe(200);
    for (const aud of [
      tokenUrl(),
      [issuerUrl()],
      [issuerUrl(), 'https://attacker.example'],
      'https://attacker.example',
    ]) {
      const { res, body } = await clientAuth(await clientAssertion(key, { aud }));
      expect(res.status, JSON.stringify(aud)).toBe(401);
      expect(body.error).toBe('invalid_client');
    }
    expect((await reasonsOf(org.id)).filter((r) => r === 'assertion_claim_aud')).toHaveLength(4);

    process.env.LATCHKEY_LEGACY_ASSERTION_AUDIENCE = 'on';
    resetEnvCache();
    expect((await clientAuth(await clientAssertion(key, { aud: tokenUrl() }))).res.status).toBe(200);
    // Never an array, not even with the setting.
    expect((await clientAuth(await clientAssertion(key, { aud: [tokenUrl()] }))).res.status).toBe(401);
    expect((await clientAuth(await clientAssertion(key))).res.status).toBe(200);
    const issued = (await tokenEvents(org.id)).filter((e) => e.action === TOKEN_ISSUED);
    expect(issued.map((e) => (e.details as Record<string, unknown>).deprecated_assertion_audience)).toEqual([
      undefined,
      true,
      undefined,
    ]);
  });

  it('jwt-bearer: aud is the token URL or the issuer, as one string', async () => {
    const { key } = await keySetup();
    expect((await grant(await signAssertion(key, { aud: tokenUrl() }))).res.status).toBe(200);
    expect((await grant(await signAssertion(key, { aud: issuerUrl() }))).res.status).toBe(200);
    for (const aud of [[tokenUrl()], [issuerUrl(), tokenUrl()], [tokenUrl(), 'https://attacker.example']]) {
      expect((await grant(await signAssertion(key, { aud }))).body.error).toBe('invalid_grant');
    }
  });

  it('refuses exp before iat, a missing exp and a future nbf, in both modes', async () => {
    const { org, key } = await keySetup();
    const now = Math.floor(Date.now() / 1000);
    const bad = [{ iat: now + 20, exp: now + 10 }, { exp: undefined }, { nbf: now + 60 }];
    for (const claims of bad) {
      expect((await grant(await signAssertion(key, claims))).body.error).toBe('invalid_grant');
      expect((await clientAuth(await clientAssertion(key, claims))).body.error).toBe('invalid_client');
    }
    expect(await reasonsOf(org.id)).toEqual([
      'assertion_claim_exp',
      'assertion_claim_exp',
      'assertion_claim_exp',
      'assertion_claim_exp',
      'assertion_claim_nbf',
      'assertion_claim_nbf',
    ]);
    // Positive controls: an nbf in the past, exp after iat.
    expect((await grant(await signAssertion(key, { nbf: now - 5, iat: now, exp: now + 60 }))).res.status).toBe(200);
    expect((await clientAuth(await clientAssertion(key, { nbf: now - 5 }))).res.status).toBe(200);
  });

  it('jti: a UUID in every mode, used once in any letter case', async () => {
    const { org, key } = await keySetup();
    expect((await clientAuth(await clientAssertion(key, { jti: 'abcdefgh-random-string-1234' }))).res.status).toBe(401);
    const jti = randomUUID();
    expect((await clientAuth(await clientAssertion(key, { jti: jti.toUpperCase() }))).res.status).toBe(200);
    expect((await clientAuth(await clientAssertion(key, { jti }))).res.status).toBe(401);
    const other = randomUUID();
    expect((await grant(await signAssertion(key, { jti: other }))).res.status).toBe(200);
    expect((await grant(await signAssertion(key, { jti: other.toUpperCase() }))).res.status).toBe(400);
    expect(await reasonsOf(org.id)).toEqual(['assertion_claim_jti', 'jti_replayed', 'jti_replayed']);
    const stored = await db.$queryRaw<Array<{ jti: string }>>`SELECT jti FROM used_assertions WHERE issuer = ${key.id}`;
    expect(stored.map((r) => r.jti).sort()).toEqual([jti, other].sort());
  });

  it('client assertions: sub required and equal to iss, kid the key of iss, typ JWT / client-authentication+jwt / absent', async () => {
    const { org, account, key } = await keySetup();
    const otherKey = await createKeyPair(account);
    const refused: Array<[Parameters<typeof signAssertion>[1], Parameters<typeof signAssertion>[2]]> = [
      [{ sub: undefined }, {}],
      [{ sub: otherKey.id }, {}],
      [{}, { kid: otherKey.id }],
      [{}, { typ: 'at+jwt' }],
      [{}, { typ: 'secevent+jwt' }],
    ];
    for (const [claims, header] of refused) {
      const { res, body } = await clientAuth(await clientAssertion(key, claims, header));
      expect(res.status, JSON.stringify([claims, header])).toBe(401);
      expect(body.error).toBe('invalid_client');
    }
    expect(await reasonsOf(org.id)).toEqual([
      'assertion_claim_sub',
      'assertion_claim_sub',
      'assertion_kid',
      'assertion_typ',
      'assertion_typ',
    ]);
    for (const header of [{}, { kid: null }, { typ: 'JWT' }, { typ: 'client-authentication+jwt' }]) {
      expect((await clientAuth(await clientAssertion(key, {}, header))).res.status, JSON.stringify(header)).toBe(200);
    }
    // The grant: an access token's typ, a client assertion's typ and a foreign kid are refused too.
    for (const header of [{ typ: 'at+jwt' }, { typ: 'client-authentication+jwt' }, { kid: otherKey.id }]) {
      expect((await grant(await signAssertion(key, {}, header))).body.error).toBe('invalid_grant');
    }
    expect((await grant(await signAssertion(key, {}, { typ: 'JWT' }))).res.status).toBe(200);
  });

  it('client assertions may live 3600 s (Authlib), keeping the jti that long; the grant stays at 300 s', async () => {
    const { key } = await keySetup();
    const now = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    expect((await clientAuth(await clientAssertion(key, { iat: now, exp: now + 3600, jti }))).res.status).toBe(200);
    const [row] = await db.$queryRaw<Array<{ expires_at: Date }>>`
      SELECT expires_at FROM used_assertions WHERE issuer = ${key.id} AND jti = ${jti}`;
    expect(row!.expires_at.getTime()).toBeGreaterThanOrEqual((now + 3600) * 1000);
    expect((await clientAuth(await clientAssertion(key, { iat: now, exp: now + 3700 }))).res.status).toBe(401);
    // iat is still held to 30 s.
    expect((await clientAuth(await clientAssertion(key, { iat: now - 45, exp: now + 3000 }))).res.status).toBe(401);
    expect((await grant(await signAssertion(key, { iat: now, exp: now + 3600 }))).res.status).toBe(400);
    expect((await grant(await signAssertion(key, { iat: now, exp: now + 300 }))).res.status).toBe(200);
  });

  it('client authentication refusals look alike: one status, headers and body, the reason only in the audit log', async () => {
    const { org, account, secret } = await setup();
    const wrongSecret = generateSecret('clientSecret');
    const disabled = await createClientSecret(account, { status: 'DISABLED' });
    const expired = await createClientSecret(account, { expiresAt: new Date(Date.now() - 1000) });
    const suspended = await setup({ status: 'SUSPENDED' });
    const revoked = await setup({ status: 'REVOKED' });
    const walled = await setup({ ipAllowList: ['10.9.9.0/24'] });
    const { key } = await keySetup();
    const disabledKey = await createKeyPair(account, { status: 'DISABLED' });
    const unknownKey = 'kp_01JAAAAAAAAAAAAAAAAAAAAAAA';
    const attempts = [
      () => clientCredentials({ id: 'kid_01JAAAAAAAAAAAAAAAAAAAAAAA', secret: secret.secret }),
      () => clientCredentials({ id: secret.id, secret: wrongSecret }),
      () => clientCredentials(disabled),
      () => clientCredentials(expired),
      () => clientCredentials(suspended.secret),
      () => clientCredentials(revoked.secret),
      () => clientCredentials(walled.secret),
      async () => clientAuth(await clientAssertion(key, { iss: unknownKey, sub: unknownKey }, { kid: null })),
      async () => clientAuth(await clientAssertion(disabledKey)),
    ];
    const answers = [];
    for (const attempt of attempts) {
      const { res, body } = await attempt();
      answers.push({
        status: res.status,
        body,
        headers: ['www-authenticate', 'cache-control', 'pragma', 'content-type'].map((h) => res.headers.get(h)),
      });
    }
    expect(answers[0]).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed.' },
      headers: ['Basic realm="latchkey", charset="UTF-8"', 'no-store', 'no-cache', 'application/json'],
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await reasonsOf(org.id)).toEqual([
      'bad_credentials',
      'credential_disabled',
      'credential_expired',
      'credential_disabled',
    ]);
    expect(await reasonsOf(suspended.org.id)).toEqual(['account_suspended']);
    expect(await reasonsOf(revoked.org.id)).toEqual(['account_revoked']);
    expect(await reasonsOf(walled.org.id)).toEqual(['ip_not_allowed']);
    // Positive control: the same kinds of credential, usable, get tokens.
    expect((await clientCredentials(secret)).res.status).toBe(200);
    expect((await clientAuth(await clientAssertion(key))).res.status).toBe(200);
  });

  it('jwt-bearer refusals look alike too: unknown key, bad signature, disabled or expired key, unusable account', async () => {
    const { account, key } = await keySetup();
    const stranger = await keySetup();
    const disabledKey = await createKeyPair(account, { status: 'DISABLED' });
    const expiredKey = await createKeyPair(account, { expiresAt: new Date(Date.now() - 1000) });
    const suspended = await keySetup({ status: 'SUSPENDED' });
    const walled = await keySetup({ ipAllowList: ['10.9.9.0/24'] });
    const unknownKey = 'kp_01JAAAAAAAAAAAAAAAAAAAAAAA';
    const assertions = [
      await signAssertion(key, { iss: unknownKey, sub: unknownKey }, { kid: null }),
      await signAssertion(stranger.key, { iss: key.id, sub: key.id }, { kid: null }),
      await signAssertion(disabledKey),
      await signAssertion(expiredKey),
      await signAssertion(suspended.key),
      await signAssertion(walled.key),
    ];
    const answers = [];
    for (const assertion of assertions) {
      const { res, body } = await grant(assertion);
      answers.push({ status: res.status, body, www: res.headers.get('www-authenticate') });
    }
    expect(answers[0]).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The grant is invalid, expired, revoked or may not be used.' },
      www: null,
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect((await grant(await signAssertion(key))).res.status).toBe(200);
  });
});

describe('misplaced credentials and methods (issue 9), Next mount', () => {
  it('refuses credentials in the query string with 400 invalid_request, audited, even beside valid Basic credentials', async () => {
    const { org, secret } = await setup();
    const send = (query: string) =>
      tokenRoute(
        new Request(`http://localhost:3000/api/oauth/token?${query}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-latchkey-peer-ip': '127.0.0.1',
            authorization: basic(secret.id, secret.secret),
          },
          body: 'grant_type=client_credentials',
        }),
      );
    for (const query of [
      `client_secret=${secret.secret}`,
      `client_id=${secret.id}&client_secret=${secret.secret}`,
      'client_assertion=eyJ.x.y',
      'refresh_token=lk_rt_x',
      'assertion=eyJ.x.y',
    ]) {
      const res = await send(query);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error).toBe('invalid_request');
      expect(body.error_description).not.toContain(secret.secret);
    }
    expect((await send('ignored=1')).status).toBe(200);
    // Refused before any credential is read: audited, without the secret.
    expect(JSON.stringify((await tokenEvents(null)).map((e) => e.details))).not.toContain(secret.secret);
    expect(JSON.stringify((await tokenEvents(org.id)).map((e) => e.details))).not.toContain(secret.secret);
  });

  it('answers GET, PUT, PATCH and DELETE on the POST-only endpoints with 405, Allow: POST and a JSON body', async () => {
    for (const [path, routes] of [
      ['/api/oauth/token', tokenRoutes],
      ['/api/oauth/introspect', introspectRoutes],
      ['/api/oauth/revoke', revokeRoutes],
    ] as const) {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
        const res = routes[method](new Request(`http://localhost:3000${path}`, { method }));
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('POST');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      }
    }
  });
});
