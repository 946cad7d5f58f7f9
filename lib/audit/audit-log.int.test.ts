import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { createTestOrg, createTestMember, memberCtx } from '@/lib/testing/factories';
import { appendTestEvents } from '@/lib/testing/audit-fixtures';
import { parseCsv } from '@/lib/testing/audit-csv';
import { withOwner } from '@/lib/testing/db';
import { TOKEN_ISSUED, TOKEN_REFUSED } from './actions';
import { exportAuditEvents } from './export-audit-events';
import { auditListQuery } from './filters';
import { listAuditEvents, tokenActivity } from './queries';
import { recordAuditEvent } from './record-audit-event';
import { checkAuditChain, verifyAuditChain } from './verify-audit-chain';

async function auditorCtx() {
  const org = await createTestOrg();
  const user = await createTestMember(org.id, 'AUDITOR');
  return memberCtx(org, user, 'AUDITOR');
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/**
 * tamper runs SQL as the table's owner (the migration role, which the application is not) with
 * the append-only trigger disabled for one transaction: what only the owner can do, and what the
 * hash chain then detects.
 */
async function tamper(sql: string, ...values: unknown[]) {
  await withOwner(async (client) => {
    await client.query('BEGIN');
    try {
      await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await client.query(sql, values);
      await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

describe('audit chain verification', () => {
  it('finds an intact chain intact, across batches', async () => {
    const ctx = await auditorCtx();
    const before = await db.auditEvent.count({ where: { organizationId: ctx.orgId } }); // organization.created, member.added
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 30 }, (_, i) => ({ occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)) })),
    );
    const progress: Array<{ checked: number; total: number }> = [];
    const result = await checkAuditChain(ctx.orgId, { batchSize: 7, onProgress: (p) => progress.push(p) });
    const total = before + 30;
    // One report per batch of 7, ending at the whole chain.
    expect(progress.map((p) => p.checked)).toEqual(
      Array.from({ length: Math.ceil(total / 7) }, (_, i) => Math.min(total, (i + 1) * 7)),
    );
    expect(progress.every((p) => p.total === total)).toBe(true);
    expect(result).toEqual({
      intact: true,
      checked: before + 30,
      last_seq: String(before + 30),
      first_broken_link: null,
    });
    const recorded = await verifyAuditChain(ctx);
    expect(recorded.intact).toBe(true);
    expect(await db.auditEvent.count({ where: { organizationId: ctx.orgId, action: 'audit.verified' } })).toBe(1);
    expect((await checkAuditChain(ctx.orgId)).checked).toBe(before + 31);
  });

  it('names the first broken link after the owner alters a row', async () => {
    const ctx = await auditorCtx();
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 20 }, (_, i) => ({
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
        action: 'test.original',
      })),
    );
    // The application's role may not UPDATE at all, and the trigger refuses the owner's ordinary UPDATE.
    await expect(
      db.$executeRaw`UPDATE audit_events SET action = 'x' WHERE organization_id = ${ctx.orgId} AND seq = 12`,
    ).rejects.toThrow(/permission denied/);
    await expect(
      withOwner((c) =>
        c.query(`UPDATE audit_events SET action = 'x' WHERE organization_id = $1 AND seq = 12`, [ctx.orgId]),
      ),
    ).rejects.toThrow(/append-only/);
    await tamper(
      `UPDATE audit_events SET actor_label = 'someone-else' WHERE organization_id = $1 AND seq = 12`,
      ctx.orgId,
    );
    const result = await checkAuditChain(ctx.orgId, { batchSize: 5 });
    expect(result).toMatchObject({
      intact: false,
      checked: 11,
      first_broken_link: { seq: '12', reason: 'hash_mismatch' },
    });
    const recorded = await verifyAuditChain(ctx);
    expect(recorded.first_broken_link).toEqual({ seq: '12', reason: 'hash_mismatch' });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: ctx.orgId, action: 'audit.verified' },
    });
    expect(event.outcome).toBe('FAILURE');
  });

  it('names a deleted row as a sequence gap', async () => {
    const ctx = await auditorCtx();
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 10 }, (_, i) => ({ occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)) })),
    );
    await tamper(`DELETE FROM audit_events WHERE organization_id = $1 AND seq = 6`, ctx.orgId);
    expect((await checkAuditChain(ctx.orgId, { batchSize: 4 })).first_broken_link).toEqual({
      seq: '6',
      reason: 'sequence_gap',
    });
  });

  it('is not fooled by re-hashing a row: the next link breaks', async () => {
    const ctx = await auditorCtx();
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 5 }, (_, i) => ({ occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)) })),
    );
    const row = await db.auditEvent.findFirstOrThrow({ where: { organizationId: ctx.orgId, seq: 3 } });
    const { hashAuditEvent } = await import('./hash-chain');
    const forged = { ...row, outcome: 'FAILURE' as const };
    await tamper(
      `UPDATE audit_events SET outcome = 'FAILURE', hash = $2 WHERE organization_id = $1 AND seq = 3`,
      ctx.orgId,
      hashAuditEvent(forged),
    );
    expect((await checkAuditChain(ctx.orgId)).first_broken_link).toEqual({ seq: '4', reason: 'prev_hash_mismatch' });
  });

  it('recomputes from raw rows exactly what the writer hashed: escapes, unicode, nulls, nested details', async () => {
    const ctx = await auditorCtx();
    const odd = 'é "quoted" \\ back\nslash \t\r\b\f\v\u0001 😀 \u2028 \u001f \\N \\t';
    await appendTestEvents(ctx.orgId, [
      { occurredAt: new Date('1999-12-31T23:59:59.999Z'), actor: { type: 'MEMBER', id: 'usr_"x"', label: odd } },
      { occurredAt: new Date(Date.UTC(2026, 0, 1)), action: 'ключ.создан', targetId: odd, outcome: 'FAILURE' },
      { occurredAt: new Date('1969-07-20T20:17:40.007Z') },
      { occurredAt: new Date('2026-03-29T01:59:59.990Z') },
      {
        occurredAt: new Date(Date.UTC(2026, 0, 2)),
        details: { z: { y: [1.5, -0, 1e21, 'ü', null], a: odd }, A: true, é: 'x', '': 2, 'a"b': [], n: 0.1 + 0.2 },
      },
      // The same details twice, in another key order: jsonb stores one text, remembered once.
      { occurredAt: new Date(Date.UTC(2026, 0, 3)), details: { b: 1, a: 'x' } },
      { occurredAt: new Date(Date.UTC(2026, 0, 4)), details: { a: 'x', b: 1 } },
    ]);
    expect(await checkAuditChain(ctx.orgId, { batchSize: 2 })).toMatchObject({ intact: true });
  });

  it('finds a tampered details field in a later batch, and counts the events before it', async () => {
    const ctx = await auditorCtx();
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 20 }, (_, i) => ({
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
        details: { grant_type: 'client_credentials', n: i },
      })),
    );
    await tamper(
      `UPDATE audit_events SET details = jsonb_set(details, '{grant_type}', '"refresh_token"') WHERE organization_id = $1 AND seq = 13`,
      ctx.orgId,
    );
    const progress: number[] = [];
    const result = await checkAuditChain(ctx.orgId, { batchSize: 5, onProgress: (p) => progress.push(p.checked) });
    expect(result).toMatchObject({
      intact: false,
      checked: 12,
      first_broken_link: { seq: '13', reason: 'hash_mismatch' },
    });
    expect(progress).toEqual([5, 10]); // the broken batch reports no progress
  });

  it('names a gap at a batch boundary, on either side of it', async () => {
    for (const missing of [10, 11]) {
      const ctx = await auditorCtx();
      const before = await db.auditEvent.count({ where: { organizationId: ctx.orgId } });
      await appendTestEvents(
        ctx.orgId,
        Array.from({ length: 20 - before }, (_, i) => ({ occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)) })),
      );
      await tamper(`DELETE FROM audit_events WHERE organization_id = $1 AND seq = $2`, ctx.orgId, missing);
      expect(await checkAuditChain(ctx.orgId, { batchSize: 10 })).toMatchObject({
        intact: false,
        checked: missing - 1,
        first_broken_link: { seq: String(missing), reason: 'sequence_gap' },
      });
    }
  });

  it('follows the link across a batch boundary: a re-hashed last row breaks the next batch’s first', async () => {
    const ctx = await auditorCtx();
    const before = await db.auditEvent.count({ where: { organizationId: ctx.orgId } });
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 12 - before }, (_, i) => ({ occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)) })),
    );
    const row = await db.auditEvent.findFirstOrThrow({ where: { organizationId: ctx.orgId, seq: 6 } });
    const { hashAuditEvent } = await import('./hash-chain');
    await tamper(
      `UPDATE audit_events SET actor_label = 'forged', hash = $2 WHERE organization_id = $1 AND seq = 6`,
      ctx.orgId,
      hashAuditEvent({ ...row, actorLabel: 'forged' }),
    );
    expect(await checkAuditChain(ctx.orgId, { batchSize: 6 })).toMatchObject({
      intact: false,
      checked: 6,
      first_broken_link: { seq: '7', reason: 'prev_hash_mismatch' },
    });
  });

  it('fails, never hangs or crashes, when the database drops its connections mid-check', async () => {
    const { withClient } = await import('@/lib/db/admin');
    const { env } = await import('@/lib/env');
    const { seedAuditEvents } = await import('./seed-events');
    const ctx = await auditorCtx();
    await withClient(env().DATABASE_URL, (client) =>
      seedAuditEvents(client, { organizationId: ctx.orgId, count: 3_000, days: 1, batchSize: 1_000 }),
    );
    let killed: Promise<unknown> | null = null;
    // Batches of one: some 3,000 round trips, so the check is still running when the kill lands.
    const check = checkAuditChain(ctx.orgId, {
      batchSize: 1,
      onProgress: () => {
        // After the first batch: end the verifier's two connections (the database restarting).
        killed ??= db.$queryRaw`
          SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%COPY (%'`.then(
          (rows) => rows, // a Prisma query runs when it is awaited or then'd: now, not after the check
        );
      },
    });
    await expect(check).rejects.toThrow();
    await killed;
    // The next check, on fresh connections, finds the chain intact.
    expect(await checkAuditChain(ctx.orgId)).toMatchObject({ intact: true });
  });

  it('quotes the organization id into its COPY statement as a literal', async () => {
    const ctx = await auditorCtx(); // an organization with events that an injected OR would reach
    expect(await checkAuditChain(`${ctx.orgId}' OR true --`)).toEqual({
      intact: true,
      checked: 0,
      last_seq: null,
      first_broken_link: null,
    });
  });

  it('checks only the caller’s organization', async () => {
    const ctx = await auditorCtx();
    const other = await auditorCtx();
    await tamper(`UPDATE audit_events SET action = 'x' WHERE organization_id = $1 AND seq = 1`, other.orgId);
    expect((await checkAuditChain(ctx.orgId)).intact).toBe(true);
    expect((await checkAuditChain(other.orgId)).intact).toBe(false);
  });
});

describe('audit listing', () => {
  it('pages with a keyset cursor without duplicates or gaps, even with equal timestamps', async () => {
    const ctx = await auditorCtx();
    const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute));
    // 25 events over 5 distinct instants: 5 share each timestamp.
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 25 }, (_, i) => ({
        occurredAt: t(Math.floor(i / 5)),
        action: 'test.paged',
        targetId: `t${i}`,
      })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = auditListQuery.parse({ action: 'test.paged', limit: '4', ...(cursor ? { cursor } : {}) });
      const page = await listAuditEvents(ctx, { action: query.action }, { cursor: query.cursor, limit: query.limit });
      seen.push(...page.data.map((e) => e.target_id ?? ''));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(7);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    // Newest first; within one instant, highest id first.
    expect(seen.slice(0, 5)).toEqual(['t24', 't23', 't22', 't21', 't20']);
  });

  it('an event appended between pages does not shift the older pages', async () => {
    const ctx = await auditorCtx();
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 6 }, (_, i) => ({
        occurredAt: new Date(Date.UTC(2026, 2, 1, 12, i)),
        action: 'test.shift',
        targetId: `s${i}`,
      })),
    );
    const first = await listAuditEvents(ctx, { action: 'test.shift' }, { limit: 3 });
    await appendTestEvents(ctx.orgId, [
      { occurredAt: new Date(Date.UTC(2026, 2, 1, 13)), action: 'test.shift', targetId: 'late' },
    ]);
    const second = await listAuditEvents(
      ctx,
      { action: 'test.shift' },
      { limit: 3, cursor: first.next_cursor ?? undefined },
    );
    expect([...first.data, ...second.data].map((e) => e.target_id)).toEqual(['s5', 's4', 's3', 's2', 's1', 's0']);
  });

  it('applies every filter, and never shows another organization', async () => {
    const ctx = await auditorCtx();
    const other = await auditorCtx();
    const alice = { type: 'MEMBER', id: 'usr_01JCX9Q3M5ZB8W2D6N4R7T1V0Y', label: 'alice@example.test' } as const;
    const bot = { type: 'SERVICE_ACCOUNT', id: 'sa_01JCX9Q3M5ZB8W2D6N4R7T1V0Z', label: 'billing-bot' } as const;
    await appendTestEvents(ctx.orgId, [
      { occurredAt: new Date('2026-04-01T10:00Z'), actor: alice, action: 'vehicle.added', targetId: 'veh_1' },
      { occurredAt: new Date('2026-04-02T10:00Z'), actor: bot, action: TOKEN_ISSUED, targetId: 'sa_x' },
      {
        occurredAt: new Date('2026-04-03T10:00Z'),
        actor: bot,
        action: TOKEN_REFUSED,
        targetId: 'sa_x',
        outcome: 'FAILURE',
      },
      { occurredAt: new Date('2026-04-04T10:00Z'), actor: alice, action: 'vehicle.removed', targetId: 'veh_1' },
    ]);
    await appendTestEvents(other.orgId, [
      { occurredAt: new Date('2026-04-02T11:00Z'), actor: alice, action: 'vehicle.added', targetId: 'veh_1' },
    ]);
    const actions = async (raw: Record<string, string>) => {
      const { cursor: _c, limit: _l, ...filters } = auditListQuery.parse(raw);
      return (await listAuditEvents(ctx, filters)).data.map((e) => e.action);
    };
    expect(await actions({ actor: 'alice@example.test' })).toEqual(['vehicle.removed', 'vehicle.added']);
    expect(await actions({ actor: bot.id })).toEqual([TOKEN_REFUSED, TOKEN_ISSUED]);
    expect(await actions({ action: 'vehicle.added' })).toEqual(['vehicle.added']);
    expect(await actions({ target: 'sa_x', outcome: 'FAILURE' })).toEqual([TOKEN_REFUSED]);
    expect(await actions({ from: '2026-04-02', to: '2026-04-04T00:00' })).toEqual([TOKEN_REFUSED, TOKEN_ISSUED]);
    expect(await actions({ from: '2026-04-02T10:00:00.000Z', to: '2026-04-02T10:00:00.001Z' })).toEqual([TOKEN_ISSUED]);
    expect(auditListQuery.safeParse({ from: '2026-05-01', to: '2026-04-01' }).success).toBe(false);
    expect(auditListQuery.safeParse({ from: 'yesterday' }).success).toBe(false);
    await expect(listAuditEvents(ctx, {}, { cursor: 'bogus' })).rejects.toMatchObject({ code: 'invalid_cursor' });
    expect(auditListQuery.safeParse({ outcome: 'MAYBE' }).success).toBe(false);
    expect(auditListQuery.safeParse({ sort: 'asc' }).success).toBe(false);
  });

  it('counts token issuance and refusals per bucket', async () => {
    const ctx = await auditorCtx();
    const at = (h: number, m = 0) => new Date(Date.UTC(2026, 5, 1, h, m));
    await appendTestEvents(ctx.orgId, [
      { occurredAt: at(9, 5), action: TOKEN_ISSUED },
      { occurredAt: at(9, 55), action: TOKEN_ISSUED },
      {
        occurredAt: at(9, 30),
        action: TOKEN_REFUSED,
        outcome: 'FAILURE',
        details: { grant_type: 'client_credentials', client_id: 'kid_x', reason: 'invalid_client' },
      },
      { occurredAt: at(11, 0), action: TOKEN_REFUSED, outcome: 'FAILURE' },
      { occurredAt: at(11, 1), action: 'vehicle.added' },
    ]);
    const hourly = await tokenActivity(ctx, { from: at(8), to: at(12) });
    expect(hourly.bucket).toBe('hour');
    expect(hourly.points.map((p) => [p.t.slice(11, 13), p.issued, p.refused])).toEqual([
      ['08', 0, 0],
      ['09', 2, 1],
      ['10', 0, 0],
      ['11', 0, 1],
    ]);
    const daily = await tokenActivity(ctx, {
      from: new Date(Date.UTC(2026, 4, 28)),
      to: new Date(Date.UTC(2026, 5, 3)),
    });
    expect(daily.bucket).toBe('day');
    expect(daily.points.find((p) => p.t.startsWith('2026-06-01'))).toMatchObject({ issued: 2, refused: 2 });
    const weekly = await tokenActivity(ctx, {
      from: new Date(Date.UTC(2025, 0, 1)),
      to: new Date(Date.UTC(2026, 6, 1)),
    });
    expect(weekly.bucket).toBe('week');
    // 2026-06-01 is a Monday: its week starts that day.
    expect(weekly.points.find((p) => p.t.startsWith('2026-06-01'))).toMatchObject({ issued: 2, refused: 2 });
    expect(weekly.points.every((p) => new Date(p.t).getUTCDay() === 1)).toBe(true);
    const ancient = await tokenActivity(ctx, {
      from: new Date('0001-01-01T00:00Z'),
      to: new Date(Date.UTC(2026, 6, 1)),
    });
    expect(ancient.points.length).toBeLessThanOrEqual(524);
    // The real writer: an event recorded now shows up in the default window.
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        organizationId: ctx.orgId,
        actor: { type: 'SYSTEM', id: null, label: 'token service' },
        action: TOKEN_ISSUED,
      }),
    );
    const recent = await tokenActivity(ctx);
    expect(recent.points.reduce((n, p) => n + p.issued, 0)).toBe(1);
  });
});

describe('token activity rollup (migration 0016)', () => {
  type RollupRow = { bucket: Date; action: string; client_id: string; events: bigint };
  const rollup = (orgId: string) =>
    db.$queryRaw<RollupRow[]>`
      SELECT bucket, action, client_id, events FROM audit_token_activity
      WHERE organization_id = ${orgId} ORDER BY bucket, action, client_id`;

  it('counts every insert per hour, action and client in the inserting transaction, and nothing rolled back', async () => {
    const ctx = await auditorCtx();
    const at = (h: number, m = 0) => new Date(Date.UTC(2026, 7, 1, h, m));
    const issued = (m: number, client: string) => ({
      occurredAt: at(9, m),
      action: TOKEN_ISSUED,
      details: { grant_type: 'client_credentials', client_id: client },
    });
    // One multi-row statement (like the token service's batch), then a second one onto the same rows.
    await appendTestEvents(ctx.orgId, [
      issued(1, 'kid_a'),
      issued(2, 'kid_a'),
      issued(3, 'kid_b'),
      issued(70, 'kid_a'),
    ]);
    await appendTestEvents(ctx.orgId, [
      issued(4, 'kid_a'),
      { occurredAt: at(9, 5), action: TOKEN_REFUSED, outcome: 'FAILURE', details: { reason: 'invalid_client' } },
      { occurredAt: at(9, 6), action: 'vehicle.added', details: { client_id: 'kid_a' } },
    ]);
    await expect(
      db.$transaction(async (tx) => {
        await recordAuditEvent(tx, {
          organizationId: ctx.orgId,
          actor: { type: 'SYSTEM', id: null, label: 'token service' },
          action: TOKEN_ISSUED,
          details: { client_id: 'kid_rolled_back' },
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await rollup(ctx.orgId)).map((r) => [r.bucket.toISOString(), r.action, r.client_id, r.events])).toEqual([
      ['2026-08-01T09:00:00.000Z', TOKEN_ISSUED, 'kid_a', 3n],
      ['2026-08-01T09:00:00.000Z', TOKEN_ISSUED, 'kid_b', 1n],
      ['2026-08-01T09:00:00.000Z', TOKEN_REFUSED, '', 1n],
      ['2026-08-01T10:00:00.000Z', TOKEN_ISSUED, 'kid_a', 1n],
    ]);
    // The rollup equals a recount of the log.
    const [recount] = await db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM audit_events WHERE organization_id = ${ctx.orgId} AND action IN (${TOKEN_ISSUED}, ${TOKEN_REFUSED})`;
    expect((await rollup(ctx.orgId)).reduce((n, r) => n + r.events, 0n)).toBe(recount?.n);
  });

  it('leaves audit_events append-only', async () => {
    const ctx = await auditorCtx();
    await appendTestEvents(ctx.orgId, [{ occurredAt: new Date(Date.UTC(2026, 7, 2)), action: TOKEN_ISSUED }]);
    await expect(
      db.$executeRaw`UPDATE audit_events SET action = 'x' WHERE organization_id = ${ctx.orgId}`,
    ).rejects.toThrow(/permission denied/);
    await expect(db.$executeRaw`DELETE FROM audit_events WHERE organization_id = ${ctx.orgId}`).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      withOwner((c) => c.query('DELETE FROM audit_events WHERE organization_id = $1', [ctx.orgId])),
    ).rejects.toThrow(/append-only/);
    expect((await rollup(ctx.orgId)).map((r) => r.events)).toEqual([1n]);
    // The trigger writes the rollup as its owner (migration 0017): the runtime role needs only SELECT.
    const [fn] = await db.$queryRaw<Array<{ definer: boolean; config: string[] | null }>>`
      SELECT prosecdef AS definer, proconfig AS config FROM pg_proc WHERE proname = 'audit_token_activity_add'`;
    expect(fn?.definer).toBe(true);
    expect(fn?.config?.some((c) => c.startsWith('search_path='))).toBe(true);
  });
});

describe('audit export', () => {
  it('streams CSV and NDJSON of the filtered events, and records the export', async () => {
    const ctx = await auditorCtx();
    await appendTestEvents(
      ctx.orgId,
      Array.from({ length: 4500 }, (_, i) => ({
        occurredAt: new Date(Date.UTC(2026, 6, 1, 0, 0, i)),
        action: i % 3 === 0 ? TOKEN_REFUSED : TOKEN_ISSUED,
        details: { n: i, note: 'comma, "quote"\nnewline' },
      })),
    );
    const refused = { action: TOKEN_REFUSED } as const;

    const ndjson = await readAll(await exportAuditEvents(ctx, refused, 'ndjson'));
    const lines = ndjson
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; seq: string; details: { n: number; note: string } });
    expect(lines).toHaveLength(1500);
    expect(lines.every((l) => l.action === TOKEN_REFUSED)).toBe(true);
    expect(new Set(lines.map((l) => l.seq)).size).toBe(1500);
    expect(lines[0]?.details).toEqual({ n: 4497, note: 'comma, "quote"\nnewline' });

    const csv = await readAll(
      await exportAuditEvents(ctx, { ...refused, from: new Date(Date.UTC(2026, 6, 1, 0, 0, 4000)) }, 'csv'),
    );
    const records = parseCsv(csv);
    expect(records).toHaveLength(166); // 4002, 4005, … 4497
    expect(Object.keys(records[0] ?? {})).toEqual(
      expect.arrayContaining([
        'seq',
        'occurred_at',
        'actor_label',
        'action',
        'outcome',
        'details',
        'prev_hash',
        'hash',
      ]),
    );
    expect(JSON.parse(records[0]?.details ?? '{}')).toEqual({ n: 4497, note: 'comma, "quote"\nnewline' });

    const empty = await readAll(await exportAuditEvents(ctx, { action: 'nothing.matches' }, 'csv'));
    expect(empty.trim().split('\n')).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { organizationId: ctx.orgId, action: 'audit.exported' } })).toBe(3);
    expect((await checkAuditChain(ctx.orgId)).intact).toBe(true);
  });
});

describe('seedAuditEvents (npm run seed:audit)', () => {
  it('appends realistic events after the existing chain, and the chain verifies', async () => {
    const { withClient } = await import('@/lib/db/admin');
    const { env } = await import('@/lib/env');
    const { seedAuditEvents } = await import('./seed-events');
    const ctx = await auditorCtx();
    const before = await db.auditEvent.count({ where: { organizationId: ctx.orgId } });
    const result = await withClient(env().DATABASE_URL, (client) =>
      seedAuditEvents(client, { organizationId: ctx.orgId, count: 2_500, days: 3, batchSize: 1_000 }),
    );
    expect(result).toEqual({ inserted: 2_500, lastSeq: BigInt(before + 2_500) });
    expect(await checkAuditChain(ctx.orgId)).toMatchObject({ intact: true, checked: before + 2_500 });
    expect(
      await db.auditEvent.count({ where: { organizationId: ctx.orgId, action: TOKEN_REFUSED, outcome: 'FAILURE' } }),
    ).toBeGreaterThan(100);
    // Live writers still append correctly after a seed.
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        organizationId: ctx.orgId,
        actor: { type: 'SYSTEM', id: null, label: 'test' },
        action: 'test.after_seed',
      }),
    );
    expect((await checkAuditChain(ctx.orgId)).intact).toBe(true);
  });
});
