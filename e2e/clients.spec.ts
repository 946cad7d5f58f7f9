import { expect, test } from './fixtures';

// What a client's `response.json()` meets on the production server (scripts/server.ts, fast path
// on): JSON in each surface's own format on unknown paths, RFC 6750 challenges on /api/v1, and the
// OAuth metadata under its OpenID Connect discovery name too.

test.describe('JSON where clients expect JSON', () => {
  test('unknown paths under /api, /api/v1, /api/oauth and /compat answer JSON 404s in their surface format', async ({
    request,
  }) => {
    const v1 = await request.get('/api/v1/no-such-thing');
    expect(v1.status()).toBe(404);
    expect(v1.headers()['content-type']).toContain('application/problem+json');
    expect(await v1.json()).toMatchObject({ status: 404, code: 'not_found' });

    const api = await request.post('/api/nothing/here', { data: {} });
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'not_found' });

    const oauth = await request.post('/api/oauth/authorize', { form: { x: '1' } });
    expect(oauth.status()).toBe(404);
    expect(await oauth.json()).toMatchObject({ error: 'invalid_request' });

    const hm = await request.post('/compat/high-mobility/v1/access_tokens', { form: { x: '1' } });
    expect(hm.status()).toBe(404);
    expect(await hm.json()).toMatchObject({ errors: [{ title: 'Not found' }] });

    const unity = await request.get('/compat/unity/v2/nothing');
    expect(unity.headers()['content-type']).toContain('application/problem+json');
    expect(await unity.json()).toMatchObject({ status: 404, code: 54 });

    const gebeta = await request.get('/compat/gebeta/api/v2/x');
    expect(await gebeta.json()).toMatchObject({ code: 'NOT_FOUND' });
    const restapi = await request.get('/compat/restapi/System/Nope');
    expect(await restapi.json()).toMatchObject({ status: 404 });
    const vendor = await request.get('/compat/nobody/token');
    expect(vendor.status()).toBe(404);
    expect(await vendor.json()).toMatchObject({ status: 404 });

    // The console keeps its HTML page; existing routes are untouched.
    const page = await request.get('/no-such-page');
    expect(page.status()).toBe(404);
    expect(page.headers()['content-type']).toContain('text/html');
    expect((await request.get('/api/health')).ok()).toBe(true);
  });

  test('/api/v1 without credentials gets the bare Bearer challenge, a bad token error="invalid_token"', async ({
    request,
  }) => {
    const anonymous = await request.get('/api/v1/roles');
    expect(anonymous.status()).toBe(401);
    expect(anonymous.headers()['www-authenticate']).toBe('Bearer realm="latchkey"');
    const bad = await request.get('/api/v1/roles', { headers: { authorization: 'Bearer not.a.token' } });
    expect(bad.status()).toBe(401);
    expect(bad.headers()['www-authenticate']).toMatch(/^Bearer realm="latchkey", error="invalid_token"/);
  });

  test('the OpenID Connect discovery name serves the RFC 8414 document', async ({ request }) => {
    const oidc = await request.get('/.well-known/openid-configuration');
    expect(oidc.ok()).toBe(true);
    expect(await oidc.json()).toEqual(await (await request.get('/.well-known/oauth-authorization-server')).json());
  });
});
