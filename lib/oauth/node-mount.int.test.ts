import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as jwksRoute } from '@/app/.well-known/jwks.json/route';
import { GET as metadataRoute } from '@/app/.well-known/oauth-authorization-server/route';
import { GET as openidConfigurationRoute } from '@/app/.well-known/openid-configuration/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { TOKEN_ISSUED, TOKEN_REFUSED } from '@/lib/audit/actions';
import { findChainBreak } from '@/lib/audit/hash-chain';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { issuerUrl } from '@/lib/issuer';
import { resetTokenLimiters } from '@/lib/oauth/token-service';
import { createTestOrg } from '@/lib/testing/factories';
import { basic, createAccount, createClientSecret, formRequest, tokenEvents } from '@/lib/testing/oauth-factories';
import { oauthListener } from './node-mount';

// The production server's fast path (scripts/server.ts uses exactly this listener): the token
// service's routes are answered without Next.js, by the functions the route handlers call.
// Everything else goes to the fallback (Next.js in the real server); here it answers 418, so a
// route served by the fallback cannot pass for the fast path.

const EXTRA = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' };
let server: Server;
let base: string;
let fallbackHits = 0;

beforeAll(async () => {
  server = createServer(
    oauthListener((_req, res) => {
      fallbackHits++;
      res.writeHead(418).end('fallback');
    }, EXTRA),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  delete process.env.LATCHKEY_TRUSTED_PROXIES;
  resetEnvCache();
  resetTokenLimiters();
});

async function setup(options: Parameters<typeof createAccount>[1] = {}) {
  const org = await createTestOrg();
  const account = await createAccount(org, options);
  const secret = await createClientSecret(account);
  return { org, account, secret };
}

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

describe('token service fast path', () => {
  it('serves client_credentials like the Next route: same status, headers and token, audited before the answer', async () => {
    const { org, account, secret } = await setup({ scopes: ['TILE'] });
    const before = fallbackHits;
    const res = await post('/api/oauth/token?ignored=1', 'grant_type=client_credentials', {
      authorization: basic(secret.id, secret.secret),
      'x-request-id': 'fast-path-1',
    });
    expect(fallbackHits).toBe(before);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-request-id')).toBe('fast-path-1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'TILE' });
    const jwks = createLocalJWKSet((await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: [] });
    const { payload } = await jwtVerify(body.access_token, jwks, {
      issuer: issuerUrl(),
      audience: issuerUrl(),
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ sub: account.id, client_id: secret.id, scope: 'TILE' });

    // The audit event is committed by the time the answer arrives, chained like every other.
    const events = await tokenEvents(org.id);
    expect(events.map((e) => e.action)).toEqual([TOKEN_ISSUED]);
    expect(events[0]).toMatchObject({
      ip: '127.0.0.1',
      requestId: 'fast-path-1',
      details: expect.objectContaining({ jti: payload.jti, endpoint: '/api/oauth/token' }),
    });
    expect(
      findChainBreak(await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } })),
    ).toBeNull();

    // The Next mount answers the same request the same way.
    const viaNext = await tokenRoute(
      formRequest(
        '/api/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(secret.id, secret.secret) },
      ),
    );
    expect(viaNext.status).toBe(res.status);
    for (const name of ['cache-control', 'pragma', 'content-type'])
      expect(viaNext.headers.get(name)).toBe(res.headers.get(name));
    expect(Object.keys((await viaNext.json()) as object).sort()).toEqual(Object.keys(body).sort());
  });

  it('takes the address from the socket: a spoofed X-Forwarded-For or peer-IP header is ignored', async () => {
    const { org, secret } = await setup({ ipAllowList: ['203.0.113.7/32'] });
    const spoofed = await post('/api/oauth/token', 'grant_type=client_credentials', {
      authorization: basic(secret.id, secret.secret),
      'x-forwarded-for': '203.0.113.7',
      'x-latchkey-peer-ip': '203.0.113.7',
    });
    expect(spoofed.status).toBe(401);
    expect(await spoofed.json()).toMatchObject({ error: 'invalid_client' });
    const [refused] = await tokenEvents(org.id);
    expect(refused).toMatchObject({
      action: TOKEN_REFUSED,
      ip: '127.0.0.1',
      details: expect.objectContaining({ reason: 'ip_not_allowed' }),
    });

    // Allowed from the real address whatever the headers claim.
    const local = await setup({ ipAllowList: ['127.0.0.1/32'] });
    const ok = await post('/api/oauth/token', 'grant_type=client_credentials', {
      authorization: basic(local.secret.id, local.secret.secret),
      'x-forwarded-for': '198.51.100.1',
    });
    expect(ok.status).toBe(200);

    // X-Forwarded-For counts only when the socket peer is a configured proxy.
    process.env.LATCHKEY_TRUSTED_PROXIES = '127.0.0.1/32';
    resetEnvCache();
    const proxied = await post('/api/oauth/token', 'grant_type=client_credentials', {
      authorization: basic(secret.id, secret.secret),
      'x-forwarded-for': '203.0.113.7',
    });
    expect(proxied.status).toBe(200);
  });

  it('answers RFC 6749 errors, refuses oversized and non-form bodies, and audits refusals', async () => {
    const { org, secret } = await setup();
    const wrong = await post('/api/oauth/token', 'grant_type=client_credentials', {
      authorization: basic(secret.id, 'lk_sec_wrong'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });

    const json = await fetch(`${base}/api/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: basic(secret.id, secret.secret),
        'x-request-id': `${secret.id}-json`,
      },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });

    const huge = await post('/api/oauth/token', `grant_type=client_credentials&pad=${'a'.repeat(70 * 1024)}`, {
      authorization: basic(secret.id, secret.secret),
      'x-request-id': `${secret.id}-huge`,
    });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'The request body is too large.',
    });

    // A malformed secret of a real key id is audited in that key's organization; what is refused
    // before any lookup (an unreadable body) goes to the instance chain.
    const instance = await tokenEvents(null);
    const reason = (e: (typeof instance)[number]) => (e.details as { reason?: string }).reason;
    expect(instance.filter((e) => (e.details as { client_id?: string }).client_id === secret.id)).toEqual([]);
    expect(instance.filter((e) => e.requestId?.startsWith(secret.id)).map((e) => [e.requestId, reason(e)])).toEqual([
      [`${secret.id}-json`, 'invalid_request'],
      [`${secret.id}-huge`, 'invalid_request'],
    ]);
    expect((await tokenEvents(org.id)).map((e) => [e.action, reason(e)])).toEqual([
      ['token.refused', 'bad_credentials'],
    ]);
  });

  it('commits parallel issuances of several organizations in batches that keep every chain intact', async () => {
    const a = await setup();
    const b = await setup();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const { secret } = i % 2 ? a : b;
        return post('/api/oauth/token', 'grant_type=client_credentials', {
          authorization: basic(secret.id, secret.secret),
        });
      }),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 200));
    for (const { org, secret, account } of [a, b]) {
      const chain = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
      expect(chain.filter((e) => e.action === TOKEN_ISSUED)).toHaveLength(20);
      expect(findChainBreak(chain)).toBeNull();
      const stamped = await db.clientSecret.findUniqueOrThrow({
        where: { id: secret.id },
        select: { lastUsedAt: true, lastUsedIp: true },
      });
      expect(stamped).toMatchObject({ lastUsedAt: expect.any(Date), lastUsedIp: '127.0.0.1' });
      expect((await db.serviceAccount.findUniqueOrThrow({ where: { id: account.id } })).lastUsedAt).toEqual(
        expect.any(Date),
      );
    }
  });

  it('chains after an event another writer appended since the last batch (its predicted chain head is stale)', async () => {
    const { org, secret } = await setup();
    const issue = () =>
      post('/api/oauth/token', 'grant_type=client_credentials', { authorization: basic(secret.id, secret.secret) });
    expect((await issue()).status).toBe(200);
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        organizationId: org.id,
        actor: { type: 'SYSTEM', id: null, label: 'test' },
        action: 'test.between',
        details: {},
      }),
    );
    expect((await issue()).status).toBe(200);
    expect((await issue()).status).toBe(200);
    const chain = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    expect(chain.map((e) => e.action).slice(-4)).toEqual([TOKEN_ISSUED, 'test.between', TOKEN_ISSUED, TOKEN_ISSUED]);
    expect(findChainBreak(chain)).toBeNull();
  });

  it('introspects and revokes, and serves the well-known documents the Next routes serve', async () => {
    const { secret } = await setup();
    const auth = { authorization: basic(secret.id, secret.secret) };
    const { access_token } = (await (await post('/api/oauth/token', 'grant_type=client_credentials', auth)).json()) as {
      access_token: string;
    };
    const active = await post('/api/oauth/introspect', `token=${access_token}`, auth);
    expect(active.headers.get('cache-control')).toBe('no-store');
    expect(await active.json()).toMatchObject({ active: true, client_id: secret.id });
    expect((await post('/api/oauth/revoke', `token=${access_token}`, auth)).status).toBe(200);
    expect(await (await post('/api/oauth/introspect', `token=${access_token}`, auth)).json()).toEqual({
      active: false,
    });
    expect((await post('/api/oauth/introspect', `token=${access_token}`)).status).toBe(401);

    const metadata = await fetch(`${base}/.well-known/oauth-authorization-server`);
    expect(metadata.headers.get('cache-control')).toBe('public, max-age=300');
    const document = (await metadata.json()) as Record<string, unknown>;
    expect(document).toEqual(await metadataRoute().json());
    // The OpenID Connect discovery name serves the same OAuth-only document, on both mounts.
    expect(await (await fetch(`${base}/.well-known/openid-configuration`)).json()).toEqual(document);
    expect(await openidConfigurationRoute().json()).toEqual(document);
    expect(document.scopes_supported).toEqual([
      'manage:service_accounts',
      'read:service_accounts',
      'manage:oem_credentials',
      'manage:vehicles',
      'read:audit',
      'manage:audit_sinks',
      'manage:webhooks',
      'read:webhooks',
      'manage:catalog',
    ]);
    expect(await (await fetch(`${base}/.well-known/jwks.json`)).json()).toEqual(await (await jwksRoute()).json());
  });

  it('serves the vendor flows of /compat/* too, in their shapes, oversized bodies included', async () => {
    const { org, secret } = await setup();
    const before = fallbackHits;
    const restapi = (body: string) =>
      fetch(`${base}/compat/restapi/System/UserAccount`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const issued = await restapi(JSON.stringify({ clientId: secret.id, clientSecret: secret.secret }));
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(issued.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Object.keys((await issued.json()) as object).sort()).toEqual(['expiresIn', 'token']);
    const wrong = await restapi(JSON.stringify({ clientId: secret.id, clientSecret: 'lk_cs_wrong' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ status: 401 });
    const huge = await restapi(JSON.stringify({ clientId: secret.id, clientSecret: 'x'.repeat(70 * 1024) }));
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ status: 400 });
    // Unity reads its query string: the fast path hands it over.
    const unity = await fetch(`${base}/compat/unity/v1/token-exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(secret.id, secret.secret) },
      body: '{}',
    });
    expect(unity.status).toBe(400);
    expect(((await unity.json()) as { detail: string }).detail).toMatch(/projectId is required/);
    expect(fallbackHits).toBe(before);
    const endpoints = (await tokenEvents(org.id)).map((e) => (e.details as { endpoint: string }).endpoint);
    expect(endpoints).toContain('/compat/restapi/System/UserAccount');
  });

  it('leaves every other method and path to the fallback', async () => {
    const before = fallbackHits;
    // GET /api/oauth/token is the fast path's 405 now (issue 9); a trailing slash is another path.
    expect((await post('/api/oauth/token/', 'grant_type=client_credentials')).status).toBe(418);
    expect((await fetch(`${base}/api/oauth/tokens`)).status).toBe(418);
    expect((await fetch(`${base}/api/health`)).status).toBe(418);
    expect(fallbackHits).toBe(before + 3);
  });
});

describe('misplaced credentials and methods (issue 9), fast path', () => {
  it('refuses credentials in the query string with 400 invalid_request, even beside valid Basic credentials', async () => {
    const { secret } = await setup();
    const auth = { authorization: basic(secret.id, secret.secret) };
    for (const query of [
      `client_secret=${secret.secret}`,
      `client_id=${secret.id}&client_secret=${secret.secret}`,
      'client_assertion=eyJ.x.y',
      'refresh_token=lk_rt_x',
      'assertion=eyJ.x.y',
    ]) {
      const res = await post(`/api/oauth/token?${query}`, 'grant_type=client_credentials', auth);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    }
    // Positive control: a harmless query parameter changes nothing.
    expect((await post('/api/oauth/token?ignored=1', 'grant_type=client_credentials', auth)).status).toBe(200);
  });

  it('answers any other method than POST on the token, introspection and revocation endpoints with 405 and Allow: POST', async () => {
    const before = fallbackHits;
    for (const path of ['/api/oauth/token', '/api/oauth/introspect', '/api/oauth/revoke']) {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        const res = await fetch(base + path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('POST');
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      }
    }
    expect(fallbackHits).toBe(before);
  });
});
