import { z } from 'zod';
import { nameField } from '@/lib/validation/names';

export const projectIdField = z.string().regex(/^prj_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a project id.' });

export const createProjectInput = z
  .strictObject({
    name: nameField({ required: 'Enter a project name.' }),
    description: z.string().trim().max(500, { error: 'Use at most 500 characters.' }).default(''),
    environments: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'Environment names use lowercase letters, digits and dashes.' }),
      )
      .max(20, { error: 'At most 20 environments.' })
      .default(['production', 'staging', 'development'])
      .refine((list) => new Set(list).size === list.length, { error: 'Environment names must differ.' }),
  })
  .meta({ id: 'CreateProjectInput' });
export type CreateProjectInput = z.infer<typeof createProjectInput>;

export const createEnvironmentInput = z
  .strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'Use lowercase letters, digits and dashes (at most 40).' }),
  })
  .meta({ id: 'CreateEnvironmentInput' });
export type CreateEnvironmentInput = z.infer<typeof createEnvironmentInput>;

export const projectParams = z.object({ projectId: projectIdField });

export const environmentDto = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string() })
  .meta({ id: 'Environment' });
export const projectDto = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    createdAt: z.string(),
    environments: z.array(environmentDto),
  })
  .meta({ id: 'Project' });
export type ProjectDto = z.infer<typeof projectDto>;
export type EnvironmentDto = z.infer<typeof environmentDto>;

/** createProjectForm is the console form: environments typed as a comma-separated list. */
export const createProjectForm = z
  .object({ name: z.string().default(''), description: z.string().default(''), environments: z.string().default('') })
  .transform((v): z.input<typeof createProjectInput> => {
    const environments = v.environments.split(/[\s,]+/).filter(Boolean);
    return { name: v.name, description: v.description, ...(environments.length ? { environments } : {}) };
  })
  .pipe(createProjectInput);

export const createEnvironmentForm = z.object({ projectId: projectIdField }).extend(createEnvironmentInput.shape);

export const environmentIdField = z.string().regex(/^env_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not an environment id.' });
export const environmentParams = z.object({ projectId: projectIdField, environmentId: environmentIdField });

/** updateProjectInput renames a project or changes its description (at least one of them). */
export const updateProjectInput = z
  .strictObject({
    name: nameField({ required: 'Enter a project name.' }).optional(),
    description: z.string().trim().max(500, { error: 'Use at most 500 characters.' }).optional(),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined, { error: 'Give a new name or description.' })
  .meta({ id: 'UpdateProjectInput' });
export type UpdateProjectInput = z.infer<typeof updateProjectInput>;

/** updateEnvironmentInput renames an environment. */
export const updateEnvironmentInput = createEnvironmentInput.meta({ id: 'UpdateEnvironmentInput' });
export type UpdateEnvironmentInput = z.infer<typeof updateEnvironmentInput>;

/** The console's rename and delete forms name the object by its ids (and a rename by its new name). */
export const renameProjectForm = z.object({
  projectId: projectIdField,
  name: nameField({ required: 'Enter a project name.' }),
});
export const deleteProjectForm = z.object({ projectId: projectIdField });
export const renameEnvironmentForm = environmentParams.extend(createEnvironmentInput.shape);
export const deleteEnvironmentForm = environmentParams;
