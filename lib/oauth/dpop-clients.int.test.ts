import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, decodeJwt, exportJWK } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as listAccounts } from '@/app/api/v1/service-accounts/route';
import { resetEnvCache } from '@/lib/env';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { createTestOrg } from '@/lib/testing/factories';
import { createAccount, createClientSecret, createClientTokenPair } from '@/lib/testing/oauth-factories';
import { oauthListener } from './node-mount';
import { resetTokenLimiters } from './token-service';

// DPoP with OAuth client libraries nobody here wrote (panva's oauth4webapi and openid-client,
// which implement RFC 9449), used as their documentation shows, against the production server's
// token service (the fast path) and /api/v1 (the Next route handler, mounted behind it as Next
// would): they obtain DPoP-bound tokens, refresh them and call the management API with them.

let server: Server;
let issuer: string;

/** The Next side of the server: /api/v1/service-accounts, as a WHATWG Request. */
async function nextFallback(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  const url = new URL(req.url ?? '/', issuer);
  if (req.method !== 'GET' || url.pathname !== '/api/v1/service-accounts') {
    res.writeHead(404).end();
    return;
  }
  const response = await listAccounts(new Request(url, { method: 'GET', headers }), { params: Promise.resolve({}) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(await response.text());
}

beforeAll(async () => {
  server = createServer(
    oauthListener((req, res) => {
      req.headers[PEER_IP_HEADER] = req.socket.remoteAddress ?? '';
      void nextFallback(req, res);
    }, {}),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.LATCHKEY_ISSUER = issuer;
  resetEnvCache();
});
afterEach(() => {
  delete process.env.DPOP_NONCE;
  resetEnvCache();
});
afterAll(async () => {
  delete process.env.LATCHKEY_ISSUER;
  resetEnvCache();
  resetTokenLimiters();
  await new Promise((resolve) => server.close(resolve));
});

async function adminSecret() {
  const org = await createTestOrg();
  const account = await createAccount(org, { isAdmin: true, scopes: ['read:service_accounts'] });
  const secret = await createClientSecret(account);
  return { org, account, clientId: secret.id, clientSecret: secret.secret };
}

async function adminTokenPair() {
  const org = await createTestOrg();
  const account = await createAccount(org, { isAdmin: true, scopes: ['read:service_accounts'], platform: 'WEB' });
  const pair = await createClientTokenPair(account);
  return { org, account, clientId: pair.id, clientSecret: pair.serverToken };
}

const thumbprint = async (keys: CryptoKeyPair) => calculateJwkThumbprint(await exportJWK(keys.publicKey), 'sha256');
const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('oauth4webapi with DPoP', () => {
  async function discover() {
    const url = new URL(issuer);
    return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { ...insecure, algorithm: 'oauth2' }));
  }

  it('client_credentials, refresh and a call to /api/v1, each with a DPoP proof; a Bearer call with the bound token is refused', async () => {
    const { account, clientId, clientSecret } = await adminTokenPair();
    const as = await discover();
    expect(as.dpop_signing_alg_values_supported).toContain('ES256');
    const client: oauth.Client = { client_id: clientId };
    const auth = oauth.ClientSecretPost(clientSecret);
    const keys = await oauth.generateKeyPair('ES256');
    const DPoP = oauth.DPoP(client, keys);

    const granted = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), { ...insecure, DPoP }),
    );
    expect(granted.token_type).toBe('dpop');
    expect(decodeJwt(granted.access_token).cnf).toEqual({ jkt: await thumbprint(keys) });
    expect(granted.refresh_token).toBeTruthy();

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, granted.refresh_token ?? '', { ...insecure, DPoP }),
    );
    expect(refreshed.token_type).toBe('dpop');
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: await thumbprint(keys) });

    const listUrl = new URL(`${issuer}/api/v1/service-accounts`);
    const listed = await oauth.protectedResourceRequest(refreshed.access_token, 'GET', listUrl, undefined, undefined, {
      ...insecure,
      DPoP,
    });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain(account.id);

    // Without the key the token is worth nothing: as Bearer it is refused with the DPoP challenge.
    // The library surfaces the 401 as its challenge error, with the parsed DPoP challenge.
    const asBearer = await oauth
      .protectedResourceRequest(refreshed.access_token, 'GET', listUrl, undefined, undefined, insecure)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(asBearer).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = (asBearer as oauth.WWWAuthenticateChallengeError).cause[0];
    expect(challenge).toMatchObject({ scheme: 'dpop', parameters: { error: 'invalid_token' } });
    expect((asBearer as oauth.WWWAuthenticateChallengeError).response.status).toBe(401);

    // And a refresh without the proof is refused (Keycloak #36475).
    const noProof = await oauth.refreshTokenGrantRequest(as, client, auth, refreshed.refresh_token ?? '', insecure);
    await expect(oauth.processRefreshTokenResponse(as, client, noProof)).rejects.toMatchObject({
      error: 'invalid_dpop_proof',
    });
  });

  it('learns the server nonce from use_dpop_nonce and succeeds on the retry (DPOP_NONCE=on)', async () => {
    process.env.DPOP_NONCE = 'on';
    resetEnvCache();
    const { clientId, clientSecret } = await adminSecret();
    const as = await discover();
    const client: oauth.Client = { client_id: clientId };
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    const grant = async () =>
      oauth.processClientCredentialsResponse(
        as,
        client,
        await oauth.clientCredentialsGrantRequest(
          as,
          client,
          oauth.ClientSecretBasic(clientSecret),
          new URLSearchParams(),
          {
            ...insecure,
            DPoP,
          },
        ),
      );
    const error = await grant().then(
      () => null,
      (e: unknown) => e,
    );
    expect(oauth.isDPoPNonceError(error)).toBe(true);
    expect((await grant()).token_type).toBe('dpop');
  });
});

describe('openid-client with DPoP', () => {
  it('client_credentials, refresh and fetchProtectedResource with a DPoP handle (nonces on: retried by the library)', async () => {
    process.env.DPOP_NONCE = 'on';
    resetEnvCache();
    const { account, clientId, clientSecret } = await adminTokenPair();
    const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretPost(clientSecret), {
      execute: [oidc.allowInsecureRequests],
      algorithm: 'oauth2',
    });
    const keys = await oidc.randomDPoPKeyPair('ES256');
    const DPoP = oidc.getDPoPHandle(config, keys);
    const granted = await oidc.clientCredentialsGrant(config, {}, { DPoP });
    expect(granted.token_type).toBe('dpop');
    const refreshed = await oidc.refreshTokenGrant(config, granted.refresh_token ?? '', {}, { DPoP });
    expect(refreshed.token_type).toBe('dpop');
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: await thumbprint(keys) });
    const listed = await oidc.fetchProtectedResource(
      config,
      refreshed.access_token,
      new URL(`${issuer}/api/v1/service-accounts`),
      'GET',
      undefined,
      undefined,
      { DPoP },
    );
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain(account.id);

    // Another key cannot use the token.
    const thief = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    await expect(
      oidc.fetchProtectedResource(
        config,
        refreshed.access_token,
        new URL(`${issuer}/api/v1/service-accounts`),
        'GET',
        undefined,
        undefined,
        { DPoP: thief },
      ),
    ).rejects.toThrow();
  });
});

describe('a resource server verifying DPoP-bound Latchkey tokens (README "DPoP")', () => {
  it("oauth4webapi's validateJwtAccessToken accepts the token with its proof and refuses it without, or as Bearer", async () => {
    const { clientId, clientSecret } = await adminSecret();
    const url = new URL(issuer);
    const as = await oauth.processDiscoveryResponse(
      url,
      await oauth.discoveryRequest(url, { ...insecure, algorithm: 'oauth2' }),
    );
    // The resource server, as the README shows it (here on loopback HTTP, hence allowInsecureRequests).
    const rs = createServer((req, res) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? ''}`), { headers });
      oauth
        .validateJwtAccessToken(as, request, issuer, { ...insecure, requireDPoP: true })
        .then((claims) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(claims)))
        .catch((error: unknown) => res.writeHead(401).end(String((error as Error).message)));
    });
    await new Promise<void>((resolve) => rs.listen(0, '127.0.0.1', resolve));
    try {
      const resource = new URL(`http://127.0.0.1:${(rs.address() as AddressInfo).port}/orders`);
      const client: oauth.Client = { client_id: clientId };
      const keys = await oauth.generateKeyPair('ES256');
      const DPoP = oauth.DPoP(client, keys);
      const { access_token } = await oauth.processClientCredentialsResponse(
        as,
        client,
        await oauth.clientCredentialsGrantRequest(
          as,
          client,
          oauth.ClientSecretBasic(clientSecret),
          new URLSearchParams(),
          {
            ...insecure,
            DPoP,
          },
        ),
      );
      const ok = await oauth.protectedResourceRequest(access_token, 'GET', resource, undefined, undefined, {
        ...insecure,
        DPoP,
      });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { cnf: unknown }).cnf).toEqual({ jkt: await thumbprint(keys) });
      const bearer = await fetch(resource, { headers: { authorization: `Bearer ${access_token}` } });
      expect(bearer.status).toBe(401);
      const thief = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
      const stolen = await oauth.protectedResourceRequest(access_token, 'GET', resource, undefined, undefined, {
        ...insecure,
        DPoP: thief,
      });
      expect(stolen.status).toBe(401);
    } finally {
      await new Promise((resolve) => rs.close(resolve));
    }
  });
});
