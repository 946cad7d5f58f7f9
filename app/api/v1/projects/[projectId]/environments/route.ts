import { apiRoute } from '@/lib/http/api-route';
import { createEnvironment } from '@/lib/projects/create-project';
import { createEnvironmentInput, projectParams } from '@/lib/projects/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// POST /api/v1/projects/{projectId}/environments: add an environment to a project
export const POST = apiRoute(
  { permission: 'catalog.write', params: projectParams, body: createEnvironmentInput },
  async (ctx, { params, body }) => Response.json(await createEnvironment(ctx, params.projectId, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
