import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers: everything but its own hash and row id. */
export type ChainedEvent = {
  organizationId: string | null;
  seq: bigint;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
  prevHash: string;
};

/**
 * hashAuditEvent is SHA-256 over the RFC 8785 canonical JSON of the event's fields, so the hash
 * does not depend on key order (PostgreSQL's jsonb reorders keys) and can be recomputed by any
 * verifier from an export.
 */
export function hashAuditEvent(event: ChainedEvent): string {
  const canonical = canonicalize({
    organizationId: event.organizationId,
    seq: event.seq.toString(),
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    outcome: event.outcome,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    details: event.details ?? {},
    prevHash: event.prevHash,
  });
  if (canonical === undefined) throw new Error('audit event cannot be canonicalized');
  return createHash('sha256').update(canonical).digest('hex');
}

export type ChainBreak = { seq: bigint; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' };

/**
 * findChainBreak walks events in sequence order and returns the first link that does not hold,
 * or null when the chain is intact. `previous` is the hash of the event before the first one.
 */
export function findChainBreak(
  events: Iterable<ChainedEvent & { hash: string }>,
  previous: { seq: bigint; hash: string } = { seq: 0n, hash: GENESIS_HASH },
): ChainBreak | null {
  let expectedSeq = previous.seq + 1n;
  let expectedPrev = previous.hash;
  for (const event of events) {
    if (event.seq !== expectedSeq) return { seq: expectedSeq, reason: 'sequence_gap' };
    if (event.prevHash !== expectedPrev) return { seq: event.seq, reason: 'prev_hash_mismatch' };
    if (hashAuditEvent(event) !== event.hash) return { seq: event.seq, reason: 'hash_mismatch' };
    expectedPrev = event.hash;
    expectedSeq += 1n;
  }
  return null;
}
