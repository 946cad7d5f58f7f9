import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { assertMayGrant } from '@/lib/auth/grant-rules';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { accountSelect, roleBindingSelect, toServiceAccountDto } from './dto';
import { resolveRoleBindings, resolveScopes } from './resolve-grants';
import type { CreateServiceAccountInput, ServiceAccountDto } from './schema';

export function nameTaken(name: string): AppError {
  return new AppError('name_taken', `A service account named "${name}" already exists.`, {
    fields: { name: ['This name is taken in this organization.'] },
  });
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/**
 * createServiceAccount creates an ACTIVE account in the caller's organization with its scopes
 * (from the catalog) and role bindings, and records `service_account.created` in the same
 * transaction. A taken name is `name_taken`; unknown scopes, roles or projects are field errors;
 * a scope, role or admin flag the caller does not hold is `forbidden` (lib/auth/grant-rules.ts).
 */
export async function createServiceAccount(
  ctx: OrgContext,
  input: CreateServiceAccountInput,
): Promise<ServiceAccountDto> {
  assertCan(ctx, 'service_accounts.write');
  try {
    return await db.$transaction(async (tx) => {
      if (
        await tx.serviceAccount.findFirst({
          where: { organizationId: ctx.orgId, name: input.name },
          select: { id: true },
        })
      )
        throw nameTaken(input.name);
      const scopeIds = await resolveScopes(tx, ctx.orgId, input.scopes, input.isAdmin);
      const bindings = await resolveRoleBindings(tx, ctx.orgId, input.roleBindings);
      // Nobody creates an account with more than they hold (no escalation through a new account).
      await assertMayGrant(tx, ctx, {
        accountId: null,
        addedScopes: [...new Set(input.scopes)],
        addedRoleBindings: bindings.map((b) => ({ roleId: b.roleId, projectId: b.projectId ?? null })),
        grantsAdmin: input.isAdmin,
        changedFields: [],
      });
      const id = newId('serviceAccount');
      await tx.serviceAccount.create({
        data: {
          id,
          organizationId: ctx.orgId,
          name: input.name,
          description: input.description,
          platform: input.platform,
          isAdmin: input.isAdmin,
          tokenLifetimeSeconds: input.tokenLifetimeSeconds,
          requireDpop: input.requireDpop,
          ipAllowList: [...new Set(input.ipAllowList)],
          createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
        },
      });
      if (scopeIds.length)
        await tx.serviceAccountScope.createMany({
          data: scopeIds.map((scopeId) => ({ serviceAccountId: id, scopeId, organizationId: ctx.orgId })),
        });
      if (bindings.length) {
        await tx.roleBinding.createMany({
          data: bindings.map((b) => ({
            id: newId('roleBinding'),
            organizationId: ctx.orgId,
            serviceAccountId: id,
            roleId: b.roleId,
            projectId: b.projectId,
          })),
        });
      }
      const row = await tx.serviceAccount.findUniqueOrThrow({ where: { id }, select: accountSelect });
      const roleRows = await tx.roleBinding.findMany({
        where: { serviceAccountId: id, organizationId: ctx.orgId },
        select: roleBindingSelect,
        orderBy: { createdAt: 'asc' },
      });
      const dto = toServiceAccountDto(row, roleRows);
      await recordAuditEvent(tx, {
        organizationId: ctx.orgId,
        actor: ctx.actor,
        action: 'service_account.created',
        target: { type: 'service_account', id },
        meta: ctx,
        details: {
          name: dto.name,
          platform: dto.platform,
          isAdmin: dto.isAdmin,
          scopes: dto.scopes,
          roleBindings: dto.roleBindings.map((b) => ({ role: b.roleName, projectId: b.projectId })),
          tokenLifetimeSeconds: dto.tokenLifetimeSeconds,
          requireDpop: dto.requireDpop,
          ipAllowList: dto.ipAllowList,
        },
      });
      return dto;
    });
  } catch (error) {
    // Two concurrent creations with one name: the unique index decides, the loser gets name_taken.
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}
