import type { Actor } from '@/lib/audit/actor';
import { GENESIS_HASH, hashAuditEvent } from '@/lib/audit/hash-chain';
import { db } from '@/lib/db/client';

export type SeedEvent = {
  occurredAt: Date;
  actor?: Actor;
  action?: string;
  targetId?: string | null;
  outcome?: 'SUCCESS' | 'FAILURE';
  details?: Record<string, unknown>;
};

/**
 * appendTestEvents appends events with chosen timestamps to an organization's chain, hashed
 * exactly as recordAuditEvent hashes them (recordAuditEvent always stamps "now", and the
 * pagination tests need equal and past timestamps).
 */
export async function appendTestEvents(organizationId: string, events: SeedEvent[]): Promise<void> {
  await db.$transaction(
    async (tx) => {
      // The same lock recordAuditEvent takes, so a concurrent writer cannot fork the chain.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7240001, hashtext(${organizationId}))`;
      const last = await tx.auditEvent.findFirst({
        where: { organizationId },
        orderBy: { seq: 'desc' },
        select: { seq: true, hash: true },
      });
      let seq = last?.seq ?? 0n;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const rows = events.map((e) => {
        seq += 1n;
        const actor = e.actor ?? { type: 'SYSTEM', id: null, label: 'test' };
        const event = {
          organizationId,
          seq,
          occurredAt: e.occurredAt,
          actorType: actor.type,
          actorId: actor.id,
          actorLabel: actor.label,
          action: e.action ?? 'test.happened',
          targetType: e.targetId ? 'test' : null,
          targetId: e.targetId ?? null,
          outcome: e.outcome ?? 'SUCCESS',
          ip: '192.0.2.1',
          userAgent: 'vitest',
          requestId: `req-${seq}`,
          details: JSON.parse(JSON.stringify(e.details ?? {})) as Record<string, string>,
          prevHash,
        } as const;
        const hash = hashAuditEvent(event);
        prevHash = hash;
        return { ...event, hash };
      });
      await tx.auditEvent.createMany({ data: rows });
    },
    { timeout: 60_000 },
  );
}
