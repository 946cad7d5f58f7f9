import { describe, expect, it } from 'vitest';
import {
  createClientSecretForm,
  createServiceAccountForm,
  rotateClientSecretForm,
  updateServiceAccountForm,
} from './schema';

const ROLE = 'rol_01JD5Z8Q4W3M2N1P0R9S8T7V6X';
const PROJECT = 'prj_01JD5Z8Q4W3M2N1P0R9S8T7V6X';
const ACCOUNT = 'sa_01JD5Z8Q4W3M2N1P0R9S8T7V6X';

describe('console forms run the API schemas', () => {
  it('reshapes checkboxes, role bindings and the CIDR textarea', () => {
    const parsed = createServiceAccountForm.parse({
      name: ' billing ',
      description: '',
      platform: 'WEB',
      isAdmin: 'on',
      requireDpop: 'on',
      scopes: ['TILE', 'MATRIX'],
      roleBindings: [ROLE, `${ROLE}@${PROJECT}`],
      tokenLifetimeSeconds: '900',
      ipAllowList: '10.0.0.0/8\n 2001:db8::/32 ,192.0.2.1\n',
    });
    expect(parsed).toEqual({
      name: 'billing',
      description: '',
      platform: 'WEB',
      isAdmin: true,
      requireDpop: true,
      scopes: ['TILE', 'MATRIX'],
      roleBindings: [
        { roleId: ROLE, projectId: null },
        { roleId: ROLE, projectId: PROJECT },
      ],
      tokenLifetimeSeconds: 900,
      ipAllowList: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'],
    });
  });

  it('an unchecked admin box and a single scope still parse; a bad CIDR is reported on its line', () => {
    const ok = createServiceAccountForm.parse({
      name: 'x',
      platform: 'SERVER',
      scopes: 'TILE',
      tokenLifetimeSeconds: '',
    });
    expect(ok).toMatchObject({ isAdmin: false, scopes: ['TILE'], tokenLifetimeSeconds: 3600, ipAllowList: [] });
    const bad = createServiceAccountForm.safeParse({
      name: 'x',
      platform: 'SERVER',
      ipAllowList: '10.0.0.0/8\n10.0.0.0/99',
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['ipAllowList', 1]);
  });

  it('edit forms carry the account id; credential forms drop empty optional fields', () => {
    expect(updateServiceAccountForm.parse({ accountId: ACCOUNT, name: 'y', tokenLifetimeSeconds: '60' })).toMatchObject(
      { accountId: ACCOUNT, name: 'y', isAdmin: false, scopes: [] },
    );
    expect(createClientSecretForm.parse({ accountId: ACCOUNT, name: 'prod', expiresAt: '' })).toEqual({
      accountId: ACCOUNT,
      name: 'prod',
    });
    expect(
      rotateClientSecretForm.parse({
        accountId: ACCOUNT,
        secretId: 'kid_01JD5Z8Q4W3M2N1P0R9S8T7V6X',
        gracePeriodHours: '0',
      }),
    ).toMatchObject({ gracePeriodHours: 0 });
    expect(createClientSecretForm.safeParse({ accountId: 'sa_nope', name: 'x' }).success).toBe(false);
  });
});
