'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { paths } from '@/lib/paths';
import { createRole, deleteRole, updateRole } from '@/lib/roles/manage-roles';
import { createRoleInput, renameRoleForm, retireRoleForm, roleIdForm } from '@/lib/roles/schema';
import { createScope, deleteScope, updateScope } from '@/lib/scopes/manage-scopes';
import { createScopeInput, renameScopeForm, retireScopeForm, scopeIdForm } from '@/lib/scopes/schema';

// The scope and role catalog's server actions (Settings).

// Add a scope to the organization's catalog.
export const createScopeAction = defineAction(
  { input: createScopeInput, permission: 'catalog.write' },
  async (ctx, input) => {
    const scope = await createScope(ctx, input);
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: scope.id, name: scope.name };
  },
);

// Rename a scope (future tokens carry the new name).
export const renameScopeAction = defineAction(
  { input: renameScopeForm, permission: 'catalog.write' },
  async (ctx, { scopeId, name }) => {
    const scope = await updateScope(ctx, scopeId, { name });
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: scope.id, name: scope.name };
  },
);

// Retire or restore a scope.
export const retireScopeAction = defineAction(
  { input: retireScopeForm, permission: 'catalog.write' },
  async (ctx, { scopeId, retired }) => {
    await updateScope(ctx, scopeId, { retired: retired === 'true' });
    revalidatePath(paths.settings(ctx.orgSlug));
  },
);

// Delete a scope no account holds.
export const deleteScopeAction = defineAction(
  { input: scopeIdForm, permission: 'catalog.write' },
  async (ctx, { scopeId }) => {
    await deleteScope(ctx, scopeId);
    revalidatePath(paths.settings(ctx.orgSlug));
  },
);

// Define a role.
export const createRoleAction = defineAction(
  { input: createRoleInput, permission: 'catalog.write' },
  async (ctx, input) => {
    const role = await createRole(ctx, input);
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: role.id, name: role.name };
  },
);

// Rename a role (tokens name no role: nothing changes for them).
export const renameRoleAction = defineAction(
  { input: renameRoleForm, permission: 'catalog.write' },
  async (ctx, { roleId, name }) => {
    const role = await updateRole(ctx, roleId, { name });
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: role.id, name: role.name };
  },
);

// Retire or restore a role.
export const retireRoleAction = defineAction(
  { input: retireRoleForm, permission: 'catalog.write' },
  async (ctx, { roleId, retired }) => {
    await updateRole(ctx, roleId, { retired: retired === 'true' });
    revalidatePath(paths.settings(ctx.orgSlug));
  },
);

// Delete a role no account is bound to.
export const deleteRoleAction = defineAction(
  { input: roleIdForm, permission: 'catalog.write' },
  async (ctx, { roleId }) => {
    await deleteRole(ctx, roleId);
    revalidatePath(paths.settings(ctx.orgSlug));
  },
);
