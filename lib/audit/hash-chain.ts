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

/** str is RFC 8785's string form (JSON.stringify's), refusing lone surrogates as canonicalize does. */
function str(value: string | null): string {
  if (value === null) return 'null';
  if (!value.isWellFormed()) throw new Error('audit event cannot be canonicalized');
  return JSON.stringify(value);
}

/**
 * canonicalAuditJson is the RFC 8785 canonical JSON of the fields an event's hash covers,
 * written out directly: the members in their canonical (UTF-16 code unit) order, each string
 * as canonicalize writes it, and only `details` (free-form) through canonicalize. It is the
 * exact text `canonicalize({organizationId, seq, ...})` produces (hash-chain.test.ts compares
 * the two), without building and sorting an object per event: the chain verifier hashes
 * millions of events.
 */
export function canonicalAuditJson(event: ChainedEvent): string {
  const details = canonicalize(event.details ?? {});
  if (details === undefined) throw new Error('audit event cannot be canonicalized');
  return (
    `{"action":${str(event.action)},"actorId":${str(event.actorId)},"actorLabel":${str(event.actorLabel)}` +
    `,"actorType":${str(event.actorType)},"details":${details},"ip":${str(event.ip)}` +
    `,"occurredAt":${str(event.occurredAt.toISOString())},"organizationId":${str(event.organizationId)}` +
    `,"outcome":${str(event.outcome)},"prevHash":${str(event.prevHash)},"requestId":${str(event.requestId)}` +
    `,"seq":${str(event.seq.toString())},"targetId":${str(event.targetId)},"targetType":${str(event.targetType)}` +
    `,"userAgent":${str(event.userAgent)}}`
  );
}

/**
 * hashAuditEvent is SHA-256 over the RFC 8785 canonical JSON of the event's fields, so the hash
 * does not depend on key order (PostgreSQL's jsonb reorders keys) and can be recomputed by any
 * verifier from an export.
 */
export function hashAuditEvent(event: ChainedEvent): string {
  return createHash('sha256').update(canonicalAuditJson(event)).digest('hex');
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
