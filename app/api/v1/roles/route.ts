import { apiRoute } from '@/lib/http/api-route';
import { listRoles } from '@/lib/roles/queries';

// GET /api/v1/roles: the organization's organization and project roles, with the ids to bind
export const GET = apiRoute({ permission: 'service_accounts.read' }, async (ctx) =>
  Response.json({ roles: await listRoles(ctx) }),
);
