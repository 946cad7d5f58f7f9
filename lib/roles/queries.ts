import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import type { RoleDto } from './schema';

/**
 * listRoles lists the caller's organization's roles, organization roles first, then by name.
 * Scoped to ctx.orgId: another organization's roles are never listed.
 */
export async function listRoles(ctx: OrgContext): Promise<RoleDto[]> {
  return db.roleDefinition.findMany({
    where: { organizationId: ctx.orgId },
    select: { id: true, name: true, description: true, kind: true },
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
  });
}
