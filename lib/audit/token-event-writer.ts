import 'server-only';
import { GENESIS_HASH } from '@/lib/audit/hash-chain';
import {
  AUDIT_LOCK_NAMESPACE,
  auditChainKey,
  chainAuditEvent,
  type AuditEventInput,
} from '@/lib/audit/record-audit-event';
import { logger } from '@/lib/logger';
import { moduleState } from '@/lib/process-state';
import { hotPool, hotQuery, pipelinedClient, statementName } from '@/lib/db/hot-db';
import type { CredentialKind } from '@/lib/credentials/principals';

/** A credential use to stamp on the credential and its account (last used at / from). */
export type CredentialUse = {
  kind: CredentialKind;
  credentialId: string;
  serviceAccountId: string;
  ip: string | null;
  at: Date;
  /** Set when the issuance was decided on a cached copy of a client secret (lib/credentials/principals.ts): the batch commits only if it still matches. */
  fingerprint?: string;
};

type Item = {
  event: AuditEventInput | null;
  use?: CredentialUse;
  resolve: () => void;
  reject: (error: unknown) => void;
};

const MAX_BATCH = 256;
/** Batches on their way at once: the next is sent while the one before it commits. */
const IN_FLIGHT = 2;
/** A chain's last link as this writer last committed it (a prediction, verified on use). */
type ChainHead = { seq: bigint; hash: string };
type Heads = Map<string, ChainHead>;

/**
 * The order in which the function takes each kind's last uses. Federated credentials (migration
 * 0041) are stamped by a statement of their own once the batch has committed (stampFederatedUses):
 * latchkey_append_token_events keeps its signature.
 */
const TABLES = ['client_secret', 'key_pair', 'client_token_pair'] as const satisfies readonly CredentialKind[];

export type TokenEventLog = { record(event: AuditEventInput | null, use?: CredentialUse): Promise<void> };

/**
 * createTokenEventLog makes a group-commit writer: it appends token audit events (and stamps
 * credentials' last use) and resolves each once it is committed: the token endpoint hands out
 * no token whose issuance is not in the audit log. Events arriving while a batch commits are
 * written together in the next one ("group commit"), so the hot path pays one statement per
 * batch, not per request; and the next batch is sent while the one before it commits (two at
 * most, on one pipelined connection, so they run in order). A process has one
 * (recordTokenEvent); several processes (instances) append to the same chains side by side.
 */
export function createTokenEventLog(): TokenEventLog {
  const queue: Item[] = [];
  const heads: Heads = new Map();
  let inFlight = 0;
  function drain(): void {
    while (inFlight < IN_FLIGHT && queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      inFlight++;
      void writeBatch(batch, heads)
        .then(async (stale) => {
          await stampFederatedUses(batch.filter((item) => !stale.has(item)));
          return stale;
        })
        .then(
          (stale) => {
            for (const item of batch) {
              if (stale.has(item)) item.reject(new StaleCredential());
              else item.resolve();
            }
          },
          (error: unknown) => {
            for (const item of batch) item.reject(error);
          },
        )
        .finally(() => {
          inFlight--;
          drain();
        });
    }
  }
  return {
    record(event, use) {
      return new Promise((resolve, reject) => {
        queue.push({ event, use, resolve, reject });
        drain();
      });
    },
  };
}

/**
 * recordTokenEvent appends through this copy's writer (see createTokenEventLog). Never shared
 * with the other copy of lib/ in the production server (lib/process-state.ts): its rejections
 * are this copy's StaleCredential, which runGrant must recognize.
 */
export function recordTokenEvent(event: AuditEventInput | null, use?: CredentialUse): Promise<void> {
  return moduleState('__latchkeyTokenEventLog', createTokenEventLog).record(event, use);
}

/**
 * One statement writes a whole batch: latchkey_append_token_events (migrations 0005, 0010) locks
 * the account and credential rows it stamps, then the chains' advisory locks (the lock order of
 * lib/service-accounts/lock-account.ts, so it never deadlocks with an administrator), checks that each chain's last link is the one the events were chained
 * to and that no guarded client secret changed, and only then appends the events and stamps the
 * last uses, all in the statement's own implicit transaction. Its answer carries each chain's
 * actual last link, so a batch chained to a stale prediction is chained again and sent once more.
 */
const APPEND_SQL = `SELECT ok, head_seqs::text[] AS head_seqs, head_hashes, stale_guards FROM latchkey_append_token_events(
  $1, $2, $3, $4, $5,
  $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
  $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)`;

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

/** A batch as the function's arguments, chained onto `chainHeads` (null: only ask for the last links). */
function appendArguments(batch: Item[], chains: Chains, chainHeads: ChainHead[] | null) {
  const keys = [...chains.keys()].map(auditChainKey);
  const { columns, last } = chainHeads ? chainEvents(chains, chainHeads) : { columns: EMPTY_EVENTS, last: [] };
  const guards = [...new Set(batch.map((item) => guardKey(item.use)).filter((g) => g !== null))];
  const expected = chainHeads ? chainHeads.map((h) => h.hash) : keys.map(() => '');
  const values = [
    AUDIT_LOCK_NAMESPACE,
    keys,
    [...chains.keys()],
    expected,
    GENESIS_HASH,
    ...columns,
    ...useColumns(batch),
    guards.map((g) => g.split(' ')[0]),
    guards.map((g) => g.split(' ')[1]),
  ];
  return { keys, last, guards, values };
}

function headsOf(answer: Answer): ChainHead[] {
  return answer.head_seqs.map((seq, k) => ({ seq: BigInt(seq), hash: answer.head_hashes[k] ?? GENESIS_HASH }));
}

/**
 * writeBatch commits a batch and returns the items left out because their guarded credential
 * changed (they are not written).
 *
 * Usually in one round trip: one statement, in its own transaction, chained onto the last links
 * this process committed. When that prediction is stale (another instance or a console action
 * appended, or this is the process's first batch), or a guard failed, the batch is written in a
 * transaction that keeps the chains' locks from the moment it reads their last links to its
 * COMMIT, so that no other writer can move them in between: it always gets through. A failed
 * statement writes nothing, and the whole batch is rejected.
 */
async function writeBatch(items: Item[], heads: Heads): Promise<Set<Item>> {
  const chains = chainsOf(items);
  const keys = [...chains.keys()].map(auditChainKey);
  const predicted = keys.map((key) => heads.get(key));
  try {
    if (predicted.every((h) => h !== undefined)) {
      const first = appendArguments(items, chains, predicted as ChainHead[]);
      // The next batch chains onto this one's tail; it is sent on the same pipelined
      // connection, so it runs after this one, and finds that tail if this one committed.
      first.keys.forEach((key, k) => heads.set(key, first.last[k] as ChainHead));
      const client = await pipelinedClient();
      const answer = (
        await client.query<Answer>({ name: statementName(APPEND_SQL), text: APPEND_SQL, values: first.values })
      ).rows[0];
      if (answer?.ok) return new Set();
      for (const key of keys) heads.delete(key);
    }
    return await writeUnderLock(items, heads);
  } catch (error) {
    for (const key of keys) heads.delete(key);
    throw error;
  }
}

async function writeUnderLock(items: Item[], heads: Heads): Promise<Set<Item>> {
  const stale = new Set<Item>();
  const client = await hotPool().connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    let batch = items;
    let chains = chainsOf(batch);
    // Nothing is written by this call; it takes the locks (held to COMMIT) and reads the last links.
    const current = new Map<string | null, ChainHead>();
    if (chains.size > 0) {
      const probe = (
        await client.query<Answer>({
          name: statementName(APPEND_SQL),
          text: APPEND_SQL,
          values: appendArguments(batch, chains, null).values,
        })
      ).rows[0];
      if (!probe) throw new Error('audit batch got no answer');
      const last = headsOf(probe);
      [...chains.keys()].forEach((org, k) => current.set(org, last[k] as ChainHead));
    }
    // Each pass either commits or leaves out at least one outdated item, so this ends.
    for (;;) {
      if (batch.length === 0) {
        await client.query('COMMIT');
        return stale;
      }
      const chainHeads = [...chains.keys()].map((org) => current.get(org) as ChainHead);
      const args = appendArguments(batch, chains, chainHeads);
      const answer = (
        await client.query<Answer>({ name: statementName(APPEND_SQL), text: APPEND_SQL, values: args.values })
      ).rows[0];
      if (!answer) throw new Error('audit batch got no answer');
      if (answer.ok) {
        await client.query('COMMIT');
        args.keys.forEach((key, k) => heads.set(key, args.last[k] as ChainHead));
        return stale;
      }
      if (answer.stale_guards.length === 0) throw new Error('audit chain changed under its lock');
      const outdated = new Set(answer.stale_guards.map((i) => args.guards[i - 1]));
      for (const item of batch) if (outdated.has(guardKey(item.use) ?? '')) stale.add(item);
      batch = batch.filter((item) => !stale.has(item));
      chains = chainsOf(batch);
    }
  } catch (error) {
    broken = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}

/** chainsOf groups a batch's events by chain (organization), in one global order. */
function chainsOf(batch: Item[]): Chains {
  const events = batch
    .flatMap((b) => (b.event ? [b.event] : []))
    .sort((a, b) => (a.organizationId ?? '').localeCompare(b.organizationId ?? ''));
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
      const row = [
        organizationId,
        seq.toString(),
        event.occurredAt,
        event.actorType,
        event.actorId,
        event.actorLabel,
        event.action,
        event.targetType,
        event.targetId,
        event.outcome,
        event.ip,
        event.userAgent,
        event.requestId,
        JSON.stringify(event.details),
        prevHash,
        event.hash,
      ];
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
  for (const kind of TABLES) {
    const rows = [...uses.values()]
      .filter((u) => u.kind === kind)
      .sort((a, b) => a.credentialId.localeCompare(b.credentialId));
    values.push(
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
  const ids = [...accounts.keys()].sort();
  values.push(
    ids,
    ids.map((id) => accounts.get(id)),
  );
  return values;
}

/**
 * The last use of federated credentials, with the conditions of migration 0037's last-use
 * UPDATEs (rewritten only when the use moves by a second or more, or comes from another address).
 * Informational, like every last use: a failure is logged, never fails the issuance.
 */
const FEDERATED_USE_SQL = `UPDATE federated_credentials AS t SET last_used_at = v.at, last_used_ip = v.ip
  FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS v(id, at, ip)
  WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at <= v.at - interval '1 second'
                         OR (t.last_used_at < v.at AND t.last_used_ip IS DISTINCT FROM v.ip))`;

async function stampFederatedUses(items: Item[]): Promise<void> {
  const uses = new Map<string, CredentialUse>();
  for (const { use } of items) if (use?.kind === 'federated_credential') uses.set(use.credentialId, use);
  if (uses.size === 0) return;
  const rows = [...uses.values()].sort((a, b) => a.credentialId.localeCompare(b.credentialId));
  await hotQuery(FEDERATED_USE_SQL, [
    rows.map((r) => r.credentialId),
    rows.map((r) => r.at),
    rows.map((r) => r.ip),
  ]).catch((error: unknown) => logger.warn({ err: error }, 'federated credential last use not stamped'));
}
