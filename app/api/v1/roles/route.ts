import { apiRoute } from '@/lib/http/api-route';
import { listRoles } from '@/lib/roles/queries';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/roles: the organization's organization and project roles, with the ids to bind
export const GET = apiRoute({ permission: 'service_accounts.read' }, async (ctx) =>
  Response.json({ roles: await listRoles(ctx) }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
