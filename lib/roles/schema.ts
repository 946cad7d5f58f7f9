import { z } from 'zod';

/** A role an organization defines, as the API lists it: bind it with its `id` (RoleBindingInput). */
export const roleDto = z
  .object({
    id: z.string().meta({ description: 'The `rol_…` id that a RoleBindingInput names.' }),
    name: z.string(),
    description: z.string(),
    kind: z.enum(['ORGANIZATION', 'PROJECT']).meta({
      description:
        'ORGANIZATION roles are bound organization-wide (projectId null); PROJECT roles are bound to one project (projectId set), as token exchange to a project requires.',
    }),
  })
  .meta({ id: 'Role' });
export type RoleDto = z.output<typeof roleDto>;

export const roleList = z.object({ roles: z.array(roleDto) }).meta({ id: 'RoleList' });
export type RoleList = z.output<typeof roleList>;
