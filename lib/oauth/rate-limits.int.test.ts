import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { resetEnvCache } from '@/lib/env';
import { rateLimitStoreReady } from '@/lib/rate-limit';
import { createTestOrg } from '@/lib/testing/factories';
import { basic, createAccount, createClientSecret, formRequest, tokenEvents } from '@/lib/testing/oauth-factories';
import { createTokenRateLimits } from './rate-limits';
import { resetTokenLimiters } from './token-service';

/**
 * Issue 10 item 4: a key id is no secret, so wrong-secret requests from anywhere must not spend
 * the real client's budget (today ~600 of them lock it out everywhere for a minute).
 */

const ENV = [
  'TOKEN_RATE_LIMIT_PER_CLIENT',
  'TOKEN_RATE_LIMIT_PER_IP',
  'TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS',
  'TOKEN_FAILURE_LIMIT_PER_IP',
  'REDIS_URL',
  'REDIS_KEY_PREFIX',
] as const;

afterEach(() => {
  for (const name of ENV) delete process.env[name];
  resetEnvCache();
  resetTokenLimiters();
});

function limits(values: Partial<Record<(typeof ENV)[number], string>>) {
  Object.assign(process.env, values);
  resetEnvCache();
  resetTokenLimiters();
}

async function clientCredentials(id: string, secret: string, ip: string) {
  const res = await tokenRoute(
    formRequest('/api/oauth/token', { grant_type: 'client_credentials' }, { authorization: basic(id, secret), ip }),
  );
  return { status: res.status, body: (await res.json()) as { error?: string } };
}

async function setup() {
  const org = await createTestOrg();
  const account = await createAccount(org);
  return { org, secret: await createClientSecret(account) };
}

const WRONG = 'lk_cs_wrong';

describe('token service rate limits', () => {
  it('wrong secrets sent for a key id from other addresses never lock the real client out', async () => {
    limits({ TOKEN_RATE_LIMIT_PER_CLIENT: '20', TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS: '5' });
    const { org, secret } = await setup();
    // 40 failures from one address, then 5 each from 8 more: twice the client's whole budget.
    const attacker = [];
    for (let i = 0; i < 40; i++) attacker.push((await clientCredentials(secret.id, WRONG, '198.51.100.66')).status);
    expect(attacker.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(attacker.slice(5))).toEqual(new Set([429]));
    for (let a = 1; a <= 8; a++)
      for (let i = 0; i < 5; i++)
        expect((await clientCredentials(secret.id, WRONG, `203.0.113.${a}`)).status).toBe(401);

    // The real client, from its own address, has its whole budget: 20 successes, then 429.
    for (let i = 0; i < 20; i++)
      expect((await clientCredentials(secret.id, secret.secret, '192.0.2.10')).status).toBe(200);
    const over = await clientCredentials(secret.id, secret.secret, '192.0.2.10');
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('slow_down');
    // Even the right secret is refused from the address that kept failing (it guessed too often).
    expect((await clientCredentials(secret.id, secret.secret, '198.51.100.66')).status).toBe(429);
    const reasons = (await tokenEvents(null)).map((e) => (e.details as { reason?: string }).reason);
    expect(reasons).toContain('rate_limited_client_failures');
    expect((await tokenEvents(org.id)).length).toBeGreaterThan(0);
  });

  it('failed attempts have a lower threshold than successful traffic, and an address spraying key ids is stopped', async () => {
    limits({ TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS: '3', TOKEN_FAILURE_LIMIT_PER_IP: '10' });
    const { secret } = await setup();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await clientCredentials(secret.id, WRONG, '198.51.100.7')).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Ten failures over many key ids from one address, then that address is refused for any key id.
    for (let i = 0; i < 8; i++) await clientCredentials(`kid_${randomBytes(8).toString('hex')}`, WRONG, '198.51.100.8');
    for (let i = 0; i < 2; i++) await clientCredentials(`kid_${randomBytes(8).toString('hex')}`, WRONG, '198.51.100.8');
    expect((await clientCredentials(secret.id, secret.secret, '198.51.100.8')).status).toBe(429);
    // The client's own traffic from another address is unaffected.
    for (let i = 0; i < 10; i++)
      expect((await clientCredentials(secret.id, secret.secret, '192.0.2.20')).status).toBe(200);
  });

  it('failed introspection callers count like failed token requests', async () => {
    limits({ TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS: '2' });
    const { secret } = await setup();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await introspectRoute(
        formRequest(
          '/api/oauth/introspect',
          { token: 'x' },
          { authorization: basic(secret.id, WRONG), ip: '198.51.100.9' },
        ),
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    expect((await clientCredentials(secret.id, secret.secret, '192.0.2.30')).status).toBe(200);
  });

  it('with REDIS_URL, two instances share the counters', async () => {
    limits({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `lk-test-${randomBytes(6).toString('hex')}`,
      TOKEN_RATE_LIMIT_PER_CLIENT: '4',
      TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS: '2',
    });
    await rateLimitStoreReady();
    const [a, b] = [createTokenRateLimits(), createTokenRateLimits()];
    await a.admit('198.51.100.1', 'kid_shared');
    await a.settled('198.51.100.1', 'kid_shared', 'failure');
    await b.settled('198.51.100.1', 'kid_shared', 'failure');
    await expect(b.admit('198.51.100.1', 'kid_shared')).rejects.toMatchObject({
      reason: 'rate_limited_client_failures',
    });
    await expect(a.admit('198.51.100.1', 'kid_shared')).rejects.toMatchObject({
      reason: 'rate_limited_client_failures',
    });
    // The same key id from another address is not affected; its successes are shared too.
    for (const limitsOf of [a, b, a, b]) {
      await limitsOf.admit('192.0.2.1', 'kid_shared');
      await limitsOf.settled('192.0.2.1', 'kid_shared', 'success');
    }
    await expect(b.admit('192.0.2.1', 'kid_shared')).rejects.toMatchObject({ reason: 'rate_limited_client' });

    // And the real endpoint counts in Redis: the process's own limits see what `a` counted.
    const { secret } = await setup();
    await a.settled('198.51.100.2', secret.id, 'failure');
    await a.settled('198.51.100.2', secret.id, 'failure');
    expect((await clientCredentials(secret.id, secret.secret, '198.51.100.2')).status).toBe(429);
    expect((await clientCredentials(secret.id, secret.secret, '192.0.2.2')).status).toBe(200);
  });
});
