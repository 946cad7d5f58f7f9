import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { assertCan } from '@/lib/auth/assert-can';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import type { CreateEnvironmentInput, CreateProjectInput, EnvironmentDto, ProjectDto } from './schema';

/**
 * createProject creates a project and its environments in the caller's organization
 * (`name_taken` when the name is used) and audits `project.created` in the same transaction.
 */
export async function createProject(ctx: OrgContext, input: CreateProjectInput): Promise<ProjectDto> {
  assertCan(ctx, 'catalog.write');
  return db.$transaction(async (tx) => {
    const taken = await tx.project.findFirst({
      where: { organizationId: ctx.orgId, name: input.name },
      select: { id: true },
    });
    if (taken)
      throw new AppError('name_taken', `A project named "${input.name}" exists.`, {
        fields: { name: ['This name is taken.'] },
      });
    const project = await tx.project.create({
      data: { id: newId('project'), organizationId: ctx.orgId, name: input.name, description: input.description },
    });
    const environments = [];
    for (const name of input.environments) {
      environments.push(
        await tx.environment.create({
          data: { id: newId('environment'), organizationId: ctx.orgId, projectId: project.id, name },
        }),
      );
    }
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'project.created',
      target: { type: 'project', id: project.id },
      meta: ctx,
      details: { name: project.name, environments: input.environments },
    });
    return {
      id: project.id,
      name: project.name,
      description: project.description,
      createdAt: project.createdAt.toISOString(),
      environments: environments.map((e) => ({ id: e.id, name: e.name, createdAt: e.createdAt.toISOString() })),
    };
  });
}

/** createEnvironment adds an environment to one of the organization's projects (404 otherwise). */
export async function createEnvironment(
  ctx: OrgContext,
  projectId: string,
  input: CreateEnvironmentInput,
): Promise<EnvironmentDto> {
  assertCan(ctx, 'catalog.write');
  return db.$transaction(async (tx) => {
    // 404 rather than 403: another organization's project must look exactly like a missing one.
    const project = await tx.project.findFirst({
      where: { id: projectId, organizationId: ctx.orgId },
      select: { id: true },
    });
    if (!project) throw new AppError('not_found', 'Project not found.');
    const taken = await tx.environment.findFirst({ where: { projectId, name: input.name }, select: { id: true } });
    if (taken)
      throw new AppError('name_taken', `The project has an environment named "${input.name}".`, {
        fields: { name: ['This name is taken.'] },
      });
    const env = await tx.environment.create({
      data: { id: newId('environment'), organizationId: ctx.orgId, projectId, name: input.name },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'environment.created',
      target: { type: 'environment', id: env.id },
      meta: ctx,
      details: { projectId, name: env.name },
    });
    return { id: env.id, name: env.name, createdAt: env.createdAt.toISOString() };
  });
}
