import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { createRole, listRoles } from '@/lib/roles/manage-roles';
import { createRoleInput } from '@/lib/roles/schema';

// GET /api/v1/roles: the organization's organization and project roles, with the ids to bind
export const GET = apiRoute({ permission: 'organization.read' }, async (ctx) =>
  Response.json({ roles: await listRoles(ctx) }),
);

// POST /api/v1/roles: define a role
export const POST = apiRoute({ permission: 'catalog.write', body: createRoleInput }, async (ctx, { body }) =>
  Response.json(await createRole(ctx, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
