import { execFile, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { OAuth2Client } from '@badgateway/oauth2-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { ClientCredentials } from 'simple-oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { createTestOrg } from '@/lib/testing/factories';
import { createAccount, createClientSecret } from '@/lib/testing/oauth-factories';
import { resetTokenLimiters } from './token-service';
import { oauthListener } from './node-mount';

// OAuth client libraries nobody here wrote, used as their documentation shows, against the
// production server's token service (scripts/server.ts serves it with exactly this listener).
// Each obtains a client_credentials token, and a resource server validates it offline through
// the published JWKS, as README "Connect your client" shows.

const run = promisify(execFile);
// The Python clients come from Debian (python3-authlib, python3-requests-oauthlib; .ci/run
// installs them) into the system interpreter, which a python3 earlier on PATH (pyenv) may not
// see: the first interpreter that has them runs the script. Without one the test is skipped and
// says why in its name.
const python = ['python3', '/usr/bin/python3'].find(
  (bin) => spawnSync(bin, ['-c', 'import authlib, requests_oauthlib']).status === 0,
);
const pythonMissing = python ? null : 'no python3 with authlib and requests_oauthlib (.ci/run installs them)';

let server: Server;
let issuer: string;

beforeAll(async () => {
  server = createServer(oauthListener((_req, res) => res.writeHead(404).end(), {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The issuer is the server's own URL, as in production: discovery checks that they agree.
  process.env.LATCHKEY_ISSUER = issuer;
  resetEnvCache();
});
afterAll(async () => {
  delete process.env.LATCHKEY_ISSUER;
  resetEnvCache();
  resetTokenLimiters();
  await new Promise((resolve) => server.close(resolve));
});

async function client() {
  const org = await createTestOrg();
  const account = await createAccount(org, { scopes: ['TILE', 'MATRIX'] });
  const secret = await createClientSecret(account);
  return { account, clientId: secret.id, clientSecret: secret.secret };
}

/** The resource server's check (README "Connect your client"): signature via the JWKS, issuer, audience, expiry. */
async function validate(accessToken: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(accessToken, jwks, { issuer, audience: issuer, algorithms: ['ES256'] });
  return payload;
}

describe('OAuth client libraries against the token service', () => {
  it("openid-client's default discovery() (OpenID Connect discovery name) and both secret methods", async () => {
    const { account, clientId, clientSecret } = await client();
    for (const auth of [oidc.ClientSecretBasic(clientSecret), oidc.ClientSecretPost(clientSecret)]) {
      const config = await oidc.discovery(new URL(issuer), clientId, undefined, auth, {
        execute: [oidc.allowInsecureRequests],
      });
      expect(config.serverMetadata().scopes_supported).toContain('manage:service_accounts');
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'TILE' });
      expect(tokens.scope).toBe('TILE');
      expect(await validate(tokens.access_token)).toMatchObject({ sub: account.id, scope: 'TILE' });
    }
  });

  it('oauth4webapi: OIDC-name discovery, client_credentials with client_secret_basic', async () => {
    const { account, clientId, clientSecret } = await client();
    const url = new URL(issuer);
    const as = await oauth.processDiscoveryResponse(
      url,
      await oauth.discoveryRequest(url, { [oauth.allowInsecureRequests]: true }),
    );
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: clientId },
      oauth.ClientSecretBasic(clientSecret),
      new URLSearchParams({ scope: 'TILE' }),
      { [oauth.allowInsecureRequests]: true },
    );
    const tokens = await oauth.processClientCredentialsResponse(as, { client_id: clientId }, response);
    expect(await validate(tokens.access_token)).toMatchObject({ sub: account.id, scope: 'TILE' });
  });

  it('simple-oauth2: header and body client authentication', async () => {
    const { account, clientId, clientSecret } = await client();
    for (const authorizationMethod of ['header', 'body'] as const) {
      const cc = new ClientCredentials({
        client: { id: clientId, secret: clientSecret },
        auth: { tokenHost: issuer, tokenPath: '/api/oauth/token' },
        options: { authorizationMethod },
      });
      const token = await cc.getToken({ scope: 'TILE' });
      expect(await validate(String(token.token.access_token))).toMatchObject({ sub: account.id });
    }
  });

  it('@badgateway/oauth2-client: RFC 8414 discovery, client_secret_basic and client_secret_post', async () => {
    const { account, clientId, clientSecret } = await client();
    for (const authenticationMethod of ['client_secret_basic', 'client_secret_post'] as const) {
      const c = new OAuth2Client({ server: issuer, clientId, clientSecret, authenticationMethod });
      const token = await c.clientCredentials({ scope: ['TILE'] });
      expect(await validate(token.accessToken)).toMatchObject({ sub: account.id, scope: 'TILE' });
    }
  });

  it('a tampered token is refused by the resource-server check', async () => {
    const { clientId, clientSecret } = await client();
    const cc = new ClientCredentials({
      client: { id: clientId, secret: clientSecret },
      auth: { tokenHost: issuer, tokenPath: '/api/oauth/token' },
    });
    const token = String((await cc.getToken({})).token.access_token);
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), sub: 'sa_other' })).toString('base64url')}.${s}`;
    await expect(validate(forged)).rejects.toThrow();
  });

  it.skipIf(pythonMissing !== null)(
    `Python: Authlib and requests-oauthlib${pythonMissing ? ` (skipped: ${pythonMissing})` : ''}`,
    async () => {
      const { account, clientId, clientSecret } = await client();
      const { stdout } = await run(
        python ?? 'python3',
        [path.join(import.meta.dirname, '../testing/python-clients.py'), issuer, clientId, clientSecret],
        // oauthlib refuses http:// unless told; the test server is loopback HTTP.
        { env: { ...process.env, OAUTHLIB_INSECURE_TRANSPORT: '1' } },
      );
      const tokens = JSON.parse(stdout) as Record<string, string>;
      expect(Object.keys(tokens).sort()).toEqual([
        'authlib_client_secret_basic',
        'authlib_client_secret_post',
        'requests_oauthlib',
      ]);
      for (const token of Object.values(tokens)) expect(await validate(token)).toMatchObject({ sub: account.id });
    },
  );
});
