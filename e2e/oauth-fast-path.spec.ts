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
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({ error: 'unauthorized_client' });
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
