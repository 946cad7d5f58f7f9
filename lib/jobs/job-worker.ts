import 'server-only';
import PgBoss from 'pg-boss';
import pg from 'pg';
import { streamAuditSinks } from '@/lib/audit-stream/deliver';
import { EVENTS_CHANNEL } from '@/lib/events/emit-event';
import { sendLifecycleEmail } from '@/lib/events/send-lifecycle-email';
import { logger } from '@/lib/logger';
import { deliverWebhook } from '@/lib/webhooks/deliver-webhook';
import { dispatchEvents } from './dispatch-events';
import { PGBOSS_SCHEMA } from './job-schema';
import { QUEUES, type DeliverWebhookJob, type SendEmailJob } from './queues';
import { scanExpiringCredentials } from './scan-expiring';
import { scanFederatedRefusals } from './scan-federated-refusals';

export { PGBOSS_SCHEMA };

export type JobWorkerOptions = {
  connectionString: string;
  /** How often each worker polls its queue (pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds?: number;
  /** Parallel webhook deliveries in this process (one pg-boss worker each). */
  deliveryConcurrency?: number;
  /** The expiry scan's cron (pg-boss schedule, shared by every instance): hourly by default. */
  scanCron?: string;
  /**
   * How often this worker runs a round of audit streaming (ms; 0: on the minute schedule only).
   * Unset, this worker streams nothing (tests of other queues).
   */
  auditStreamIntervalMs?: number;
};

export type JobWorker = {
  boss: PgBoss;
  /** dispatchNow drains the outbox at once (also what a NOTIFY does). */
  dispatchNow: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * startJobWorker starts one pg-boss instance with Latchkey's queues and their workers: webhook
 * deliveries (retried with exponential back-off by pg-boss; a failed attempt throws), e-mails,
 * the hourly expiry scan and the five-minute scan of federated refusals (pg-boss schedules, so several instances run it once per hour between
 * them) and the outbox dispatcher, woken by the NOTIFY of each emitted event (LISTEN on a
 * connection of its own) and, as a safety net for a missed notification, by a one-minute
 * schedule. Any number of workers may run against one database: pg-boss hands each job to one
 * of them, and the outbox and expiry warnings are claimed with row locks and unique keys.
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: PGBOSS_SCHEMA,
    application_name: 'latchkey-jobs',
    max: 5,
    // The schema and the queues are the migration role's (lib/jobs/job-schema.ts): the runtime
    // role only checks that they are there.
    migrate: false,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();

  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: 2,
    application_name: 'latchkey-dispatch',
  });
  pool.on('error', (error) => logger.error({ err: error }, 'dispatcher connection error'));
  let running: Promise<void> | null = null;
  let again = false;
  const dispatchNow = async (): Promise<void> => {
    // Coalesce: one drain at a time in this process, and one more if events came in meanwhile.
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await dispatchEvents(boss, pool).catch((error: unknown) =>
          logger.error({ err: error }, 'lifecycle event dispatch failed'),
        );
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };

  for (let i = 0; i < (options.deliveryConcurrency ?? 4); i++) {
    await boss.work<DeliverWebhookJob>(QUEUES.deliverWebhook, { ...polling, includeMetadata: true }, async ([job]) => {
      if (!job) return;
      const outcome = await deliverWebhook(job.data.deliveryId, job.retryCount >= job.retryLimit);
      // Throwing is how pg-boss learns to retry (after its back-off).
      if (outcome === 'retry') throw new Error('webhook delivery failed; retrying');
    });
  }
  await boss.work<SendEmailJob>(QUEUES.sendEmail, polling, async ([job]) => {
    if (job) await sendLifecycleEmail(job.data.eventId, job.data.userId);
  });
  await boss.work(QUEUES.scanExpiring, polling, async () => {
    const emitted = await scanExpiringCredentials();
    if (emitted > 0) logger.info({ emitted }, 'credential expiry warnings emitted');
  });
  await boss.work(QUEUES.scanFederatedRefusals, polling, async () => {
    const emitted = await scanFederatedRefusals();
    if (emitted > 0) logger.info({ emitted }, 'federated credential refusal events emitted');
  });
  await boss.work(QUEUES.dispatchEvents, polling, () => dispatchNow());

  // Audit streaming: a round delivers every due sink under its advisory lock (lib/audit-stream),
  // so instances share the sinks and never send one sink in parallel. The pg-boss schedule is
  // the floor (once a minute, one instance); each worker also runs rounds on its own timer, as
  // a minute is too slow for a SIEM. Rounds of one process never overlap.
  const streams = options.auditStreamIntervalMs !== undefined;
  const streamPool = new pg.Pool({
    connectionString: options.connectionString,
    max: 2,
    application_name: 'latchkey-audit-stream',
  });
  streamPool.on('error', (error) => logger.error({ err: error }, 'audit stream connection error'));
  let streaming: Promise<void> | null = null;
  const streamRound = (): Promise<void> => {
    streaming ??= streamAuditSinks(streamPool)
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, 'audit stream round failed'))
      .finally(() => {
        streaming = null;
      });
    return streaming;
  };
  if (streams) {
    await boss.work(QUEUES.streamAudit, polling, () => streamRound());
    await boss.schedule(QUEUES.streamAudit, '* * * * *');
  }
  const streamTimer =
    streams && (options.auditStreamIntervalMs ?? 0) > 0
      ? setInterval(() => void streamRound(), options.auditStreamIntervalMs)
      : null;
  streamTimer?.unref();
  await boss.schedule(QUEUES.scanExpiring, options.scanCron ?? '7 * * * *');
  await boss.schedule(QUEUES.scanFederatedRefusals, '*/5 * * * *');
  await boss.schedule(QUEUES.dispatchEvents, '* * * * *');

  let listener: pg.Client | null = null;
  let stopped = false;
  const listen = async (): Promise<void> => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: options.connectionString, application_name: 'latchkey-listen' });
    client.on('notification', () => void dispatchNow());
    client.on('error', (error) => {
      logger.warn({ err: error }, 'lifecycle event listener lost its connection; reconnecting');
      void client.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen().catch(() => undefined), 5_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    listener = client;
    // Whatever was emitted before this connection listened.
    void dispatchNow();
  };
  await listen();

  return {
    boss,
    dispatchNow,
    stop: async () => {
      stopped = true;
      if (streamTimer) clearInterval(streamTimer);
      await listener?.end().catch(() => undefined);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await running;
      await streaming;
      await pool.end();
      await streamPool.end();
    },
  };
}
