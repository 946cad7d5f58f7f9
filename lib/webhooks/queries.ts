import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { deliverySelect, toDeliveryDto, toWebhookDto, webhookSelect } from './dto';
import type { DeliveryDto, WebhookDto } from './schema';

/** listWebhooks lists the caller's organization's webhooks, oldest first. */
export async function listWebhooks(ctx: OrgContext): Promise<{ data: WebhookDto[] }> {
  const rows = await db.webhook.findMany({
    where: { organizationId: ctx.orgId },
    select: webhookSelect,
    orderBy: { createdAt: 'asc' },
  });
  return { data: rows.map(toWebhookDto) };
}

/** getWebhook reads one webhook of the caller's organization (not_found otherwise). */
export async function getWebhook(ctx: OrgContext, webhookId: string): Promise<WebhookDto> {
  const row = await db.webhook.findFirst({
    where: { id: webhookId, organizationId: ctx.orgId },
    select: webhookSelect,
  });
  // 404 rather than 403: another organization's webhook must look exactly like a missing one.
  if (!row) throw new AppError('not_found', 'Webhook not found.');
  return toWebhookDto(row);
}

/** listDeliveries is a webhook's delivery log, newest first (not_found for another organization's webhook). */
export async function listDeliveries(ctx: OrgContext, webhookId: string, limit = 50): Promise<{ data: DeliveryDto[] }> {
  await getWebhook(ctx, webhookId);
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId, organizationId: ctx.orgId },
    select: deliverySelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return { data: rows.map(toDeliveryDto) };
}

/** receivesLifecycleEmail tells whether the signed-in member gets this organization's lifecycle e-mail (owners and admins who did not opt out). */
export async function receivesLifecycleEmail(ctx: OrgContext): Promise<boolean> {
  if (ctx.actor.type !== 'MEMBER' || !ctx.actor.id) return false;
  const membership = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId: ctx.orgId, userId: ctx.actor.id } },
    select: { role: true, lifecycleEmailOptOut: true },
  });
  return membership !== null && membership.role !== 'AUDITOR' && !membership.lifecycleEmailOptOut;
}
