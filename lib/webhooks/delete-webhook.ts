import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

/**
 * deleteWebhook deletes a webhook of the caller's organization with its delivery log (not_found
 * otherwise); a delivery job still queued for it finds nothing and ends. Audited `webhook.deleted`.
 */
export async function deleteWebhook(ctx: OrgContext, webhookId: string): Promise<void> {
  assertCan(ctx, 'webhooks.write');
  await db.$transaction(async (tx) => {
    const row = await tx.webhook.findFirst({
      where: { id: webhookId, organizationId: ctx.orgId },
      select: { url: true },
    });
    if (!row) throw new AppError('not_found', 'Webhook not found.');
    await tx.webhook.delete({ where: { id: webhookId, organizationId: ctx.orgId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'webhook.deleted',
      target: { type: 'webhook', id: webhookId },
      meta: ctx,
      details: { url: row.url },
    });
  });
}
