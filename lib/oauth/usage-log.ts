import 'server-only';
import { GENESIS_HASH, hashAuditEvent } from '@/lib/audit/hash-chain';
import type { AuditEventInput } from '@/lib/audit/record-audit-event';
import { pipelinedPool, statementName } from './hot-db';
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

const LOCK_SQL = 'SELECT pg_advisory_xact_lock($1::int, hashtext($2))';
const LAST_SQL = 'SELECT seq::text AS last_seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1';
const LAST_INSTANCE_SQL = 'SELECT seq::text AS last_seq, hash FROM audit_events WHERE organization_id IS NULL ORDER BY audit_events.seq DESC LIMIT 1';

const stampCredential = (table: string, p: number) => `${table.replace(/s$/, '')}_use AS (
    UPDATE ${table} AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest($${p}::text[], $${p + 1}::timestamptz[], $${p + 2}::text[]) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at))`;

/**
 * One fixed statement writes a whole batch (hence a named prepared statement): every event,
 * chained and hashed in JavaScript exactly as recordAuditEvent does (lib/audit/hash-chain.ts),
 * and the last use of every credential and account. Data-modifying WITH clauses always run to
 * completion. Table names come from the fixed TABLES map, never from input.
 */
const WRITE_SQL = `WITH inserted AS (
    INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::actor_type[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                         $10::audit_outcome[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[])
    RETURNING 1),
  ${stampCredential(TABLES.client_secret, 17)},
  ${stampCredential(TABLES.key_pair, 20)},
  ${stampCredential(TABLES.client_token_pair, 23)},
  account_use AS (
    UPDATE service_accounts AS t SET last_used_at = v.at
    FROM unnest($26::text[], $27::timestamptz[]) AS v(id, at)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at))
  SELECT count(*)::int AS events FROM inserted`;

type Head = { last_seq: string; hash: string };

/**
 * writeBatch commits a batch in two round trips on a pipeline-mode connection (node-postgres
 * sends each statement without waiting for the previous answer; the server runs them in order):
 *   1. BEGIN, then for each chain in one global order (so that two instances' batches never
 *      deadlock): take its lock (the same advisory lock as recordAuditEvent, held to commit) and
 *      read its last link. The read is a statement of its own, after the lock is granted, so its
 *      snapshot sees every earlier append.
 *   2. the write statement, then COMMIT.
 * Pipelined statements each end with a Sync, so a failed write aborts the transaction and the
 * COMMIT behind it only rolls back: the batch is then rejected (the write's error), never
 * reported as committed.
 */
async function writeBatch(batch: Item[]): Promise<void> {
  const events = batch.flatMap((b) => (b.event ? [b.event] : [])).sort((a, b) => (a.organizationId ?? '').localeCompare(b.organizationId ?? ''));
  const chains = new Map<string | null, AuditEventInput[]>();
  for (const event of events) {
    const list = chains.get(event.organizationId);
    if (list) list.push(event);
    else chains.set(event.organizationId, [event]);
  }
  const uses = new Map<string, CredentialUse>();
  for (const { use } of batch) if (use) uses.set(`${use.kind}:${use.credentialId}`, use);

  const client = await pipelinedPool().connect();
  let broken: unknown;
  try {
    const begin = client.query('BEGIN');
    const reads = [...chains.keys()].map((organizationId) => {
      const lock = client.query({ name: statementName(LOCK_SQL), text: LOCK_SQL, values: [AUDIT_LOCK_NAMESPACE, organizationId ?? '(instance)'] });
      const text = organizationId === null ? LAST_INSTANCE_SQL : LAST_SQL;
      const last = client.query<Head>({ name: statementName(text), text, values: organizationId === null ? [] : [organizationId] });
      return { lock, last };
    });
    const settled = await Promise.allSettled([begin, ...reads.flatMap((r) => [r.lock, r.last])]);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const heads = await Promise.all(reads.map((r) => r.last));

    const columns: unknown[][] = Array.from({ length: 16 }, () => []);
    let i = 0;
    for (const [organizationId, list] of chains) {
      const head = heads[i++]?.rows[0];
      let seq = BigInt(head?.last_seq ?? '0');
      let prevHash = head?.hash ?? GENESIS_HASH;
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
        row.forEach((value, c) => columns[c]?.push(value));
        prevHash = hash;
      }
    }
    const values: unknown[] = [...columns];
    for (const kind of Object.keys(TABLES) as CredentialKind[]) {
      const rows = [...uses.values()].filter((u) => u.kind === kind).sort((a, b) => a.credentialId.localeCompare(b.credentialId));
      values.push(rows.map((r) => r.credentialId), rows.map((r) => r.at), rows.map((r) => r.ip));
    }
    const accounts = new Map<string, Date>();
    for (const u of uses.values()) {
      const prev = accounts.get(u.serviceAccountId);
      if (!prev || prev < u.at) accounts.set(u.serviceAccountId, u.at);
    }
    const ids = [...accounts.keys()].sort();
    values.push(ids, ids.map((id) => accounts.get(id)));

    const write = client.query<{ events: number }>({ name: statementName(WRITE_SQL), text: WRITE_SQL, values });
    const commit = client.query('COMMIT');
    const [written, committed] = await Promise.allSettled([write, commit]);
    if (written.status === 'rejected') throw written.reason;
    if (committed.status === 'rejected') throw committed.reason;
    if (committed.value.command !== 'COMMIT' || written.value.rows[0]?.events !== events.length) throw new Error('audit batch was not committed');
  } catch (error) {
    broken = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed mid-pipeline is not reused.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
