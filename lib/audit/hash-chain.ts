import { hash } from 'node:crypto';

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
 * canonical is canonicalize (RFC 8785 JSON Canonicalization, the library every existing hash was
 * made with) rewritten without its per-call Set and intermediate arrays: the same output for the
 * same input (hash-chain.test.ts compares the two), including its refusals (NaN, Infinity, lone
 * surrogates) and its handling of undefined, symbols and toJSON.
 */
function canonical(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return str(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('audit event cannot be canonicalized');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return JSON.stringify(value) as string;
  }
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return canonical(object.toJSON());
  if (Array.isArray(object)) {
    let out = '[';
    for (let i = 0; i < object.length; i++) {
      const item: unknown = object[i];
      if (i > 0) out += ',';
      out += item === undefined || typeof item === 'symbol' ? 'null' : canonical(item);
    }
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined || typeof item === 'symbol') continue;
    out += `${first ? '' : ','}${str(key)}:${canonical(item)}`;
    first = false;
  }
  return `${out}}`;
}

// The characters JSON.stringify escapes in a well-formed string: quote, backslash, C0 controls.
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/**
 * str is RFC 8785's string form (JSON.stringify's), refusing lone surrogates as canonicalize
 * does. Most audit strings need no escape: they are quoted as they are, which is what
 * JSON.stringify would write, at a fraction of its cost.
 */
function str(value: string | null): string {
  if (value !== null && !value.isWellFormed()) throw new Error('audit event cannot be canonicalized');
  return jsonString(value);
}

/**
 * canonicalDetails is the canonical JSON of an event's free-form `details` (null and undefined
 * hash as `{}`, as they always have).
 */
export function canonicalDetails(details: unknown): string {
  return canonical(details ?? {});
}

/**
 * jsonString is str for a string known to be well-formed, such as one decoded from the
 * database's UTF-8 (decoding never yields a lone surrogate), so the check is skipped.
 */
export function jsonString(value: string | null): string {
  if (value === null) return 'null';
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** The JSON texts of the members an event's hash covers, in their canonical (UTF-16) order. */
export type CanonicalValues = [
  action: string,
  actorId: string,
  actorLabel: string,
  actorType: string,
  details: string,
  ip: string,
  occurredAt: string,
  organizationId: string,
  outcome: string,
  prevHash: string,
  requestId: string,
  seq: string,
  targetId: string,
  targetType: string,
  userAgent: string,
];

/**
 * assembleCanonical writes an event's canonical JSON from its members' JSON texts: the one place
 * the member names and order are written, shared by canonicalAuditJson and the chain verifier
 * (which reads the columns in this order and formats them itself).
 */
export function assembleCanonical(v: CanonicalValues): string {
  return (
    `{"action":${v[0]},"actorId":${v[1]},"actorLabel":${v[2]},"actorType":${v[3]},"details":${v[4]}` +
    `,"ip":${v[5]},"occurredAt":${v[6]},"organizationId":${v[7]},"outcome":${v[8]},"prevHash":${v[9]}` +
    `,"requestId":${v[10]},"seq":${v[11]},"targetId":${v[12]},"targetType":${v[13]},"userAgent":${v[14]}}`
  );
}

/**
 * canonicalAuditJson is the RFC 8785 canonical JSON of the fields an event's hash covers,
 * written out directly: the members in their canonical (UTF-16 code unit) order, each string
 * as canonicalize writes it, and `details` (free-form) through canonical above. It is the
 * exact text `canonicalize({organizationId, seq, ...})` produces (hash-chain.test.ts compares
 * the two), without building and sorting an object per event: the chain verifier hashes
 * millions of events.
 */
export function canonicalAuditJson(event: ChainedEvent): string {
  const values: CanonicalValues = [
    str(event.action),
    str(event.actorId),
    str(event.actorLabel),
    str(event.actorType),
    canonicalDetails(event.details),
    str(event.ip),
    str(event.occurredAt.toISOString()),
    str(event.organizationId),
    str(event.outcome),
    str(event.prevHash),
    str(event.requestId),
    str(event.seq.toString()),
    str(event.targetId),
    str(event.targetType),
    str(event.userAgent),
  ];
  return assembleCanonical(values);
}

/**
 * hashAuditEvent is SHA-256 over the RFC 8785 canonical JSON of the event's fields, so the hash
 * does not depend on key order (PostgreSQL's jsonb reorders keys) and can be recomputed by any
 * verifier from an export.
 */
export function hashAuditEvent(event: ChainedEvent): string {
  return hash('sha256', canonicalAuditJson(event), 'hex');
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
