import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { deleteEnvironment, updateEnvironment } from '@/lib/projects/change-project';
import { environmentParams, updateEnvironmentInput } from '@/lib/projects/schema';

// PATCH /api/v1/projects/{projectId}/environments/{environmentId}: rename an environment
export const PATCH = apiRoute(
  { permission: 'catalog.write', params: environmentParams, body: updateEnvironmentInput },
  async (ctx, { params, body }) =>
    Response.json(await updateEnvironment(ctx, params.projectId, params.environmentId, body)),
);

// DELETE /api/v1/projects/{projectId}/environments/{environmentId}: delete an environment
export const DELETE = apiRoute({ permission: 'catalog.write', params: environmentParams }, async (ctx, { params }) => {
  await deleteEnvironment(ctx, params.projectId, params.environmentId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
