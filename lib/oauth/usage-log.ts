import 'server-only';
import { GENESIS_HASH } from '@/lib/audit/hash-chain';
import { AUDIT_LOCK_NAMESPACE, auditChainKey, chainAuditEvent, type AuditEventInput } from '@/lib/audit/record-audit-event';
import { hotQuery } from './hot-db';
import type { CredentialKind } from './principals';

/** A credential use to stamp on the credential and its account (last used at / from). */
export type CredentialUse = {
  kind: CredentialKind;
  credentialId: string;
  serviceAccountId: string;
  ip: string | null;
  at: Date;
  /** Set when the issuance was decided on a cached copy of a client secret (principals.ts): the batch commits only if it still matches. */
  fingerprint?: string;
};

type Item = { event: AuditEventInput | null; use?: CredentialUse; resolve: () => void; reject: (error: unknown) => void };

const MAX_BATCH = 256;
/** A chain's last link as this process last committed it (a prediction, verified on use). */
type ChainHead = { seq: bigint; hash: string };
const state = globalThis as unknown as { __latchkeyUsageLog?: { queue: Item[]; running: boolean; heads?: Map<string, ChainHead> } };
const log = (state.__latchkeyUsageLog ??= { queue: [], running: false });
const heads = (log.heads ??= new Map<string, ChainHead>());

/** The order in which the function takes each kind's last uses. */
const TABLES: Record<CredentialKind, true> = { client_secret: true, key_pair: true, client_token_pair: true };

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
        const stale = await writeBatch(batch);
        for (const item of batch) {
          if (stale.has(item)) item.reject(new StaleCredential());
          else item.resolve();
        }
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
  } finally {
    log.running = false;
  }
}


/**
 * One statement writes a whole batch: latchkey_append_token_events (migration 0005) takes the
 * chains' advisory locks, checks that each chain's last link is the one the events were chained
 * to and that no guarded client secret changed, and only then appends the events and stamps the
 * last uses, all in the statement's own implicit transaction. Its answer carries each chain's
 * actual last link, so a batch chained to a stale prediction is chained again and sent once more.
 */
const APPEND_SQL = `SELECT ok, head_seqs::text[] AS head_seqs, head_hashes, stale_guards FROM latchkey_append_token_events(
  $1, $2, $3, $4, $5,
  $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
  $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)`;
/** How often a batch is chained again when other writers keep appending to its chains. */
const MAX_ATTEMPTS = 5;

type Chains = Map<string | null, AuditEventInput[]>;
type Answer = { ok: boolean; head_seqs: string[]; head_hashes: string[]; stale_guards: number[] };

/**
 * StaleCredential rejects an issuance that was decided on a cached copy of its client secret
 * and account which no longer matches the database: nothing of it was written, and the token
 * service decides again on fresh data (lib/oauth/token-service.ts runGrant).
 */
export class StaleCredential extends Error {
  constructor() {
    super('the credential changed since it was read');
  }
}

function guardKey(use: CredentialUse | undefined): string | null {
  return use?.fingerprint ? `${use.credentialId} ${use.fingerprint}` : null;
}

/**
 * writeBatch commits a batch: usually in one round trip, chained onto the last links this
 * process committed; when another writer appended in between (another instance, a console
 * action), or on this process's first batch, the answer brings the actual last links and the
 * batch is chained again. Items whose guarded credential changed are left out (and returned)
 * and the rest is sent again. A failed statement writes nothing, and the whole batch is rejected.
 */
async function writeBatch(items: Item[]): Promise<Set<Item>> {
  const stale = new Set<Item>();
  let batch = items;
  let chains = chainsOf(batch);
  let keys = [...chains.keys()].map(auditChainKey);
  let predicted = keys.map((key) => heads.get(key) ?? null);
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS + 1; attempt++) {
      // A chain without a prediction is asked for its last link first (nothing is written).
      const known = predicted.every((h) => h !== null) ? (predicted as ChainHead[]) : null;
      const { columns, last } = known ? chainEvents(chains, known) : { columns: EMPTY_EVENTS, last: [] };
      const guards = [...new Set(batch.map((item) => guardKey(item.use)).filter((g) => g !== null))];
      const guardColumns = [guards.map((g) => g.split(' ')[0]), guards.map((g) => g.split(' ')[1])];
      const values = [AUDIT_LOCK_NAMESPACE, keys, [...chains.keys()], predicted.map((h) => h?.hash ?? ''), GENESIS_HASH, ...columns, ...useColumns(batch), ...guardColumns];
      const answer = (await hotQuery<Answer>(APPEND_SQL, values)).rows[0];
      if (!answer) throw new Error('audit batch got no answer');
      if (answer.ok && known) {
        keys.forEach((key, k) => heads.set(key, last[k] as ChainHead));
        return stale;
      }
      if (answer.stale_guards.length > 0) {
        // The chains were as predicted, but some issuances were decided on outdated copies.
        const outdated = new Set(answer.stale_guards.map((i) => guards[i - 1]));
        for (const item of batch) if (outdated.has(guardKey(item.use) ?? '')) stale.add(item);
        batch = batch.filter((item) => !stale.has(item));
        if (batch.length === 0) return stale;
        chains = chainsOf(batch);
        keys = [...chains.keys()].map(auditChainKey);
        predicted = keys.map((key) => heads.get(key) ?? null);
        continue;
      }
      predicted = answer.head_seqs.map((seq, k) => ({ seq: BigInt(seq), hash: answer.head_hashes[k] ?? GENESIS_HASH }));
    }
    throw new Error('audit chains kept moving; batch not written');
  } catch (error) {
    for (const key of keys) heads.delete(key);
    throw error;
  }
}

/** chainsOf groups a batch's events by chain (organization), in one global order. */
function chainsOf(batch: Item[]): Chains {
  const events = batch.flatMap((b) => (b.event ? [b.event] : [])).sort((a, b) => (a.organizationId ?? '').localeCompare(b.organizationId ?? ''));
  const chains: Chains = new Map();
  for (const event of events) {
    const list = chains.get(event.organizationId);
    if (list) list.push(event);
    else chains.set(event.organizationId, [event]);
  }
  return chains;
}

const EMPTY_EVENTS: unknown[][] = Array.from({ length: 16 }, () => []);

/** chainEvents hashes each chain's events onto its head, exactly as recordAuditEvent would, as the function's 16 column arrays. */
function chainEvents(chains: Chains, chainHeads: ChainHead[]): { columns: unknown[][]; last: ChainHead[] } {
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
      const row = [organizationId, seq.toString(), event.occurredAt, event.actorType, event.actorId, event.actorLabel, event.action, event.targetType, event.targetId, event.outcome, event.ip, event.userAgent, event.requestId, JSON.stringify(event.details), prevHash, event.hash];
      row.forEach((value, c) => columns[c]?.push(value));
      prevHash = event.hash;
    }
    last.push({ seq, hash: prevHash });
  }
  return { columns, last };
}

/** useColumns turns the batch's credential uses into the function's arrays: per kind id/at/ip, then each account's latest use. */
function useColumns(batch: Item[]): unknown[] {
  const uses = new Map<string, CredentialUse>();
  for (const { use } of batch) if (use) uses.set(`${use.kind}:${use.credentialId}`, use);
  const values: unknown[] = [];
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
  return values;
}
