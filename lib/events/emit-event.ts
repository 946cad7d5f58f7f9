import 'server-only';
import type { Tx } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { newId } from '@/lib/ids';
import { EVENT_DATA, type EventData, type EventEnvelope, type EventType } from './catalog';

/** The channel the job workers LISTEN on (lib/jobs/dispatch-events.ts); the payload is empty. */
export const EVENTS_CHANNEL = 'latchkey_lifecycle_events';

/**
 * emitEvent records a lifecycle event in the caller's transaction, in the outbox table
 * lifecycle_events, and wakes the dispatchers with a NOTIFY (which PostgreSQL delivers at
 * commit, and drops with a rollback). Throws if `data` does not match the catalog.
 *
 * Why an outbox rather than pg-boss `send` with the transaction as its `db`: both commit or roll
 * back with the change, so neither loses an event nor sends one for a change that did not
 * happen. But `send` needs pg-boss's schema (created only when a worker has started) and, for
 * each event, one job per webhook and recipient known at that moment, inside the console's and
 * the API's transactions, in Next's copy of lib/ where no pg-boss runs. The outbox row is one
 * insert into our own schema; the dispatcher, a pg-boss worker, later turns it into delivery
 * jobs in one transaction with marking it dispatched (pg-boss `send` with its `db` option there),
 * so the hand-over to the queue is exactly once as well.
 *
 * `webhookId` targets one webhook only (the console's "send test event").
 */
export async function emitEvent<T extends EventType>(
  tx: Tx,
  type: T,
  data: EventData<T>,
  options: { webhookId?: string; now?: Date } = {},
): Promise<string> {
  const parsed = EVENT_DATA[type].parse(data) as EventData<T>;
  const id = newId('lifecycleEvent');
  const now = options.now ?? new Date();
  const envelope: EventEnvelope<T> = { type, timestamp: now.toISOString(), data: parsed };
  await tx.lifecycleEvent.create({
    data: {
      id,
      organizationId: parsed.organization.id,
      type,
      payload: envelope as unknown as Prisma.InputJsonObject,
      webhookId: options.webhookId ?? null,
      createdAt: now,
    },
    select: { id: true },
  });
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, '')`;
  return id;
}
