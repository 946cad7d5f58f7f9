import 'server-only';
import pg from 'pg';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { emitEvent } from '@/lib/events/emit-event';
import { chainBreakSubject } from '@/lib/events/subjects';
import { logger } from '@/lib/logger';
import type { ChainVerification } from './dto';
import { GENESIS_HASH, findChainBreak, type ChainedEvent } from './hash-chain';
import { recordAuditEvent } from './record-audit-event';

const BATCH = 10_000;

type ChainRow = ChainedEvent & { hash: string };

// Every column as PostgreSQL's text: no Date, JSON or BigInt parsing by the driver for rows that
// are only hashed; the verifier converts the two fields the hash covers in another form itself.
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

const CHAIN_BATCH_SQL = `
  SELECT seq::text, (extract(epoch FROM occurred_at) * 1000)::bigint::text, actor_type::text, actor_id, actor_label, action,
         target_type, target_id, outcome::text, ip, user_agent, request_id, details::text, prev_hash, hash
  FROM audit_events
  WHERE organization_id = $1 AND seq > $2
  ORDER BY audit_events.seq -- the column, not the text output column of the same name
  LIMIT $3`;

/** fetchChainBatch reads the next `size` events after `afterSeq`, in seq order, as the hash covers them. */
async function fetchChainBatch(client: pg.Client, orgId: string, afterSeq: bigint, size: number): Promise<ChainRow[]> {
  const result = await client.query<Array<string | null>>({
    text: CHAIN_BATCH_SQL,
    values: [orgId, afterSeq.toString(), size],
    rowMode: 'array',
    types: RAW_TEXT,
  });
  return result.rows.map((r) => ({
    organizationId: orgId,
    seq: BigInt(r[0] as string),
    occurredAt: new Date(Number(r[1])),
    actorType: r[2] as string,
    actorId: r[3] ?? null,
    actorLabel: r[4] as string,
    action: r[5] as string,
    targetType: r[6] ?? null,
    targetId: r[7] ?? null,
    outcome: r[8] as string,
    ip: r[9] ?? null,
    userAgent: r[10] ?? null,
    requestId: r[11] ?? null,
    details: JSON.parse(r[12] as string) as unknown,
    prevHash: r[13] as string,
    hash: r[14] as string,
  }));
}

/** Progress of a chain check: events checked so far, of the chain's length when the check began. */
export type ChainProgress = { checked: number; total: number };

/**
 * checkAuditChain walks the organization's chain in seq order, in keyset batches of 10,000 read
 * on a connection of its own (memory stays flat at any size), recomputing each hash and link
 * with findChainBreak; the next batch is fetched while the current one is hashed. It stops at
 * the first broken link (a changed field, a re-hashed event whose successor still points at the
 * old hash, or a missing seq) and reports it. Events appended while it runs are checked too.
 * `onProgress`, when given, is called after every batch (total: the last seq at the start).
 */
export async function checkAuditChain(
  orgId: string,
  options: { batchSize?: number; onProgress?: (progress: ChainProgress) => void } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? BATCH;
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  await client.connect();
  try {
    const total = Number((await lastSeq(orgId)) ?? 0);
    let previous = { seq: 0n, hash: GENESIS_HASH };
    let checked = 0;
    let pending = fetchChainBatch(client, orgId, 0n, batchSize);
    for (;;) {
      const batch = await pending;
      const last = batch.at(-1);
      if (!last) break;
      const full = batch.length === batchSize;
      // Start reading the next batch before hashing this one: the database works while we hash.
      if (full) pending = fetchChainBatch(client, orgId, last.seq, batchSize);
      const broken = findChainBreak(batch, previous);
      if (broken) {
        if (full) await pending.catch(() => undefined);
        checked += Number(broken.seq - previous.seq - 1n);
        return {
          intact: false,
          checked,
          last_seq: await lastSeq(orgId),
          first_broken_link: { seq: broken.seq.toString(), reason: broken.reason },
        };
      }
      checked += batch.length;
      previous = { seq: last.seq, hash: last.hash };
      options.onProgress?.({ checked, total: Math.max(total, checked) });
      if (!full) break;
    }
    return { intact: true, checked, last_seq: checked > 0 ? previous.seq.toString() : null, first_broken_link: null };
  } finally {
    await client.end();
  }
}

async function lastSeq(orgId: string): Promise<string | null> {
  const last = await db.auditEvent.findFirst({
    where: { organizationId: orgId },
    orderBy: { seq: 'desc' },
    select: { seq: true },
  });
  return last ? last.seq.toString() : null;
}

/**
 * verifyAuditChain checks the caller's organization's chain (see checkAuditChain) and records
 * the verification itself as audit.verified, with its outcome, after the check.
 */
export async function verifyAuditChain(
  ctx: OrgContext,
  onProgress?: (progress: ChainProgress) => void,
): Promise<ChainVerification> {
  const result = await checkAuditChain(ctx.orgId, { onProgress });
  await db.$transaction(async (tx) => {
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'audit.verified',
      target: { type: 'audit_log', id: null },
      outcome: result.intact ? 'SUCCESS' : 'FAILURE',
      meta: ctx,
      details: { checked: result.checked, last_seq: result.last_seq, first_broken_link: result.first_broken_link },
    });
    if (result.first_broken_link)
      await emitEvent(
        tx,
        'audit_chain.verification_failed',
        chainBreakSubject(ctx, result.checked, result.first_broken_link),
      );
  });
  return result;
}

/** One line of the streamed verification: progress after each batch, then the result (or an error). */
export type VerificationLine =
  | ({ type: 'progress' } & ChainProgress)
  | ({ type: 'result' } & ChainVerification)
  | { type: 'error'; code: string; message: string };

/**
 * verifyAuditChainStream is verifyAuditChain as NDJSON (application/x-ndjson): a progress line
 * after every batch, so a console or a script can show how far a long check is, then the result
 * line. The check starts when the stream is first read; a failure after the first byte can no
 * longer change the status code, so it ends the stream with an error line (never its details,
 * which are logged).
 */
export function verifyAuditChainStream(ctx: OrgContext): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: VerificationLine) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await verifyAuditChain(ctx, (p) => send({ type: 'progress', ...p }));
        send({ type: 'result', ...result });
      } catch (error) {
        logger.error({ err: error, requestId: ctx.requestId }, 'audit chain verification failed');
        send({ type: 'error', code: 'internal', message: 'The verification failed; see the server log.' });
      }
      controller.close();
    },
  });
}
