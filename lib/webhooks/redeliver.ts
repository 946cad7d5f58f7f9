import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { EVENTS_CHANNEL } from '@/lib/events/emit-event';
import { newId } from '@/lib/ids';
import { deliverySelect, toDeliveryDto } from './dto';
import type { DeliveryDto } from './schema';

/**
 * redeliverWebhook sends the event of one delivery of the caller's organization's webhook again,
 * as a new delivery (manual) with its own attempts and the same webhook-id, so a receiver that
 * already has it can tell. not_found outside the webhook or organization; invalid_state for a
 * disabled webhook. The dispatcher queues it (lib/jobs/dispatch-events.ts). Audited
 * `webhook.redelivered`.
 */
export async function redeliverWebhook(ctx: OrgContext, webhookId: string, deliveryId: string): Promise<DeliveryDto> {
  assertCan(ctx, 'webhooks.write');
  return db.$transaction(async (tx) => {
    const original = await tx.webhookDelivery.findFirst({
      where: { id: deliveryId, webhookId, organizationId: ctx.orgId },
      select: { eventId: true, webhook: { select: { status: true } } },
    });
    if (!original) throw new AppError('not_found', 'Delivery not found.');
    if (original.webhook.status !== 'ENABLED')
      throw new AppError('invalid_state', 'Enable the webhook before redelivering to it.');
    const row = await tx.webhookDelivery.create({
      data: {
        id: newId('webhookDelivery'),
        organizationId: ctx.orgId,
        webhookId,
        eventId: original.eventId,
        manual: true,
      },
      select: deliverySelect,
    });
    await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, '')`;
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'webhook.redelivered',
      target: { type: 'webhook', id: webhookId },
      meta: ctx,
      details: { deliveryId: row.id, of: deliveryId, eventId: original.eventId },
    });
    return toDeliveryDto(row);
  });
}
