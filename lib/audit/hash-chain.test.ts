import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, findChainBreak, hashAuditEvent, type ChainedEvent } from './hash-chain';

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
});
