import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { GENESIS_HASH, hashAuditEvent } from '@/lib/audit/hash-chain';
import { CHECKPOINT_TYP } from './checkpoint-typ';
import {
  chainedEvent,
  recordFromSyslog,
  type CheckpointClaims,
  type StreamCheckpointRecord,
  type StreamEventRecord,
  type StreamRecord,
} from './records';

export type StreamProblem = {
  organization_id: string | null;
  seq: string | null;
  reason:
    | 'unreadable_record'
    | 'conflicting_duplicate'
    | 'sequence_gap'
    | 'prev_hash_mismatch'
    | 'hash_mismatch'
    | 'checkpoint_signature_invalid'
    | 'checkpoint_mismatch'
    | 'checkpoint_beyond_events'
    | 'no_records';
  detail: string;
};

export type StreamVerification =
  | {
      ok: true;
      /** Per organization: the last seq received complete, and the last one a checkpoint signs. */
      organizations: { organization_id: string; last_seq: string; last_checkpoint_seq: string | null }[];
      records: number;
      duplicates: number;
    }
  | { ok: false; problem: StreamProblem; records: number; duplicates: number };

/**
 * parseCapturedLine reads one line of a capture: a stream record, an OTLP/JSON log record (its
 * body is the record) or an RFC 5424 syslog message (its MSG is), as README "Audit streaming".
 */
export function parseCapturedLine(line: string): StreamRecord {
  const text = line.trim();
  const value: unknown = text.startsWith('<') ? recordFromSyslog(text) : JSON.parse(text);
  const v = value as { body?: { stringValue?: unknown }; type?: unknown };
  const record = (typeof v.body?.stringValue === 'string' ? JSON.parse(v.body.stringValue) : value) as StreamRecord;
  if (record?.type !== 'audit_event' && record?.type !== 'checkpoint' && record?.type !== 'test')
    throw new Error('not a stream record');
  if (typeof record.id !== 'string' || typeof record.organization_id !== 'string' || !/^\d+$/.test(String(record.seq)))
    throw new Error('a stream record needs id, organization_id and seq');
  return record;
}

const fail = (problem: StreamProblem, records: number, duplicates: number): StreamVerification & { ok: false } => ({
  ok: false,
  problem,
  records,
  duplicates,
});

/**
 * verifyStream checks a capture of streamed records (in any order, with duplicates): each
 * organization's events must run from seq 1 without a gap, each link to the hash of the one
 * before, each hash recomputed from its fields exactly as lib/audit/hash-chain.ts does; each
 * checkpoint's JWS must verify against the JWKS, say what its record says and name the head
 * hash of the event received at its seq. Duplicates (the same id) must be identical. Returns the
 * first problem, organizations and seqs in order, or how far each chain is complete. Events
 * after an organization's last checkpoint are checked too, but only a checkpoint proves that
 * nothing was cut off the end.
 */
export async function verifyStream(
  lines: Iterable<string> | AsyncIterable<string>,
  jwks: JSONWebKeySet,
): Promise<StreamVerification> {
  const keys = createLocalJWKSet(jwks);
  const byId = new Map<string, { record: StreamRecord; text: string }>();
  let records = 0;
  let duplicates = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    records += 1;
    let record: StreamRecord;
    try {
      record = parseCapturedLine(line);
    } catch (error) {
      return fail(
        {
          organization_id: null,
          seq: null,
          reason: 'unreadable_record',
          detail: `line ${records}: ${(error as Error).message}`,
        },
        records,
        duplicates,
      );
    }
    const text = JSON.stringify(record);
    // A checkpoint sent again is signed again (ECDSA signatures differ each time): each copy
    // is kept and verified. An event sent again must be the very same record.
    const key = record.type === 'checkpoint' ? `${record.id}:${record.jws}` : record.id;
    const seen = byId.get(key);
    if (seen) {
      duplicates += 1;
      if (seen.text !== text)
        return fail(
          {
            organization_id: record.organization_id,
            seq: String(record.seq),
            reason: 'conflicting_duplicate',
            detail: `record ${record.id} was received twice with different contents`,
          },
          records,
          duplicates,
        );
      continue;
    }
    byId.set(key, { record, text });
  }
  if (byId.size === 0)
    return fail(
      { organization_id: null, seq: null, reason: 'no_records', detail: 'the capture holds no record' },
      0,
      0,
    );

  type OrgRecords = { events: Map<bigint, StreamEventRecord>; checkpoints: StreamCheckpointRecord[] };
  const orgs = new Map<string, OrgRecords>();
  for (const { record } of byId.values()) {
    if (record.type === 'test') continue;
    const org: OrgRecords = orgs.get(record.organization_id) ?? { events: new Map(), checkpoints: [] };
    orgs.set(record.organization_id, org);
    if (record.type === 'audit_event') org.events.set(BigInt(record.seq), record);
    else if (record.type === 'checkpoint') org.checkpoints.push(record);
  }

  const summary: { organization_id: string; last_seq: string; last_checkpoint_seq: string | null }[] = [];
  for (const orgId of [...orgs.keys()].sort()) {
    const { events, checkpoints } = orgs.get(orgId)!;
    const problem = (seq: bigint | string | null, reason: StreamProblem['reason'], detail: string) =>
      fail({ organization_id: orgId, seq: seq === null ? null : String(seq), reason, detail }, records, duplicates);
    const maxSeq = [...events.keys()].reduce((a, b) => (b > a ? b : a), 0n);
    let previous = GENESIS_HASH;
    for (let seq = 1n; seq <= maxSeq; seq++) {
      const event = events.get(seq);
      if (!event) return problem(seq, 'sequence_gap', `event ${seq} was not received`);
      if (event.prev_hash !== previous)
        return problem(seq, 'prev_hash_mismatch', `event ${seq} does not link to the hash of event ${seq - 1n}`);
      let recomputed: string;
      try {
        recomputed = hashAuditEvent(chainedEvent(event));
      } catch {
        recomputed = '';
      }
      if (recomputed !== event.hash) return problem(seq, 'hash_mismatch', `event ${seq} does not hash to its hash`);
      previous = event.hash;
    }
    let lastCheckpoint: bigint | null = null;
    for (const checkpoint of checkpoints.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))) {
      const seq = BigInt(checkpoint.seq);
      let claims: CheckpointClaims;
      try {
        if (decodeProtectedHeader(checkpoint.jws).typ !== CHECKPOINT_TYP) throw new Error('not a checkpoint');
        const verified = await compactVerify(checkpoint.jws, keys, { algorithms: ['ES256'] });
        claims = JSON.parse(new TextDecoder().decode(verified.payload)) as CheckpointClaims;
      } catch {
        return problem(seq, 'checkpoint_signature_invalid', `checkpoint at ${seq} does not verify against the JWKS`);
      }
      if (claims.org !== orgId || claims.seq !== checkpoint.seq || claims.head !== checkpoint.head_hash)
        return problem(seq, 'checkpoint_mismatch', `checkpoint at ${seq} signs other values than its record shows`);
      const event = events.get(seq);
      if (!event)
        return problem(seq, 'checkpoint_beyond_events', `checkpoint at ${seq} but event ${seq} was not received`);
      if (event.hash !== claims.head)
        return problem(seq, 'checkpoint_mismatch', `event ${seq} is not the head the checkpoint signed`);
      lastCheckpoint = seq;
    }
    summary.push({
      organization_id: orgId,
      last_seq: maxSeq.toString(),
      last_checkpoint_seq: lastCheckpoint === null ? null : lastCheckpoint.toString(),
    });
  }
  return { ok: true, organizations: summary, records, duplicates };
}

/** describeVerification is the verifier's one-line verdict (what `audit verify-stream` prints). */
export function describeVerification(result: StreamVerification): string {
  if (!result.ok) {
    const where = result.problem.seq ? ` at seq ${result.problem.seq}` : '';
    const org = result.problem.organization_id ? ` of ${result.problem.organization_id}` : '';
    return `${result.problem.reason}${where}${org}: ${result.problem.detail}`;
  }
  return result.organizations
    .map((o) => {
      const signed = o.last_checkpoint_seq ? `, signed up to seq ${o.last_checkpoint_seq}` : ', no checkpoint yet';
      return `${o.organization_id}: complete and unaltered up to seq ${o.last_seq}${signed}`;
    })
    .join('\n');
}

/** loadJwks reads a JWKS from an http(s) URL (e.g. https://latchkey.example/.well-known/jwks.json) or a file. */
export async function loadJwks(source: string): Promise<JSONWebKeySet> {
  const text = /^https?:\/\//.test(source)
    ? await fetch(source, { signal: AbortSignal.timeout(10_000) }).then((r) => {
        if (!r.ok) throw new Error(`the JWKS URL answered HTTP ${r.status}`);
        return r.text();
      })
    : await (await import('node:fs/promises')).readFile(source, 'utf8');
  const jwks = JSON.parse(text) as JSONWebKeySet;
  if (!Array.isArray(jwks?.keys)) throw new Error('not a JWKS (no "keys" array)');
  return jwks;
}
