import { apiRoute } from '@/lib/http/api-route';
import { createProject } from '@/lib/projects/create-project';
import { listProjects } from '@/lib/projects/queries';
import { createProjectInput } from '@/lib/projects/schema';

// GET /api/v1/projects: the organization's projects and their environments
export const GET = apiRoute({ permission: 'organization.read' }, async (ctx) =>
  Response.json({ projects: await listProjects(ctx) }),
);

// POST /api/v1/projects: create a project with its environments
export const POST = apiRoute({ permission: 'organization.write', body: createProjectInput }, async (ctx, { body }) =>
  Response.json(await createProject(ctx, body), { status: 201 }),
);
