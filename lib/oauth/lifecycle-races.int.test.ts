import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { logger } from '@/lib/logger';
import { authenticateManagementBearer } from '@/lib/oauth/management-bearer';
import { resetTokenLimiters } from '@/lib/oauth/token-service';
import { createTokenEventLog } from '@/lib/audit/token-event-writer';
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

// Item 11: a 5xx anywhere in the token service fails these tests, even one no assertion sees
// (the token service logs every 5xx with its request id and cause: lib/oauth/errors.ts).
let logSpies: Array<ReturnType<typeof vi.spyOn>> = [];
beforeEach(() => {
  logSpies = [vi.spyOn(logger, 'error'), vi.spyOn(logger, 'warn')];
});
afterEach(() => {
  const serverErrors = logSpies.flatMap((spy) => spy.mock.calls).filter((call) => call[1] === 'token service failed');
  vi.restoreAllMocks();
  expect(serverErrors).toEqual([]);
});

afterEach(() => {
  delete process.env.TOKEN_RATE_LIMIT_PER_CLIENT;
  delete process.env.TOKEN_RATE_LIMIT_PER_IP;
  delete process.env.TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS;
  delete process.env.TOKEN_FAILURE_LIMIT_PER_IP;
  resetEnvCache();
  resetTokenLimiters();
});

function generousLimits() {
  process.env.TOKEN_RATE_LIMIT_PER_CLIENT = '100000';
  process.env.TOKEN_RATE_LIMIT_PER_IP = '100000';
  process.env.TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS = '100000';
  process.env.TOKEN_FAILURE_LIMIT_PER_IP = '100000';
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
        expect(next.status).toBe(401);
        expect(next.body.error).toBe('invalid_client');
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

async function tokenWith(params: Record<string, string>, authorization?: string) {
  const res = await tokenRoute(formRequest('/api/oauth/token', params, authorization ? { authorization } : {}));
  return {
    status: res.status,
    body: (await res.json()) as { access_token?: string; refresh_token?: string; error?: string },
  };
}

async function active(caller: { id: string; secret: string }, token: string): Promise<boolean> {
  const res = await introspectRoute(
    formRequest('/api/oauth/introspect', { token }, { authorization: basic(caller.id, caller.secret) }),
  );
  return ((await res.json()) as { active: boolean }).active;
}

const META = { requestId: 'test', ip: '127.0.0.1', userAgent: 'vitest' };

/** Waits for the next whole second, so that a token issued now has a later iat than anything before. */
async function nextSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
}

describe('reactivation and re-enabling never bring back older tokens', () => {
  it('an account suspended and reactivated: its earlier access, exchanged and refresh tokens stay dead; new ones work', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createAccount(org, { isAdmin: true, scopes: ['TILE', 'MATRIX', 'read:service_accounts'] });
    const secret = await createClientSecret(account);
    const web = await createAccount(org, { platform: 'WEB', scopes: ['TILE'] });
    const pair = await createClientTokenPair(web);
    const caller = await createClientSecret(await createAccount(org));
    const old = (await clientCredentials(secret)).body.access_token ?? '';
    const exchanged =
      (
        await tokenWith(
          {
            grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
            subject_token: old,
            subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
            scope: 'TILE',
          },
          basic(secret.id, secret.secret),
        )
      ).body.access_token ?? '';
    const first = await tokenWith({
      grant_type: 'client_credentials',
      client_id: pair.clientToken,
      client_secret: pair.serverToken,
    });
    expect(first.status).toBe(200);
    expect(await active(caller, old)).toBe(true);
    expect(await active(caller, exchanged)).toBe(true);
    expect(await authenticateManagementBearer(old, META)).not.toBeNull();

    // Suspended in the same second as the issuance (the usual case in this test): still dead.
    await suspendServiceAccount(adminCtx, account.id);
    await suspendServiceAccount(adminCtx, web.id);
    await reactivateServiceAccount(adminCtx, account.id);
    await reactivateServiceAccount(adminCtx, web.id);
    expect(await active(caller, old)).toBe(false);
    expect(await active(caller, exchanged)).toBe(false);
    expect(await active(caller, first.body.access_token ?? '')).toBe(false);
    expect(await authenticateManagementBearer(old, META)).toBeNull();
    const refreshed = await tokenWith({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token ?? '',
      client_id: pair.clientToken,
      client_secret: pair.serverToken,
    });
    expect(refreshed.body.error).toBe('invalid_grant');

    await nextSecond();
    const fresh = (await clientCredentials(secret)).body.access_token ?? '';
    expect(await active(caller, fresh)).toBe(true);
    expect(await authenticateManagementBearer(fresh, META)).not.toBeNull();
    const again = await tokenWith({
      grant_type: 'client_credentials',
      client_id: pair.clientToken,
      client_secret: pair.serverToken,
    });
    expect(again.status).toBe(200);
    expect(await active(caller, again.body.access_token ?? '')).toBe(true);
  });

  it('a secret and a token pair disabled and enabled again: tokens they obtained before stay dead', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const web = await createAccount(org, { platform: 'WEB', scopes: ['TILE'] });
    const pair = await createClientTokenPair(web);
    const caller = await createClientSecret(await createAccount(org));
    const old = (await clientCredentials(secret)).body.access_token ?? '';
    const first = await tokenWith({
      grant_type: 'client_credentials',
      client_id: pair.clientToken,
      client_secret: pair.serverToken,
    });
    expect(await active(caller, old)).toBe(true);

    await setCredentialStatus(adminCtx, 'client_secret', account.id, secret.id, 'DISABLED');
    await setCredentialStatus(adminCtx, 'client_secret', account.id, secret.id, 'ENABLED');
    await setCredentialStatus(adminCtx, 'client_token_pair', web.id, pair.id, 'DISABLED');
    await setCredentialStatus(adminCtx, 'client_token_pair', web.id, pair.id, 'ENABLED');
    expect(await active(caller, old)).toBe(false);
    expect(await active(caller, first.body.access_token ?? '')).toBe(false);
    expect(
      (
        await tokenWith({
          grant_type: 'refresh_token',
          refresh_token: first.body.refresh_token ?? '',
          client_id: pair.clientToken,
          client_secret: pair.serverToken,
        })
      ).body.error,
    ).toBe('invalid_grant');

    await nextSecond();
    const fresh = (await clientCredentials(secret)).body.access_token ?? '';
    expect(await active(caller, fresh)).toBe(true);
  });
});
