import { randomUUID } from 'node:crypto';
import { importJWK } from 'jose';
import * as oidc from 'openid-client';
import { expect, seedOAuth as seed, test } from './fixtures';

// Interoperability: a real OAuth client library (openid-client) against the running server,
// discovering it through RFC 8414 metadata and using every standard endpoint.

async function discover(baseURL: string, clientId: string, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(baseURL), clientId, undefined, auth, {
    algorithm: 'oauth2',
    execute: [oidc.allowInsecureRequests],
  });
}

test.describe('openid-client against Latchkey', () => {
  test('client_credentials with client_secret_basic and client_secret_post, then introspection and revocation', async ({
    baseURL,
  }) => {
    const s = await seed();
    for (const auth of [oidc.ClientSecretBasic(s.secret.secret), oidc.ClientSecretPost(s.secret.secret)]) {
      const config = await discover(baseURL ?? '', s.secret.id, auth);
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'TILE' });
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.scope).toBe('TILE');
      expect(tokens.expiresIn()).toBeGreaterThan(3500);

      const active = await oidc.tokenIntrospection(config, tokens.access_token);
      expect(active).toMatchObject({ active: true, sub: s.accountId, client_id: s.secret.id, scope: 'TILE' });
      await oidc.tokenRevocation(config, tokens.access_token);
      expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    }
  });

  test('a wrong secret surfaces as an invalid_client error in the library', async ({ baseURL }) => {
    const s = await seed();
    const config = await discover(baseURL ?? '', s.secret.id, oidc.ClientSecretBasic('lk_sec_wrong'));
    const error = await oidc.clientCredentialsGrant(config).catch((e: unknown) => e);
    // A 401 with WWW-Authenticate surfaces as the library's challenge error, carrying the response.
    expect(error).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    const challenge = error as oidc.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]?.scheme).toBe('basic');
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('private_key_jwt, token exchange to a project, and refresh rotation', async ({ baseURL }) => {
    const s = await seed();
    const privateKey = (await importJWK(s.keyPair.privateJwk, 'ES256')) as CryptoKey;
    const keyConfig = await discover(
      baseURL ?? '',
      s.keyPair.id,
      // Latchkey requires a UUID jti (issue 9); openid-client signs a random base64url string
      // unless told otherwise through its documented assertion hook.
      oidc.PrivateKeyJwt(
        { key: privateKey, kid: s.keyPair.id },
        {
          [oidc.modifyAssertion]: (_header, payload) => {
            payload.jti = randomUUID();
          },
        },
      ),
    );
    const keyTokens = await oidc.clientCredentialsGrant(keyConfig);
    expect(keyTokens.scope).toBe('MATRIX TILE');

    const narrowed = await oidc.genericGrantRequest(keyConfig, 'urn:ietf:params:oauth:grant-type:token-exchange', {
      subject_token: keyTokens.access_token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      project_id: s.projectId,
      scope: 'TILE',
    });
    expect(narrowed.scope).toBe('TILE');
    expect(await oidc.tokenIntrospection(keyConfig, narrowed.access_token)).toMatchObject({
      active: true,
      project_id: s.projectId,
    });

    const pairConfig = await discover(baseURL ?? '', s.pair.clientToken, oidc.ClientSecretPost(s.pair.serverToken));
    const first = await oidc.clientCredentialsGrant(pairConfig);
    expect(first.refresh_token).toMatch(/^lk_rt_/);
    const second = await oidc.refreshTokenGrant(pairConfig, first.refresh_token ?? '');
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const reuse = await oidc.refreshTokenGrant(pairConfig, first.refresh_token ?? '').catch((e: unknown) => e);
    expect((reuse as oidc.ResponseBodyError).error).toBe('invalid_grant');
  });

  test('the JWKS and metadata are served to anyone, the token endpoint never caches', async ({ request }) => {
    const jwks = await request.get('/.well-known/jwks.json');
    expect(jwks.ok()).toBe(true);
    expect(((await jwks.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    const res = await request.post('/api/oauth/token', { form: { grant_type: 'client_credentials' } });
    expect(res.status()).toBe(401);
    expect(res.headers()['cache-control']).toBe('no-store');
    expect(res.headers()['www-authenticate']).toMatch(/^Basic/);
  });
});
