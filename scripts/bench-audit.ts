// Measures the auditor's queries on an organization with 1,000,000 events (never part of npm test):
//   npm run bench:audit [-- --count 1000000]
// Prints every auditor figure of issue 16 with its target (met / NOT met; exit code 0 either way).
// Creates a scratch database next to DATABASE_URL's, migrates and seeds it, prints timings, drops it.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { seedAuditEvents } from '../lib/audit/seed-events';
import { databaseUrl, quoteIdent, withClient } from '../lib/db/admin';
import { migrate } from '../lib/db/migrate';
import { env, resetEnvCache } from '../lib/env';
import { testServer } from '../lib/testing/pg-server';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } },
  strict: true,
});
const count = Number(values.count);
// Without DATABASE_URL, use the same server the tests use (local PostgreSQL, else embedded).
// The bench signs no session and seals nothing: throwaway values satisfy lib/env.ts.
const server = process.env.DATABASE_URL ? undefined : await testServer();
if (server) process.env.DATABASE_URL = server.adminUrl;
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString('base64url');
process.env.LATCHKEY_MASTER_KEYS ??= `1:${randomBytes(32).toString('base64')}`;
const adminUrl = env().DATABASE_URL;
const scratch = `latchkey_bench_${randomBytes(4).toString('hex')}`;
const url = databaseUrl(adminUrl, scratch);

async function time<T>(label: string, fn: () => Promise<T>, runs = 7, onMedian?: (ms: number) => void): Promise<T> {
  let result: T | undefined = await fn(); // warm-up: connection and plan caches
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)] ?? 0;
  onMedian?.(median);
  console.log(
    `${label.padEnd(58)} median ${median.toFixed(1).padStart(7)} ms   (min ${ms[0]?.toFixed(1)}, max ${ms.at(-1)?.toFixed(1)}, ${runs} runs)`,
  );
  return result as T;
}

const verdicts: Array<[string, boolean, string]> = [];

/** timeMs is time() answering the median in milliseconds. */
async function timeMs(label: string, fn: () => Promise<unknown>, runs = 7): Promise<number> {
  let median = 0;
  await time(label, fn, runs, (ms) => (median = ms));
  return median;
}

/**
 * triggerCost appends batches of 32 token events to a fresh organization's chain through the
 * token service's batch function, alternately with the rollup trigger enabled and disabled
 * (rounds interleaved, so load on the machine hits both alike), and answers µs per event.
 */
async function triggerCost(dbUrl: string): Promise<{ on: number; off: number }> {
  const { GENESIS_HASH, hashAuditEvent } = await import('../lib/audit/hash-chain');
  const { AUDIT_LOCK_NAMESPACE } = await import('../lib/audit/record-audit-event');
  const BATCH_EVENTS = 32;
  const BATCHES = 200;
  const ROUNDS = 4;
  return withClient(dbUrl, async (client) => {
    const org = `org_trig_${randomBytes(4).toString('hex')}`;
    await client.query(
      "INSERT INTO organizations (id, slug, name, updated_at) VALUES ($1, 'trigger-cost', 'Trigger', now())",
      [org],
    );
    let seq = 0n;
    let prev = GENESIS_HASH;
    const sql = `SELECT ok FROM latchkey_append_token_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
      $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)`;
    const batch = async () => {
      const events = Array.from({ length: BATCH_EVENTS }, () => {
        seq += 1n;
        const event = {
          organizationId: org,
          seq,
          occurredAt: new Date(),
          actorType: 'SERVICE_ACCOUNT',
          actorId: 'sa_bench',
          actorLabel: 'bench',
          action: 'token.issued',
          targetType: 'service_account',
          targetId: 'sa_bench',
          outcome: 'SUCCESS',
          ip: '127.0.0.1',
          userAgent: 'bench',
          requestId: `req_${seq}`,
          details: { grant_type: 'client_credentials', client_id: `kid_${Number(seq % 8n)}`, scope: 'a b' },
          prevHash: prev,
        };
        const hash = hashAuditEvent(event);
        const expected = prev;
        prev = hash;
        return { event, hash, expected };
      });
      const col = <T>(f: (e: (typeof events)[number]) => T) => events.map(f);
      const none: string[] = [];
      const answer = await client.query<{ ok: boolean }>(sql, [
        AUDIT_LOCK_NAMESPACE,
        [org],
        [org],
        [events[0]?.expected],
        GENESIS_HASH,
        col((e) => e.event.organizationId),
        col((e) => e.event.seq.toString()),
        col((e) => e.event.occurredAt),
        col((e) => e.event.actorType),
        col((e) => e.event.actorId),
        col((e) => e.event.actorLabel),
        col((e) => e.event.action),
        col((e) => e.event.targetType),
        col((e) => e.event.targetId),
        col((e) => e.event.outcome),
        col((e) => e.event.ip),
        col((e) => e.event.userAgent),
        col((e) => e.event.requestId),
        col((e) => JSON.stringify(e.event.details)),
        col((e) => e.event.prevHash),
        col((e) => e.hash),
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        none,
      ]);
      if (!answer.rows[0]?.ok) throw new Error('trigger cost: the batch was refused');
    };
    const spent = { on: 0, off: 0 };
    for (let round = 0; round < ROUNDS; round++)
      for (const mode of ['on', 'off'] as const) {
        // A scratch database of this run: the bench may switch the trigger off for a moment.
        await client.query(
          `ALTER TABLE audit_events ${mode === 'on' ? 'ENABLE' : 'DISABLE'} TRIGGER audit_events_token_activity`,
        );
        const t = performance.now();
        for (let i = 0; i < BATCHES; i++) await batch();
        spent[mode] += performance.now() - t;
      }
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_token_activity');
    const events = ROUNDS * BATCHES * BATCH_EVENTS;
    return { on: (spent.on * 1000) / events, off: (spent.off * 1000) / events };
  });
}

await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(scratch)}`));
try {
  await migrate(url);
  process.env.DATABASE_URL = url;
  resetEnvCache();
  const orgId = `org_${randomBytes(8).toString('hex')}`;
  await withClient(url, async (client) => {
    await client.query("INSERT INTO organizations (id, slug, name, updated_at) VALUES ($1, 'bench', 'Bench', now())", [
      orgId,
    ]);
    // A second organization, so the first one's queries really filter by organization.
    await client.query("INSERT INTO organizations (id, slug, name, updated_at) VALUES ($1, 'other', 'Other', now())", [
      `${orgId}_2`,
    ]);
    const t = performance.now();
    await seedAuditEvents(client, { organizationId: orgId, count, days: 90 });
    await seedAuditEvents(client, { organizationId: `${orgId}_2`, count: Math.min(100_000, count), days: 90 });
    console.log(
      `Seeded ${count.toLocaleString('en')} events (+ ${Math.min(100_000, count).toLocaleString('en')} in another organization) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await client.query('VACUUM ANALYZE audit_events');
  });

  const { knownActions, listAuditEvents, tokenActivity } = await import('../lib/audit/queries');
  const { checkAuditChain } = await import('../lib/audit/verify-audit-chain');
  const { exportAuditEvents } = await import('../lib/audit/export-audit-events');
  const { encodeCursor } = await import('../lib/audit/cursor');
  const { db } = await import('../lib/db/client');
  const ctx = {
    orgId,
    orgSlug: 'bench',
    role: 'AUDITOR' as const,
    actor: { type: 'SYSTEM' as const, id: null, label: 'bench' },
    requestId: 'bench',
    ip: null,
    userAgent: null,
  };

  console.log(`\nKeyset pages of 50 on ${count.toLocaleString('en')} events:`);
  const first = await time('first page (newest)', () => listAuditEvents(ctx, {}));
  await time('second page (cursor)', () => listAuditEvents(ctx, {}, { cursor: first.next_cursor ?? undefined }));
  const [deep] = await db.$queryRaw<Array<{ occurred_at: Date; id: bigint }>>`
    SELECT occurred_at, id FROM audit_events WHERE organization_id = ${orgId} ORDER BY occurred_at DESC, id DESC OFFSET ${Math.floor(count * 0.9)} LIMIT 1`;
  if (deep)
    await time('deep page (90% into the log, keyset cursor)', () =>
      listAuditEvents(ctx, {}, { cursor: encodeCursor(orgId, { occurredAt: deep.occurred_at, id: deep.id }) }),
    );
  const actor = await db.auditEvent.findFirstOrThrow({
    where: { organizationId: orgId, actorType: 'SERVICE_ACCOUNT' },
    select: { actorId: true, actorLabel: true },
  });
  const member = await db.auditEvent.findFirstOrThrow({
    where: { organizationId: orgId, actorType: 'MEMBER' },
    select: { actorLabel: true, targetId: true },
  });
  await time('filtered: action = token.refused', () => listAuditEvents(ctx, { action: 'token.refused' }));
  await time('filtered: outcome = FAILURE', () => listAuditEvents(ctx, { outcome: 'FAILURE' }));
  await time('filtered: actor = a service account id', () => listAuditEvents(ctx, { actor: actor.actorId ?? '' }));
  await time('filtered: actor = a member email (rarer)', () => listAuditEvents(ctx, { actor: member.actorLabel }));
  await time('filtered: target = one target id (1 match)', () =>
    listAuditEvents(ctx, { target: member.targetId ?? '' }),
  );
  const mid = new Date(Date.now() - 45 * 86_400_000);
  await time('filtered: one-day time range, 45 days ago', () =>
    listAuditEvents(ctx, { from: mid, to: new Date(mid.getTime() + 86_400_000) }),
  );
  await time('filtered: action + outcome + time range', () =>
    listAuditEvents(ctx, {
      action: 'token.refused',
      outcome: 'FAILURE',
      from: new Date(mid.getTime() - 10 * 86_400_000),
      to: mid,
    }),
  );
  const refused = await listAuditEvents(ctx, { action: 'token.refused' });
  await time('filtered page 2: action = token.refused (cursor)', () =>
    listAuditEvents(ctx, { action: 'token.refused' }, { cursor: refused.next_cursor ?? undefined }),
  );
  await time('distinct actions (filter suggestions, loose index scan)', () => knownActions(ctx));
  // Every range the chart offers (hour buckets up to 3 days, days up to 400, weeks beyond).
  const ranges: Array<[string, number]> = [
    ['1 day (hourly)', 1],
    ['3 days (hourly)', 3],
    ['7 days (daily, the default)', 7],
    ['30 days (daily)', 30],
    ['90 days (daily)', 90],
    ['400 days (daily)', 400],
    ['2 years (weekly)', 730],
  ];
  const chartMs: number[] = [];
  for (const [label, days] of ranges)
    chartMs.push(
      await timeMs(`chart: token activity, ${label}`, () =>
        tokenActivity(ctx, { from: new Date(Date.now() - days * 86_400_000) }),
      ),
    );
  const slowestChart = Math.max(...chartMs);
  verdicts.push(['every chart range < 100 ms', slowestChart < 100, `slowest ${slowestChart.toFixed(1)} ms`]);

  console.log('\nVerify and export (one run each):');
  let t = performance.now();
  let reports = 0;
  const verdict = await checkAuditChain(orgId, { onProgress: () => void reports++ });
  let s = (performance.now() - t) / 1000;
  const verifyRate = verdict.checked / s;
  console.log(
    `verify chain: ${verdict.intact ? 'intact' : 'BROKEN'}, ${verdict.checked.toLocaleString('en')} events in ${s.toFixed(1)} s = ${Math.round(verifyRate).toLocaleString('en')} events/s (${reports} progress reports)`,
  );
  verdicts.push([
    'chain verification >= 200,000 events/s',
    verifyRate >= 200_000,
    `${Math.round(verifyRate).toLocaleString('en')}/s`,
  ]);
  // What an export keeps alive, as opposed to garbage not yet collected: a full collection once a
  // second, then the heap still in use. Bounded means it stays at a batch's worth however many
  // events go out (RSS and the heap between collections are printed too; they follow the GC).
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (const format of ['ndjson', 'csv'] as const) {
    gc();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    let peakRetained = baseline.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    const collector = setInterval(() => {
      gc();
      peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed);
    }, 1_000);
    t = performance.now();
    let bytes = 0;
    const reader = (await exportAuditEvents(ctx, {}, format)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    clearInterval(sampler);
    clearInterval(collector);
    s = (performance.now() - t) / 1000;
    const retained = (peakRetained - baseline.heapUsed) / 1e6;
    console.log(
      `export ${format.toUpperCase()} of everything: ${(bytes / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s = ${Math.round(count / s).toLocaleString('en')} events/s; retained heap +${retained.toFixed(1)} MB at most (after each second's collection); peak RSS +${((peakRss - baseline.rss) / 1e6).toFixed(0)} MB, peak heap between collections +${((peakHeap - baseline.heapUsed) / 1e6).toFixed(0)} MB`,
    );
    // Bounded: the export holds one batch, never the log (which is hundreds of MB here).
    verdicts.push([
      `${format} export memory bounded (retained heap < 50 MB)`,
      retained < 50,
      `+${retained.toFixed(1)} MB retained for ${(bytes / 1e6).toFixed(0)} MB`,
    ]);
  }

  console.log('\nCost of the rollup trigger on the token path (latchkey_append_token_events, batches of 32):');
  const perEvent = await triggerCost(url);
  console.log(
    `  with trigger ${perEvent.on.toFixed(1)} µs/event, without ${perEvent.off.toFixed(1)} µs/event: the rollup costs ${(perEvent.on - perEvent.off).toFixed(1)} µs per event`,
  );

  console.log('\nTargets (issue 16):');
  for (const [label, met, figure] of verdicts)
    console.log(`  ${met ? 'met    ' : 'NOT met'}  ${label.padEnd(52)} ${figure}`);
  await db.$disconnect();
} finally {
  if (!values.keep) {
    await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`));
  } else console.log(`Kept database ${scratch}.`);
  await server?.embedded?.stop();
}
