import { apiRoute } from '@/lib/http/api-route';
import { listExpiringCredentials } from '@/lib/service-accounts/queries';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/service-accounts/expiring-credentials: enabled credentials expiring within 14 days
export const GET = apiRoute({ permission: 'service_accounts.read' }, async (ctx) =>
  Response.json({ items: await listExpiringCredentials(ctx) }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
