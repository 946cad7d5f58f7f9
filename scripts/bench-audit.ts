// Measures the auditor's queries on an organization with 1,000,000 events (never part of npm test):
//   npm run bench:audit [-- --count 1000000]
// Creates a scratch database next to DATABASE_URL's, migrates and seeds it, prints timings, drops it.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
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

async function time<T>(label: string, fn: () => Promise<T>, runs = 7): Promise<T> {
  let result: T | undefined = await fn(); // warm-up: connection and plan caches
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)] ?? 0;
  console.log(
    `${label.padEnd(58)} median ${median.toFixed(1).padStart(7)} ms   (min ${ms[0]?.toFixed(1)}, max ${ms.at(-1)?.toFixed(1)}, ${runs} runs)`,
  );
  return result as T;
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
  const { decodeCursor } = await import('../lib/audit/filters');
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
  await time('second page (cursor)', () =>
    listAuditEvents(ctx, {}, { cursor: decodeCursor(first.next_cursor ?? '') ?? undefined }),
  );
  const [deep] = await db.$queryRaw<Array<{ occurred_at: Date; id: bigint }>>`
    SELECT occurred_at, id FROM audit_events WHERE organization_id = ${orgId} ORDER BY occurred_at DESC, id DESC OFFSET ${Math.floor(count * 0.9)} LIMIT 1`;
  if (deep)
    await time('deep page (90% into the log, keyset cursor)', () =>
      listAuditEvents(ctx, {}, { cursor: { occurredAt: deep.occurred_at, id: deep.id } }),
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
    listAuditEvents(ctx, { action: 'token.refused' }, { cursor: decodeCursor(refused.next_cursor ?? '') ?? undefined }),
  );
  await time('distinct actions (filter suggestions, loose index scan)', () => knownActions(ctx));
  await time('chart: token activity, last 7 days (daily)', () => tokenActivity(ctx));
  await time(
    'chart: token activity, 90 days (daily)',
    () => tokenActivity(ctx, { from: new Date(Date.now() - 90 * 86_400_000) }),
    3,
  );

  console.log('\nVerify and export (one run each):');
  let t = performance.now();
  const verdict = await checkAuditChain(orgId);
  let s = (performance.now() - t) / 1000;
  console.log(
    `verify chain: ${verdict.intact ? 'intact' : 'BROKEN'}, ${verdict.checked.toLocaleString('en')} events in ${s.toFixed(1)} s = ${Math.round(verdict.checked / s).toLocaleString('en')} events/s`,
  );
  const memory = process.memoryUsage().rss;
  t = performance.now();
  let bytes = 0;
  const reader = (await exportAuditEvents(ctx, {}, 'ndjson')).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  s = (performance.now() - t) / 1000;
  console.log(
    `export NDJSON of everything: ${(bytes / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s = ${Math.round(count / s).toLocaleString('en')} events/s; RSS grew ${((process.memoryUsage().rss - memory) / 1e6).toFixed(0)} MB`,
  );
  await db.$disconnect();
} finally {
  if (!values.keep) {
    await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`));
  } else console.log(`Kept database ${scratch}.`);
  await server?.embedded?.stop();
}
