/**
 * The scope catalog every new organization starts with: the product scopes of the demo
 * (from the vendors Latchkey unifies) and the management scopes of the /api/v1 API.
 */
export const DEFAULT_PRODUCT_SCOPES = [
  { name: 'TILE', description: 'Map tiles' },
  { name: 'MATRIX', description: 'Distance and duration matrices' },
  { name: 'ONM', description: 'One-to-many routing' },
  { name: 'DIRECTION', description: 'Turn-by-turn directions' },
  { name: 'TSS', description: 'Travelling salesman solver' },
  { name: 'GEOCODING', description: 'Address to coordinates' },
  { name: 'REVERSEGEOCODING', description: 'Coordinates to address' },
] as const;

export const MANAGEMENT_SCOPES = [
  { name: 'manage:service_accounts', description: 'Manage service accounts and their credentials' },
  { name: 'read:service_accounts', description: 'Read service accounts and their credentials' },
  { name: 'manage:oem_credentials', description: 'Manage OEM credentials' },
  { name: 'manage:vehicles', description: 'Manage vehicles' },
  { name: 'read:audit', description: 'Read, export and verify the audit log' },
  { name: 'manage:audit_sinks', description: 'Manage audit streaming to SIEM sinks' },
  { name: 'manage:webhooks', description: 'Manage webhooks, redeliver and send test events' },
  { name: 'read:webhooks', description: 'Read webhooks and their delivery logs' },
  { name: 'manage:catalog', description: 'Manage projects, environments, scopes and roles' },
] as const;

export const DEFAULT_ROLES = [
  { name: 'organization.viewer', description: 'Read access across the organization', kind: 'ORGANIZATION' },
  { name: 'organization.manager', description: 'Manage the organization', kind: 'ORGANIZATION' },
  { name: 'project.viewer', description: 'Read access to one project', kind: 'PROJECT' },
  { name: 'project.editor', description: 'Change one project', kind: 'PROJECT' },
  { name: 'project.manager', description: 'Manage one project and its environments', kind: 'PROJECT' },
] as const;
