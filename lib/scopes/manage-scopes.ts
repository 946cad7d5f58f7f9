import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { assertCan } from '@/lib/auth/assert-can';
import { assertNotOwnCatalogEntry } from '@/lib/auth/grant-rules';
import { MANAGEMENT_SCOPE_PERMISSIONS } from '@/lib/auth/permissions';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Tx } from '@/lib/db/client';
import { db } from '@/lib/db/client';
import { planCatalogChange } from '@/lib/catalog/catalog-change';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import type { CreateScopeInput, ScopeDto, UpdateScopeInput } from './schema';

/** A management scope's name is the API's, never an own scope's (lib/auth/permissions.ts). */
function assertNotReserved(name: string) {
  if (Object.hasOwn(MANAGEMENT_SCOPE_PERMISSIONS, name))
    throw new AppError('validation_failed', `"${name}" is a management scope of the API.`, {
      fields: { name: ['This name is reserved for a management scope.'] },
    });
}

const nameTaken = (name: string) =>
  new AppError('name_taken', `The catalog has a scope named "${name}".`, { fields: { name: ['This name is taken.'] } });

const DTO_SELECT = {
  id: true,
  name: true,
  description: true,
  isManagement: true,
  retiredAt: true,
  _count: { select: { serviceAccounts: true } },
} as const;

function dto(s: {
  id: string;
  name: string;
  description: string;
  isManagement: boolean;
  retiredAt: Date | null;
  _count: { serviceAccounts: number };
}): ScopeDto {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    isManagement: s.isManagement,
    retiredAt: s.retiredAt?.toISOString() ?? null,
    accounts: s._count.serviceAccounts,
  };
}

async function toDto(tx: Tx, ctx: OrgContext, id: string): Promise<ScopeDto> {
  return dto(await tx.scope.findUniqueOrThrow({ where: { id, organizationId: ctx.orgId }, select: DTO_SELECT }));
}

/** listScopes lists the organization's catalog: its own scopes first, then the built-in management ones. */
export async function listScopes(ctx: OrgContext): Promise<ScopeDto[]> {
  const rows = await db.scope.findMany({
    where: { organizationId: ctx.orgId },
    select: DTO_SELECT,
    orderBy: [{ isManagement: 'asc' }, { name: 'asc' }],
  });
  return rows.map(dto);
}

/** createScope adds a scope to the caller's organization (`name_taken`). Audited `scope.created`. */
export async function createScope(ctx: OrgContext, input: CreateScopeInput): Promise<ScopeDto> {
  assertCan(ctx, 'catalog.write');
  assertNotReserved(input.name);
  return db.$transaction(async (tx) => {
    if (await tx.scope.findFirst({ where: { organizationId: ctx.orgId, name: input.name }, select: { id: true } }))
      throw nameTaken(input.name);
    const id = newId('scope');
    await tx.scope.create({
      data: { id, organizationId: ctx.orgId, name: input.name, description: input.description },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'scope.created',
      target: { type: 'scope', id },
      meta: ctx,
      details: { name: input.name },
    });
    return toDto(tx, ctx, id);
  });
}

async function lockScope(tx: Tx, ctx: OrgContext, scopeId: string) {
  const [scope] = await tx.$queryRaw<
    Array<{ id: string; name: string; is_management: boolean; retired_at: Date | null }>
  >`
    SELECT id, name, is_management, retired_at FROM scopes
    WHERE id = ${scopeId} AND organization_id = ${ctx.orgId} FOR UPDATE`;
  if (!scope) throw new AppError('not_found', 'Scope not found.');
  return scope;
}

/**
 * updateScope renames a scope, changes its description, or retires or restores it. A rename
 * changes what future tokens carry (tokens name scopes). A retired scope is granted to nobody
 * new and put into no token, and no longer counts at introspection, from the next request on;
 * the accounts holding it keep the grant, so restoring it brings it back. Built-in management
 * scopes are neither renamed nor retired (`built_in`). Audited `scope.renamed` / `scope.retired`
 * / `scope.restored` / `scope.updated`.
 */
export async function updateScope(ctx: OrgContext, scopeId: string, input: UpdateScopeInput): Promise<ScopeDto> {
  assertCan(ctx, 'catalog.write');
  return db.$transaction(async (tx) => {
    const before = await lockScope(tx, ctx, scopeId);
    await assertNotOwnCatalogEntry(tx, ctx, { scopeId });
    const change = planCatalogChange('scope', before, input);
    const { renaming, retiring } = change;
    if (before.is_management && (renaming || retiring))
      throw new AppError('built_in', 'Management scopes are built in: they are neither renamed nor retired.');
    if (renaming) {
      assertNotReserved(input.name!);
      const taken = await tx.scope.findFirst({
        where: { organizationId: ctx.orgId, name: input.name, NOT: { id: scopeId } },
        select: { id: true },
      });
      if (taken) throw nameTaken(input.name!);
    }
    await tx.scope.update({ where: { id: scopeId, organizationId: ctx.orgId }, data: change.data });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: change.action,
      target: { type: 'scope', id: scopeId },
      meta: ctx,
      details: change.details,
    });
    return toDto(tx, ctx, scopeId);
  });
}

/** deleteScope deletes a scope no account holds (`in_use` otherwise; built-in ones never). Audited `scope.deleted`. */
export async function deleteScope(ctx: OrgContext, scopeId: string): Promise<void> {
  assertCan(ctx, 'catalog.write');
  await db.$transaction(async (tx) => {
    const scope = await lockScope(tx, ctx, scopeId);
    await assertNotOwnCatalogEntry(tx, ctx, { scopeId });
    if (scope.is_management) throw new AppError('built_in', 'Management scopes are built in: they are not deleted.');
    const holders = await tx.serviceAccountScope.count({ where: { scopeId } });
    if (holders > 0)
      throw new AppError(
        'in_use',
        `${holders} service account(s) hold ${scope.name}: retire it instead, or remove it from them first.`,
      );
    await tx.scope.delete({ where: { id: scopeId, organizationId: ctx.orgId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'scope.deleted',
      target: { type: 'scope', id: scopeId },
      meta: ctx,
      details: { name: scope.name },
    });
  });
}
