import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { EVENT_TYPES } from '@/lib/events/catalog';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import {
  createdWebhookDto,
  createWebhookInput,
  deliveryDto,
  deliveryParams,
  listDeliveriesQuery,
  updateWebhookInput,
  webhookDto,
  webhookParams,
} from './schema';

const TAG = 'Webhooks';
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const conflict = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});
const signing =
  'Deliveries are POSTs of `{type, timestamp, data}` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); verify them with the secret and any `standardwebhooks` library. Event types: ' +
  EVENT_TYPES.map((t) => `\`${t}\``).join(', ') +
  '.';

/** The /api/v1 operations on webhooks. Owners and admins write; auditors read. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/webhooks': {
    get: {
      operationId: 'listWebhooks',
      tags: [TAG],
      summary: 'List webhooks',
      responses: { '200': json(z.object({ data: z.array(webhookDto) }), 'Oldest first.'), ...problemResponses },
    },
    post: {
      operationId: 'createWebhook',
      tags: [TAG],
      summary: 'Create a webhook',
      description: `The signing secret is in this answer only. ${signing}`,
      requestBody: body(createWebhookInput),
      responses: {
        '201': json(createdWebhookDto, 'The webhook and its signing secret.'),
        '409': conflict('`limit_exceeded`: at most 20 webhooks per organization.'),
        ...problemResponses,
      },
    },
  },
  '/api/v1/webhooks/{webhookId}': {
    get: {
      operationId: 'getWebhook',
      tags: [TAG],
      summary: 'Read a webhook',
      requestParams: { path: webhookParams },
      responses: { '200': json(webhookDto, 'The webhook (never its secret).'), ...problemResponses },
    },
    patch: {
      operationId: 'updateWebhook',
      tags: [TAG],
      summary: 'Change a webhook',
      description: 'The fields sent change. Enabling clears the failure count.',
      requestParams: { path: webhookParams },
      requestBody: body(updateWebhookInput),
      responses: { '200': json(webhookDto, 'The webhook.'), ...problemResponses },
    },
    delete: {
      operationId: 'deleteWebhook',
      tags: [TAG],
      summary: 'Delete a webhook and its delivery log',
      requestParams: { path: webhookParams },
      responses: { '204': { description: 'Deleted.' }, ...problemResponses },
    },
  },
  '/api/v1/webhooks/{webhookId}/deliveries': {
    get: {
      operationId: 'listWebhookDeliveries',
      tags: [TAG],
      summary: 'The delivery log',
      requestParams: { path: webhookParams, query: listDeliveriesQuery },
      responses: { '200': json(z.object({ data: z.array(deliveryDto) }), 'Newest first.'), ...problemResponses },
    },
  },
  '/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver': {
    post: {
      operationId: 'redeliverWebhook',
      tags: [TAG],
      summary: 'Send a delivered (or failed) event again',
      description: 'A new delivery with the same `webhook-id`, queued at once.',
      requestParams: { path: deliveryParams },
      responses: {
        '202': json(deliveryDto, 'The new delivery.'),
        '409': conflict('`invalid_state`: the webhook is disabled.'),
        ...problemResponses,
      },
    },
  },
  '/api/v1/webhooks/{webhookId}/test': {
    post: {
      operationId: 'sendWebhookTestEvent',
      tags: [TAG],
      summary: 'Send a test event',
      description: 'A signed `webhook.test` event to this webhook alone.',
      requestParams: { path: webhookParams },
      responses: {
        '202': json(z.object({ eventId: z.string() }), 'Queued.'),
        '409': conflict('`invalid_state`: the webhook is disabled.'),
        ...problemResponses,
      },
    },
  },
};
