import 'server-only';
import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RoleBindingInput } from './schema';

/**
 * resolveScopes maps scope names to the organization's catalog ids. Unknown names, and
 * management scopes on an account that is not isAdmin (they would grant nothing), are field
 * errors on `scopes`. Only the caller's organization's catalog is searched.
 */
export async function resolveScopes(
  tx: Tx,
  orgId: string,
  names: string[],
  isAdmin: boolean,
  /** The scopes the account holds already: a retired one among them may stay, none may be added. */
  held: readonly string[] = [],
): Promise<string[]> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return [];
  // FOR KEY SHARE: a retirement or deletion of one of these scopes (lib/scopes/manage-scopes.ts
  // locks it FOR UPDATE) waits for this grant to commit, or this read waits for it and sees it.
  const rows = (
    await tx.$queryRaw<Array<{ id: string; name: string; is_management: boolean; retired_at: Date | null }>>`
      SELECT id, name, is_management, retired_at FROM scopes
      WHERE organization_id = ${orgId} AND name = ANY(${unique}::text[]) FOR KEY SHARE`
  ).map((r) => ({ id: r.id, name: r.name, isManagement: r.is_management, retiredAt: r.retired_at }));
  const found = new Map(rows.map((r) => [r.name, r]));
  const unknown = unique.filter((n) => !found.has(n));
  if (unknown.length) {
    throw new AppError('validation_failed', 'Some scopes are not in the catalog.', {
      fields: { scopes: [`Not in this organization's catalog: ${unknown.join(', ')}.`] },
    });
  }
  const retired = rows.filter((r) => r.retiredAt && !held.includes(r.name)).map((r) => r.name);
  if (retired.length) {
    throw new AppError('scope_retired', 'Retired scopes cannot be granted.', {
      fields: { scopes: [`Retired, so no longer granted: ${retired.join(', ')}.`] },
    });
  }
  const management = rows.filter((r) => r.isManagement).map((r) => r.name);
  if (management.length && !isAdmin) {
    throw new AppError('validation_failed', 'Management scopes need an admin account.', {
      fields: { scopes: [`${management.join(', ')} only work for an admin account: tick "Admin" or remove them.`] },
    });
  }
  return rows.map((r) => r.id);
}

/**
 * resolveRoleBindings checks every binding against the organization's role catalog and
 * projects: an organization role takes no project, a project role needs one. Both ids must
 * belong to the caller's organization (a guessed id from elsewhere is "not found").
 */
export async function resolveRoleBindings(
  tx: Tx,
  orgId: string,
  bindings: RoleBindingInput[],
  /** The role ids the account is bound to already: a retired one among them may stay, none may be added. */
  heldRoleIds: readonly string[] = [],
): Promise<RoleBindingInput[]> {
  const seen = new Set<string>();
  const unique = bindings.filter((b) => {
    const key = `${b.roleId}@${b.projectId ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) return [];
  const roleIds = [...new Set(unique.map((b) => b.roleId))];
  const projectIds = [...new Set(unique.flatMap((b) => (b.projectId ? [b.projectId] : [])))];
  const [roles, projects] = await Promise.all([
    // FOR KEY SHARE, as resolveScopes: a retirement or deletion of the role (lockRole in
    // lib/roles/manage-roles.ts) and this binding are ordered, never interleaved.
    tx.$queryRaw<Array<{ id: string; name: string; kind: string; retired_at: Date | null }>>`
      SELECT id, name, kind::text, retired_at FROM roles
      WHERE organization_id = ${orgId} AND id = ANY(${roleIds}::text[]) FOR KEY SHARE`.then((rows) =>
      rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, retiredAt: r.retired_at })),
    ),
    projectIds.length
      ? tx.project.findMany({ where: { organizationId: orgId, id: { in: projectIds } }, select: { id: true } })
      : [],
  ]);
  const roleById = new Map(roles.map((r) => [r.id, r]));
  const projectSet = new Set(projects.map((p) => p.id));
  const errors: string[] = [];
  for (const b of unique) {
    const role = roleById.get(b.roleId);
    if (!role) errors.push(`Role ${b.roleId} was not found.`);
    else if (role.retiredAt && !heldRoleIds.includes(role.id))
      errors.push(`${role.name} is retired: it is bound to nobody new.`);
    else if (role.kind === 'ORGANIZATION' && b.projectId)
      errors.push(`${role.name} is an organization role: it takes no project.`);
    else if (role.kind === 'PROJECT' && !b.projectId) errors.push(`${role.name} is a project role: choose a project.`);
    else if (b.projectId && !projectSet.has(b.projectId)) errors.push(`Project ${b.projectId} was not found.`);
  }
  if (errors.length)
    throw new AppError('validation_failed', 'Some role bindings are invalid.', { fields: { roleBindings: errors } });
  return unique;
}
