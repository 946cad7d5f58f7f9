import pg from 'pg';
import { expect, seedOAuth as seed, test } from './fixtures';

// The production server (scripts/server.ts) answers the token service's routes on its fast path,
// outside Next.js: the address rules must hold there exactly as in the Next routes. The socket
// peer is the client; X-Forwarded-For (no trusted proxy is configured here) and a client-sent
// X-Latchkey-Peer-IP are ignored.

async function setAllowList(accountId: string, ranges: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query('UPDATE service_accounts SET ip_allow_list = $1 WHERE id = $2', [ranges, accountId]);
  } finally {
    await client.end();
  }
}

test('the token endpoint takes the caller address from the socket, never from spoofable headers', async ({
  request,
}) => {
  const s = await seed();
  const authorization = `Basic ${Buffer.from(`${s.secret.id}:${s.secret.secret}`).toString('base64')}`;
  const spoof = { authorization, 'x-forwarded-for': '203.0.113.7', 'x-latchkey-peer-ip': '203.0.113.7' };

  await setAllowList(s.accountId, ['203.0.113.7/32']);
  const refused = await request.post('/api/oauth/token', {
    form: { grant_type: 'client_credentials' },
    headers: spoof,
  });
  // A disallowed address is refused like any failed client authentication (issue 9: no oracle).
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
  expect(refused.headers()['cache-control']).toBe('no-store');

  await setAllowList(s.accountId, ['127.0.0.1/32', '::1/128']);
  const issued = await request.post('/api/oauth/token', { form: { grant_type: 'client_credentials' }, headers: spoof });
  expect(issued.status()).toBe(200);
  expect(issued.headers()).toMatchObject({
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
  expect(await issued.json()).toMatchObject({ token_type: 'Bearer' });
});

async function sql(text: string, values: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

// Issue 10 item 0: the production server runs lib/ in two places (the fast path and Next's
// bundle). A lifecycle change must be answered alike by the token service on every route, never
// with a 500, whichever copy cached what. The changes are written as the console's domain
// functions write them (lib/service-accounts/set-service-account-status.ts,
// lib/credentials/set-credential-status.ts, rotate-client-secret.ts).
test('both mounts of the production server answer a lifecycle change alike, never with a 500', async ({ request }) => {
  test.setTimeout(60_000);
  const s = await seed();
  const authorization = `Basic ${Buffer.from(`${s.secret.id}:${s.secret.secret}`).toString('base64')}`;
  const standard = () =>
    request.post('/api/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization } });
  const restapi = () =>
    request.post('/compat/restapi/System/UserAccount', {
      data: { clientId: s.secret.id, clientSecret: s.secret.secret },
    });
  async function statuses(times = 4): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < times; i++) {
      seen.push((await standard()).status(), (await restapi()).status());
      await new Promise((r) => setTimeout(r, 50));
    }
    return seen;
  }
  const nextSecond = () => new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));

  // Both routes issue, and each copy now holds the secret in its cache.
  expect(await statuses()).toEqual(Array(8).fill(200));

  await sql(
    `UPDATE service_accounts SET status = 'SUSPENDED', suspended_at = now(), tokens_valid_after = now() WHERE id = $1`,
    [s.accountId],
  );
  // The standard endpoint answers 401 invalid_client (as for any failed authentication), RestAPI.com's shape 403.
  expect(await statuses()).toEqual(Array(4).fill([401, 403]).flat());

  await sql(`UPDATE service_accounts SET status = 'ACTIVE', suspended_at = NULL WHERE id = $1`, [s.accountId]);
  await nextSecond();
  expect(await statuses()).toEqual(Array(8).fill(200));

  await sql(`UPDATE client_secrets SET status = 'DISABLED', tokens_valid_after = now() WHERE id = $1`, [s.secret.id]);
  expect(await statuses()).toEqual(Array(8).fill(401));

  await sql(`UPDATE client_secrets SET status = 'ENABLED' WHERE id = $1`, [s.secret.id]);
  expect(await statuses()).toEqual(Array(8).fill(200));
  // Rotated with no grace period: the old secret expires now.
  await sql(`UPDATE client_secrets SET expires_at = now() WHERE id = $1`, [s.secret.id]);
  expect(await statuses()).toEqual(Array(8).fill(401));

  // Every refusal is in the audit log, on both routes, with its reason.
  const refused = await sql(
    `SELECT details->>'reason' AS reason, details->>'endpoint' AS endpoint, count(*)::int AS n FROM audit_events
     WHERE action = 'token.refused' AND details->>'client_id' = $1 GROUP BY 1, 2`,
    [s.secret.id],
  );
  const rows = refused.rows as Array<{ reason: string; endpoint: string; n: number }>;
  expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(24);
  expect(rows.filter((r) => r.reason === 'account_suspended').map((r) => [r.endpoint, r.n])).toEqual(
    expect.arrayContaining([
      ['/api/oauth/token', 4],
      ['/compat/restapi/System/UserAccount', 4],
    ]),
  );
});

// Issue 10 items 4 and 5: both routes draw on one set of limits (the token service runs in one
// copy of lib/), and a throttled vendor flow answers 429 in its vendor's shape, never 500.
test('the standard and the compat routes share one failure budget per client and address, and throttle in shape', async ({
  request,
}) => {
  const s = await seed();
  const wrongBasic = `Basic ${Buffer.from(`${s.secret.id}:lk_cs_wrong`).toString('base64')}`;
  const seen: number[] = [];
  // TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS is 30 by default: 20 failures here, 10 there.
  for (let i = 0; i < 20; i++)
    seen.push(
      (
        await request.post('/api/oauth/token', {
          form: { grant_type: 'client_credentials' },
          headers: { authorization: wrongBasic },
        })
      ).status(),
    );
  for (let i = 0; i < 10; i++)
    seen.push(
      (
        await request.post('/compat/restapi/System/UserAccount', {
          data: { clientId: s.secret.id, clientSecret: 'lk_cs_wrong' },
        })
      ).status(),
    );
  expect(seen).toEqual(Array(30).fill(401));
  const throttled = await request.post('/compat/restapi/System/UserAccount', {
    data: { clientId: s.secret.id, clientSecret: s.secret.secret },
  });
  expect(throttled.status()).toBe(429);
  expect(Number(throttled.headers()['retry-after'])).toBeGreaterThan(0);
  expect(await throttled.json()).toEqual({ status: 429, message: expect.any(String) });
});
