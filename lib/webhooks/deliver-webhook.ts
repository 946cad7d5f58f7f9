import 'server-only';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { SYSTEM_ACTOR } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { env, loopbackHttpAllowed } from '@/lib/env';
import { parseCidrs } from './address-guard';
import { emitEvent } from '@/lib/events/emit-event';
import { consoleUrl } from '@/lib/events/subjects';
import { paths } from '@/lib/paths';
import { postWebhook, type PostResult } from './outbound';
import { openSigningSecret } from './signing-secret';
import { webhookUrlProblem } from './url-policy';

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

const USER_AGENT = 'Latchkey-Webhooks/1';

/**
 * deliverWebhook makes one attempt at a delivery: the event's Standard Webhooks envelope, signed
 * with the webhook's secret (`webhook-id` is the event id, the same on every attempt, so a
 * receiver can drop a duplicate; `webhook-timestamp` is this attempt's time), POSTed under the
 * outbound rules of postWebhook. The attempt is recorded on the delivery (status, attempts,
 * response code, latency, error) and on the webhook (consecutive failures, reset by a success).
 * After WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row the webhook is disabled, audited
 * `webhook.disabled` by the system, and a `webhook.disabled` event goes to the organization's
 * other webhooks and e-mail, in the same transaction. `finalAttempt`: no retry follows, so a
 * failure is final (FAILED) rather than RETRYING. Returns what the queue should do next.
 */
export async function deliverWebhook(deliveryId: string, finalAttempt: boolean): Promise<DeliveryOutcome> {
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      status: true,
      organizationId: true,
      organization: { select: { slug: true } },
      event: { select: { id: true, payload: true } },
      webhook: { select: { id: true, url: true, status: true, secretEnc: true } },
    },
  });
  // Deleted with its webhook (cascade), or delivered already by an earlier run of this job.
  if (!delivery || delivery.status === 'SUCCEEDED' || delivery.status === 'FAILED') return 'skipped';
  const { webhook, event } = delivery;
  if (webhook.status !== 'ENABLED') {
    await record(
      deliveryId,
      webhook.id,
      null,
      { ok: false, status: null, latencyMs: 0, error: 'webhook disabled' },
      true,
    );
    return 'skipped';
  }
  const problem = webhookUrlProblem(webhook.url, loopbackHttpAllowed());
  const result: PostResult = problem
    ? { ok: false, status: null, latencyMs: 0, error: `URL refused: ${problem}` }
    : await post(webhook, event);
  const org = { id: delivery.organizationId, slug: delivery.organization.slug };
  await record(deliveryId, webhook.id, org, result, finalAttempt);
  if (result.ok) return 'delivered';
  return finalAttempt ? 'failed' : 'retry';
}

async function post(
  webhook: { id: string; url: string; secretEnc: Uint8Array },
  event: { id: string; payload: unknown },
): Promise<PostResult> {
  const body = JSON.stringify(event.payload);
  const timestamp = new Date();
  const signer = new StandardWebhook(openSigningSecret(webhook.id, webhook.secretEnc));
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': event.id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signer.sign(event.id, timestamp, body),
  };
  return postWebhook(webhook.url, headers, body, env().WEBHOOK_TIMEOUT_MS, {
    allowLoopback: loopbackHttpAllowed(),
    allowedCidrs: parseCidrs(env().WEBHOOK_ALLOWED_PRIVATE_CIDRS),
  });
}

async function record(
  deliveryId: string,
  webhookId: string,
  org: { id: string; slug: string } | null,
  result: PostResult,
  finalAttempt: boolean,
): Promise<void> {
  const now = new Date();
  await db.$transaction(async (tx) => {
    await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: {
        status: result.ok ? 'SUCCEEDED' : finalAttempt ? 'FAILED' : 'RETRYING',
        attempts: { increment: 1 },
        responseStatus: result.status,
        latencyMs: result.latencyMs,
        error: result.ok ? null : result.error,
        lastAttemptAt: now,
      },
    });
    if (!org) return;
    if (result.ok) {
      await tx.webhook.updateMany({
        where: { id: webhookId, consecutiveFailures: { gt: 0 } },
        data: { consecutiveFailures: 0 },
      });
      return;
    }
    const [hook] = await tx.$queryRaw<Array<{ consecutive_failures: number; status: string; url: string }>>`
      UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, updated_at = ${now}
      WHERE id = ${webhookId} RETURNING consecutive_failures, status::text, url`;
    const limit = env().WEBHOOK_DISABLE_AFTER_FAILURES;
    if (!hook || hook.status !== 'ENABLED' || hook.consecutive_failures < limit) return;
    const reason = `Disabled by Latchkey after ${hook.consecutive_failures} failed deliveries in a row (last: ${result.error}).`;
    await tx.webhook.update({ where: { id: webhookId }, data: { status: 'DISABLED', disabledReason: reason } });
    await recordAuditEvent(tx, {
      organizationId: org.id,
      actor: SYSTEM_ACTOR,
      action: 'webhook.disabled',
      target: { type: 'webhook', id: webhookId },
      details: {
        reason: 'consecutive_failures',
        consecutiveFailures: hook.consecutive_failures,
        lastError: result.error,
      },
    });
    await emitEvent(tx, 'webhook.disabled', {
      organization: org,
      webhook: { id: webhookId, url: hook.url },
      consecutiveFailures: hook.consecutive_failures,
      links: { console: consoleUrl(paths.webhook(org.slug, webhookId)) },
    });
  });
}
