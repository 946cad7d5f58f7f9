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

/** Namespace for the advisory locks that serialize each organization's chain (every writer uses it). */
export const AUDIT_LOCK_NAMESPACE = 7_240_001;

/** auditChainKey names a chain for its advisory lock; null is the instance-level chain. */
export function auditChainKey(organizationId: string | null): string {
  return organizationId ?? '(instance)';
}

/**
 * chainAuditEvent turns an input into the stored event at a given link of its chain, hash
 * included. Every writer (this module, the token service's batches) builds rows with it, so
 * they cannot disagree on what the hash covers.
 */
export function chainAuditEvent(
  input: AuditEventInput,
  link: { seq: bigint; prevHash: string },
  occurredAt = new Date(),
) {
  const event = {
    organizationId: input.organizationId,
    seq: link.seq,
    occurredAt,
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
    prevHash: link.prevHash,
  } as const;
  return { ...event, hash: hashAuditEvent(event) };
}

/**
 * recordAuditEvent appends one event to its organization's hash chain inside the caller's
 * transaction, so a change and its event commit together or not at all. Appends to one chain
 * are serialized with a transaction-scoped advisory lock; other organizations are not blocked
 * (except on a rare hashtext collision, which only costs a wait).
 */
export async function recordAuditEvent(tx: Tx, input: AuditEventInput): Promise<{ id: bigint; seq: bigint }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_NAMESPACE}::int, hashtext(${auditChainKey(input.organizationId)}))`;
  const last = await tx.auditEvent.findFirst({
    where: { organizationId: input.organizationId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const data = chainAuditEvent(input, { seq: (last?.seq ?? 0n) + 1n, prevHash: last?.hash ?? GENESIS_HASH });
  return tx.auditEvent.create({ data, select: { id: true, seq: true } });
}
