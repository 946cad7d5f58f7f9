'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { deleteEnvironment, deleteProject, updateEnvironment, updateProject } from '@/lib/projects/change-project';
import { createEnvironment, createProject } from '@/lib/projects/create-project';
import {
  createEnvironmentForm,
  createProjectForm,
  deleteEnvironmentForm,
  deleteProjectForm,
  renameEnvironmentForm,
  renameProjectForm,
} from '@/lib/projects/schema';
import { updateOrganizationForm } from '@/lib/organizations/schema';
import { updateOrganization } from '@/lib/organizations/update-organization';
import { paths } from '@/lib/paths';

// Create a project (with its environments) in the organization.
export const createProjectAction = defineAction(
  { input: createProjectForm, permission: 'catalog.write' },
  async (ctx, input) => {
    const project = await createProject(ctx, input);
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: project.id, name: project.name };
  },
);

// Add an environment to one of the organization's projects.
export const createEnvironmentAction = defineAction(
  { input: createEnvironmentForm, permission: 'catalog.write' },
  async (ctx, { projectId, name }) => {
    const env = await createEnvironment(ctx, projectId, { name });
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: env.id, name: env.name };
  },
);

// Rename a project.
export const renameProjectAction = defineAction(
  { input: renameProjectForm, permission: 'catalog.write' },
  async (ctx, { projectId, name }) => {
    const project = await updateProject(ctx, projectId, { name });
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: project.id, name: project.name };
  },
);

// Delete a project with its environments, role bindings and narrowed tokens.
export const deleteProjectAction = defineAction(
  { input: deleteProjectForm, permission: 'catalog.write' },
  async (ctx, { projectId }) => {
    await deleteProject(ctx, projectId);
    revalidatePath(paths.settings(ctx.orgSlug));
  },
);

// Rename an environment of a project.
export const renameEnvironmentAction = defineAction(
  { input: renameEnvironmentForm, permission: 'catalog.write' },
  async (ctx, { projectId, environmentId, name }) => {
    const env = await updateEnvironment(ctx, projectId, environmentId, { name });
    revalidatePath(paths.settings(ctx.orgSlug));
    return { id: env.id, name: env.name };
  },
);

// Delete an environment of a project.
export const deleteEnvironmentAction = defineAction(
  { input: deleteEnvironmentForm, permission: 'catalog.write' },
  async (ctx, { projectId, environmentId }) => {
    await deleteEnvironment(ctx, projectId, environmentId);
    revalidatePath(paths.settings(ctx.orgSlug));
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
