import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { deleteProject, updateProject } from '@/lib/projects/change-project';
import { projectParams, updateProjectInput } from '@/lib/projects/schema';

// PATCH /api/v1/projects/{projectId}: rename a project or change its description
export const PATCH = apiRoute(
  { permission: 'catalog.write', params: projectParams, body: updateProjectInput },
  async (ctx, { params, body }) => Response.json(await updateProject(ctx, params.projectId, body)),
);

// DELETE /api/v1/projects/{projectId}: delete a project, its environments and what is narrowed to it
export const DELETE = apiRoute({ permission: 'catalog.write', params: projectParams }, async (ctx, { params }) => {
  await deleteProject(ctx, params.projectId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
