import { afterEach, describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { resetTokenLimiters } from '@/lib/oauth/token-service';
import { createTokenEventLog } from '@/lib/oauth/usage-log';
import { rotateClientSecret } from '@/lib/credentials/rotate-client-secret';
import { setCredentialStatus } from '@/lib/credentials/set-credential-status';
import {
  reactivateServiceAccount,
  revokeServiceAccount,
  suspendServiceAccount,
} from '@/lib/service-accounts/set-service-account-status';
import {
  createAccount,
  createClientSecret,
  createClientTokenPair,
  formRequest,
  basic,
} from '@/lib/testing/oauth-factories';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { rotateClientSecretInput } from '@/lib/service-accounts/schema';

/**
 * Lifecycle changes racing token traffic (issue 10). Each test runs the real token endpoint
 * (this process's audit writer) alongside a second writer (createTokenEventLog, a second
 * instance's group commit on the same database) while an administrator acts: nothing may
 * answer 500, the administrator's change must commit in one call, and it must hold on the
 * very next request.
 */

afterEach(() => {
  delete process.env.TOKEN_RATE_LIMIT_PER_CLIENT;
  delete process.env.TOKEN_RATE_LIMIT_PER_IP;
  resetEnvCache();
  resetTokenLimiters();
});

function generousLimits() {
  process.env.TOKEN_RATE_LIMIT_PER_CLIENT = '100000';
  process.env.TOKEN_RATE_LIMIT_PER_IP = '100000';
  resetEnvCache();
  resetTokenLimiters();
}

async function clientCredentials(secret: { id: string; secret: string }) {
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(secret.id, secret.secret) },
    ),
  );
  return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
}

/** Fires `n` token requests and `n / 4` second-instance batches touching the same account. */
function traffic(
  secret: { id: string; secret: string },
  account: { id: string; organizationId: string },
  other: ReturnType<typeof createTokenEventLog>,
  n: number,
) {
  const requests = Array.from({ length: n }, () => clientCredentials(secret));
  const batches = Array.from({ length: Math.ceil(n / 4) }, (_, i) =>
    other.record(
      {
        organizationId: account.organizationId,
        actor: { type: 'SYSTEM', id: null, label: 'instance-b' },
        action: 'token.issued',
        details: { i },
      },
      {
        kind: 'client_secret',
        credentialId: secret.id,
        serviceAccountId: account.id,
        ip: '203.0.113.9',
        at: new Date(),
      },
    ),
  );
  return { requests: Promise.all(requests), batches: Promise.allSettled(batches) };
}

describe('administrators act while clients request tokens', () => {
  it('suspending an account under 8-100 token requests in flight always commits, never deadlocks, and holds on the next request', async () => {
    generousLimits();
    const { org, adminCtx } = await orgWithRoles();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const other = createTokenEventLog();
    for (const n of [8, 30, 100]) {
      for (let round = 0; round < 3; round++) {
        const load = traffic(secret, account, other, n);
        // Let part of the load reach the database before the administrator acts.
        await new Promise((r) => setTimeout(r, 5 * round));
        const suspended = await suspendServiceAccount(adminCtx, account.id);
        expect(suspended.status).toBe('SUSPENDED');
        const answers = await load.requests;
        expect(answers.filter((a) => a.status >= 500)).toEqual([]);
        expect((await load.batches).filter((s) => s.status === 'rejected')).toEqual([]);
        const next = await clientCredentials(secret);
        expect(next.status).toBe(400);
        expect(next.body.error).toBe('unauthorized_client');
        await reactivateServiceAccount(adminCtx, account.id);
      }
    }
    expect((await db.serviceAccount.findUniqueOrThrow({ where: { id: account.id } })).lastUsedAt).not.toBeNull();
  });

  it('disabling, rotating a secret and revoking the account under load always commit and hold on the next request', async () => {
    generousLimits();
    const { org, adminCtx } = await orgWithRoles();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    await createClientTokenPair(account);
    const other = createTokenEventLog();
    for (let round = 0; round < 3; round++) {
      let load = traffic(secret, account, other, 60);
      await setCredentialStatus(adminCtx, 'client_secret', account.id, secret.id, 'DISABLED');
      expect((await load.requests).filter((a) => a.status >= 500)).toEqual([]);
      expect((await load.batches).filter((s) => s.status === 'rejected')).toEqual([]);
      expect((await clientCredentials(secret)).status).toBe(401);
      await setCredentialStatus(adminCtx, 'client_secret', account.id, secret.id, 'ENABLED');

      load = traffic(secret, account, other, 60);
      const rotated = await rotateClientSecret(
        adminCtx,
        account.id,
        secret.id,
        rotateClientSecretInput.parse({ gracePeriodHours: 0 }),
      );
      expect(rotated.previous.id).toBe(secret.id);
      expect((await load.requests).filter((a) => a.status >= 500)).toEqual([]);
      expect((await load.batches).filter((s) => s.status === 'rejected')).toEqual([]);
      // The rotated-out secret (no grace period) is expired from the next request on.
      expect((await clientCredentials(secret)).status).toBe(401);
      const fresh = { id: rotated.clientSecret.id, secret: rotated.secret };
      expect((await clientCredentials(fresh)).status).toBe(200);
      Object.assign(secret, fresh);
    }
    const load = traffic(secret, account, other, 60);
    const revoked = await revokeServiceAccount(adminCtx, account.id, account.name);
    expect(revoked.status).toBe('REVOKED');
    expect((await load.requests).filter((a) => a.status >= 500)).toEqual([]);
    expect((await load.batches).filter((s) => s.status === 'rejected')).toEqual([]);
    expect((await clientCredentials(secret)).status).toBeGreaterThanOrEqual(400);
    expect((await clientCredentials(secret)).status).toBeLessThan(500);
  });
});
