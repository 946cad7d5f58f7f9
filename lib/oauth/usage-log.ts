import 'server-only';
import type pg from 'pg';
import { GENESIS_HASH, hashAuditEvent } from '@/lib/audit/hash-chain';
import type { AuditEventInput } from '@/lib/audit/record-audit-event';
import { hotPool } from './hot-db';
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

// Must equal lib/audit/record-audit-event.ts: appends to one chain are serialized by this lock.
const AUDIT_LOCK_NAMESPACE = 7_240_001;

async function writeBatch(batch: Item[]): Promise<void> {
  // Chains are locked in one global order so that two instances' batches never deadlock.
  const events = batch.flatMap((b) => (b.event ? [b.event] : [])).sort((a, b) => (a.organizationId ?? '').localeCompare(b.organizationId ?? ''));
  const uses = new Map<string, CredentialUse>();
  for (const { use } of batch) if (use) uses.set(`${use.kind}:${use.credentialId}`, use);
  const client = await hotPool().connect();
  try {
    await client.query('BEGIN');
    await appendEvents(client, events);
    for (const kind of Object.keys(TABLES) as CredentialKind[]) {
      const rows = [...uses.values()].filter((u) => u.kind === kind).sort((a, b) => a.credentialId.localeCompare(b.credentialId));
      if (rows.length === 0) continue;
      // Table names come from the fixed map above, never from input.
      await client.query(
        `UPDATE ${TABLES[kind]} AS t SET last_used_at = v.at, last_used_ip = v.ip
         FROM (SELECT unnest($1::text[]) AS id, unnest($2::timestamptz[]) AS at, unnest($3::text[]) AS ip) AS v
         WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at)`,
        [rows.map((r) => r.credentialId), rows.map((r) => r.at), rows.map((r) => r.ip)],
      );
    }
    const accounts = new Map<string, Date>();
    for (const u of uses.values()) {
      const prev = accounts.get(u.serviceAccountId);
      if (!prev || prev < u.at) accounts.set(u.serviceAccountId, u.at);
    }
    if (accounts.size > 0) {
      const ids = [...accounts.keys()].sort();
      await client.query(
        `UPDATE service_accounts AS t SET last_used_at = v.at
         FROM (SELECT unnest($1::text[]) AS id, unnest($2::timestamptz[]) AS at) AS v
         WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at)`,
        [ids, ids.map((id) => accounts.get(id))],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const COLUMNS = ['organization_id', 'seq', 'occurred_at', 'actor_type', 'actor_id', 'actor_label', 'action', 'target_type', 'target_id', 'outcome', 'ip', 'user_agent', 'request_id', 'details', 'prev_hash', 'hash'];
const CASTS = ['text', 'bigint', 'timestamptz', 'actor_type', 'text', 'text', 'text', 'text', 'text', 'audit_outcome', 'text', 'text', 'text', 'jsonb', 'text', 'text'];

/**
 * appendEvents appends a batch to the audit chains with three statements per organization:
 * take the chain's lock (the same advisory lock as recordAuditEvent, held to commit), read its
 * last link, insert every event chained and hashed exactly as recordAuditEvent does
 * (lib/audit/hash-chain.ts).
 */
async function appendEvents(client: pg.PoolClient, events: AuditEventInput[]): Promise<void> {
  const chains = new Map<string | null, AuditEventInput[]>();
  for (const event of events) {
    const list = chains.get(event.organizationId);
    if (list) list.push(event);
    else chains.set(event.organizationId, [event]);
  }
  for (const [organizationId, list] of chains) {
    await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [AUDIT_LOCK_NAMESPACE, organizationId ?? '(instance)']);
    const last = await client.query<{ last_seq: string; hash: string }>(
      organizationId === null
        ? 'SELECT seq::text AS last_seq, hash FROM audit_events WHERE organization_id IS NULL ORDER BY audit_events.seq DESC LIMIT 1'
        : 'SELECT seq::text AS last_seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1',
      organizationId === null ? [] : [organizationId],
    );
    let seq = BigInt(last.rows[0]?.last_seq ?? '0');
    let prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const input of list) {
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
        // A JSON round trip keeps exactly what the database will store, so the hash matches it.
        details: JSON.parse(JSON.stringify(input.details ?? {})) as unknown,
        prevHash,
      };
      const hash = hashAuditEvent(event);
      const row = [organizationId, seq.toString(), event.occurredAt, event.actorType, event.actorId, event.actorLabel, event.action, event.targetType, event.targetId, event.outcome, event.ip, event.userAgent, event.requestId, JSON.stringify(event.details), prevHash, hash];
      tuples.push(`(${row.map((_, i) => `$${values.length + i + 1}::${CASTS[i]}`).join(', ')})`);
      values.push(...row);
      prevHash = hash;
    }
    await client.query(`INSERT INTO audit_events (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}
