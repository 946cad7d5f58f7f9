import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { deleteWebhook } from '@/lib/webhooks/delete-webhook';
import { getWebhook } from '@/lib/webhooks/queries';
import { updateWebhookInput, webhookParams } from '@/lib/webhooks/schema';
import { updateWebhook } from '@/lib/webhooks/update-webhook';

// GET /api/v1/webhooks/{webhookId}: one webhook (never its secret)
export const GET = apiRoute({ permission: 'webhooks.read', params: webhookParams }, async (ctx, { params }) =>
  Response.json(await getWebhook(ctx, params.webhookId)),
);

// PATCH /api/v1/webhooks/{webhookId}: change URL, description, events or status
export const PATCH = apiRoute(
  { permission: 'webhooks.write', params: webhookParams, body: updateWebhookInput },
  async (ctx, { params, body }) => Response.json(await updateWebhook(ctx, params.webhookId, body)),
);

// DELETE /api/v1/webhooks/{webhookId}: delete a webhook and its delivery log
export const DELETE = apiRoute({ permission: 'webhooks.write', params: webhookParams }, async (ctx, { params }) => {
  await deleteWebhook(ctx, params.webhookId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET', 'PATCH', 'DELETE');
export const PUT = notAllowed('GET', 'PATCH', 'DELETE');
