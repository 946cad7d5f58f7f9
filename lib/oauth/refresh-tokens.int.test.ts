import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { createTestOrg } from '@/lib/testing/factories';
import {
  basic,
  createAccount,
  createClientSecret,
  createClientTokenPair,
  formRequest,
  tokenEvents,
} from '@/lib/testing/oauth-factories';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';

/**
 * Refresh tokens and RFC 7009 revocation between clients and instances (issue 10 items 1, 6, 7
 * and 9). Two instances on one database: two copies of lib/ (vi.resetModules between the
 * imports; NODE_ENV=production so that they share no process state, lib/process-state.ts), each
 * with its own connection pools, caches and audit writer, as two servers have them.
 */

type Routes = {
  token: (r: Request) => Promise<Response>;
  revoke: (r: Request) => Promise<Response>;
  introspect: (r: Request) => Promise<Response>;
  resetEnv: () => void;
};
let a: Routes;
let b: Routes;

async function instance(): Promise<Routes> {
  vi.resetModules();
  const [token, revoke, introspect, envModule] = await Promise.all([
    import('@/app/api/oauth/token/route'),
    import('@/app/api/oauth/revoke/route'),
    import('@/app/api/oauth/introspect/route'),
    import('@/lib/env'),
  ]);
  return { token: token.POST, revoke: revoke.POST, introspect: introspect.POST, resetEnv: envModule.resetEnvCache };
}

beforeAll(async () => {
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('TOKEN_RATE_LIMIT_PER_CLIENT', '100000');
  vi.stubEnv('TOKEN_RATE_LIMIT_PER_IP', '100000');
  vi.stubEnv('TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS', '100000');
  vi.stubEnv('TOKEN_FAILURE_LIMIT_PER_IP', '100000');
  resetEnvCache();
  a = await instance();
  b = await instance();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});
/** setEnv changes a setting on both instances (each copy of lib/ caches its own env). */
function setEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  for (const on of [a, b]) on.resetEnv();
  resetEnvCache();
}
afterEach(() => setEnv('REFRESH_TOKEN_FAMILY_LIFETIME_DAYS', undefined));

type Pair = { id: string; clientToken: string; serverToken: string };
type Body = { access_token?: string; refresh_token?: string; error?: string; active?: boolean };
const asPair = (pair: Pair) => basic(pair.clientToken, pair.serverToken);

async function call(
  route: (r: Request) => Promise<Response>,
  path: string,
  params: Record<string, string>,
  auth?: string,
) {
  const res = await route(formRequest(path, params, auth ? { authorization: auth } : {}));
  return { status: res.status, body: (await res.json()) as Body };
}
const issue = (on: Routes, pair: Pair) =>
  call(on.token, '/api/oauth/token', { grant_type: 'client_credentials' }, asPair(pair));
const refresh = (on: Routes, refreshToken: string, auth?: string) =>
  call(on.token, '/api/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, auth);
const revoke = (on: Routes, tokenValue: string, auth: string, extra: Record<string, string> = {}) =>
  call(on.revoke, '/api/oauth/revoke', { token: tokenValue, ...extra }, auth);
const introspect = async (on: Routes, tokenValue: string, auth: string) =>
  (await call(on.introspect, '/api/oauth/introspect', { token: tokenValue }, auth)).body;

async function pairSetup(org?: Awaited<ReturnType<typeof createTestOrg>>) {
  const o = org ?? (await createTestOrg());
  const account = await createAccount(o, { platform: 'WEB', scopes: ['TILE'] });
  const pair = await createClientTokenPair(account);
  const first = await issue(a, pair);
  expect(first.status).toBe(200);
  const secret = await createClientSecret(account);
  return { org: o, account, pair, first, resourceServer: basic(secret.id, secret.secret) };
}

describe('revocation racing a refresh of the same token, on two instances (item 1)', () => {
  it('after the revocation answers, nothing derived from the refresh token is active, whichever commits first', async () => {
    const org = await createTestOrg();
    let refreshWon = 0;
    for (let trial = 0; trial < 30; trial++) {
      const { pair, first, resourceServer } = await pairSetup(org);
      const rt = first.body.refresh_token ?? '';
      // Instance A rotates while instance B revokes the very same token.
      const [rotated, revoked] = await Promise.all([refresh(a, rt, asPair(pair)), revoke(b, rt, asPair(pair))]);
      expect(revoked.status).toBe(200);
      expect([200, 400]).toContain(rotated.status);
      if (rotated.status === 200) refreshWon++;
      for (const on of [a, b]) {
        expect(await introspect(on, first.body.access_token ?? '', resourceServer)).toEqual({ active: false });
        expect(await introspect(on, rt, asPair(pair))).toEqual({ active: false });
        if (rotated.status === 200) {
          expect(await introspect(on, rotated.body.access_token ?? '', resourceServer)).toEqual({ active: false });
          expect(await introspect(on, rotated.body.refresh_token ?? '', asPair(pair))).toEqual({ active: false });
        }
      }
      if (rotated.status === 200)
        expect((await refresh(b, rotated.body.refresh_token ?? '', asPair(pair))).body.error).toBe('invalid_grant');
    }
    // Both orders happened, or the test proved nothing about the race.
    expect(refreshWon).toBeGreaterThan(0);
  });

  it('a rotation racing a suspension leaves no refresh token that a reactivation revives', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const { suspendServiceAccount, reactivateServiceAccount } =
      await import('@/lib/service-accounts/set-service-account-status');
    for (let trial = 0; trial < 10; trial++) {
      const { account, pair, first } = await pairSetup(org);
      const [rotated] = await Promise.all([
        refresh(a, first.body.refresh_token ?? '', asPair(pair)),
        suspendServiceAccount(adminCtx, account.id),
      ]);
      expect([200, 400]).toContain(rotated.status);
      await reactivateServiceAccount(adminCtx, account.id);
      if (rotated.status === 200)
        expect((await refresh(b, rotated.body.refresh_token ?? '', asPair(pair))).body.error).toBe('invalid_grant');
      // The account itself works again: a new family starts.
      expect((await issue(b, pair)).status).toBe(200);
    }
  });
});

describe('a refresh token belongs to its client (items 6, 7 and 9)', () => {
  it('is redeemed only with its own client authentication (RFC 6749 §6)', async () => {
    const { org, pair, first } = await pairSetup();
    const rt = first.body.refresh_token ?? '';
    const bare = await refresh(a, rt);
    expect(bare).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const otherPair = (await pairSetup(org)).pair;
    expect((await refresh(a, rt, asPair(otherPair))).body.error).toBe('invalid_grant');
    const ok = await refresh(a, rt, asPair(pair));
    expect(ok.status).toBe(200);
  });

  it('a token pair authenticates with its ctp_ id too: the one identifier its tokens carry as client_id', async () => {
    const { pair } = await pairSetup();
    const byId = await call(
      a.token,
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      basic(pair.id, pair.serverToken),
    );
    expect(byId.status).toBe(200);
    const claims = JSON.parse(Buffer.from((byId.body.access_token ?? '').split('.')[1] ?? '', 'base64url').toString());
    expect(claims.client_id).toBe(pair.id);
    const wrong = await call(
      a.token,
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      basic(pair.id, 'lk_srv_x'),
    );
    expect(wrong.status).toBe(401);
  });

  it('introspection: only its own client sees it active; any other client of the organization gets active: false', async () => {
    const { pair, first, resourceServer } = await pairSetup();
    const rt = first.body.refresh_token ?? '';
    expect(await introspect(a, rt, asPair(pair))).toMatchObject({ active: true, token_type: 'refresh_token' });
    expect(await introspect(a, rt, resourceServer)).toEqual({ active: false });
    // Access tokens stay introspectable by the organization's resource servers.
    expect((await introspect(a, first.body.access_token ?? '', resourceServer)).active).toBe(true);
  });

  it("revoking another client's token is refused with unauthorized_client and audited; the token stays valid", async () => {
    const victim = await pairSetup();
    const attacker = await pairSetup(victim.org);
    for (const t of [victim.first.body.access_token ?? '', victim.first.body.refresh_token ?? '']) {
      const refused = await revoke(b, t, asPair(attacker.pair));
      expect(refused).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    }
    expect((await introspect(a, victim.first.body.access_token ?? '', victim.resourceServer)).active).toBe(true);
    expect((await refresh(a, victim.first.body.refresh_token ?? '', asPair(victim.pair))).status).toBe(200);
    const refusals = await db.auditEvent.findMany({
      where: { organizationId: victim.org.id, action: 'token.revocation_refused' },
    });
    expect(refusals).toHaveLength(2);
    expect(refusals.every((e) => e.outcome === 'FAILURE' && e.actorId === attacker.account.id)).toBe(true);
    // Nothing about the victim's token in the attacker's refusal event.
    expect(JSON.stringify(refusals.map((e) => [e.targetId, e.details]))).not.toContain(victim.account.id);
  });

  it('an unknown token_type_hint is ignored and the search extended (RFC 7009 §2.1)', async () => {
    const { pair, first, resourceServer } = await pairSetup();
    const at = first.body.access_token ?? '';
    expect(await revoke(a, at, asPair(pair), { token_type_hint: 'banana' })).toMatchObject({ status: 200 });
    expect(await introspect(b, at, resourceServer)).toEqual({ active: false });
    const rt = first.body.refresh_token ?? '';
    expect(await revoke(a, rt, asPair(pair), { token_type_hint: 'access_token' })).toMatchObject({ status: 200 });
    expect(await introspect(b, rt, asPair(pair))).toEqual({ active: false });
  });

  it('a family has an absolute lifetime: rotation never extends it', async () => {
    setEnv('REFRESH_TOKEN_FAMILY_LIFETIME_DAYS', '1');
    const { pair, first } = await pairSetup();
    const stored = await db.refreshToken.findFirstOrThrow({ where: { clientTokenPairId: pair.id } });
    const day = 86_400_000;
    expect(Math.abs(stored.familyExpiresAt.getTime() - stored.createdAt.getTime() - day)).toBeLessThan(5_000);
    expect(stored.expiresAt.getTime()).toBeLessThanOrEqual(stored.familyExpiresAt.getTime());
    // The family nears its end: the successor ends with it, not 30 days after the rotation.
    const end = new Date(Date.now() + 60_000);
    await db.refreshToken.updateMany({ where: { familyId: stored.familyId }, data: { familyExpiresAt: end } });
    const rotated = await refresh(a, first.body.refresh_token ?? '', asPair(pair));
    expect(rotated.status).toBe(200);
    const successor = await db.refreshToken.findFirstOrThrow({
      where: { familyId: stored.familyId, parentId: stored.id },
    });
    expect(successor.expiresAt.getTime()).toBe(end.getTime());
    expect(successor.familyExpiresAt.getTime()).toBe(end.getTime());
    // Past the family's end, its last token is refused.
    await db.refreshToken.updateMany({
      where: { familyId: stored.familyId },
      data: { familyExpiresAt: new Date(Date.now() - 1000), expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await refresh(a, rotated.body.refresh_token ?? '', asPair(pair))).body.error).toBe('invalid_grant');
  });

  it('the reuse event names the family', async () => {
    const { org, pair, first } = await pairSetup();
    const rt = first.body.refresh_token ?? '';
    expect((await refresh(a, rt, asPair(pair))).status).toBe(200);
    expect((await refresh(b, rt, asPair(pair))).body.error).toBe('invalid_grant');
    const family = (await db.refreshToken.findFirstOrThrow({ where: { clientTokenPairId: pair.id } })).familyId;
    const reuse = (await tokenEvents(org.id)).find(
      (e) => (e.details as { reason?: string }).reason === 'refresh_token_reused',
    );
    expect(reuse?.details).toMatchObject({ family_id: family, error: 'invalid_grant' });
  });
});
