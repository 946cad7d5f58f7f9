import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { withOwner } from '@/lib/testing/db';
import { createTestOrg } from '@/lib/testing/factories';
import { GENESIS_HASH, findChainBreak } from './hash-chain';
import { recordAuditEvent } from './record-audit-event';

describe('recordAuditEvent', () => {
  it('keeps one unbroken chain per organization under concurrent writers', async () => {
    const org = await createTestOrg();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.$transaction((tx) =>
          recordAuditEvent(tx, {
            organizationId: org.id,
            actor: { type: 'SYSTEM', id: null, label: 'test' },
            action: 'test.happened',
            details: { i },
          }),
        ),
      ),
    );
    const events = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    expect(events).toHaveLength(21); // organization.created + 20
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(findChainBreak(events)).toBeNull();
  });

  it('is rolled back with the change it belongs to', async () => {
    const org = await createTestOrg();
    await expect(
      db.$transaction(async (tx) => {
        await recordAuditEvent(tx, {
          organizationId: org.id,
          actor: { type: 'SYSTEM', id: null, label: 'test' },
          action: 'test.rolled_back',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db.auditEvent.count({ where: { organizationId: org.id, action: 'test.rolled_back' } })).toBe(0);
  });

  it('is refused UPDATE and DELETE by the database: the application lacks the privilege, the owner meets the trigger', async () => {
    const org = await createTestOrg();
    const event = await db.auditEvent.findFirstOrThrow({ where: { organizationId: org.id } });
    await expect(db.auditEvent.update({ where: { id: event.id }, data: { action: 'tampered' } })).rejects.toThrow(
      /permission denied/,
    );
    await expect(db.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/permission denied/);
    await expect(db.$executeRawUnsafe('TRUNCATE audit_events')).rejects.toThrow(/permission denied/);
    for (const sql of [
      `UPDATE audit_events SET action = 'tampered' WHERE id = ${event.id}`,
      `DELETE FROM audit_events WHERE id = ${event.id}`,
      'TRUNCATE audit_events',
    ])
      await expect(
        withOwner((c) => c.query(sql)),
        sql,
      ).rejects.toThrow(/append-only/);
  });
});
