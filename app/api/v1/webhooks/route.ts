import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { createWebhook } from '@/lib/webhooks/create-webhook';
import { listWebhooks } from '@/lib/webhooks/queries';
import { createWebhookInput } from '@/lib/webhooks/schema';

// GET /api/v1/webhooks: list the organization's webhooks
export const GET = apiRoute({ permission: 'webhooks.read' }, async (ctx) => Response.json(await listWebhooks(ctx)));

// POST /api/v1/webhooks: create a webhook (its signing secret is in this answer only)
export const POST = apiRoute({ permission: 'webhooks.write', body: createWebhookInput }, async (ctx, { body }) =>
  Response.json(await createWebhook(ctx, body), { status: 201, headers: { 'Cache-Control': 'no-store' } }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
