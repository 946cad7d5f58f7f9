import 'server-only';
import type PgBoss from 'pg-boss';
import type pg from 'pg';
import { newId } from '@/lib/ids';
import { env, smtpEnabled } from '@/lib/env';
import { QUEUES, type DeliverWebhookJob, type SendEmailJob } from './queues';

const BATCH = 100;

type EventRow = { id: string; organization_id: string; type: string; webhook_id: string | null };

/**
 * dispatchEvents drains the outbox: each undispatched lifecycle event becomes one delivery per
 * enabled webhook of its organization subscribed to its type (or the one webhook it names) and,
 * when SMTP is configured, one e-mail job per owner and admin who did not opt out; deliveries
 * created by hand (redelivery) get their job too. Rows are claimed with FOR UPDATE SKIP LOCKED,
 * and the jobs are queued through pg-boss `send` on the same connection and transaction (its
 * `db` option) as the delivery rows and the dispatched mark: several workers never queue the
 * same event twice, and a crash queues nothing rather than half. Returns how many events and
 * hand-made deliveries it handled.
 */
export async function dispatchEvents(boss: PgBoss, pool: pg.Pool): Promise<number> {
  let handled = 0;
  for (;;) {
    const count = await dispatchBatch(boss, pool);
    handled += count;
    if (count < BATCH) return handled;
  }
}

async function dispatchBatch(boss: PgBoss, pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  const db: PgBoss.Db = { executeSql: (text, values) => client.query(text, values) };
  const e = env();
  const deliveryOptions: PgBoss.SendOptions = {
    db,
    retryLimit: e.WEBHOOK_RETRY_LIMIT,
    retryDelay: e.WEBHOOK_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: Math.ceil(e.WEBHOOK_TIMEOUT_MS / 1000) + 60,
  };
  const queueDelivery = (deliveryId: string) =>
    boss.send(QUEUES.deliverWebhook, { deliveryId } satisfies DeliverWebhookJob, deliveryOptions);
  try {
    await client.query('BEGIN');
    const events = await client.query<EventRow>(
      `SELECT id, organization_id, type, webhook_id FROM lifecycle_events
       WHERE dispatched_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [BATCH],
    );
    for (const event of events.rows) {
      const hooks = await client.query<{ id: string }>(
        event.webhook_id
          ? `SELECT id FROM webhooks WHERE id = $1 AND organization_id = $2 AND status = 'ENABLED'`
          : `SELECT id FROM webhooks WHERE organization_id = $2 AND status = 'ENABLED' AND $1 = ANY(event_types)`,
        [event.webhook_id ?? event.type, event.organization_id],
      );
      for (const hook of hooks.rows) {
        const deliveryId = newId('webhookDelivery');
        await client.query(
          `INSERT INTO webhook_deliveries (id, organization_id, webhook_id, event_id, enqueued_at, updated_at)
           VALUES ($1, $2, $3, $4, now(), now())`,
          [deliveryId, event.organization_id, hook.id, event.id],
        );
        await queueDelivery(deliveryId);
      }
      if (!event.webhook_id && smtpEnabled(e)) {
        const members = await client.query<{ user_id: string }>(
          `SELECT user_id FROM memberships
           WHERE organization_id = $1 AND role IN ('OWNER', 'ADMIN') AND NOT lifecycle_email_opt_out`,
          [event.organization_id],
        );
        for (const member of members.rows) {
          const job: SendEmailJob = { eventId: event.id, userId: member.user_id };
          await boss.send(QUEUES.sendEmail, job, { db, retryLimit: 5, retryDelay: 30, retryBackoff: true });
        }
      }
    }
    if (events.rows.length > 0)
      await client.query(`UPDATE lifecycle_events SET dispatched_at = now() WHERE id = ANY($1::text[])`, [
        events.rows.map((r) => r.id),
      ]);
    const manual = await client.query<{ id: string }>(
      `SELECT id FROM webhook_deliveries WHERE enqueued_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [BATCH],
    );
    for (const delivery of manual.rows) await queueDelivery(delivery.id);
    if (manual.rows.length > 0)
      await client.query(`UPDATE webhook_deliveries SET enqueued_at = now() WHERE id = ANY($1::text[])`, [
        manual.rows.map((r) => r.id),
      ]);
    await client.query('COMMIT');
    return Math.max(events.rows.length, manual.rows.length);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
