import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import type { OrgContext } from '@/lib/auth/context';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { auditEventsOf, createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { basic, formRequest } from '@/lib/testing/oauth-factories';
import { GET as getAccount, PATCH as patchAccount } from './[accountId]/route';
import { POST as reactivate } from './[accountId]/reactivate/route';
import { POST as revoke } from './[accountId]/revoke/route';
import { POST as suspend } from './[accountId]/suspend/route';
import { POST as createKey } from './[accountId]/keys/route';
import { DELETE as deleteSecret, PATCH as patchSecret } from './[accountId]/secrets/[secretId]/route';
import { POST as rotateSecret } from './[accountId]/secrets/[secretId]/rotate/route';
import { GET as listSecrets, POST as createSecret } from './[accountId]/secrets/route';
import { POST as createPair } from './[accountId]/token-pairs/route';
import { GET as expiring } from './expiring-credentials/route';
import { GET as list, POST as create } from './route';

type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;

/** bearerFor mints a real access token for an isAdmin account of the context's organization. */
async function bearerFor(ctx: OrgContext, scopes: string[]): Promise<string> {
  const account = await createTestServiceAccount(ctx, { isAdmin: true, scopes });
  const { clientSecret, secret } = await createClientSecret(ctx, account.id, { name: 'api' });
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(clientSecret.id, secret) },
    ),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function call(
  handler: Handler,
  token: string,
  method: string,
  params: Record<string, string> = {},
  body?: unknown,
  init: { query?: string; contentType?: string; raw?: string } = {},
) {
  const headers: Record<string, string> = { [PEER_IP_HEADER]: '127.0.0.1', authorization: `Bearer ${token}` };
  if (body !== undefined || init.raw !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const request = new Request(`http://localhost:3000/api/v1/service-accounts${init.query ?? ''}`, {
    method,
    headers,
    body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return handler(request, { params: Promise.resolve(params) });
}

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { code: string; status: number; errors?: Record<string, string[]>; detail: string };
}

describe('/api/v1/service-accounts route handlers (bearer)', () => {
  it('create, read, list, change and lifecycle, audited as the calling service account', async () => {
    const { org, adminCtx } = await orgWithRoles();
    // It grants TILE below, so it must hold TILE itself (lib/auth/grant-rules.ts).
    const token = await bearerFor(adminCtx, ['manage:service_accounts', 'TILE']);

    const created = await call(
      create,
      token,
      'POST',
      {},
      { name: 'via-api', platform: 'WEB', scopes: ['TILE'], ipAllowList: ['192.0.2.0/24'] },
    );
    expect(created.status).toBe(201);
    const account = (await created.json()) as { id: string; name: string; scopes: string[] };
    expect(account).toMatchObject({ name: 'via-api', scopes: ['TILE'] });
    const event = (await auditEventsOf(org.id)).find(
      (e) => e.action === 'service_account.created' && e.targetId === account.id,
    );
    expect(event?.actorType).toBe('SERVICE_ACCOUNT');

    expect((await call(getAccount, token, 'GET', { accountId: account.id })).status).toBe(200);
    const page = (await (await call(list, token, 'GET', {}, undefined, { query: '?q=via&platform=WEB' })).json()) as {
      total: number;
    };
    expect(page.total).toBe(1);
    const patched = await call(patchAccount, token, 'PATCH', { accountId: account.id }, { tokenLifetimeSeconds: 120 });
    expect(((await patched.json()) as { tokenLifetimeSeconds: number }).tokenLifetimeSeconds).toBe(120);

    expect((await call(suspend, token, 'POST', { accountId: account.id })).status).toBe(200);
    expect((await call(reactivate, token, 'POST', { accountId: account.id })).status).toBe(200);
    const wrong = await call(revoke, token, 'POST', { accountId: account.id }, { confirmName: 'VIA-API' });
    expect(wrong.status).toBe(400);
    expect((await problem(wrong)).errors).toHaveProperty('confirmName');
    expect((await call(revoke, token, 'POST', { accountId: account.id }, { confirmName: 'via-api' })).status).toBe(200);
    const again = await call(reactivate, token, 'POST', { accountId: account.id });
    expect(again.status).toBe(409);
    expect((await problem(again)).code).toBe('account_revoked');
  });

  it('answers bad input with problem details and stable codes', async () => {
    const { adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:service_accounts']);
    const bad = await problem(
      await call(
        create,
        token,
        'POST',
        {},
        { name: 'x', platform: 'SERVER', tokenLifetimeSeconds: 5, ipAllowList: ['nope'], color: 'red' },
      ),
    );
    expect(bad.code).toBe('validation_failed');
    expect(Object.keys(bad.errors ?? {})).toEqual(
      expect.arrayContaining(['tokenLifetimeSeconds', 'ipAllowList.0', '_']),
    );
    expect((await problem(await call(create, token, 'POST', {}, undefined, { raw: '{"name":' }))).code).toBe(
      'invalid_json',
    );
    expect(
      (
        await problem(
          await call(create, token, 'POST', {}, undefined, {
            raw: 'name=x',
            contentType: 'application/x-www-form-urlencoded',
          }),
        )
      ).code,
    ).toBe('unsupported_media_type');
    expect((await problem(await call(list, token, 'GET', {}, undefined, { query: '?status=DELETED' }))).code).toBe(
      'validation_failed',
    );
    expect((await problem(await call(getAccount, token, 'GET', { accountId: '../../etc' }))).code).toBe(
      'validation_failed',
    );
    const taken = await createTestServiceAccount(adminCtx, { name: 'taken' });
    expect((await problem(await call(create, token, 'POST', {}, { name: taken.name, platform: 'SERVER' }))).code).toBe(
      'name_taken',
    );
  });

  it("answers 404 for another organization's account and its credentials", async () => {
    const mine = await orgWithRoles();
    const theirs = await orgWithRoles();
    const token = await bearerFor(mine.adminCtx, ['manage:service_accounts']);
    const account = await createTestServiceAccount(theirs.adminCtx);
    const { clientSecret } = await createClientSecret(theirs.adminCtx, account.id, { name: 's' });
    const ids = { accountId: account.id, secretId: clientSecret.id };
    for (const [handler, method, body] of [
      [getAccount, 'GET', undefined],
      [patchAccount, 'PATCH', { description: 'x' }],
      [suspend, 'POST', undefined],
      [listSecrets, 'GET', undefined],
      [createSecret, 'POST', { name: 'x' }],
      [patchSecret, 'PATCH', { status: 'DISABLED' }],
      [deleteSecret, 'DELETE', undefined],
      [rotateSecret, 'POST', {}],
    ] as Array<[Handler, string, unknown]>) {
      const res = await call(handler, token, method, ids, body);
      expect(res.status, `${method} ${handler.name}`).toBe(404);
    }
    expect((await createClientSecret(theirs.adminCtx, account.id, { name: 'still-theirs' })).clientSecret.status).toBe(
      'ENABLED',
    );
  });

  it('credentials: limit, rotation, status, delete, key refusals, token pairs; a read-only token cannot write', async () => {
    const { adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:service_accounts']);
    const server = await createTestServiceAccount(adminCtx);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await call(createSecret, token, 'POST', { accountId: server.id }, { name: `s${i}` });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { clientSecret: { id: string } }).clientSecret.id);
    }
    expect(
      (await problem(await call(createSecret, token, 'POST', { accountId: server.id }, { name: 's10' }))).code,
    ).toBe('limit_exceeded');
    const first = ids[0] ?? '';
    expect(
      (await call(patchSecret, token, 'PATCH', { accountId: server.id, secretId: first }, { status: 'DISABLED' }))
        .status,
    ).toBe(200);
    const rotated = await call(
      rotateSecret,
      token,
      'POST',
      { accountId: server.id, secretId: ids[1] ?? '' },
      { gracePeriodHours: 168 },
    );
    expect(rotated.status).toBe(201);
    expect(((await rotated.json()) as { secret: string }).secret).toMatch(/^lk_sec_/);
    expect((await call(deleteSecret, token, 'DELETE', { accountId: server.id, secretId: first })).status).toBe(204);
    expect(
      (
        await problem(
          await call(patchSecret, token, 'PATCH', { accountId: server.id, secretId: first }, { status: 'ENABLED' }),
        )
      ).code,
    ).toBe('not_found');

    const privatePem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const refused = await problem(
      await call(createKey, token, 'POST', { accountId: server.id }, { name: 'k', publicKey: privatePem }),
    );
    expect(refused.code).toBe('invalid_key');
    expect(refused.errors?.publicKey?.[0]).toMatch(/private key/i);
    expect((await call(createKey, token, 'POST', { accountId: server.id }, { name: 'k' })).status).toBe(201);
    expect((await problem(await call(createPair, token, 'POST', { accountId: server.id }, {}))).code).toBe(
      'invalid_request',
    );
    const web = await createTestServiceAccount(adminCtx, { platform: 'ANDROID' });
    expect((await call(createPair, token, 'POST', { accountId: web.id }, {})).status).toBe(201);
    expect((await call(expiring, token, 'GET')).status).toBe(200);

    const readOnly = await bearerFor(adminCtx, ['read:service_accounts']);
    expect((await call(listSecrets, readOnly, 'GET', { accountId: server.id })).status).toBe(200);
    expect(
      (await problem(await call(createSecret, readOnly, 'POST', { accountId: server.id }, { name: 'x' }))).code,
    ).toBe('insufficient_scope');
  });
});
