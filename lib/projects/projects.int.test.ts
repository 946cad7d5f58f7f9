import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import {
  basic,
  createAccount,
  createClientSecret,
  createProject as createTestProject,
  formRequest,
} from '@/lib/testing/oauth-factories';
import { listLiveTokens } from '@/lib/tokens/live-tokens';
import { deleteEnvironment, deleteProject, updateEnvironment, updateProject } from './change-project';
import { createEnvironment, createProject } from './create-project';
import { listProjects } from './queries';
import { createProjectForm, createProjectInput, updateProjectInput } from './schema';

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

describe('renaming and deleting projects and environments', () => {
  async function token(secret: { id: string; secret: string }, narrowing: Record<string, string> = {}) {
    const plain = await tokenRoute(
      formRequest(
        '/api/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(secret.id, secret.secret) },
      ),
    );
    expect(plain.status).toBe(200);
    const accessToken = ((await plain.json()) as { access_token: string }).access_token;
    if (!narrowing.project_id) return accessToken;
    // Token exchange (RFC 8693) narrows a token to a project and environment.
    const res = await tokenRoute(
      formRequest(
        '/api/oauth/token',
        {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: accessToken,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          ...narrowing,
        },
        { authorization: basic(secret.id, secret.secret) },
      ),
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }
  async function active(token: string, by: { id: string; secret: string }) {
    const res = await introspectRoute(
      formRequest('/api/oauth/introspect', { token }, { authorization: basic(by.id, by.secret) }),
    );
    return ((await res.json()) as { active: boolean }).active;
  }

  it('renames (names stay unique), refuses auditors and other organizations, and audits', async () => {
    const { org, ctx } = await orgWith('ADMIN');
    const a = await createProject(ctx, createProjectInput.parse({ name: 'Alpha', environments: ['prod', 'qa'] }));
    await createProject(ctx, createProjectInput.parse({ name: 'Beta' }));
    const renamed = await updateProject(ctx, a.id, updateProjectInput.parse({ name: 'Alpha 2', description: 'New' }));
    expect(renamed).toMatchObject({ name: 'Alpha 2', description: 'New' });
    await expect(updateProject(ctx, a.id, updateProjectInput.parse({ name: 'Beta' }))).rejects.toMatchObject({
      code: 'name_taken',
    });
    const [prod, qa] = a.environments;
    expect((await updateEnvironment(ctx, a.id, prod!.id, { name: 'production' })).name).toBe('production');
    await expect(updateEnvironment(ctx, a.id, qa!.id, { name: 'production' })).rejects.toMatchObject({
      code: 'name_taken',
    });

    const auditor = memberCtx(org, await createTestMember(org.id, 'AUDITOR'), 'AUDITOR');
    await expect(updateProject(auditor, a.id, { name: 'Nope' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(deleteProject(auditor, a.id)).rejects.toMatchObject({ code: 'forbidden' });
    const other = await orgWith('OWNER');
    await expect(updateProject(other.ctx, a.id, { name: 'Mine' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(deleteEnvironment(other.ctx, a.id, qa!.id)).rejects.toMatchObject({ code: 'not_found' });
    // An environment id under the wrong project is not found either.
    const b = (await listProjects(ctx)).find((p) => p.name === 'Beta')!;
    await expect(deleteEnvironment(ctx, b.id, qa!.id)).rejects.toMatchObject({ code: 'not_found' });

    expect(updateProjectInput.safeParse({}).success).toBe(false);
    expect(updateProjectInput.safeParse({ name: 'x', extra: 1 }).success).toBe(false);
    const actions = (await db.auditEvent.findMany({ where: { organizationId: org.id } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['project.updated', 'environment.updated']));
  });

  it('a deleted environment or project ends the tokens narrowed to it, on the next request', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const { projectId, environmentId } = await createTestProject(org, account);
    const owner = memberCtx(org, await createTestMember(org.id, 'OWNER'), 'OWNER');
    const toEnv = await token(secret, { project_id: projectId, environment_id: environmentId });
    const toProject = await token(secret, { project_id: projectId });
    const plain = await token(secret);
    expect(await active(toEnv, secret)).toBe(true);
    // Each exchange issued its subject token first: three plain tokens and two narrowed ones.
    expect(await listLiveTokens(owner, account.id)).toHaveLength(5);

    await deleteEnvironment(owner, projectId, environmentId);
    expect(await active(toEnv, secret)).toBe(false);
    expect(await active(toProject, secret)).toBe(true);
    expect(await listLiveTokens(owner, account.id)).toHaveLength(4);

    await deleteProject(owner, projectId);
    expect(await active(toProject, secret)).toBe(false);
    expect(await active(plain, secret)).toBe(true);
    expect(await listLiveTokens(owner, account.id)).toHaveLength(3);
    expect(await db.roleBinding.count({ where: { serviceAccountId: account.id, projectId } })).toBe(0);
    const deleted = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'project.deleted' },
    });
    expect(deleted.details).toMatchObject({ roleBindings: 1, environments: 0 });
  });

  it('a token exchange racing a project deletion yields a token that is dead once the deletion commits', async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const { projectId } = await createTestProject(org, account);
    // Another instance deletes the project and has not committed yet: the exchange still sees it.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('DELETE FROM projects WHERE id = $1', [projectId]);
      const narrowed = await token(secret, { project_id: projectId });
      expect(await active(narrowed, secret)).toBe(true);
      await other.query('COMMIT');
      expect(await active(narrowed, secret)).toBe(false);
    } finally {
      await other.end();
    }
  });
});
