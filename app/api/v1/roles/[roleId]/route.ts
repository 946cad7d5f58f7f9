import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { deleteRole, updateRole } from '@/lib/roles/manage-roles';
import { roleParams, updateRoleInput } from '@/lib/roles/schema';

// PATCH /api/v1/roles/{roleId}: rename, describe, retire or restore a role
export const PATCH = apiRoute(
  { permission: 'catalog.write', params: roleParams, body: updateRoleInput },
  async (ctx, { params, body }) => Response.json(await updateRole(ctx, params.roleId, body)),
);

// DELETE /api/v1/roles/{roleId}: delete a role no account is bound to
export const DELETE = apiRoute({ permission: 'catalog.write', params: roleParams }, async (ctx, { params }) => {
  await deleteRole(ctx, params.roleId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
