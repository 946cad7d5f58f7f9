import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { createScope, listScopes } from '@/lib/scopes/manage-scopes';
import { createScopeInput } from '@/lib/scopes/schema';

// GET /api/v1/scopes: the organization's scope catalog
export const GET = apiRoute({ permission: 'organization.read' }, async (ctx) =>
  Response.json({ scopes: await listScopes(ctx) }),
);

// POST /api/v1/scopes: add a scope to the catalog
export const POST = apiRoute({ permission: 'catalog.write', body: createScopeInput }, async (ctx, { body }) =>
  Response.json(await createScope(ctx, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
