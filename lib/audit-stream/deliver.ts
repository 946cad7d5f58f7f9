import 'server-only';
import os from 'node:os';
import type pg from 'pg';
import { open as openSealed } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import type { AuditSink } from '@/lib/db/generated/client';
import { env, loopbackHttpAllowed } from '@/lib/env';
import { logger } from '@/lib/logger';
import { parseCidrs } from '@/lib/webhooks/address-guard';
import type { OutboundPolicy } from '@/lib/webhooks/outbound';
import { signCheckpoint } from './checkpoint';
import { eventRecord, type StreamRecord } from './records';
import { otlpConfig, syslogConfig } from './schema';
import { SinkError, sendBatch, type SinkTarget } from './transports';

/** The advisory-lock class of a sink's delivery (the key is hashtext(sink id)). */
const SINK_LOCK = 7240015;
const MAX_BACKOFF_SECONDS = 600;

export type DeliveryOutcome =
  /** Nothing to send (or the sink is paused or gone). */
  | { outcome: 'idle' }
  /** Sent and acknowledged; the cursor is now at `ackedSeq`. */
  | { outcome: 'delivered'; events: number; checkpoints: number; ackedSeq: bigint }
  /** Sent and acknowledged, but another worker moved the cursor first: nothing advanced. */
  | { outcome: 'raced' }
  /** The sink did not acknowledge; the cursor stays, the error is on the sink. */
  | { outcome: 'failed'; error: string }
  /** Another worker holds the sink (deliverSink only). */
  | { outcome: 'busy' };

export const sealedHeadersContext = (sinkId: string): string => `audit_sink:${sinkId}`;

/** The where-to of an instance-wide sink of `kind`, from the environment (null: not configured). */
export function instanceTarget(kind: AuditSink['kind']): SinkTarget | null {
  const e = env();
  if (kind === 'OTLP_HTTP' && e.AUDIT_STREAM_OTLP_URL)
    return {
      kind,
      url: e.AUDIT_STREAM_OTLP_URL,
      headers: e.AUDIT_STREAM_OTLP_AUTHORIZATION ? { authorization: e.AUDIT_STREAM_OTLP_AUTHORIZATION } : {},
    };
  if (kind === 'SYSLOG_TCP' && e.AUDIT_STREAM_SYSLOG_URL) {
    const url = new URL(e.AUDIT_STREAM_SYSLOG_URL);
    return { kind, host: url.hostname, port: Number(url.port), tls: url.protocol === 'syslog+tls:' };
  }
  if (kind === 'NDJSON_FILE' && e.AUDIT_STREAM_FILE) return { kind, path: e.AUDIT_STREAM_FILE };
  return null;
}

/** sinkTarget is where a sink's batches go; an organization's OTLP headers are opened here only. */
export function sinkTarget(sink: AuditSink): SinkTarget | null {
  if (sink.instanceWide) return instanceTarget(sink.kind);
  if (sink.kind === 'OTLP_HTTP') {
    const config = otlpConfig.parse(sink.config);
    const headers = sink.secretEnc
      ? (JSON.parse(openSealed(sink.secretEnc, sealedHeadersContext(sink.id)).toString('utf8')) as Record<
          string,
          string
        >)
      : {};
    return { kind: 'OTLP_HTTP', url: config.url, headers };
  }
  if (sink.kind === 'SYSLOG_TCP') return { kind: 'SYSLOG_TCP', ...syslogConfig.parse(sink.config) };
  return null;
}

/**
 * The instance-wide sink is the operator's: it may reach any address. An organization's sink
 * may reach only what a webhook may (public addresses, loopback in development, the operator's
 * WEBHOOK_ALLOWED_PRIVATE_CIDRS).
 */
export function policyFor(sink: AuditSink): OutboundPolicy {
  if (sink.instanceWide) return { allowLoopback: true, allowedCidrs: parseCidrs('0.0.0.0/0,::/0') };
  return { allowLoopback: loopbackHttpAllowed(), allowedCidrs: parseCidrs(env().WEBHOOK_ALLOWED_PRIVATE_CIDRS) };
}

/**
 * deliverSinkOnce sends the next batch of a sink: the events after its last acknowledged seq, in
 * chain order (keyset on the org's seq), with a signed checkpoint after every
 * checkpoint_every_events events and at the end of the batch when checkpoint_every_seconds have
 * passed since the last one. Only once the sink acknowledged the batch does the cursor move,
 * by an UPDATE conditional on the cursor being still where this delivery read it: of two workers
 * that sent the same batch, one advances it and the other changes nothing ('raced'), so the
 * cursor never skips or double-advances. It only reads audit_events: nothing on the token path
 * waits for it.
 */
export async function deliverSinkOnce(sinkId: string, now = new Date()): Promise<DeliveryOutcome> {
  const sink = await db.auditSink.findUnique({ where: { id: sinkId } });
  if (!sink || sink.status !== 'ACTIVE') return { outcome: 'idle' };
  const e = env();
  let target: SinkTarget | null;
  try {
    target = sinkTarget(sink);
  } catch (error) {
    logger.error({ err: error, sinkId }, 'audit sink settings cannot be read');
    return recordFailure(sink, 'the sink settings cannot be read (see the server log)', now);
  }
  if (!target) return { outcome: 'idle' };

  const rows = await db.auditEvent.findMany({
    where: { organizationId: sink.organizationId, seq: { gt: sink.lastAckedSeq } },
    orderBy: { seq: 'asc' },
    take: e.AUDIT_STREAM_BATCH,
  });
  const first = rows[0];
  if (first && (first.seq !== sink.lastAckedSeq + 1n || first.prevHash !== sink.lastAckedHash))
    return recordFailure(sink, `the chain does not continue from acknowledged seq ${sink.lastAckedSeq}`, now);

  const records: StreamRecord[] = [];
  let checkpointSeq = sink.lastCheckpointSeq;
  let checkpointAt = sink.lastCheckpointAt;
  let head = { seq: sink.lastAckedSeq, hash: sink.lastAckedHash };
  for (const row of rows) {
    records.push(eventRecord({ ...row, organizationId: sink.organizationId }));
    head = { seq: row.seq, hash: row.hash };
    if (head.seq - checkpointSeq >= BigInt(sink.checkpointEveryEvents)) {
      records.push(await signCheckpoint(sink.organizationId, head.seq, head.hash, now));
      checkpointSeq = head.seq;
      checkpointAt = now;
    }
  }
  const since = (checkpointAt ?? sink.createdAt).getTime();
  if (head.seq > checkpointSeq && now.getTime() - since >= sink.checkpointEverySeconds * 1000) {
    records.push(await signCheckpoint(sink.organizationId, head.seq, head.hash, now));
    checkpointSeq = head.seq;
    checkpointAt = now;
  }
  if (records.length === 0) return { outcome: 'idle' };

  try {
    await sendBatch(target, records, {
      policy: policyFor(sink),
      timeoutMs: e.AUDIT_STREAM_TIMEOUT_MS,
      hostName: os.hostname(),
    });
  } catch (error) {
    if (!(error instanceof SinkError)) logger.error({ err: error, sinkId }, 'audit stream delivery failed');
    return recordFailure(
      sink,
      error instanceof SinkError ? error.message : 'delivery failed (see the server log)',
      now,
    );
  }

  const advanced = await db.auditSink.updateMany({
    where: { id: sink.id, lastAckedSeq: sink.lastAckedSeq, lastCheckpointSeq: sink.lastCheckpointSeq },
    data: {
      lastAckedSeq: head.seq,
      lastAckedHash: head.hash,
      lastCheckpointSeq: checkpointSeq,
      lastCheckpointAt: checkpointAt,
      lastDeliveredAt: now,
      consecutiveFailures: 0,
      nextAttemptAt: null,
    },
  });
  if (advanced.count !== 1) return { outcome: 'raced' };
  return {
    outcome: 'delivered',
    events: rows.length,
    checkpoints: records.length - rows.length,
    ackedSeq: head.seq,
  };
}

/** recordFailure keeps the error on the sink and backs off exponentially (5 s, 10 s, … 10 min). */
async function recordFailure(sink: AuditSink, error: string, now: Date): Promise<DeliveryOutcome> {
  const failures = sink.consecutiveFailures + 1;
  const delay = Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** Math.min(failures - 1, 10));
  await db.auditSink.updateMany({
    where: { id: sink.id },
    data: {
      consecutiveFailures: failures,
      lastError: error,
      lastErrorAt: now,
      nextAttemptAt: new Date(now.getTime() + delay * 1000),
    },
  });
  return { outcome: 'failed', error };
}

/**
 * deliverSink drains a sink (batch after batch while full ones come back) holding a session
 * advisory lock on the sink, taken without waiting: another instance delivering the same sink
 * makes this one return 'busy' instead of sending the same events in parallel.
 */
export async function deliverSink(pool: pg.Pool, sinkId: string, maxBatches = 20): Promise<DeliveryOutcome> {
  const client = await pool.connect();
  try {
    const locked = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
      SINK_LOCK,
      sinkId,
    ]);
    if (!locked.rows[0]?.ok) return { outcome: 'busy' };
    try {
      let last: DeliveryOutcome = { outcome: 'idle' };
      for (let i = 0; i < maxBatches; i++) {
        const result = await deliverSinkOnce(sinkId);
        if (result.outcome !== 'delivered')
          return last.outcome === 'delivered' && result.outcome === 'idle' ? last : result;
        last = result;
        if (result.events < env().AUDIT_STREAM_BATCH) break;
      }
      return last;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [SINK_LOCK, sinkId]);
    }
  } finally {
    client.release();
  }
}

/**
 * ensureInstanceSinks gives every organization one cursor row per configured instance-wide sink
 * (idempotent: the partial unique index of migration 0044); `onlyOrgId` limits it to one.
 */
export async function ensureInstanceSinks(onlyOrgId?: string): Promise<void> {
  for (const kind of ['OTLP_HTTP', 'SYSLOG_TCP', 'NDJSON_FILE'] as const) {
    if (!instanceTarget(kind)) continue;
    await db.$executeRaw`
      INSERT INTO audit_sinks (id, organization_id, kind, name, instance_wide, updated_at)
      SELECT 'ask_' || (
               SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + floor(random() * 32)::int, 1), '')
               FROM generate_series(1, 26) WHERE o.id IS NOT NULL
             ),
             o.id, ${kind}::audit_sink_kind, 'Instance-wide', true, now()
      FROM organizations o
      WHERE (${onlyOrgId ?? null}::text IS NULL OR o.id = ${onlyOrgId ?? null})
        -- Every round runs this: an anti-join on the partial unique index finds the organizations
        -- still without a cursor row (usually none), instead of trying an insert for each.
        AND NOT EXISTS (SELECT 1 FROM audit_sinks s
                        WHERE s.organization_id = o.id AND s.kind = ${kind}::audit_sink_kind AND s.instance_wide)
      ON CONFLICT (organization_id, kind) WHERE instance_wide DO NOTHING`;
  }
}

/**
 * streamAuditSinks is one round of the stream: every active sink that is not backing off is
 * drained under its lock. Every instance runs rounds (lib/jobs/job-worker.ts); the locks share
 * the sinks out between them.
 */
export async function streamAuditSinks(pool: pg.Pool, now = new Date()): Promise<number> {
  await ensureInstanceSinks();
  const due = await db.auditSink.findMany({
    where: { status: 'ACTIVE', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  let delivered = 0;
  for (const { id } of due) {
    const result = await deliverSink(pool, id).catch((error: unknown) => {
      logger.error({ err: error, sinkId: id }, 'audit stream round failed');
      return null;
    });
    if (result?.outcome === 'delivered') delivered += result.events;
  }
  return delivered;
}
