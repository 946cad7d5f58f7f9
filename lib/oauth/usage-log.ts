import 'server-only';
import { hashAuditEvent } from '@/lib/audit/hash-chain';
import type { AuditEventInput } from '@/lib/audit/record-audit-event';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { CredentialKind } from './principals';

/** A credential use to stamp on the credential and its account (last used at / from). */
export type CredentialUse = { kind: CredentialKind; credentialId: string; serviceAccountId: string; ip: string | null; at: Date };

type Item = { event: AuditEventInput | null; use?: CredentialUse; resolve: () => void; reject: (error: unknown) => void };

const MAX_BATCH = 256;
const state = globalThis as unknown as { __latchkeyUsageLog?: { queue: Item[]; running: boolean } };
const log = (state.__latchkeyUsageLog ??= { queue: [], running: false });

const TABLES: Record<CredentialKind, string> = { client_secret: 'client_secrets', key_pair: 'key_pairs', client_token_pair: 'client_token_pairs' };

/**
 * recordTokenEvent appends a token audit event (and stamps the credential's last use) and
 * resolves once both are committed: the token endpoint hands out no token whose issuance is
 * not in the audit log. Events arriving while a batch commits are written together in the next
 * transaction ("group commit"), so the hot path pays one transaction per batch, not per
 * request, and the per-organization chain lock is taken once per batch and organization.
 */
export function recordTokenEvent(event: AuditEventInput | null, use?: CredentialUse): Promise<void> {
  return new Promise((resolve, reject) => {
    log.queue.push({ event, use, resolve, reject });
    if (!log.running) void drain();
  });
}

async function drain(): Promise<void> {
  log.running = true;
  try {
    while (log.queue.length > 0) {
      const batch = log.queue.splice(0, MAX_BATCH);
      try {
        await writeBatch(batch);
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
  } finally {
    log.running = false;
  }
}

async function writeBatch(batch: Item[]): Promise<void> {
  // Chains are locked in one global order so that two instances' batches never deadlock.
  const events = batch.flatMap((b) => (b.event ? [b.event] : [])).sort((a, b) => (a.organizationId ?? '').localeCompare(b.organizationId ?? ''));
  const uses = new Map<string, CredentialUse>();
  for (const { use } of batch) if (use) uses.set(`${use.kind}:${use.credentialId}`, use);
  await db.$transaction(async (tx) => {
    await appendEvents(tx, events);
    for (const kind of Object.keys(TABLES) as CredentialKind[]) {
      const rows = [...uses.values()].filter((u) => u.kind === kind).sort((a, b) => a.credentialId.localeCompare(b.credentialId));
      if (rows.length === 0) continue;
      // Table names come from the fixed map above, never from input.
      await tx.$executeRawUnsafe(
        `UPDATE ${TABLES[kind]} AS t SET last_used_at = v.at, last_used_ip = v.ip
         FROM (SELECT unnest($1::text[]) AS id, unnest($2::timestamptz[]) AS at, unnest($3::text[]) AS ip) AS v
         WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at)`,
        rows.map((r) => r.credentialId),
        rows.map((r) => r.at),
        rows.map((r) => r.ip),
      );
    }
    const accounts = new Map<string, Date>();
    for (const u of uses.values()) {
      const prev = accounts.get(u.serviceAccountId);
      if (!prev || prev < u.at) accounts.set(u.serviceAccountId, u.at);
    }
    if (accounts.size > 0) {
      const ids = [...accounts.keys()].sort();
      await tx.$executeRawUnsafe(
        `UPDATE service_accounts AS t SET last_used_at = v.at
         FROM (SELECT unnest($1::text[]) AS id, unnest($2::timestamptz[]) AS at) AS v
         WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at)`,
        ids,
        ids.map((id) => accounts.get(id)),
      );
    }
  });
}

/**
 * appendEvents appends a batch to the audit chains in a few round trips per organization: the
 * first event of each chain goes through recordAuditEvent (which takes that chain's lock for
 * the rest of this transaction and appends); the others are chained after it here, hashed the
 * same way (lib/audit/hash-chain.ts), and inserted with one createMany.
 */
async function appendEvents(tx: Tx, events: AuditEventInput[]): Promise<void> {
  const chains = new Map<string | null, AuditEventInput[]>();
  for (const event of events) {
    const list = chains.get(event.organizationId);
    if (list) list.push(event);
    else chains.set(event.organizationId, [event]);
  }
  for (const [organizationId, list] of chains) {
    const [first, ...rest] = list;
    if (!first) continue;
    const head = await recordAuditEvent(tx, first);
    if (rest.length === 0) continue;
    const last = await tx.auditEvent.findUniqueOrThrow({ where: { id: head.id }, select: { seq: true, hash: true } });
    let seq = last.seq;
    let prevHash = last.hash;
    const rows: Prisma.AuditEventCreateManyInput[] = [];
    for (const input of rest) {
      seq += 1n;
      const event = {
        organizationId,
        seq,
        occurredAt: new Date(),
        actorType: input.actor.type,
        actorId: input.actor.id,
        actorLabel: input.actor.label,
        action: input.action,
        targetType: input.target?.type ?? null,
        targetId: input.target?.id ?? null,
        outcome: input.outcome ?? 'SUCCESS',
        ip: input.meta?.ip ?? null,
        userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
        requestId: input.meta?.requestId ?? null,
        details: JSON.parse(JSON.stringify(input.details ?? {})) as Prisma.InputJsonObject,
        prevHash,
      } as const;
      const hash = hashAuditEvent(event);
      rows.push({ ...event, hash });
      prevHash = hash;
    }
    await tx.auditEvent.createMany({ data: rows });
  }
}
