import { apiRoute } from '@/lib/http/api-route';
import { createProject } from '@/lib/projects/create-project';
import { listProjects } from '@/lib/projects/queries';
import { createProjectInput } from '@/lib/projects/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/projects: the organization's projects and their environments
export const GET = apiRoute({ permission: 'organization.read' }, async (ctx) =>
  Response.json({ projects: await listProjects(ctx) }),
);

// POST /api/v1/projects: create a project with its environments
export const POST = apiRoute({ permission: 'catalog.write', body: createProjectInput }, async (ctx, { body }) =>
  Response.json(await createProject(ctx, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
