import { describe, expect, it } from 'vitest';
import { PERMISSIONS, can, type Permission } from './permissions';
import { ROLES } from './roles';

describe('permissions', () => {
  it('gives the owner every permission', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) expect(can('OWNER', permission)).toBe(true);
  });

  it('keeps admins away from members', () => {
    expect(can('ADMIN', 'members.read')).toBe(false);
    expect(can('ADMIN', 'members.write')).toBe(false);
    expect(can('ADMIN', 'service_accounts.write')).toBe(true);
  });

  it('lets auditors read, export and verify but change nothing', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      const isWrite = permission.endsWith('.write');
      expect(can('AUDITOR', permission)).toBe(!isWrite);
    }
  });

  it('names only known roles', () => {
    for (const roles of Object.values(PERMISSIONS)) for (const role of roles) expect(ROLES).toContain(role);
  });
});

describe('management scopes', () => {
  it('grant only the permissions they name', async () => {
    const { scopesGrant, MANAGEMENT_SCOPE_PERMISSIONS } = await import('./permissions');
    const { MANAGEMENT_SCOPES } = await import('@/lib/scopes/catalog');
    expect(Object.keys(MANAGEMENT_SCOPE_PERMISSIONS).sort()).toEqual(MANAGEMENT_SCOPES.map((s) => s.name).sort());
    expect(scopesGrant(['manage:service_accounts'], 'service_accounts.write')).toBe(true);
    expect(scopesGrant(['read:service_accounts'], 'service_accounts.write')).toBe(false);
    expect(scopesGrant(['TILE', 'constructor'], 'audit.read')).toBe(false);
    expect(scopesGrant([], 'audit.read')).toBe(false);
  });
});
