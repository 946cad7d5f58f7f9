import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { createTestOrg } from '@/lib/testing/factories';
import { basic, createAccount, createClientSecret, jsonRequest } from '@/lib/testing/oauth-factories';

/**
 * Issue 10 item 0, in one process as the production server has it: two copies of lib/ (here:
 * the module graph imported twice, with vi.resetModules in between), one serving the fast path
 * (node-mount), the other a Next route handler. State shared between them through globalThis
 * handed one copy the other's class instances: after a suspension the copy whose audit writer
 * was the other's answered 500 (its `instanceof StaleCredential` failed) and kept its stale
 * cached secret. In production mode the copies share nothing (lib/process-state.ts).
 */

type Mount = typeof import('./node-mount');
type RestApiRoute = typeof import('@/app/compat/restapi/System/UserAccount/route');
let server: Server;
let base: string;
let restApi: RestApiRoute['POST'];

beforeAll(async () => {
  vi.stubEnv('NODE_ENV', 'production');
  resetEnvCache();
  vi.resetModules();
  const mount = (await import('./node-mount')) as Mount;
  vi.resetModules();
  restApi = ((await import('@/app/compat/restapi/System/UserAccount/route')) as RestApiRoute).POST;
  server = createServer(mount.oauthListener((_req, res) => res.writeHead(418).end(), {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe('two copies of lib/ in one process', () => {
  it('both answer a suspension and a disabled secret alike, never with a 500, whichever copy cached what', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const fast = async () =>
      (
        await fetch(`${base}/api/oauth/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basic(secret.id, secret.secret),
          },
          body: 'grant_type=client_credentials',
        })
      ).status;
    const next = async () =>
      (
        await restApi(
          jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret: secret.secret }),
        )
      ).status;
    const both = async () => [await fast(), await next(), await fast(), await next()];

    // The fast path's copy writes first, then Next's: each caches the secret.
    expect(await both()).toEqual([200, 200, 200, 200]);
    await db.serviceAccount.update({
      where: { id: account.id },
      data: { status: 'SUSPENDED', suspendedAt: new Date(), tokensValidAfter: new Date() },
    });
    expect(await both()).toEqual([401, 403, 401, 403]);
    await db.serviceAccount.update({ where: { id: account.id }, data: { status: 'ACTIVE', suspendedAt: null } });
    expect(await both()).toEqual([200, 200, 200, 200]);
    await db.clientSecret.update({ where: { id: secret.id }, data: { status: 'DISABLED' } });
    expect(await both()).toEqual([401, 401, 401, 401]);
  });
});
