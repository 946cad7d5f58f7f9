import 'server-only';
import { hash } from 'node:crypto';
import pg from 'pg';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { emitEvent } from '@/lib/events/emit-event';
import { chainBreakSubject } from '@/lib/events/subjects';
import { logger } from '@/lib/logger';
import type { ChainVerification } from './dto';
import {
  GENESIS_HASH,
  assembleCanonical,
  canonicalDetails,
  jsonString,
  type CanonicalValues,
  type ChainBreak,
} from './hash-chain';
import { recordAuditEvent } from './record-audit-event';

const BATCH = 10_000;

// The hashed string columns come in the order of their members in the canonical JSON (see
// assembleCanonical), so a row maps onto it by position. COPY takes no bind parameters: the
// organization goes in through escapeLiteral, the numbers are the verifier's own.
const chainBatchSql = (client: pg.Client, orgId: string, fromSeq: bigint, limit: number) => `
  COPY (
    SELECT seq, (extract(epoch FROM occurred_at) * 1000)::bigint, hash, prev_hash,
           action, actor_id, actor_label, actor_type, details, ip, outcome,
           request_id, target_id, target_type, user_agent
    FROM audit_events
    WHERE organization_id = ${client.escapeLiteral(orgId)} AND seq >= ${fromSeq}
    ORDER BY seq
    LIMIT ${Math.trunc(limit)}
  ) TO STDOUT`;

type ChainRow = Array<string | null>;
type ChainLink = { seq: bigint; hash: string };
type BatchResult = { seed: ChainLink | null; rows: number; last: ChainLink; broken: ChainBreak | null };

/**
 * CopyQuery runs one `COPY (SELECT …) TO STDOUT` on a pg client as a Submittable (the driver's
 * extension point for other protocols, which pg-copy-streams uses too). PostgreSQL sends each
 * row as one CopyData message, handed to `onRow` as raw bytes as it arrives: one UTF-8 decode
 * per row instead of the driver's one per field, and no row kept. An error thrown by `onRow`
 * ends the query's promise, as a database error does.
 */
class CopyQuery implements pg.Submittable {
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  private failure: unknown = null;

  constructor(
    private readonly text: string,
    private readonly onRow: (line: Buffer) => void,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as { query: (text: string) => void }).query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failure) return;
    try {
      this.onRow(message.chunk);
    } catch (error) {
      this.failure = error;
    }
  }

  handleError(error: unknown): void {
    this.failure ??= error;
    this.settle.reject(this.failure);
  }

  handleReadyForQuery(): void {
    if (this.failure) this.settle.reject(this.failure);
    else this.settle.resolve();
  }

  // The other messages of a COPY TO exchange carry nothing the verifier needs.
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}

const COPY_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * copyRow splits a line of COPY's text format into its fields: tab-separated, `\N` for null,
 * and a backslash sequence for a backslash, tab, newline or other control character in a
 * value (COPY TO writes no octal or hex sequences). Most lines have no backslash at all.
 */
function copyRow(line: Buffer): ChainRow {
  const text = line.toString('utf8', 0, line.length - 1); // without the newline
  const fields: ChainRow = text.split('\t');
  if (fields.length !== 15) throw new Error(`audit chain: unexpected COPY line of ${fields.length} fields`);
  if (text.includes('\\'))
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      if (field === '\\N') fields[i] = null;
      else if (field.includes('\\'))
        fields[i] = field.replace(/\\(.)/g, (_, c: string) => {
          const value = COPY_ESCAPES[c];
          if (value === undefined) throw new Error('audit chain: unexpected COPY escape');
          return value;
        });
    }
  return fields;
}

/**
 * checkChainBatch reads the next `size` events after seq `after`, in seq order, and checks each
 * row as it arrives (RowChecker): no row is kept, so a batch leaves nothing for the garbage
 * collector to trace, and the database writes the next rows into the socket while one is
 * hashed. Rows after a break are only read. With `previous` (the event at `after`, as already
 * checked) the first row must follow it. Without, the batch is a read ahead: the event at
 * `after` is read first as its `seed` (null if missing) and the rows are checked from it; the
 * caller uses the batch only if the seed is the event it checked last, which makes it the very
 * batch it would have read next. The result also has the number of rows read after the seed,
 * the last event checked intact, and the first break.
 */
async function checkChainBatch(
  client: pg.Client,
  checker: RowChecker,
  after: bigint,
  previous: ChainLink | null,
  size: number,
): Promise<BatchResult> {
  const batch: BatchResult = { seed: previous, rows: 0, last: previous ?? { seq: after, hash: '' }, broken: null };
  let expected = after + 1n;
  let prevHash = previous?.hash ?? '';
  let seeded = previous !== null;
  const from = seeded ? after + 1n : after;
  const query = new CopyQuery(chainBatchSql(client, checker.orgId, from, seeded ? size : size + 1), (line) => {
    if (!seeded) {
      seeded = true;
      const row = copyRow(line);
      if (row[0] === after.toString()) batch.seed = { seq: after, hash: (prevHash = row[2] as string) };
      else batch.broken = { seq: after, reason: 'sequence_gap' }; // not used: the seed is null
      return;
    }
    batch.rows++;
    if (batch.broken) return;
    const row = copyRow(line);
    batch.broken = checker.check(row, expected, prevHash);
    if (batch.broken) return;
    prevHash = row[2] as string;
    expected += 1n;
  });
  void client.query(query);
  await query.done;
  batch.last = { seq: expected - 1n, hash: prevHash };
  return batch;
}

const DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * RowChecker applies findChainBreak's rules to a raw row (chainBatchSql's columns), without a
 * ChainedEvent per row: seq must be `expected`, prev_hash the previous row's hash, and hash the
 * SHA-256 of the canonical JSON, which it writes exactly as canonicalAuditJson does for the
 * same event: the strings through jsonString (decoding the row's UTF-8 cannot yield a lone
 * surrogate), the organization once, seq as PostgreSQL prints a bigint (BigInt's decimal form
 * as well), the time from its epoch milliseconds, and prev_hash as it is (equal, by then, to the
 * previous row's verified hex digest). `details` goes through canonicalDetails(JSON.parse(text)),
 * remembered per text: token events repeat a few shapes.
 */
class RowChecker {
  private readonly org: string;
  private readonly details = new Map<string, string>();
  private readonly values: CanonicalValues = ['', '', '', '', '', '', '', '', '', '', '', '', '', '', ''];
  private hour = Number.NaN;
  private hourPrefix = '';

  constructor(readonly orgId: string) {
    this.org = jsonString(orgId);
  }

  check(r: ChainRow, expected: bigint, prevHash: string): ChainBreak | null {
    if (r[0] !== expected.toString()) return { seq: expected, reason: 'sequence_gap' };
    if (r[3] !== prevHash) return { seq: expected, reason: 'prev_hash_mismatch' };
    const v = this.values;
    v[0] = jsonString(r[4] as string);
    v[1] = jsonString(r[5] ?? null);
    v[2] = jsonString(r[6] as string);
    v[3] = jsonString(r[7] as string);
    v[4] = this.canonicalDetails(r[8] ?? null);
    v[5] = jsonString(r[9] ?? null);
    v[6] = this.isoTime(Number(r[1]));
    v[7] = this.org;
    v[8] = jsonString(r[10] as string);
    v[9] = `"${prevHash}"`;
    v[10] = jsonString(r[11] ?? null);
    v[11] = `"${r[0]}"`;
    v[12] = jsonString(r[12] ?? null);
    v[13] = jsonString(r[13] ?? null);
    v[14] = jsonString(r[14] ?? null);
    const text = assembleCanonical(v);
    return hash('sha256', text, 'hex') === r[2] ? null : { seq: expected, reason: 'hash_mismatch' };
  }

  /**
   * isoTime is `"${new Date(ms).toISOString()}"`, remembering the text up to the hour (events
   * come in time order): toISOString was a tenth of the verifier's time.
   */
  private isoTime(ms: number): string {
    const hour = Math.floor(ms / 3_600_000);
    if (hour !== this.hour) {
      this.hour = hour;
      this.hourPrefix = `"${new Date(hour * 3_600_000).toISOString().slice(0, -10)}`; // up to "HH:"
    }
    const rest = ms - hour * 3_600_000;
    const seconds = Math.floor(rest / 1000);
    return `${this.hourPrefix}${DIGITS[Math.floor(seconds / 60)]}:${DIGITS[seconds % 60]}.${MILLIS[rest % 1000]}Z"`;
  }

  private canonicalDetails(text: string | null): string {
    if (text === null) return canonicalDetails(null);
    let json = this.details.get(text);
    if (json === undefined) {
      json = canonicalDetails(JSON.parse(text));
      if (this.details.size >= 1_000) this.details.clear(); // bounded: free-form details need not repeat
      this.details.set(text, json);
    }
    return json;
  }
}

/** Progress of a chain check: events checked so far, of the chain's length when the check began. */
export type ChainProgress = { checked: number; total: number };

/**
 * checkAuditChain walks the organization's chain in seq order, in keyset batches of 10,000, with
 * findChainBreak's rules: each event's seq follows the last, its prev_hash is the previous
 * event's hash, and its hash is the SHA-256 of its canonical JSON. Rows are checked as they
 * arrive and dropped (checkChainBatch), so memory stays flat at any size. Two connections of
 * its own take turns: while one batch is checked, the next is already read on the other (a read
 * ahead from where the batch should end, used only if it starts at the event checked last, and
 * read again otherwise), so the database works on two cores. It stops at the first broken link
 * (a changed field, a re-hashed event whose successor still points at the old hash, or a missing
 * seq) and reports it. Events appended while it runs are checked too: it ends at the first
 * batch that is not full. `onProgress`, when given, is called after every batch (total: the
 * last seq at the start).
 */
export async function checkAuditChain(
  orgId: string,
  options: { batchSize?: number; onProgress?: (progress: ChainProgress) => void } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? BATCH;
  const clients = [0, 1].map(() => new pg.Client({ connectionString: env().DATABASE_URL }));
  let ahead: Promise<BatchResult> | null = null;
  try {
    // A connection dropped while idle (the database restarting) is reported as an 'error' event,
    // which would end the process if nobody listened: the check fails on its next query instead.
    for (const c of clients)
      c.on('error', (error) => logger.warn({ err: error }, 'audit chain verification lost a connection'));
    await Promise.all(clients.map((c) => c.connect()));
    const [first = clients[0], second = clients[1]] = clients;
    let [client, other] = [first, second] as [pg.Client, pg.Client];
    const total = Number((await lastSeq(orgId)) ?? 0);
    const checker = new RowChecker(orgId);
    let previous: ChainLink = { seq: 0n, hash: GENESIS_HASH };
    let batch = checkChainBatch(client, checker, 0n, previous, batchSize);
    ahead = handled(checkChainBatch(other, checker, BigInt(batchSize), null, batchSize));
    for (;;) {
      const done = await batch;
      previous = done.last;
      const checked = Number(previous.seq);
      if (done.broken)
        return {
          intact: false,
          checked,
          last_seq: await lastSeq(orgId),
          first_broken_link: { seq: done.broken.seq.toString(), reason: done.broken.reason },
        };
      if (done.rows > 0) options.onProgress?.({ checked, total: Math.max(total, checked) });
      if (done.rows < batchSize) break;
      // `client` is free: it reads the batch after the one `other` is reading.
      const next = ahead;
      ahead = handled(checkChainBatch(client, checker, previous.seq + BigInt(batchSize), null, batchSize));
      const read = await next;
      batch =
        read.seed?.seq === previous.seq && read.seed.hash === previous.hash
          ? Promise.resolve(read)
          : checkChainBatch(other, checker, previous.seq, previous, batchSize);
      [client, other] = [other, client];
    }
    const checked = Number(previous.seq);
    return { intact: true, checked, last_seq: checked > 0 ? previous.seq.toString() : null, first_broken_link: null };
  } finally {
    await ahead?.catch(() => undefined); // never end a connection under a running COPY
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** handled marks `promise` as handled (it is awaited later, maybe after it fails) and returns it. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
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
