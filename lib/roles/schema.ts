import { z } from 'zod';

const roleName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'Use 1 to 64 letters, digits, and _ . : - (no spaces).' });
const description = z.string().trim().max(300, { error: 'Use at most 300 characters.' });
const roleKind = z.enum(['ORGANIZATION', 'PROJECT']).meta({
  description:
    'ORGANIZATION roles are bound organization-wide (projectId null); PROJECT roles are bound to one project (projectId set), as token exchange to a project requires.',
});

export const roleIdField = z.string().regex(/^rol_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a role id.' });
export const roleParams = z.object({ roleId: roleIdField });

/** A role an organization defines, as the API lists it: bind it with its `id` (RoleBindingInput). */
export const roleDto = z
  .object({
    id: z.string().meta({ description: 'The `rol_…` id that a RoleBindingInput names.' }),
    name: z.string(),
    description: z.string(),
    kind: roleKind,
    retiredAt: z
      .string()
      .nullable()
      .meta({ description: 'When it was retired: bound to nobody new, reaching no project; null while in use.' }),
    accounts: z.number().int().meta({ description: 'How many service accounts are bound to it.' }),
  })
  .meta({ id: 'Role' });
export type RoleDto = z.output<typeof roleDto>;

export const roleList = z.object({ roles: z.array(roleDto) }).meta({ id: 'RoleList' });
export type RoleList = z.output<typeof roleList>;

/** createRoleInput adds a role to the organization (API, console); its kind is fixed from then on. */
export const createRoleInput = z
  .strictObject({ name: roleName, description: description.default(''), kind: roleKind })
  .meta({ id: 'CreateRoleInput' });
export type CreateRoleInput = z.infer<typeof createRoleInput>;

/** updateRoleInput renames a role, changes its description, or retires / restores it. */
export const updateRoleInput = z
  .strictObject({
    name: roleName.optional(),
    description: description.optional(),
    retired: z.boolean().optional().meta({
      description:
        'true retires the role (bound to nobody new; its bindings reach no project, so tokens narrowed through it stop introspecting as active); false restores it.',
    }),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined || v.retired !== undefined, {
    error: 'Give a new name, a description or retired.',
  })
  .meta({ id: 'UpdateRoleInput' });
export type UpdateRoleInput = z.infer<typeof updateRoleInput>;

/** The console's forms, naming the role by its id. */
export const renameRoleForm = z.object({ roleId: roleIdField, name: roleName });
export const roleIdForm = z.object({ roleId: roleIdField });
export const retireRoleForm = z.object({ roleId: roleIdField, retired: z.enum(['true', 'false']) });
