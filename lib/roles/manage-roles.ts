import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { assertCan } from '@/lib/auth/assert-can';
import { assertNotOwnCatalogEntry } from '@/lib/auth/grant-rules';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Tx } from '@/lib/db/client';
import { db } from '@/lib/db/client';
import { planCatalogChange } from '@/lib/catalog/catalog-change';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import type { CreateRoleInput, RoleDto, UpdateRoleInput } from './schema';

const nameTaken = (name: string) =>
  new AppError('name_taken', `The organization has a role named "${name}".`, {
    fields: { name: ['This name is taken.'] },
  });

const DTO_SELECT = {
  id: true,
  name: true,
  description: true,
  kind: true,
  retiredAt: true,
  // One row per bound account (an account may be bound to a project role on several projects).
  bindings: { select: { serviceAccountId: true }, distinct: 'serviceAccountId' },
} as const;

type RoleRow = {
  id: string;
  name: string;
  description: string;
  kind: 'ORGANIZATION' | 'PROJECT';
  retiredAt: Date | null;
  bindings: Array<{ serviceAccountId: string }>;
};

function dto(r: RoleRow): RoleDto {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    kind: r.kind,
    retiredAt: r.retiredAt?.toISOString() ?? null,
    accounts: r.bindings.length,
  };
}

async function toDto(tx: Tx, ctx: OrgContext, id: string): Promise<RoleDto> {
  return dto(
    await tx.roleDefinition.findUniqueOrThrow({ where: { id, organizationId: ctx.orgId }, select: DTO_SELECT }),
  );
}

/**
 * listRoles lists the caller's organization's roles, organization roles first, then by name,
 * with how many accounts are bound to each. Another organization's roles are never listed.
 */
export async function listRoles(ctx: OrgContext): Promise<RoleDto[]> {
  assertCan(ctx, 'organization.read');
  const rows = await db.roleDefinition.findMany({
    where: { organizationId: ctx.orgId },
    select: DTO_SELECT,
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
  });
  return rows.map(dto);
}

/** createRole adds a role to the caller's organization (`name_taken`). Audited `role.created`. */
export async function createRole(ctx: OrgContext, input: CreateRoleInput): Promise<RoleDto> {
  assertCan(ctx, 'catalog.write');
  return db.$transaction(async (tx) => {
    if (
      await tx.roleDefinition.findFirst({
        where: { organizationId: ctx.orgId, name: input.name },
        select: { id: true },
      })
    )
      throw nameTaken(input.name);
    const id = newId('role');
    await tx.roleDefinition.create({
      data: { id, organizationId: ctx.orgId, name: input.name, description: input.description, kind: input.kind },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'role.created',
      target: { type: 'role', id },
      meta: ctx,
      details: { name: input.name, kind: input.kind },
    });
    return toDto(tx, ctx, id);
  });
}

/**
 * lockRole reads the role FOR UPDATE, so that a rename, retirement or deletion and a binding
 * made at the same moment (lib/service-accounts, which locks the role it binds FOR KEY SHARE
 * through the foreign key) are ordered.
 */
async function lockRole(tx: Tx, ctx: OrgContext, roleId: string) {
  const [role] = await tx.$queryRaw<Array<{ id: string; name: string; retired_at: Date | null }>>`
    SELECT id, name, retired_at FROM roles WHERE id = ${roleId} AND organization_id = ${ctx.orgId} FOR UPDATE`;
  if (!role) throw new AppError('not_found', 'Role not found.');
  return role;
}

/**
 * updateRole renames a role, changes its description, or retires or restores it. Tokens name
 * no role, so a rename changes nothing for them. A retired role is bound to nobody new and its
 * bindings reach no project: token exchange to a project through it is refused, and a token
 * narrowed to a project that only it reached stops introspecting as active, from the next
 * request on (lib/tokens/token-state.ts). The bindings stay, so restoring it brings them back.
 * Audited `role.renamed` / `role.retired` / `role.restored` / `role.updated`.
 */
export async function updateRole(ctx: OrgContext, roleId: string, input: UpdateRoleInput): Promise<RoleDto> {
  assertCan(ctx, 'catalog.write');
  return db.$transaction(async (tx) => {
    const before = await lockRole(tx, ctx, roleId);
    await assertNotOwnCatalogEntry(tx, ctx, { roleId });
    const change = planCatalogChange('role', before, input);
    if (change.renaming) {
      const taken = await tx.roleDefinition.findFirst({
        where: { organizationId: ctx.orgId, name: input.name, NOT: { id: roleId } },
        select: { id: true },
      });
      if (taken) throw nameTaken(input.name!);
    }
    await tx.roleDefinition.update({ where: { id: roleId, organizationId: ctx.orgId }, data: change.data });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: change.action,
      target: { type: 'role', id: roleId },
      meta: ctx,
      details: change.details,
    });
    return toDto(tx, ctx, roleId);
  });
}

/** deleteRole deletes a role no account is bound to (`in_use` otherwise: retire it instead). Audited `role.deleted`. */
export async function deleteRole(ctx: OrgContext, roleId: string): Promise<void> {
  assertCan(ctx, 'catalog.write');
  await db.$transaction(async (tx) => {
    const role = await lockRole(tx, ctx, roleId);
    await assertNotOwnCatalogEntry(tx, ctx, { roleId });
    const bound = await tx.roleBinding.findMany({
      where: { roleId, organizationId: ctx.orgId },
      select: { serviceAccountId: true },
      distinct: ['serviceAccountId'],
    });
    if (bound.length > 0)
      throw new AppError(
        'in_use',
        `${bound.length} service account(s) are bound to ${role.name}: retire it instead, or remove the bindings first.`,
      );
    await tx.roleDefinition.delete({ where: { id: roleId, organizationId: ctx.orgId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'role.deleted',
      target: { type: 'role', id: roleId },
      meta: ctx,
      details: { name: role.name },
    });
  });
}
