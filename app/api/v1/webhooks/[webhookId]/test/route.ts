import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { webhookParams } from '@/lib/webhooks/schema';
import { sendTestEvent } from '@/lib/webhooks/send-test-event';

// POST /api/v1/webhooks/{webhookId}/test: send this webhook a signed webhook.test event
export const POST = apiRoute({ permission: 'webhooks.write', params: webhookParams }, async (ctx, { params }) =>
  Response.json(await sendTestEvent(ctx, params.webhookId), { status: 202 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
