import { describe, expect, it } from 'vitest';
import { POST as restApiRoute } from '@/app/compat/restapi/System/UserAccount/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { basic, formRequest, jsonRequest } from '@/lib/testing/oauth-factories';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { accountActivity } from './activity';

// Issue 18: per-credential activity, and a wrong secret sent with a valid key id visible on the
// account (both surfaces: the standard token endpoint and a vendor flow).

const token = (id: string, secret: string, ip = '127.0.0.1') =>
  tokenRoute(
    formRequest('/api/oauth/token', { grant_type: 'client_credentials' }, { authorization: basic(id, secret), ip }),
  );

describe('account activity', () => {
  it('counts issued and refused per credential and lists refusals with reason and address', async () => {
    const { adminCtx, auditorCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const quiet = await createClientSecret(adminCtx, account.id, { name: 'quiet' });
    const busy = await createClientSecret(adminCtx, account.id, { name: 'busy' });
    for (let i = 0; i < 3; i++) expect((await token(busy.clientSecret.id, busy.secret)).status).toBe(200);
    expect((await token(busy.clientSecret.id, `${busy.secret}x`, '10.1.2.3')).status).toBe(401);
    const compat = await restApiRoute(
      jsonRequest(
        '/compat/restapi/System/UserAccount',
        { clientId: busy.clientSecret.id, clientSecret: 'wrong' },
        { ip: '10.9.9.9' },
      ),
    );
    expect(compat.status).toBeGreaterThanOrEqual(400);

    const activity = await accountActivity(auditorCtx, account.id);
    expect(activity.credentials[busy.clientSecret.id]).toMatchObject({ issued: 3, refused: 2 });
    expect(activity.credentials[busy.clientSecret.id]?.daily.at(-1)).toEqual({ issued: 3, refused: 2 });
    expect(activity.credentials[quiet.clientSecret.id]).toMatchObject({ issued: 0, refused: 0 });
    expect(activity.chart.points.reduce((n, p) => n + p.issued, 0)).toBe(3);
    expect(activity.chart.points.reduce((n, p) => n + p.refused, 0)).toBe(2);
    expect(activity.refusals).toHaveLength(2);
    expect(activity.refusals[0]).toMatchObject({ clientId: busy.clientSecret.id, ip: '10.9.9.9' });
    expect(activity.refusals[1]).toMatchObject({
      clientId: busy.clientSecret.id,
      ip: '10.1.2.3',
      error: 'invalid_client',
      reason: 'bad_credentials',
    });
    expect(JSON.stringify(activity)).not.toContain(busy.secret);
  });

  it("another organization's account is not found; its counts never mix in", async () => {
    const { adminCtx } = await orgWithRoles();
    const theirs = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    await expect(accountActivity(theirs.adminCtx, account.id)).rejects.toMatchObject({ code: 'not_found' });
    const other = await createTestServiceAccount(adminCtx);
    const secret = await createClientSecret(adminCtx, other.id, { name: 'x' });
    expect((await token(secret.clientSecret.id, secret.secret)).status).toBe(200);
    const mine = await accountActivity(adminCtx, account.id);
    expect(mine.chart.points.reduce((n, p) => n + p.issued, 0)).toBe(0);
    expect(mine.refusals).toEqual([]);
  });
});
