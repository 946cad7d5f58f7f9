import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import type { ChainVerification } from './dto';
import { GENESIS_HASH, findChainBreak } from './hash-chain';
import { recordAuditEvent } from './record-audit-event';

const BATCH = 5_000;

const chainColumns = {
  organizationId: true,
  seq: true,
  occurredAt: true,
  actorType: true,
  actorId: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  outcome: true,
  ip: true,
  userAgent: true,
  requestId: true,
  details: true,
  prevHash: true,
  hash: true,
} as const;

/**
 * checkAuditChain walks the organization's chain in seq order, in batches of 5,000 (memory
 * stays flat at any size), recomputing each hash and link with findChainBreak. It stops at the
 * first broken link (a changed field, a re-hashed event whose successor still points at the old
 * hash, or a missing seq) and reports it. Events appended while it runs are checked too.
 */
export async function checkAuditChain(orgId: string, batchSize = BATCH): Promise<ChainVerification> {
  let previous = { seq: 0n, hash: GENESIS_HASH };
  let checked = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { organizationId: orgId, seq: { gt: previous.seq } },
      orderBy: { seq: 'asc' },
      take: batchSize,
      select: chainColumns,
    });
    if (batch.length === 0) break;
    const broken = findChainBreak(batch, previous);
    if (broken) {
      checked += Number(broken.seq - previous.seq - 1n);
      return { intact: false, checked, last_seq: await lastSeq(orgId), first_broken_link: { seq: broken.seq.toString(), reason: broken.reason } };
    }
    checked += batch.length;
    const last = batch[batch.length - 1];
    if (!last) break;
    previous = { seq: last.seq, hash: last.hash };
    if (batch.length < batchSize) break;
  }
  return { intact: true, checked, last_seq: checked > 0 ? previous.seq.toString() : null, first_broken_link: null };
}

async function lastSeq(orgId: string): Promise<string | null> {
  const last = await db.auditEvent.findFirst({ where: { organizationId: orgId }, orderBy: { seq: 'desc' }, select: { seq: true } });
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
