import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { assertWebhookUrl } from './assert-webhook-url';
import { toWebhookDto, webhookSelect } from './dto';
import { MAX_WEBHOOKS, type CreateWebhookInput, type CreatedWebhookDto } from './schema';
import { newSigningSecret } from './signing-secret';

/**
 * createWebhook adds a webhook to the caller's organization: https:// URL (loopback http only
 * where allowed), the event types it receives, and a new signing secret, returned this once and
 * stored sealed under the master key. At most MAX_WEBHOOKS per organization (limit_exceeded).
 * Audited `webhook.created` (URL and event types, never the secret) in the same transaction.
 */
export async function createWebhook(ctx: OrgContext, input: CreateWebhookInput): Promise<CreatedWebhookDto> {
  assertCan(ctx, 'webhooks.write');
  assertWebhookUrl(input.url);
  const id = newId('webhook');
  const { secret, sealed, keyVersion } = newSigningSecret(id);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM organizations WHERE id = ${ctx.orgId} FOR UPDATE`;
    if ((await tx.webhook.count({ where: { organizationId: ctx.orgId } })) >= MAX_WEBHOOKS)
      throw new AppError('limit_exceeded', `An organization may have at most ${MAX_WEBHOOKS} webhooks.`);
    const row = await tx.webhook.create({
      data: {
        id,
        organizationId: ctx.orgId,
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        secretEnc: sealed,
        encKeyVersion: keyVersion,
        createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
      },
      select: webhookSelect,
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'webhook.created',
      target: { type: 'webhook', id },
      meta: ctx,
      details: { url: input.url, eventTypes: input.eventTypes, keyVersion },
    });
    return { webhook: toWebhookDto(row), secret };
  });
}
