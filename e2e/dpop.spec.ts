import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { expect, signInAs, test } from './fixtures';

// DPoP (RFC 9449) end to end: an admin requires it for an account in the console; from then on a
// token request without a proof is refused (never a bearer token), one with a proof gets a token
// bound to the client's key, and /api/v1 accepts that token only with a proof.

const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

test('an admin turns on "Require DPoP": a bearer token request is refused, a DPoP one works', async ({
  page,
  seed,
  request,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const headers = { 'Latchkey-Organization': org.slug, Origin: ORIGIN };
  const created = await page.request.post('/api/v1/service-accounts', {
    headers,
    data: { name: 'dpop-backend', platform: 'SERVER', isAdmin: true, scopes: ['read:service_accounts'] },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const issued = await page.request.post(`/api/v1/service-accounts/${id}/secrets`, {
    headers,
    data: { name: 'production' },
  });
  expect(issued.status()).toBe(201);
  const { clientSecret, secret } = (await issued.json()) as { clientSecret: { id: string }; secret: string };
  const basic = `Basic ${Buffer.from(`${clientSecret.id}:${secret}`).toString('base64')}`;
  const tokenRequest = (dpop?: string) =>
    request.post('/api/oauth/token', {
      headers: { authorization: basic, ...(dpop ? { dpop } : {}) },
      form: { grant_type: 'client_credentials' },
    });

  // Positive control: before the policy, a request without a proof gets a bearer token.
  const before = await tokenRequest();
  expect(before.status()).toBe(200);
  expect((await before.json()) as { token_type: string }).toMatchObject({ token_type: 'Bearer' });

  // The admin turns the policy on in the console's edit form.
  await page.goto(`/orgs/${org.slug}/service-accounts/${id}`);
  await page.getByRole('link', { name: 'Edit' }).click();
  const box = page.getByRole('checkbox', { name: /Require DPoP/ });
  await expect(box).not.toBeChecked();
  await box.check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Required', { exact: true })).toBeVisible();

  // Now no bearer token, from the very next request.
  const refused = await tokenRequest();
  expect(refused.status()).toBe(400);
  const refusal = (await refused.json()) as Record<string, unknown>;
  expect(refusal).toMatchObject({ error: 'invalid_dpop_proof' });
  expect(refusal).not.toHaveProperty('access_token');

  // A client with a key and a proof gets a DPoP-bound token.
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const proof = (htm: string, htu: string, accessToken?: string) =>
    new SignJWT({
      htm,
      htu,
      iat: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
      ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .sign(privateKey);
  const granted = await tokenRequest(await proof('POST', `${ORIGIN}/api/oauth/token`));
  expect(granted.status()).toBe(200);
  const body = (await granted.json()) as { token_type: string; access_token: string };
  expect(body.token_type).toBe('DPoP');

  // The bound token works on /api/v1 with a proof, and is refused as a plain bearer token.
  const listUrl = `${ORIGIN}/api/v1/service-accounts`;
  const withProof = await request.get('/api/v1/service-accounts', {
    headers: { authorization: `DPoP ${body.access_token}`, dpop: await proof('GET', listUrl, body.access_token) },
  });
  expect(withProof.status()).toBe(200);
  const asBearer = await request.get('/api/v1/service-accounts', {
    headers: { authorization: `Bearer ${body.access_token}` },
  });
  expect(asBearer.status()).toBe(401);
  expect(asBearer.headers()['www-authenticate']).toMatch(/^DPoP realm="latchkey", error="invalid_token"/);
});
