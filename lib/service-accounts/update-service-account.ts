import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { assertMayGrant } from '@/lib/auth/grant-rules';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { newId } from '@/lib/ids';
import { isUniqueViolation, nameTaken } from './create-service-account';
import { accountSelect, roleBindingSelect, toServiceAccountDto } from './dto';
import { assertNotRevoked, lockAccount } from './lock-account';
import { resolveRoleBindings, resolveScopes } from './resolve-grants';
import type { ServiceAccountDto, UpdateServiceAccountInput } from './schema';

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * updateServiceAccount changes the fields sent (name, description, isAdmin, scopes, role
 * bindings, token lifetime, DPoP requirement, IP allow-list) of an account of the caller's organization and
 * records `service_account.updated` with the names of the changed fields and their new values.
 * A revoked account is `account_revoked`; another organization's account is `not_found`; adding a
 * scope, role or admin flag the caller does not hold, or a service account changing its own
 * grants or allow-list, is `forbidden` (lib/auth/grant-rules.ts) and writes nothing.
 */
export async function updateServiceAccount(
  ctx: OrgContext,
  accountId: string,
  input: UpdateServiceAccountInput,
): Promise<ServiceAccountDto> {
  assertCan(ctx, 'service_accounts.write');
  try {
    return await db.$transaction(async (tx) => {
      const locked = await lockAccount(tx, ctx, accountId);
      assertNotRevoked(locked);
      const before = await tx.serviceAccount.findUniqueOrThrow({ where: { id: accountId }, select: accountSelect });
      const beforeBindings = await tx.roleBinding.findMany({
        where: { serviceAccountId: accountId, organizationId: ctx.orgId },
        select: roleBindingSelect,
      });
      const changes: Record<string, unknown> = {};

      if (input.name !== undefined && input.name !== before.name) {
        if (
          await tx.serviceAccount.findFirst({
            where: { organizationId: ctx.orgId, name: input.name, id: { not: accountId } },
            select: { id: true },
          })
        )
          throw nameTaken(input.name);
        changes.name = input.name;
      }
      if (input.description !== undefined && input.description !== before.description)
        changes.description = input.description;
      if (input.isAdmin !== undefined && input.isAdmin !== before.isAdmin) changes.isAdmin = input.isAdmin;
      if (input.tokenLifetimeSeconds !== undefined && input.tokenLifetimeSeconds !== before.tokenLifetimeSeconds)
        changes.tokenLifetimeSeconds = input.tokenLifetimeSeconds;
      if (input.requireDpop !== undefined && input.requireDpop !== before.requireDpop)
        changes.requireDpop = input.requireDpop;
      const ipAllowList = input.ipAllowList ? [...new Set(input.ipAllowList)] : undefined;
      if (ipAllowList && !sameSet(ipAllowList, before.ipAllowList)) changes.ipAllowList = ipAllowList;

      // Scopes are re-checked when they or isAdmin change: dropping isAdmin must not leave
      // management scopes behind.
      const isAdmin = input.isAdmin ?? before.isAdmin;
      const beforeScopes = before.scopes.map((s) => s.scope.name);
      const scopes = input.scopes ?? beforeScopes;
      const scopeIds = await resolveScopes(tx, ctx.orgId, scopes, isAdmin, beforeScopes);
      const scopesChanged = !sameSet([...new Set(scopes)], beforeScopes);

      const key = (b: { roleId: string; projectId: string | null }) => `${b.roleId}@${b.projectId ?? ''}`;
      const beforeKeys = beforeBindings.map((b) => key({ roleId: b.role.id, projectId: b.projectId }));
      const bindings = input.roleBindings
        ? await resolveRoleBindings(
            tx,
            ctx.orgId,
            input.roleBindings,
            beforeBindings.map((b) => b.role.id),
          )
        : undefined;
      const afterKeys = bindings?.map((b) => key({ roleId: b.roleId, projectId: b.projectId ?? null }));
      const bindingsChanged = afterKeys !== undefined && !sameSet(beforeKeys, afterKeys);

      // The privilege rule, before anything is written: only what the change adds must be held,
      // and a service account changes none of its own grants (lib/auth/grant-rules.ts).
      await assertMayGrant(tx, ctx, {
        accountId,
        addedScopes: scopesChanged ? [...new Set(scopes)].filter((s) => !beforeScopes.includes(s)) : [],
        addedRoleBindings: bindingsChanged
          ? (bindings ?? [])
              .map((b) => ({ roleId: b.roleId, projectId: b.projectId ?? null }))
              .filter((b) => !beforeKeys.includes(key(b)))
          : [],
        grantsAdmin: changes.isAdmin === true,
        changedFields: [
          ...(scopesChanged ? (['scopes'] as const) : []),
          ...(bindingsChanged ? (['roleBindings'] as const) : []),
          ...('isAdmin' in changes ? (['isAdmin'] as const) : []),
          ...('ipAllowList' in changes ? (['ipAllowList'] as const) : []),
          // A longer lifetime is a longer-lived stolen token: not the account's own choice either.
          ...('tokenLifetimeSeconds' in changes ? (['tokenLifetimeSeconds'] as const) : []),
          // Dropping DPoP makes a stolen token usable by whoever holds it: not the account's own choice.
          ...(changes.requireDpop === false ? (['requireDpop'] as const) : []),
        ],
      });

      if (scopesChanged) {
        changes.scopes = [...new Set(scopes)].sort();
        await tx.serviceAccountScope.deleteMany({ where: { serviceAccountId: accountId, organizationId: ctx.orgId } });
        if (scopeIds.length)
          await tx.serviceAccountScope.createMany({
            data: scopeIds.map((scopeId) => ({ serviceAccountId: accountId, scopeId, organizationId: ctx.orgId })),
          });
      }

      if (bindings && bindingsChanged) {
        await tx.roleBinding.deleteMany({ where: { serviceAccountId: accountId, organizationId: ctx.orgId } });
        if (bindings.length) {
          await tx.roleBinding.createMany({
            data: bindings.map((b) => ({
              id: newId('roleBinding'),
              organizationId: ctx.orgId,
              serviceAccountId: accountId,
              roleId: b.roleId,
              projectId: b.projectId,
            })),
          });
        }
        changes.roleBindings = afterKeys;
      }

      const { scopes: _s, roleBindings: _r, ...columns } = changes;
      if (Object.keys(columns).length)
        await tx.serviceAccount.update({ where: { id: accountId, organizationId: ctx.orgId }, data: columns });
      else if (Object.keys(changes).length)
        await tx.serviceAccount.update({
          where: { id: accountId, organizationId: ctx.orgId },
          data: { updatedAt: new Date() },
        });

      const row = await tx.serviceAccount.findUniqueOrThrow({ where: { id: accountId }, select: accountSelect });
      const roleRows = await tx.roleBinding.findMany({
        where: { serviceAccountId: accountId, organizationId: ctx.orgId },
        select: roleBindingSelect,
        orderBy: { createdAt: 'asc' },
      });
      if (Object.keys(changes).length) {
        await recordAuditEvent(tx, {
          organizationId: ctx.orgId,
          actor: ctx.actor,
          action: 'service_account.updated',
          target: { type: 'service_account', id: accountId },
          meta: ctx,
          details: { name: row.name, changed: Object.keys(changes), ...changes },
        });
      }
      return toServiceAccountDto(row, roleRows);
    });
  } catch (error) {
    if (isUniqueViolation(error) && input.name) throw nameTaken(input.name);
    throw error;
  }
}
