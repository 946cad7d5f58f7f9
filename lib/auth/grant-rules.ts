import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { can } from '@/lib/auth/permissions';
import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

/** A grant a change would add to a service account: only additions need the caller to hold them. */
export type GrantChange = {
  /** The account changed; null when it is being created. */
  accountId: string | null;
  /** Scope names the account gains. */
  addedScopes: readonly string[];
  /** Role bindings the account gains (role id, project id or null for an organization role). */
  addedRoleBindings: ReadonlyArray<{ roleId: string; projectId: string | null }>;
  /** True when the account becomes (or is created as) an admin account. */
  grantsAdmin: boolean;
  /** Which of the account's grant fields change at all (added, removed or replaced). */
  changedFields: ReadonlyArray<
    'scopes' | 'roleBindings' | 'isAdmin' | 'ipAllowList' | 'tokenLifetimeSeconds' | 'requireDpop'
  >;
};

const bindingKey = (b: { roleId: string; projectId: string | null }) => `${b.roleId}@${b.projectId ?? ''}`;

/**
 * assertMayGrant is THE privilege rule for service-account grants, shared by the console and
 * the API (createServiceAccount and updateServiceAccount call it before writing):
 *
 * - Nobody grants a scope, a role binding or the admin flag they do not hold themselves.
 *   OWNER and ADMIN members hold every scope and role of their organization's catalog and the
 *   admin flag (permission `grants.write` in lib/auth/permissions.ts), so they may grant all of it.
 *   A service account holds exactly the scopes of the token it called with (ctx.tokenScopes) and
 *   its own role bindings and admin flag, read here from the database in the caller's transaction.
 *   Latchkey itself (SYSTEM: setup, CLI run by the operator) holds everything.
 * - A service account never changes its own scopes, role bindings, admin flag, IP allow-list or
 *   token lifetime,
 *   even to values it holds: otherwise one leaked token could widen where it may be used from,
 *   or swap grants around, without a person ever seeing it.
 *
 * Throws `forbidden` (403) naming the first grant refused. Only grants the change adds are
 * checked: re-sending or removing a scope the caller lacks is no escalation.
 */
export async function assertMayGrant(tx: Tx, ctx: OrgContext, change: GrantChange): Promise<void> {
  if (ctx.actor.type === 'SYSTEM') return;
  if (ctx.actor.type === 'MEMBER') {
    if (can(ctx.role, 'grants.write')) return;
    if (change.addedScopes.length || change.addedRoleBindings.length || change.grantsAdmin)
      throw new AppError('forbidden', 'Your role does not allow granting scopes, roles or the admin flag.');
    return;
  }

  // A service account: its context's role (ADMIN, set by apiRoute) is deliberately not consulted.
  const self = ctx.actor.id;
  if (change.accountId === self && change.changedFields.length) {
    throw new AppError(
      'forbidden',
      `A service account cannot change its own ${change.changedFields.join(', ')}: ask a member or another account.`,
    );
  }
  const held = new Set(ctx.tokenScopes ?? []);
  for (const scope of change.addedScopes) {
    if (!held.has(scope))
      throw new AppError('forbidden', `You cannot grant ${scope}: you do not hold it.`, {
        fields: { scopes: [`You cannot grant ${scope}: you do not hold it.`] },
      });
  }
  if (!change.addedRoleBindings.length && !change.grantsAdmin) return;
  const caller = await tx.serviceAccount.findFirst({
    where: { id: self, organizationId: ctx.orgId },
    select: { isAdmin: true, roleBindings: { select: { roleId: true, projectId: true } } },
  });
  if (change.grantsAdmin && !caller?.isAdmin)
    throw new AppError('forbidden', 'You cannot grant the admin flag: you do not hold it.', {
      fields: { isAdmin: ['You cannot grant the admin flag: you do not hold it.'] },
    });
  const heldBindings = new Set((caller?.roleBindings ?? []).map(bindingKey));
  const missing = change.addedRoleBindings.filter((b) => !heldBindings.has(bindingKey(b)));
  if (missing.length) {
    const names = await tx.roleDefinition.findMany({
      where: { organizationId: ctx.orgId, id: { in: missing.map((b) => b.roleId) } },
      select: { id: true, name: true },
    });
    const nameOf = new Map(names.map((r) => [r.id, r.name]));
    const first = missing[0] as { roleId: string; projectId: string | null };
    const label = `the role ${nameOf.get(first.roleId) ?? first.roleId}${first.projectId ? ` on project ${first.projectId}` : ''}`;
    throw new AppError('forbidden', `You cannot grant ${label}: you do not hold it.`, {
      fields: {
        roleBindings: missing.map((b) => `You cannot grant ${nameOf.get(b.roleId) ?? b.roleId}: you do not hold it.`),
      },
    });
  }
}

/**
 * assertMayIssueCredentialFor guards issuing, rotating or re-enabling a credential of account
 * `accountId`: whoever holds that credential can mint the account's tokens, so it hands over
 * every grant the account has. A service-account caller must therefore hold all of them itself
 * (the same rule as assertMayGrant, with the account's whole grants as "added"), or a token with
 * only manage:service_accounts could create a secret for an account holding read:audit and read
 * the audit log with it. Members with `grants.write` and Latchkey itself pass.
 */
export async function assertMayIssueCredentialFor(tx: Tx, ctx: OrgContext, accountId: string): Promise<void> {
  if (ctx.actor.type !== 'SERVICE_ACCOUNT') return;
  const target = await tx.serviceAccount.findFirst({
    where: { id: accountId, organizationId: ctx.orgId },
    select: {
      isAdmin: true,
      scopes: { select: { scope: { select: { name: true } } } },
      roleBindings: { select: { roleId: true, projectId: true } },
    },
  });
  if (!target) return; // the caller's own lookup answers not_found
  await assertMayGrant(tx, ctx, {
    accountId,
    addedScopes: target.scopes.map((s) => s.scope.name),
    addedRoleBindings: target.roleBindings,
    grantsAdmin: target.isAdmin,
    changedFields: [],
  });
}

/**
 * assertNotOwnCatalogEntry extends the rule above to the catalog (manage:catalog): a service
 * account never renames, retires, restores or deletes a scope it holds or a role it is bound to.
 * Renaming a held scope would change what its own tokens carry (a resource server reads names),
 * and restoring a retired one would give back what a person took away. Members and Latchkey
 * itself pass; `forbidden` otherwise.
 */
export async function assertNotOwnCatalogEntry(
  tx: Tx,
  ctx: OrgContext,
  entry: { scopeId: string } | { roleId: string },
): Promise<void> {
  if (ctx.actor.type !== 'SERVICE_ACCOUNT' || !ctx.actor.id) return;
  const serviceAccountId = ctx.actor.id;
  const own =
    'scopeId' in entry
      ? await tx.serviceAccountScope.findFirst({
          where: { serviceAccountId, scopeId: entry.scopeId },
          select: { scopeId: true },
        })
      : await tx.roleBinding.findFirst({
          where: { serviceAccountId, roleId: entry.roleId, organizationId: ctx.orgId },
          select: { id: true },
        });
  if (own)
    throw new AppError(
      'forbidden',
      `A service account cannot change a ${'scopeId' in entry ? 'scope it holds' : 'role it is bound to'}: ask a member or another account.`,
    );
}
