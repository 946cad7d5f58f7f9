import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { emitEvent } from '@/lib/events/emit-event';
import { consoleUrl } from '@/lib/events/subjects';
import { paths } from '@/lib/paths';

/**
 * sendTestEvent queues a `webhook.test` event for one enabled webhook of the caller's
 * organization (not_found; invalid_state when disabled), delivered, signed and logged like any
 * other, to that webhook alone and to nobody's e-mail. Returns the event id. Audited
 * `webhook.test_sent`.
 */
export async function sendTestEvent(ctx: OrgContext, webhookId: string): Promise<{ eventId: string }> {
  assertCan(ctx, 'webhooks.write');
  return db.$transaction(async (tx) => {
    const webhook = await tx.webhook.findFirst({
      where: { id: webhookId, organizationId: ctx.orgId },
      select: { id: true, url: true, status: true },
    });
    if (!webhook) throw new AppError('not_found', 'Webhook not found.');
    if (webhook.status !== 'ENABLED')
      throw new AppError('invalid_state', 'Enable the webhook before sending it a test.');
    const eventId = await emitEvent(
      tx,
      'webhook.test',
      {
        organization: { id: ctx.orgId, slug: ctx.orgSlug },
        webhook: { id: webhook.id, url: webhook.url },
        message: 'A test event from Latchkey: this endpoint receives and verifies lifecycle events.',
        links: { console: consoleUrl(paths.webhook(ctx.orgSlug, webhook.id)) },
      },
      { webhookId: webhook.id },
    );
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'webhook.test_sent',
      target: { type: 'webhook', id: webhook.id },
      meta: ctx,
      details: { eventId },
    });
    return { eventId };
  });
}
