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
  // The organization's catalog: projects, environments, scopes and roles (not its settings).
  'catalog.write': ['OWNER', 'ADMIN'],
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
  // Webhooks carry the organization's lifecycle events elsewhere: only those who change the
  // organization may point them somewhere; auditors see where they go and how delivery fares.
  'webhooks.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'webhooks.write': ['OWNER', 'ADMIN'],
  // Audit sinks stream the audit log to a SIEM: the same split as webhooks.
  'audit_sinks.read': ['OWNER', 'ADMIN', 'AUDITOR'],
  'audit_sinks.write': ['OWNER', 'ADMIN'],
  // Holding every scope, role and the admin flag of the organization's catalog, so these members
  // may grant any of them to a service account (lib/auth/grant-rules.ts). A service-account
  // caller never holds this, whatever its context's role says: it holds its token's scopes.
  'grants.write': ['OWNER', 'ADMIN'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** can tells whether a role holds a permission. */
export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * MANAGEMENT_SCOPES maps the management scopes an `isAdmin` service account's access token may
 * carry to the permissions above, so the API checks tokens and members with the same table.
 */
export const MANAGEMENT_SCOPE_PERMISSIONS = {
  'manage:service_accounts': ['service_accounts.read', 'service_accounts.write', 'organization.read'],
  'read:service_accounts': ['service_accounts.read', 'organization.read'],
  'manage:oem_credentials': ['oem_credentials.read', 'oem_credentials.write', 'vehicles.read'],
  'manage:vehicles': ['vehicles.read', 'vehicles.write', 'oem_credentials.read'],
  'read:audit': ['audit.read', 'audit.export', 'audit.verify', 'audit_sinks.read'],
  'manage:audit_sinks': ['audit_sinks.read', 'audit_sinks.write'],
  'manage:webhooks': ['webhooks.read', 'webhooks.write', 'organization.read'],
  'read:webhooks': ['webhooks.read', 'organization.read'],
  'manage:catalog': ['catalog.write', 'organization.read'],
} as const satisfies Record<string, readonly Permission[]>;

/** scopesGrant tells whether any of a token's scopes grants `permission`. */
export function scopesGrant(scopes: readonly string[], permission: Permission): boolean {
  return scopes.some((scope) =>
    Object.hasOwn(MANAGEMENT_SCOPE_PERMISSIONS, scope)
      ? (
          MANAGEMENT_SCOPE_PERMISSIONS[scope as keyof typeof MANAGEMENT_SCOPE_PERMISSIONS] as readonly Permission[]
        ).includes(permission)
      : false,
  );
}

/** scopesGranting lists the management scopes that grant `permission` (RFC 6750 `scope` hint). */
export function scopesGranting(permission: Permission): string[] {
  return Object.entries(MANAGEMENT_SCOPE_PERMISSIONS)
    .filter(([, permissions]) => (permissions as readonly Permission[]).includes(permission))
    .map(([scope]) => scope);
}
