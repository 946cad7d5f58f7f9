import 'server-only';
import type { Prisma } from '@/lib/db/generated/client';
import type { RoleBindingDto, ServiceAccountDto, ServiceAccountListItemDto } from './types';

/** The columns every service-account DTO needs; never a credential's hash or key material. */
export const accountSelect = {
  id: true,
  name: true,
  description: true,
  platform: true,
  isAdmin: true,
  status: true,
  tokenLifetimeSeconds: true,
  requireDpop: true,
  ipAllowList: true,
  createdAt: true,
  updatedAt: true,
  lastUsedAt: true,
  suspendedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, email: true } },
  scopes: { select: { scope: { select: { name: true } } }, orderBy: { scope: { name: 'asc' } } },
} as const satisfies Prisma.ServiceAccountSelect;

export const roleBindingSelect = {
  id: true,
  projectId: true,
  role: { select: { id: true, name: true, kind: true, retiredAt: true } },
  project: { select: { name: true } },
} as const satisfies Prisma.RoleBindingSelect;

type AccountRow = Prisma.ServiceAccountGetPayload<{ select: typeof accountSelect }>;
type RoleBindingRow = Prisma.RoleBindingGetPayload<{ select: typeof roleBindingSelect }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRoleBindingDto(row: RoleBindingRow): RoleBindingDto {
  return {
    id: row.id,
    roleId: row.role.id,
    roleName: row.role.name,
    kind: row.role.kind,
    retired: row.role.retiredAt !== null,
    projectId: row.projectId,
    projectName: row.project?.name ?? null,
  };
}

function base(row: AccountRow): Omit<ServiceAccountDto, 'roleBindings'> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    platform: row.platform,
    isAdmin: row.isAdmin,
    status: row.status,
    scopes: row.scopes.map((s) => s.scope.name),
    tokenLifetimeSeconds: row.tokenLifetimeSeconds,
    requireDpop: row.requireDpop,
    ipAllowList: row.ipAllowList,
    createdBy: row.createdBy ? { id: row.createdBy.id, label: row.createdBy.email } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    suspendedAt: iso(row.suspendedAt),
    revokedAt: iso(row.revokedAt),
  };
}

/** toServiceAccountDto builds the public shape of an account from a row read with accountSelect. */
export function toServiceAccountDto(row: AccountRow, bindings: RoleBindingRow[]): ServiceAccountDto {
  return { ...base(row), roleBindings: bindings.map(toRoleBindingDto) };
}

export function toServiceAccountListItemDto(
  row: AccountRow,
  counts: { credentialCount: number; expiringCredentials: number },
): ServiceAccountListItemDto {
  return { ...base(row), ...counts };
}
