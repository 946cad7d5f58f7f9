import { apiRoute } from '@/lib/http/api-route';
import { listExpiringCredentials } from '@/lib/service-accounts/queries';

// GET /api/v1/service-accounts/expiring-credentials: enabled credentials expiring within 14 days
export const GET = apiRoute({ permission: 'service_accounts.read' }, async (ctx) =>
  Response.json({ items: await listExpiringCredentials(ctx) }),
);
