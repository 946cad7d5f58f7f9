import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import type { ChainVerification } from './dto';
import { GENESIS_HASH, findChainBreak, type ChainedEvent } from './hash-chain';
import { recordAuditEvent } from './record-audit-event';

const BATCH = 5_000;

type ChainRow = ChainedEvent & { hash: string };

/** fetchChainBatch reads the next `size` events after `afterSeq`, in seq order, as the hash covers them. */
function fetchChainBatch(orgId: string, afterSeq: bigint, size: number): Promise<ChainRow[]> {
  return db.$queryRaw<ChainRow[]>`
    SELECT organization_id AS "organizationId", seq, occurred_at AS "occurredAt", actor_type::text AS "actorType",
           actor_id AS "actorId", actor_label AS "actorLabel", action, target_type AS "targetType", target_id AS "targetId",
           outcome::text AS outcome, ip, user_agent AS "userAgent", request_id AS "requestId", details,
           prev_hash AS "prevHash", hash
    FROM audit_events
    WHERE organization_id = ${orgId} AND seq > ${afterSeq}
    ORDER BY seq
    LIMIT ${size}`;
}

/**
 * checkAuditChain walks the organization's chain in seq order, in batches of 5,000 (memory
 * stays flat at any size), recomputing each hash and link with findChainBreak; the next batch
 * is fetched while the current one is hashed. It stops at the first broken link (a changed
 * field, a re-hashed event whose successor still points at the old hash, or a missing seq) and
 * reports it. Events appended while it runs are checked too.
 */
export async function checkAuditChain(orgId: string, batchSize = BATCH): Promise<ChainVerification> {
  let previous = { seq: 0n, hash: GENESIS_HASH };
  let checked = 0;
  let pending = fetchChainBatch(orgId, 0n, batchSize);
  for (;;) {
    const batch = await pending;
    const last = batch.at(-1);
    if (!last) break;
    const full = batch.length === batchSize;
    // Start reading the next batch before hashing this one: the database works while we hash.
    if (full) pending = fetchChainBatch(orgId, last.seq, batchSize);
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
    if (!full) break;
  }
  return { intact: true, checked, last_seq: checked > 0 ? previous.seq.toString() : null, first_broken_link: null };
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
export async function verifyAuditChain(ctx: OrgContext): Promise<ChainVerification> {
  const result = await checkAuditChain(ctx.orgId);
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'audit.verified',
      target: { type: 'audit_log', id: null },
      outcome: result.intact ? 'SUCCESS' : 'FAILURE',
      meta: ctx,
      details: { checked: result.checked, last_seq: result.last_seq, first_broken_link: result.first_broken_link },
    }),
  );
  return result;
}
