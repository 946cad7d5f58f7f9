import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { expect, test } from './fixtures';

// The production server (scripts/server.ts) answers the token service's routes on its fast path,
// outside Next.js: the address rules must hold there exactly as in the Next routes. The socket
// peer is the client; X-Forwarded-For (no trusted proxy is configured here) and a client-sent
// X-Latchkey-Peer-IP are ignored.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

async function seed(): Promise<{ accountId: string; secret: { id: string; secret: string } }> {
  const { stdout } = await run(path.join(root, 'node_modules/.bin/tsx'), ['--conditions=react-server', 'lib/testing/oauth-seed.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      NEXTAUTH_SECRET: 'e2e-only-secret-e2e-only-secret-e2e-only',
      LATCHKEY_MASTER_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
      LOG_LEVEL: 'silent',
    },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { accountId: string; secret: { id: string; secret: string } };
}

async function setAllowList(accountId: string, ranges: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query('UPDATE service_accounts SET ip_allow_list = $1 WHERE id = $2', [ranges, accountId]);
  } finally {
    await client.end();
  }
}

test('the token endpoint takes the caller address from the socket, never from spoofable headers', async ({ request }) => {
  const s = await seed();
  const authorization = `Basic ${Buffer.from(`${s.secret.id}:${s.secret.secret}`).toString('base64')}`;
  const spoof = { authorization, 'x-forwarded-for': '203.0.113.7', 'x-latchkey-peer-ip': '203.0.113.7' };

  await setAllowList(s.accountId, ['203.0.113.7/32']);
  const refused = await request.post('/api/oauth/token', { form: { grant_type: 'client_credentials' }, headers: spoof });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({ error: 'unauthorized_client' });
  expect(refused.headers()['cache-control']).toBe('no-store');

  await setAllowList(s.accountId, ['127.0.0.1/32', '::1/128']);
  const issued = await request.post('/api/oauth/token', { form: { grant_type: 'client_credentials' }, headers: spoof });
  expect(issued.status()).toBe(200);
  expect(issued.headers()).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
  expect(await issued.json()).toMatchObject({ token_type: 'Bearer' });
});
