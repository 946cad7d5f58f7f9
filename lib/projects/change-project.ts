import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { assertCan } from '@/lib/auth/assert-can';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Tx } from '@/lib/db/client';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { EnvironmentDto, ProjectDto, UpdateEnvironmentInput, UpdateProjectInput } from './schema';

/** The project, locked for this transaction; another organization's looks exactly like a missing one. */
async function lockProject(tx: Tx, ctx: OrgContext, projectId: string) {
  const [project] = await tx.$queryRaw<Array<{ id: string; name: string; description: string }>>`
    SELECT id, name, description FROM projects WHERE id = ${projectId} AND organization_id = ${ctx.orgId} FOR UPDATE`;
  if (!project) throw new AppError('not_found', 'Project not found.');
  return project;
}

async function lockEnvironment(tx: Tx, ctx: OrgContext, projectId: string, environmentId: string) {
  const project = await lockProject(tx, ctx, projectId);
  const [environment] = await tx.$queryRaw<Array<{ id: string; name: string }>>`
    SELECT id, name FROM environments
    WHERE id = ${environmentId} AND project_id = ${projectId} AND organization_id = ${ctx.orgId} FOR UPDATE`;
  if (!environment) throw new AppError('not_found', 'Environment not found.');
  return { project, environment };
}

async function projectDto(tx: Tx, projectId: string): Promise<ProjectDto> {
  const p = await tx.project.findUniqueOrThrow({
    where: { id: projectId },
    select: {
      id: true,
      name: true,
      description: true,
      createdAt: true,
      environments: { select: { id: true, name: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
    },
  });
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    createdAt: p.createdAt.toISOString(),
    environments: p.environments.map((e) => ({ id: e.id, name: e.name, createdAt: e.createdAt.toISOString() })),
  };
}

/**
 * updateProject renames a project or changes its description (`name_taken` when another project
 * of the organization has the name). Tokens narrowed to it keep naming it by id, so a rename
 * changes nothing for them. Audited `project.updated` with the old and new values.
 */
export async function updateProject(
  ctx: OrgContext,
  projectId: string,
  input: UpdateProjectInput,
): Promise<ProjectDto> {
  assertCan(ctx, 'catalog.write');
  return db.$transaction(async (tx) => {
    const before = await lockProject(tx, ctx, projectId);
    if (input.name !== undefined && input.name !== before.name) {
      const taken = await tx.project.findFirst({
        where: { organizationId: ctx.orgId, name: input.name, NOT: { id: projectId } },
        select: { id: true },
      });
      if (taken)
        throw new AppError('name_taken', `A project named "${input.name}" exists.`, {
          fields: { name: ['This name is taken.'] },
        });
    }
    await tx.project.update({
      where: { id: projectId },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'project.updated',
      target: { type: 'project', id: projectId },
      meta: ctx,
      details: {
        ...(input.name !== undefined ? { name: input.name, previousName: before.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      },
    });
    return projectDto(tx, projectId);
  });
}

/**
 * deleteProject deletes a project with its environments, the role bindings to it and the
 * refresh tokens narrowed to it or its environments (foreign keys, ON DELETE CASCADE). Access
 * tokens narrowed to it stop introspecting as active from the next request on, on every
 * instance: the token state (lib/tokens/token-state.ts) requires a narrowed token's project and
 * environment to exist. Audited `project.deleted` with what went with it.
 */
export async function deleteProject(ctx: OrgContext, projectId: string): Promise<void> {
  assertCan(ctx, 'catalog.write');
  await db.$transaction(async (tx) => {
    const project = await lockProject(tx, ctx, projectId);
    const [environments, roleBindings, refreshTokens] = await Promise.all([
      tx.environment.count({ where: { projectId } }),
      tx.roleBinding.count({ where: { projectId } }),
      tx.refreshToken.count({ where: { projectId } }),
    ]);
    await tx.project.delete({ where: { id: projectId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'project.deleted',
      target: { type: 'project', id: projectId },
      meta: ctx,
      details: { name: project.name, environments, roleBindings, refreshTokens },
    });
  });
}

/** updateEnvironment renames an environment (`name_taken` within its project). Audited `environment.updated`. */
export async function updateEnvironment(
  ctx: OrgContext,
  projectId: string,
  environmentId: string,
  input: UpdateEnvironmentInput,
): Promise<EnvironmentDto> {
  assertCan(ctx, 'catalog.write');
  return db.$transaction(async (tx) => {
    const { environment } = await lockEnvironment(tx, ctx, projectId, environmentId);
    const taken = await tx.environment.findFirst({
      where: { projectId, name: input.name, NOT: { id: environmentId } },
      select: { id: true },
    });
    if (taken)
      throw new AppError('name_taken', `The project has an environment named "${input.name}".`, {
        fields: { name: ['This name is taken.'] },
      });
    const updated = await tx.environment.update({ where: { id: environmentId }, data: { name: input.name } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'environment.updated',
      target: { type: 'environment', id: environmentId },
      meta: ctx,
      details: { projectId, name: updated.name, previousName: environment.name },
    });
    return { id: updated.id, name: updated.name, createdAt: updated.createdAt.toISOString() };
  });
}

/**
 * deleteEnvironment deletes an environment and the refresh tokens narrowed to it; access tokens
 * narrowed to it stop introspecting as active (as for a deleted project). Audited `environment.deleted`.
 */
export async function deleteEnvironment(ctx: OrgContext, projectId: string, environmentId: string): Promise<void> {
  assertCan(ctx, 'catalog.write');
  await db.$transaction(async (tx) => {
    const { environment } = await lockEnvironment(tx, ctx, projectId, environmentId);
    const refreshTokens = await tx.refreshToken.count({ where: { environmentId } });
    await tx.environment.delete({ where: { id: environmentId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'environment.deleted',
      target: { type: 'environment', id: environmentId },
      meta: ctx,
      details: { projectId, name: environment.name, refreshTokens },
    });
  });
}
