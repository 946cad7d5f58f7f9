import 'server-only';
import { GENESIS_HASH } from '@/lib/audit/hash-chain';
import { AUDIT_LOCK_NAMESPACE, auditChainKey, chainAuditEvent, type AuditEventInput } from '@/lib/audit/record-audit-event';
import { pipelinedPool, statementName } from './hot-db';
import type { CredentialKind } from './principals';

/** A credential use to stamp on the credential and its account (last used at / from). */
export type CredentialUse = { kind: CredentialKind; credentialId: string; serviceAccountId: string; ip: string | null; at: Date };

type Item = { event: AuditEventInput | null; use?: CredentialUse; resolve: () => void; reject: (error: unknown) => void };

const MAX_BATCH = 256;
/** A chain's last link as this process last committed it (a prediction, verified on use). */
type ChainHead = { seq: bigint; hash: string };
const state = globalThis as unknown as { __latchkeyUsageLog?: { queue: Item[]; running: boolean; heads?: Map<string, ChainHead> } };
const log = (state.__latchkeyUsageLog ??= { queue: [], running: false });
const heads = (log.heads ??= new Map<string, ChainHead>());

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


const LOCK_SQL = 'SELECT pg_advisory_xact_lock($1::int, hashtext($2))';
const LAST_SQL = 'SELECT seq::text AS last_seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1';
const LAST_INSTANCE_SQL = 'SELECT seq::text AS last_seq, hash FROM audit_events WHERE organization_id IS NULL ORDER BY audit_events.seq DESC LIMIT 1';

const stampCredential = (table: string, p: number) => `${table.replace(/s$/, '')}_use AS (
    UPDATE ${table} AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest($${p}::text[], $${p + 1}::timestamptz[], $${p + 2}::text[]) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at) AND (SELECT ok FROM verdict))`;

/**
 * One fixed statement writes a whole batch (hence a named prepared statement): every event,
 * chained and hashed in JavaScript exactly as recordAuditEvent does (lib/audit/hash-chain.ts),
 * and the last use of every credential and account, but only if each chain's last link is still
 * the one the events were chained to ($28 chains, $29 their expected last hashes): otherwise it
 * writes nothing and answers ok = false. It runs after the chains' locks are granted, so its
 * snapshot sees every earlier append. Data-modifying WITH clauses always run to completion.
 * Table names come from the fixed TABLES map, never from input.
 */
const WRITE_SQL = `WITH expected AS (
    SELECT e.hash, COALESCE(
      (SELECT a.hash::text FROM audit_events a WHERE a.organization_id = e.chain ORDER BY a.seq DESC LIMIT 1),
      (SELECT a.hash::text FROM audit_events a WHERE e.chain IS NULL AND a.organization_id IS NULL ORDER BY a.seq DESC LIMIT 1),
      $30::text) AS actual
    FROM unnest($28::text[], $29::text[]) AS e(chain, hash)),
  verdict AS (SELECT COALESCE(bool_and(actual = hash), true) AS ok FROM expected),
  inserted AS (
    INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::actor_type[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                         $10::audit_outcome[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[])
    WHERE (SELECT ok FROM verdict)
    RETURNING 1),
  ${stampCredential(TABLES.client_secret, 17)},
  ${stampCredential(TABLES.key_pair, 20)},
  ${stampCredential(TABLES.client_token_pair, 23)},
  account_use AS (
    UPDATE service_accounts AS t SET last_used_at = v.at
    FROM unnest($26::text[], $27::timestamptz[]) AS v(id, at)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at) AND (SELECT ok FROM verdict))
  SELECT (SELECT ok FROM verdict) AS ok, (SELECT count(*)::int FROM inserted) AS events`;

type Head = { last_seq: string; hash: string };
type Chains = Map<string | null, AuditEventInput[]>;

/**
 * writeBatch commits a batch on a pipeline-mode connection (node-postgres sends each statement
 * without waiting for the previous answer; the server runs them in order, and each ends with a
 * Sync, so a failed statement aborts the transaction and the COMMIT behind it only rolls back:
 * the batch is then rejected, never reported as committed).
 *
 * Usually in one round trip: BEGIN, each chain's lock (the same advisory lock as
 * recordAuditEvent, held to commit, taken in one global order so that two instances' batches
 * never deadlock), the write with the events chained to the last link this process committed,
 * COMMIT. If another writer appended in between (another instance, a console action), the
 * write's check fails, nothing is written, and the batch is written again in two round trips:
 * locks and a fresh read of each chain's last link, then the write and COMMIT.
 */
async function writeBatch(batch: Item[]): Promise<void> {
  const events = batch.flatMap((b) => (b.event ? [b.event] : [])).sort((a, b) => (a.organizationId ?? '').localeCompare(b.organizationId ?? ''));
  const chains: Chains = new Map();
  for (const event of events) {
    const list = chains.get(event.organizationId);
    if (list) list.push(event);
    else chains.set(event.organizationId, [event]);
  }
  const uses = new Map<string, CredentialUse>();
  for (const { use } of batch) if (use) uses.set(`${use.kind}:${use.credentialId}`, use);

  const predicted = [...chains.keys()].map((organizationId) => heads.get(auditChainKey(organizationId)));
  if (predicted.every((h) => h !== undefined) && (await attempt(chains, predicted as ChainHead[], uses, events.length))) return;
  await attempt(chains, null, uses, events.length);
}

/**
 * attempt runs one transaction for the batch: with `known` heads in one flight, else reading
 * them first. Returns false when the known heads were stale (nothing was written).
 */
async function attempt(chains: Chains, known: ChainHead[] | null, uses: Map<string, CredentialUse>, expectedEvents: number): Promise<boolean> {
  const client = await pipelinedPool().connect();
  let broken: unknown;
  try {
    const opening = [client.query('BEGIN')];
    const reads = [...chains.keys()].map((organizationId) => {
      opening.push(client.query({ name: statementName(LOCK_SQL), text: LOCK_SQL, values: [AUDIT_LOCK_NAMESPACE, auditChainKey(organizationId)] }));
      if (known) return null;
      const text = organizationId === null ? LAST_INSTANCE_SQL : LAST_SQL;
      return client.query<Head>({ name: statementName(text), text, values: organizationId === null ? [] : [organizationId] });
    });
    let chainHeads: ChainHead[];
    if (known) {
      chainHeads = known;
    } else {
      const settled = await Promise.allSettled([...opening, ...reads]);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      chainHeads = await Promise.all(
        reads.map(async (r) => {
          const row = (await r)?.rows[0];
          return { seq: BigInt(row?.last_seq ?? '0'), hash: row?.hash ?? GENESIS_HASH };
        }),
      );
    }

    const columns: unknown[][] = Array.from({ length: 16 }, () => []);
    const last: ChainHead[] = [];
    let i = 0;
    for (const [organizationId, list] of chains) {
      const head = chainHeads[i++] as ChainHead;
      let seq = head.seq;
      let prevHash = head.hash;
      for (const input of list) {
        seq += 1n;
        const event = chainAuditEvent({ ...input, organizationId }, { seq, prevHash });
        const hash = event.hash;
        const row = [organizationId, seq.toString(), event.occurredAt, event.actorType, event.actorId, event.actorLabel, event.action, event.targetType, event.targetId, event.outcome, event.ip, event.userAgent, event.requestId, JSON.stringify(event.details), prevHash, hash];
        row.forEach((value, c) => columns[c]?.push(value));
        prevHash = hash;
      }
      last.push({ seq, hash: prevHash });
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
    values.push([...chains.keys()], chainHeads.map((h) => h.hash), GENESIS_HASH);

    const write = client.query<{ ok: boolean; events: number }>({ name: statementName(WRITE_SQL), text: WRITE_SQL, values });
    const commit = client.query('COMMIT');
    const settled = await Promise.allSettled([...(known ? opening : []), write, commit]);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [written, committed] = [await write, await commit];
    if (committed.command !== 'COMMIT') throw new Error('audit batch was not committed');
    const keys = [...chains.keys()].map(auditChainKey);
    if (!written.rows[0]?.ok) {
      if (!known) throw new Error('audit chain changed under its lock');
      for (const key of keys) heads.delete(key);
      return false;
    }
    if (written.rows[0].events !== expectedEvents) throw new Error('audit batch was not written whole');
    keys.forEach((key, k) => heads.set(key, last[k] as ChainHead));
    return true;
  } catch (error) {
    broken = error;
    for (const organizationId of chains.keys()) heads.delete(auditChainKey(organizationId));
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed mid-pipeline is not reused.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
