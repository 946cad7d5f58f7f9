import 'server-only';
import { db } from '@/lib/db/client';
import type { EventCredentialKind, EventType } from '@/lib/events/catalog';
import { emitEvent } from '@/lib/events/emit-event';
import { credentialSubject } from '@/lib/events/subjects';

const DAY_MS = 86_400_000;
const BATCH = 500;

/**
 * The warnings, each for the credentials whose expiry falls in its window (from, to] relative to
 * now. The windows do not overlap, so a credential created 5 days before its expiry gets the
 * 7-day warning and not a late 30-day one; "expired" looks back a week, so that a scanner that
 * was down for a while still reports, while credentials that expired long before this feature
 * existed stay quiet.
 */
export const THRESHOLDS: ReadonlyArray<{ key: string; type: EventType; fromMs: number; toMs: number }> = [
  { key: '30d', type: 'credential.expiring_30d', fromMs: 7 * DAY_MS, toMs: 30 * DAY_MS },
  { key: '7d', type: 'credential.expiring_7d', fromMs: 1 * DAY_MS, toMs: 7 * DAY_MS },
  { key: '1d', type: 'credential.expiring_1d', fromMs: 0, toMs: 1 * DAY_MS },
  { key: 'expired', type: 'credential.expired', fromMs: -7 * DAY_MS, toMs: 0 },
];

// Table names come from this fixed list only (they cannot be bound as parameters).
const TABLES: ReadonlyArray<{ kind: EventCredentialKind; table: string; name: string }> = [
  { kind: 'client_secret', table: 'client_secrets', name: 'c.name' },
  { kind: 'key_pair', table: 'key_pairs', name: 'c.name' },
  { kind: 'client_token_pair', table: 'client_token_pairs', name: 'NULL::text' },
];

type Due = {
  id: string;
  name: string | null;
  expires_at: Date;
  organization_id: string;
  org_slug: string;
  sa_id: string;
  sa_name: string;
};

/**
 * scanExpiringCredentials emits the expiry warnings due at `now`: for each threshold and
 * credential table, one range query on the partial index of enabled credentials by expiry
 * (migration 0042) claims the credentials in the window that have no warning of that threshold
 * yet, by inserting (credential, threshold) into credential_expiry_warnings ON CONFLICT DO
 * NOTHING, and emits their events in the same transaction. The primary key makes each warning
 * fire exactly once even when several scanners run at once: a second scanner's insert waits for
 * the first to commit and then inserts, and so emits, nothing. Returns the number of warnings.
 */
export async function scanExpiringCredentials(now = new Date()): Promise<number> {
  let emitted = 0;
  for (const threshold of THRESHOLDS) {
    const from = new Date(now.getTime() + threshold.fromMs);
    const to = new Date(now.getTime() + threshold.toMs);
    for (const source of TABLES) {
      for (;;) {
        const count = await db.$transaction(async (tx) => {
          const due = await tx.$queryRawUnsafe<Due[]>(
            `WITH due AS (
               SELECT c.id, ${source.name} AS name, c.expires_at, c.organization_id, o.slug AS org_slug,
                      sa.id AS sa_id, sa.name AS sa_name
               FROM ${source.table} c
               JOIN service_accounts sa ON sa.id = c.service_account_id
               JOIN organizations o ON o.id = c.organization_id
               WHERE c.status = 'ENABLED' AND c.expires_at > $1 AND c.expires_at <= $2
                 AND NOT EXISTS (SELECT 1 FROM credential_expiry_warnings w WHERE w.credential_id = c.id AND w.threshold = $3)
               ORDER BY c.expires_at
               LIMIT ${BATCH}
             ), claimed AS (
               INSERT INTO credential_expiry_warnings (credential_id, threshold, organization_id, credential_expires_at)
               SELECT id, $3, organization_id, expires_at FROM due
               ON CONFLICT DO NOTHING
               RETURNING credential_id
             )
             SELECT due.* FROM due JOIN claimed ON claimed.credential_id = due.id`,
            from,
            to,
            threshold.key,
          );
          for (const row of due) {
            const org = { orgId: row.organization_id, orgSlug: row.org_slug };
            const credential = { id: row.id, name: row.name, expiresAt: row.expires_at };
            await emitEvent(
              tx,
              threshold.type,
              credentialSubject(org, source.kind, credential, { id: row.sa_id, name: row.sa_name }),
              { now },
            );
          }
          return due.length;
        });
        emitted += count;
        if (count < BATCH) break;
      }
    }
  }
  return emitted;
}
