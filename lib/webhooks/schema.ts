import { z } from 'zod';
import { EVENT_TYPES, SUBSCRIBABLE_EVENT_TYPES, subscribableEventType } from '@/lib/events/catalog';

/** At most this many webhooks per organization. */
export const MAX_WEBHOOKS = 20;

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

const url = z
  .string({ error: 'Enter the endpoint URL.' })
  .trim()
  .min(1, { error: 'Enter the endpoint URL.' })
  .max(2048, { error: 'At most 2048 characters.' })
  .meta({ description: 'https:// endpoint (http:// only to a loopback host in development and tests).' });
const description = z.string().trim().max(500, { error: 'At most 500 characters.' });
const eventTypes = z
  .array(subscribableEventType, { error: 'Choose the events to send.' })
  .min(1, { error: 'Choose at least one event.' })
  .max(SUBSCRIBABLE_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)])
  .meta({ description: 'The lifecycle event types to deliver.' });

export const webhookParams = z.object({
  webhookId: z.string().regex(new RegExp(`^wh_${ULID}$`), { error: 'Not a valid webhook id.' }),
});
export const deliveryParams = webhookParams.extend({
  deliveryId: z.string().regex(new RegExp(`^whd_${ULID}$`), { error: 'Not a valid delivery id.' }),
});

/** POST /api/v1/webhooks body (and the console's create form). */
export const createWebhookInput = z
  .strictObject({ url, description: description.default(''), eventTypes })
  .meta({ id: 'CreateWebhookInput' });
export type CreateWebhookInput = z.output<typeof createWebhookInput>;

/** PATCH /api/v1/webhooks/{webhookId} body: the fields sent change. Enabling resets the failure count. */
export const updateWebhookInput = z
  .strictObject({
    url: url.optional(),
    description: description.optional(),
    eventTypes: eventTypes.optional(),
    status: z.enum(['ENABLED', 'DISABLED']).optional(),
  })
  .meta({ id: 'UpdateWebhookInput' });
export type UpdateWebhookInput = z.output<typeof updateWebhookInput>;

export const webhookDto = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.enum(EVENT_TYPES)),
    status: z.enum(['ENABLED', 'DISABLED']),
    consecutiveFailures: z.number().int(),
    disabledReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });
export type WebhookDto = z.infer<typeof webhookDto>;

export const createdWebhookDto = z
  .object({
    webhook: webhookDto,
    secret: z.string().meta({
      description: 'The signing secret (whsec_…), shown this once: verify deliveries with it per Standard Webhooks.',
    }),
  })
  .meta({ id: 'CreatedWebhook' });
export type CreatedWebhookDto = z.infer<typeof createdWebhookDto>;

export const deliveryDto = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED']),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    error: z.string().nullable(),
    manual: z.boolean(),
    createdAt: z.iso.datetime(),
    lastAttemptAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryDto = z.infer<typeof deliveryDto>;

export const listDeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Repeated checkboxes arrive as one string or an array (lib/actions/define-action.ts). */
const asArray = (value: unknown) => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]);

/** The console's create form: the API's fields, event types from checkboxes. */
export const createWebhookForm = z.object({
  url,
  description: description.default(''),
  eventTypes: z.preprocess(asArray, eventTypes),
});

export const webhookRef = z.object({ id: webhookParams.shape.webhookId });
export const webhookStatusForm = webhookRef.extend({ status: z.enum(['ENABLED', 'DISABLED']) });
export const deliveryRef = z.object({
  webhookId: webhookParams.shape.webhookId,
  deliveryId: deliveryParams.shape.deliveryId,
});
export const emailPreferenceForm = z.object({ receive: z.stringbool() });
