import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { assertWebhookUrl } from './assert-webhook-url';
import { toWebhookDto, webhookSelect } from './dto';
import type { UpdateWebhookInput, WebhookDto } from './schema';

/**
 * updateWebhook changes the fields sent of a webhook of the caller's organization (not_found
 * otherwise). Enabling a webhook clears its failure count and the reason it was disabled.
 * Audited `webhook.updated` with the changed fields, or `webhook.enabled` / `webhook.disabled`
 * for a status change alone; nothing changed records nothing.
 */
export async function updateWebhook(
  ctx: OrgContext,
  webhookId: string,
  input: UpdateWebhookInput,
): Promise<WebhookDto> {
  assertCan(ctx, 'webhooks.write');
  if (input.url !== undefined) assertWebhookUrl(input.url);
  return db.$transaction(async (tx) => {
    const current = await tx.webhook.findFirst({
      where: { id: webhookId, organizationId: ctx.orgId },
      select: webhookSelect,
    });
    if (!current) throw new AppError('not_found', 'Webhook not found.');
    const changed: Record<string, unknown> = {};
    if (input.url !== undefined && input.url !== current.url) changed.url = input.url;
    if (input.description !== undefined && input.description !== current.description)
      changed.description = input.description;
    if (input.eventTypes !== undefined && input.eventTypes.join() !== current.eventTypes.join())
      changed.eventTypes = input.eventTypes;
    const statusChange = input.status !== undefined && input.status !== current.status ? input.status : undefined;
    if (Object.keys(changed).length === 0 && !statusChange) return toWebhookDto(current);
    const row = await tx.webhook.update({
      where: { id: webhookId, organizationId: ctx.orgId },
      data: {
        ...changed,
        ...(statusChange === 'ENABLED' ? { status: 'ENABLED', consecutiveFailures: 0, disabledReason: null } : {}),
        ...(statusChange === 'DISABLED' ? { status: 'DISABLED', disabledReason: 'Disabled by hand.' } : {}),
      },
      select: webhookSelect,
    });
    const action =
      Object.keys(changed).length > 0
        ? 'webhook.updated'
        : statusChange === 'ENABLED'
          ? 'webhook.enabled'
          : 'webhook.disabled';
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action,
      target: { type: 'webhook', id: webhookId },
      meta: ctx,
      details: { ...changed, ...(statusChange ? { status: statusChange } : {}) },
    });
    return toWebhookDto(row);
  });
}
