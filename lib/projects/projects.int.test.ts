import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { createEnvironment, createProject } from './create-project';
import { listProjects } from './queries';
import { createProjectForm, createProjectInput } from './schema';

async function orgWith(role: 'OWNER' | 'ADMIN' | 'AUDITOR') {
  const org = await createTestOrg();
  const user = await createTestMember(org.id, role);
  return { org, ctx: memberCtx(org, user, role) };
}

describe('projects', () => {
  it('creates a project with default environments, audited, and lists it', async () => {
    const { org, ctx } = await orgWith('ADMIN');
    const project = await createProject(ctx, createProjectInput.parse({ name: 'Fleet app' }));
    expect(project.environments.map((e) => e.name)).toEqual(['production', 'staging', 'development']);
    await createEnvironment(ctx, project.id, { name: 'qa' });
    const [listed] = await listProjects(ctx);
    expect(listed?.environments.map((e) => e.name)).toEqual(['production', 'staging', 'development', 'qa']);
    const actions = (await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['project.created', 'environment.created']));
  });

  it('refuses taken names, auditors, and other organizations', async () => {
    const { ctx } = await orgWith('OWNER');
    const project = await createProject(ctx, createProjectInput.parse({ name: 'Routing', environments: ['prod'] }));
    await expect(createProject(ctx, createProjectInput.parse({ name: 'Routing' }))).rejects.toMatchObject({
      code: 'name_taken',
    });
    await expect(createEnvironment(ctx, project.id, { name: 'prod' })).rejects.toMatchObject({ code: 'name_taken' });

    const auditor = await createTestMember(ctx.orgId, 'AUDITOR');
    const auditorCtx = memberCtx({ id: ctx.orgId, slug: ctx.orgSlug }, auditor, 'AUDITOR');
    await expect(createProject(auditorCtx, createProjectInput.parse({ name: 'Nope' }))).rejects.toMatchObject({
      code: 'forbidden',
    });

    const other = await orgWith('OWNER');
    await expect(createEnvironment(other.ctx, project.id, { name: 'sneaky' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await listProjects(other.ctx)).toEqual([]);
  });
});

describe('project input', () => {
  it('reads the console form and rejects bad environment names', () => {
    expect(createProjectForm.parse({ name: ' App ', environments: 'prod, eu-west  staging' })).toMatchObject({
      name: 'App',
      environments: ['prod', 'eu-west', 'staging'],
    });
    expect(createProjectForm.parse({ name: 'App', environments: '' }).environments).toEqual([
      'production',
      'staging',
      'development',
    ]);
    expect(createProjectForm.safeParse({ name: 'App', environments: 'Prod' }).success).toBe(false);
    expect(createProjectForm.safeParse({ name: 'App', environments: 'a, a' }).success).toBe(false);
    expect(createProjectInput.safeParse({ name: 'App', extra: true }).success).toBe(false);
    expect(createProjectInput.safeParse({ name: '' }).success).toBe(false);
  });
});
