import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { redeliverWebhook } from '@/lib/webhooks/redeliver';
import { deliveryParams } from '@/lib/webhooks/schema';

// POST /api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver: send that event again
export const POST = apiRoute({ permission: 'webhooks.write', params: deliveryParams }, async (ctx, { params }) =>
  Response.json(await redeliverWebhook(ctx, params.webhookId, params.deliveryId), { status: 202 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
