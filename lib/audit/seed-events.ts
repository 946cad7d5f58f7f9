import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ulid } from 'ulid';
import { TOKEN_ISSUED, TOKEN_REFUSED } from './actions';
import { GENESIS_HASH, hashAuditEvent, type ChainedEvent } from './hash-chain';
import { AUDIT_LOCK_NAMESPACE } from './record-audit-event';

type Actor = { type: 'MEMBER' | 'SERVICE_ACCOUNT' | 'SYSTEM'; id: string | null; label: string };

function makeActors() {
  const accounts: Actor[] = [
    'fleet-backend',
    'billing-sync',
    'telematics-ingest',
    'mobile-app',
    'partner-portal',
    'reporting',
  ].map((name) => ({
    type: 'SERVICE_ACCOUNT',
    id: `sa_${ulid()}`,
    label: name,
  }));
  const members: Actor[] = ['owner', 'ops.lead', 'fleet.admin', 'auditor'].map((name) => ({
    type: 'MEMBER',
    id: `usr_${ulid()}`,
    label: `${name}@example.com`,
  }));
  return { accounts, members, system: { type: 'SYSTEM', id: null, label: 'latchkey' } as Actor };
}

const REFUSAL_REASONS = [
  'invalid_client',
  'invalid_grant',
  'invalid_scope',
  'unauthorized_client',
  'account_suspended',
  'secret_expired',
  'ip_not_allowed',
];
const GRANTS = [
  'client_credentials',
  'client_credentials',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'refresh_token',
];
const MEMBER_ACTIONS = [
  'member.signed_in',
  'service_account.created',
  'service_account.suspended',
  'client_secret.created',
  'client_secret.disabled',
  'vehicle.added',
  'oem_credential.created',
];
const USER_AGENTS = [
  'latchkey-sdk/1.4 node/20',
  'okhttp/4.12',
  'python-requests/2.32',
  'Mozilla/5.0 (X11; Linux x86_64) Chrome/131',
];

/** A small, fast deterministic-enough PRNG: seeding a million events must not wait on crypto. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export type SeedOptions = {
  organizationId: string;
  count: number;
  days: number;
  batchSize?: number;
  onProgress?: (done: number) => void;
};

/**
 * seedAuditEvents appends `count` realistic events (about 80% token issuance, 10% refusals,
 * the rest console and system actions) to an organization's chain, spread evenly over the last
 * `days` days in time order and hashed exactly as recordAuditEvent hashes them, so the chain
 * verifies. Rows go in as multi-row INSERTs (one unnest() statement per batch), each batch in
 * its own transaction under the chain's advisory lock so live writers interleave safely.
 */
export async function seedAuditEvents(
  client: pg.Client,
  options: SeedOptions,
): Promise<{ inserted: number; lastSeq: bigint }> {
  const { organizationId, count, days } = options;
  const batchSize = options.batchSize ?? 5_000;
  const actors = makeActors();
  const random = rng(randomBytes(4).readUInt32BE(0));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const end = Date.now();
  const start = end - days * 86_400_000;
  const step = (end - start) / Math.max(count, 1);
  let done = 0;
  let lastSeq = 0n;
  while (done < count) {
    const size = Math.min(batchSize, count - done);
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [AUDIT_LOCK_NAMESPACE, organizationId]);
      const last = await client.query<{ seq: string; hash: string }>(
        'SELECT seq::text AS seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1',
        [organizationId],
      );
      let seq = BigInt(last.rows[0]?.seq ?? '0');
      let prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
      const cols: Record<string, Array<string | null>> = {
        seq: [],
        occurred_at: [],
        actor_type: [],
        actor_id: [],
        actor_label: [],
        action: [],
        target_type: [],
        target_id: [],
        outcome: [],
        ip: [],
        user_agent: [],
        request_id: [],
        details: [],
        prev_hash: [],
        hash: [],
      };
      for (let i = 0; i < size; i++) {
        seq += 1n;
        const occurredAt = new Date(Math.floor(start + (done + i) * step));
        const roll = random();
        let actor: Actor;
        let action: string;
        let target: { type: string; id: string } | null;
        let outcome: 'SUCCESS' | 'FAILURE' = 'SUCCESS';
        let details: Record<string, unknown>;
        if (roll < 0.8) {
          actor = pick(actors.accounts);
          action = TOKEN_ISSUED;
          target = { type: 'service_account', id: actor.id ?? '' };
          details = { grant_type: pick(GRANTS), client_id: `kid_${actor.label}`, scope: 'TILE GEOCODING' };
        } else if (roll < 0.9) {
          actor = pick(actors.accounts);
          action = TOKEN_REFUSED;
          outcome = 'FAILURE';
          target = { type: 'service_account', id: actor.id ?? '' };
          details = { grant_type: pick(GRANTS), client_id: `kid_${actor.label}`, reason: pick(REFUSAL_REASONS) };
        } else {
          actor = random() < 0.85 ? pick(actors.members) : actors.system;
          action = actor.type === 'SYSTEM' ? 'signing_key.rotated' : pick(MEMBER_ACTIONS);
          target = {
            type: action.split('.')[0] ?? 'object',
            id: `${action.slice(0, 3)}_${ulid(occurredAt.getTime())}`,
          };
          details = { source: 'console' };
        }
        const ip = `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
        const event: ChainedEvent = {
          organizationId,
          seq,
          occurredAt,
          actorType: actor.type,
          actorId: actor.id,
          actorLabel: actor.label,
          action,
          targetType: target?.type ?? null,
          targetId: target?.id ?? null,
          outcome,
          ip,
          userAgent: pick(USER_AGENTS),
          requestId: `req_${seq.toString(36)}`,
          details,
          prevHash,
        };
        const hash = hashAuditEvent(event);
        cols.seq?.push(seq.toString());
        cols.occurred_at?.push(occurredAt.toISOString());
        cols.actor_type?.push(event.actorType);
        cols.actor_id?.push(event.actorId);
        cols.actor_label?.push(event.actorLabel);
        cols.action?.push(event.action);
        cols.target_type?.push(event.targetType);
        cols.target_id?.push(event.targetId);
        cols.outcome?.push(event.outcome);
        cols.ip?.push(event.ip);
        cols.user_agent?.push(event.userAgent);
        cols.request_id?.push(event.requestId);
        cols.details?.push(JSON.stringify(details));
        cols.prev_hash?.push(prevHash);
        cols.hash?.push(hash);
        prevHash = hash;
      }
      await client.query(
        `INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
                                   outcome, ip, user_agent, request_id, details, prev_hash, hash)
         SELECT $1, * FROM unnest($2::bigint[], $3::timestamptz[], $4::actor_type[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                  $10::audit_outcome[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::char(64)[], $16::char(64)[])`,
        [
          organizationId,
          cols.seq,
          cols.occurred_at,
          cols.actor_type,
          cols.actor_id,
          cols.actor_label,
          cols.action,
          cols.target_type,
          cols.target_id,
          cols.outcome,
          cols.ip,
          cols.user_agent,
          cols.request_id,
          cols.details,
          cols.prev_hash,
          cols.hash,
        ],
      );
      await client.query('COMMIT');
      lastSeq = seq;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    done += size;
    options.onProgress?.(done);
  }
  return { inserted: done, lastSeq };
}
