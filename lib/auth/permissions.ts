import type { Role } from './roles';

/**
 * PERMISSIONS is the only role table. Pages, server actions and the management API all ask
 * `can(role, permission)`; management scopes of API tokens resolve to the same names.
 * OWNER: everything. ADMIN: everything but members and ownership. AUDITOR: read everything,
 * export and verify the audit log, change nothing.
 */
export const PERMISSIONS = {
  'organization.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'organization.write': ['OWNER', 'ADMIN'],
  'service_accounts.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'service_accounts.write': ['OWNER', 'ADMIN'],
  'oem_credentials.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'oem_credentials.write': ['OWNER', 'ADMIN'],
  'vehicles.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'vehicles.write': ['OWNER', 'ADMIN'],
  'audit.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'audit.export': ['OWNER', 'ADMIN', 'AUDITOR'],
  'audit.verify': ['OWNER', 'ADMIN', 'AUDITOR'],
  'members.read': ['OWNER', 'AUDITOR'],
  'members.write': ['OWNER'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** can tells whether a role holds a permission. */
export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
