import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { dpopKey, dpopProof } from '@/lib/testing/dpop';
import { createTestOrg } from '@/lib/testing/factories';
import { basic, createAccount, createClientSecret } from '@/lib/testing/oauth-factories';

/**
 * A DPoP proof's jti is single use on every instance (RFC 9449 §11.1): two instances of the
 * token service behind one public URL (here: two copies of lib/, loaded as the production server
 * loads its second copy, see two-copies.int.test.ts, each behind its own HTTP server) share no
 * memory, only the replay store: PostgreSQL, or Redis when REDIS_URL is set.
 */

const ISSUER = 'https://latchkey.example';
type Mount = typeof import('./node-mount');
let servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  vi.unstubAllEnvs();
  resetEnvCache();
});

/** instances starts two copies of the token service, each with its own module state, and returns their URLs. */
async function instances(env: Record<string, string>): Promise<string[]> {
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('LATCHKEY_ISSUER', ISSUER);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  resetEnvCache();
  const urls: string[] = [];
  for (let i = 0; i < 2; i++) {
    vi.resetModules();
    const mount = (await import('./node-mount')) as Mount;
    const server = createServer(mount.oauthListener((_req, res) => res.writeHead(404).end(), {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return urls;
}

async function tokenRequest(base: string, auth: string, proof: string) {
  const res = await fetch(`${base}/api/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth, dpop: proof },
    body: 'grant_type=client_credentials',
  });
  return { status: res.status, body: (await res.json()) as { token_type?: string; error_description?: string } };
}

describe.each([
  ['PostgreSQL', {}],
  ['Redis', { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `dpop-instances-${process.pid}-${Date.now()}` }],
])('a DPoP proof replayed at another instance (%s replay store)', (_store, env: Record<string, string>) => {
  it('is refused there; a fresh proof works at both (positive control)', async () => {
    const [a, b] = await instances(env);
    const org = await createTestOrg();
    const secret = await createClientSecret(await createAccount(org));
    const auth = basic(secret.id, secret.secret);
    const key = await dpopKey();
    const htu = `${ISSUER}/api/oauth/token`;

    const proof = await dpopProof(key, { htu });
    const first = await tokenRequest(a ?? '', auth, proof);
    expect(first.status).toBe(200);
    expect(first.body.token_type).toBe('DPoP');
    const replay = await tokenRequest(b ?? '', auth, proof);
    expect(replay.status).toBe(400);
    expect(replay.body.error_description).toMatch(/used already/);

    for (const base of [a, b])
      expect((await tokenRequest(base ?? '', auth, await dpopProof(key, { htu }))).status).toBe(200);

    // Parallel: the same proof at both instances at once gets one token at most.
    const racing = await dpopProof(key, { htu });
    const statuses = (await Promise.all([a, b].map((base) => tokenRequest(base ?? '', auth, racing)))).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([200, 400]);
  });
});
