import 'server-only';
import type { Tx } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { Actor, RequestMeta } from './actor';
import { GENESIS_HASH, hashAuditEvent } from './hash-chain';

export type AuditEventInput = {
  organizationId: string | null;
  actor: Actor;
  action: string;
  target?: { type: string; id: string | null };
  outcome?: 'SUCCESS' | 'FAILURE';
  meta?: Partial<RequestMeta>;
  /** Non-secret facts only: never a password, secret, token or key. */
  details?: Record<string, unknown>;
};

/** Namespace for the advisory locks that serialize each organization's chain. */
const AUDIT_LOCK_NAMESPACE = 7_240_001;

/**
 * recordAuditEvent appends one event to its organization's hash chain inside the caller's
 * transaction, so a change and its event commit together or not at all. Appends to one chain
 * are serialized with a transaction-scoped advisory lock; other organizations are not blocked
 * (except on a rare hashtext collision, which only costs a wait).
 */
export async function recordAuditEvent(tx: Tx, input: AuditEventInput): Promise<{ id: bigint; seq: bigint }> {
  const chainKey = input.organizationId ?? '(instance)';
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_NAMESPACE}::int, hashtext(${chainKey}))`;
  const last = await tx.auditEvent.findFirst({
    where: { organizationId: input.organizationId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const event = {
    organizationId: input.organizationId,
    seq: (last?.seq ?? 0n) + 1n,
    occurredAt: new Date(),
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    outcome: input.outcome ?? 'SUCCESS',
    ip: input.meta?.ip ?? null,
    userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
    requestId: input.meta?.requestId ?? null,
    // A JSON round trip keeps exactly what the database will store, so the hash matches it.
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Prisma.InputJsonObject,
    prevHash: last?.hash ?? GENESIS_HASH,
  } as const;
  const created = await tx.auditEvent.create({
    data: { ...event, hash: hashAuditEvent(event) },
    select: { id: true, seq: true },
  });
  return created;
}
