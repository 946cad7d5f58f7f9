'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { createEnvironment, createProject } from '@/lib/projects/create-project';
import { createEnvironmentForm, createProjectForm } from '@/lib/projects/schema';
import { updateOrganizationForm } from '@/lib/organizations/schema';
import { updateOrganization } from '@/lib/organizations/update-organization';
import { paths } from '@/lib/paths';

// Create a project (with its environments) in the organization.
export const createProjectAction = defineAction(
  { input: createProjectForm, permission: 'organization.write' },
  async (ctx, input) => {
    const project = await createProject(ctx, input);
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: project.id, name: project.name };
  },
);

// Add an environment to one of the organization's projects.
export const createEnvironmentAction = defineAction(
  { input: createEnvironmentForm, permission: 'organization.write' },
  async (ctx, { projectId, name }) => {
    const env = await createEnvironment(ctx, projectId, { name });
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: env.id, name: env.name };
  },
);

// Rename the organization or change the maximum credential lifetime.
export const updateOrganizationAction = defineAction(
  { input: updateOrganizationForm, permission: 'organization.write' },
  async (ctx, input) => {
    const org = await updateOrganization(ctx, input);
    revalidatePath(paths.settings(ctx.orgSlug), 'layout');
    return { name: org.name };
  },
);
