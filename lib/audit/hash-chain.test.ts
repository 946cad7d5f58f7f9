import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalAuditJson, findChainBreak, hashAuditEvent, type ChainedEvent } from './hash-chain';

function chain(count: number): Array<ChainedEvent & { hash: string }> {
  const events: Array<ChainedEvent & { hash: string }> = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const event: ChainedEvent = {
      organizationId: 'org_1',
      seq: BigInt(i),
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actorType: 'MEMBER',
      actorId: 'usr_1',
      actorLabel: 'owner@example.com',
      action: 'service_account.created',
      targetType: 'service_account',
      targetId: `sa_${i}`,
      outcome: 'SUCCESS',
      ip: '127.0.0.1',
      userAgent: 'test',
      requestId: `req_${i}`,
      details: { b: 1, a: [i, 'x'] },
      prevHash,
    };
    const hash = hashAuditEvent(event);
    events.push({ ...event, hash });
    prevHash = hash;
  }
  return events;
}

describe('audit hash chain', () => {
  it('ignores key order in details', () => {
    const [event] = chain(1);
    if (!event) throw new Error('no event');
    expect(hashAuditEvent({ ...event, details: { a: [1, 'x'], b: 1 } })).toBe(event.hash);
  });

  it('accepts an intact chain', () => {
    expect(findChainBreak(chain(5))).toBeNull();
  });

  it('points at the first altered event', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, actorLabel: 'someone-else@example.com' };
    expect(findChainBreak(events)).toEqual({ seq: 3n, reason: 'hash_mismatch' });
  });

  it('notices a deleted event', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(findChainBreak(events)).toEqual({ seq: 2n, reason: 'sequence_gap' });
  });

  it('notices a re-hashed event whose successor still points at the old hash', () => {
    const events = chain(4);
    const altered = { ...events[1]!, action: 'service_account.deleted' };
    events[1] = { ...altered, hash: hashAuditEvent(altered) };
    expect(findChainBreak(events)).toEqual({ seq: 3n, reason: 'prev_hash_mismatch' });
  });

  // The hash format of every existing chain: canonicalize over an object of the covered fields.
  const reference = (e: ChainedEvent): string | undefined =>
    canonicalize({
      organizationId: e.organizationId,
      seq: e.seq.toString(),
      occurredAt: e.occurredAt.toISOString(),
      actorType: e.actorType,
      actorId: e.actorId,
      actorLabel: e.actorLabel,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      outcome: e.outcome,
      ip: e.ip,
      userAgent: e.userAgent,
      requestId: e.requestId,
      details: e.details ?? {},
      prevHash: e.prevHash,
    });

  it('writes exactly the canonical JSON canonicalize writes, so existing hashes still verify', () => {
    const [base] = chain(1);
    if (!base) throw new Error('no event');
    const variants: ChainedEvent[] = [
      base,
      { ...base, organizationId: null, actorId: null, targetType: null, targetId: null, ip: null, userAgent: null },
      { ...base, requestId: null, details: null },
      { ...base, actorLabel: 'é "quoted" \\ back\nslash \u0001 😀 \u2028', action: 'ключ.создан' },
      { ...base, details: { z: { y: [1.5, -0, 1e21, 'ü'], a: null }, A: true, é: 'x', '': 2, 'a"b': [] } },
      { ...base, seq: 123456789012345678n, occurredAt: new Date('1999-12-31T23:59:59.999Z') },
      {
        ...base,
        details: { at: new Date(0), list: [undefined, 1, [[]], {}], gone: undefined, n: 0.1 + 0.2, big: 2 ** 70 },
      },
      { ...base, details: { '\u00e9': 1, e: 2, '\ud83d\ude00': 3, '\uffff': 4, Z: 5, '10': 6, '9': 7 } },
    ];
    for (const event of variants) {
      expect(canonicalAuditJson(event)).toBe(reference(event));
      expect(hashAuditEvent(event)).toBe(
        createHash('sha256')
          .update(reference(event) ?? '')
          .digest('hex'),
      );
    }
    // A lone surrogate cannot be canonicalized, in either.
    for (const lone of [
      { ...base, actorLabel: 'x\ud800' },
      { ...base, details: { k: ['\udc00'] } },
    ]) {
      expect(() => reference(lone)).toThrow();
      expect(() => hashAuditEvent(lone)).toThrow();
    }
    expect(() => hashAuditEvent({ ...base, details: { n: Number.NaN } })).toThrow();
  });
});
