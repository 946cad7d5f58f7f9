import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { listDeliveries } from '@/lib/webhooks/queries';
import { listDeliveriesQuery, webhookParams } from '@/lib/webhooks/schema';

// GET /api/v1/webhooks/{webhookId}/deliveries: the delivery log, newest first
export const GET = apiRoute(
  { permission: 'webhooks.read', params: webhookParams, query: listDeliveriesQuery },
  async (ctx, { params, query }) => Response.json(await listDeliveries(ctx, params.webhookId, query.limit)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
