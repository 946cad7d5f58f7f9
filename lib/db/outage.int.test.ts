import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestOrg } from '@/lib/testing/factories';
import { basic, createAccount, createClientSecret, formRequest, jsonRequest } from '@/lib/testing/oauth-factories';

/**
 * Issue 11 item 7: a database outage under a running server. A second copy of lib/ (as a
 * second server process has it: vi.resetModules, NODE_ENV=production) talks to PostgreSQL
 * through a TCP proxy on loopback; closing the proxy is the outage, opening it again the
 * recovery. Every surface must answer 503 with Retry-After in its own shape (never 500), issue
 * nothing, and serve again once the database is back, without a restart.
 */

class Proxy {
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

type Routes = {
  token: (r: Request) => Promise<Response>;
  accounts: (r: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
  restApi: (r: Request) => Promise<Response>;
};
let proxy: Proxy;
let routes: Routes;

beforeAll(async () => {
  const real = new URL(process.env.DATABASE_URL ?? '');
  proxy = new Proxy({ host: real.hostname, port: Number(real.port || 5432) });
  await proxy.open();
  const viaProxy = new URL(real);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  // The second copy reads (and caches) its settings now, while they name the proxy; this
  // copy (the test's own factories) keeps the real database.
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('DATABASE_URL', viaProxy.toString());
  vi.resetModules();
  const [token, accounts, restApi, copyEnv] = await Promise.all([
    import('@/app/api/oauth/token/route'),
    import('@/app/api/v1/service-accounts/route'),
    import('@/app/compat/restapi/System/UserAccount/route'),
    import('@/lib/env'),
  ]);
  copyEnv.resetEnvCache();
  expect(copyEnv.env().DATABASE_URL).toBe(viaProxy.toString());
  routes = {
    token: token.POST,
    accounts: accounts.GET as Routes['accounts'],
    restApi: restApi.POST,
  };
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await proxy.close().catch(() => undefined);
});

describe('the database stops under a running server', () => {
  it('every surface answers 503 with Retry-After in its own shape, and serves again once it is back', async () => {
    const org = await createTestOrg();
    const admin = await createAccount(org, { isAdmin: true, scopes: ['read:service_accounts'] });
    const secret = await createClientSecret(admin);
    const token = () =>
      routes.token(
        formRequest(
          '/api/oauth/token',
          { grant_type: 'client_credentials' },
          { authorization: basic(secret.id, secret.secret) },
        ),
      );
    const restApi = () =>
      routes.restApi(
        jsonRequest('/compat/restapi/System/UserAccount', { clientId: secret.id, clientSecret: secret.secret }),
      );
    const first = await token();
    expect(first.status).toBe(200);
    const bearer = ((await first.json()) as { access_token: string }).access_token;
    const accounts = () =>
      routes.accounts(
        new Request('http://localhost:3000/api/v1/service-accounts', {
          headers: { authorization: `Bearer ${bearer}` },
        }),
        { params: Promise.resolve({}) },
      );
    expect((await accounts()).status).toBe(200);
    expect((await restApi()).status).toBe(200);

    await proxy.close();
    const down = await token();
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toMatchObject({ error: 'temporarily_unavailable' });
    // A second request, the cached secret's path included, fails closed the same way.
    expect((await token()).status).toBe(503);
    const api = await accounts();
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(await api.json()).toMatchObject({ code: 'service_unavailable', status: 503 });
    const compat = await restApi();
    expect(compat.status).toBe(503);
    expect(compat.headers.get('retry-after')).toBe('5');
    expect(await compat.json()).toMatchObject({ status: 503 });

    await proxy.open();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 200; i++) {
      recovered = (await token()).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(200);
    expect((await accounts()).status).toBe(200);
    expect((await restApi()).status).toBe(200);
  });
});
