import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { deleteScope, updateScope } from '@/lib/scopes/manage-scopes';
import { scopeParams, updateScopeInput } from '@/lib/scopes/schema';

// PATCH /api/v1/scopes/{scopeId}: rename, describe, retire or restore a scope
export const PATCH = apiRoute(
  { permission: 'catalog.write', params: scopeParams, body: updateScopeInput },
  async (ctx, { params, body }) => Response.json(await updateScope(ctx, params.scopeId, body)),
);

// DELETE /api/v1/scopes/{scopeId}: delete a scope no account holds
export const DELETE = apiRoute({ permission: 'catalog.write', params: scopeParams }, async (ctx, { params }) => {
  await deleteScope(ctx, params.scopeId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
