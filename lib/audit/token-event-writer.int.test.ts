import { describe, expect, it } from 'vitest';
import { findChainBreak } from '@/lib/audit/hash-chain';
import { db } from '@/lib/db/client';
import { createTestOrg } from '@/lib/testing/factories';
import { createAccount, createClientSecret } from '@/lib/testing/oauth-factories';
import { createTokenEventLog } from './token-event-writer';

const event = (organizationId: string | null, writer: string, i: number) => ({
  organizationId,
  actor: { type: 'SYSTEM' as const, id: null, label: writer },
  action: 'test.batched',
  details: { writer, i },
});

describe('token event log (group commit)', () => {
  it('the batch function plans its statements once per connection (generic plans), as migration 0047 set it', async () => {
    // CREATE OR REPLACE FUNCTION drops a function's SET clauses: a migration redefining the
    // function must set plan_cache_mode again, or every batch is planned anew (issue 16).
    const [fn] = await db.$queryRaw<Array<{ config: string[] | null }>>`
      SELECT proconfig AS config FROM pg_proc WHERE proname = 'latchkey_append_token_events'`;
    expect(fn?.config).toContain('plan_cache_mode=force_generic_plan');
    const org = await createTestOrg();
    const account = await createAccount(org);
    const log = createTokenEventLog();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        log.record({
          organizationId: org.id,
          actor: { type: 'SERVICE_ACCOUNT', id: account.id, label: account.name },
          action: 'token.issued',
          target: { type: 'service_account', id: account.id },
          outcome: 'SUCCESS',
          meta: { requestId: `generic-${i}`, ip: null, userAgent: null },
          details: { jti: `generic-${i}` },
        }),
      ),
    );
    const events = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    expect(events.filter((e) => e.action === 'token.issued')).toHaveLength(12);
    expect(findChainBreak(events)).toBeNull();
  });

  it('two writers (two instances) appending to the same chains never fail and leave every chain intact', async () => {
    const [a, b] = [createTokenEventLog(), createTokenEventLog()];
    const orgs = [await createTestOrg(), await createTestOrg()];
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      for (const [name, log] of [
        ['a', a],
        ['b', b],
      ] as const) {
        writes.push(log.record(event(orgs[i % 2]?.id ?? null, name, i)));
        if (i % 10 === 0) writes.push(log.record(event(null, name, i)));
      }
      // Rounds of various sizes, each racing the other writer's on the same chains, so that
      // each writer's prediction of the chains' last links is regularly outdated.
      if (i % 3 === 2) await Promise.allSettled(writes.slice(-4));
    }
    const settled = await Promise.allSettled(writes);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    for (const org of orgs) {
      const chain = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
      expect(chain.filter((e) => e.action === 'test.batched')).toHaveLength(60);
      expect(findChainBreak(chain)).toBeNull();
    }
    const instance = await db.auditEvent.findMany({ where: { organizationId: null }, orderBy: { seq: 'asc' } });
    expect(instance.filter((e) => e.action === 'test.batched')).toHaveLength(12);
    expect(findChainBreak(instance)).toBeNull();
  });

  it('a batch that fails takes nothing with it: the batch sent behind it is written all the same', async () => {
    const org = await createTestOrg();
    const log = createTokenEventLog();
    await log.record(event(org.id, 'w', 0)); // the writer now predicts the chain's last link
    // The database refuses the first batch (no such outcome); the second is already on its way,
    // chained onto the first one's tail.
    const bad = log.record({ ...event(org.id, 'w', 1), outcome: 'NOT_AN_OUTCOME' as 'SUCCESS' });
    const good = [log.record(event(org.id, 'w', 2)), log.record(event(org.id, 'w', 3))];
    await expect(bad).rejects.toThrow();
    await Promise.all(good);
    await log.record(event(org.id, 'w', 4));
    const chain = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    expect(
      chain
        .filter((e) => e.action === 'test.batched')
        .map((e) => (e.details as { i: number }).i)
        .sort(),
    ).toEqual([0, 2, 3, 4]);
    expect(findChainBreak(chain)).toBeNull();
  });

  it("stamps a credential's last use, only ever forward, with or without an event", async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const log = createTokenEventLog();
    const later = new Date('2030-01-02T00:00:00Z');
    const earlier = new Date('2030-01-01T00:00:00Z');
    await log.record(null, {
      kind: 'client_secret',
      credentialId: secret.id,
      serviceAccountId: account.id,
      ip: '203.0.113.7',
      at: later,
    });
    await log.record(event(org.id, 'x', 1), {
      kind: 'client_secret',
      credentialId: secret.id,
      serviceAccountId: account.id,
      ip: '198.51.100.1',
      at: earlier,
    });
    const row = await db.clientSecret.findUniqueOrThrow({ where: { id: secret.id } });
    expect(row.lastUsedAt).toEqual(later);
    expect(row.lastUsedIp).toBe('203.0.113.7');
    expect((await db.serviceAccount.findUniqueOrThrow({ where: { id: account.id } })).lastUsedAt).toEqual(later);
  });

  it("rewrites a busy credential's last use about once a second, at once for another address", async () => {
    const org = await createTestOrg();
    const account = await createAccount(org);
    const secret = await createClientSecret(account);
    const log = createTokenEventLog();
    const use = (at: Date, ip: string) =>
      log.record(null, { kind: 'client_secret', credentialId: secret.id, serviceAccountId: account.id, ip, at });
    const read = async () => {
      const row = await db.clientSecret.findUniqueOrThrow({ where: { id: secret.id } });
      const xmin = (
        await db.$queryRaw<Array<{ xmin: string }>>`SELECT xmin::text FROM client_secrets WHERE id = ${secret.id}`
      )[0]?.xmin;
      return { at: row.lastUsedAt?.toISOString(), ip: row.lastUsedIp, xmin };
    };
    const t0 = new Date('2031-05-01T00:00:00.000Z');
    await use(t0, '203.0.113.7');
    const first = await read();
    expect(first).toMatchObject({ at: t0.toISOString(), ip: '203.0.113.7' });
    // Within the second, from the same address: the row is not rewritten (same row version).
    await use(new Date(t0.getTime() + 400), '203.0.113.7');
    expect(await read()).toEqual(first);
    // From another address: at once.
    await use(new Date(t0.getTime() + 500), '198.51.100.1');
    expect(await read()).toMatchObject({ at: new Date(t0.getTime() + 500).toISOString(), ip: '198.51.100.1' });
    // A second later: rewritten again.
    await use(new Date(t0.getTime() + 1500), '198.51.100.1');
    expect((await read()).at).toBe(new Date(t0.getTime() + 1500).toISOString());
  });
});
