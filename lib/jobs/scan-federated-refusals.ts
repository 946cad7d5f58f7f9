import 'server-only';
import { db } from '@/lib/db/client';
import { emitEvent } from '@/lib/events/emit-event';
import { credentialSubject } from '@/lib/events/subjects';

const HOUR_MS = 3_600_000;
const BATCH = 500;

type Due = {
  credential_id: string;
  bucket: Date;
  organization_id: string;
  org_slug: string;
  name: string;
  sa_id: string;
  sa_name: string;
  events: bigint;
};

type LastRefusal = {
  occurred_at: Date;
  ip: string | null;
  reason: string | null;
  external_issuer: string | null;
  external_subject: string | null;
};

/**
 * scanFederatedRefusals emits "federated_credential.refused" for each federated credential that
 * refused a workload token in the current or the previous UTC hour and has no event for that hour
 * yet: at most one event per credential and hour, however many tokens were refused, so that a
 * misconfigured pipeline retrying in a loop raises one alert and not thousands.
 *
 * The token endpoint does nothing for this beyond its token.refused audit event: the hourly
 * rollup of those events (audit_token_activity, migration 0016, kept by a trigger in the
 * refusing transaction) says which credential ids were refused in which hour, and this scan reads
 * only the rollup's rows of the last two hours (a partial index, migration 0043). Each
 * (credential, hour) is claimed by inserting it into federated_refusal_alerts ON CONFLICT DO
 * NOTHING, in the transaction that emits its event: a second scanner waits for the first's commit
 * and then claims, and so emits, nothing. The event names the last refusal's reason code,
 * address and, when the token's signature verified, its external issuer and subject, read from
 * that hour's audit events; never the token. Returns the number of events emitted.
 */
export async function scanFederatedRefusals(now = new Date()): Promise<number> {
  const since = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);
  let emitted = 0;
  for (;;) {
    const count = await db.$transaction(async (tx) => {
      const due = await tx.$queryRaw<Due[]>`
        WITH due AS (
          SELECT a.client_id AS credential_id, a.bucket, a.organization_id, o.slug AS org_slug, fc.name,
                 sa.id AS sa_id, sa.name AS sa_name, a.events
          FROM audit_token_activity a
          JOIN federated_credentials fc ON fc.id = a.client_id AND fc.organization_id = a.organization_id
          JOIN service_accounts sa ON sa.id = fc.service_account_id AND sa.organization_id = fc.organization_id
          JOIN organizations o ON o.id = a.organization_id
          WHERE a.action = 'token.refused' AND a.bucket >= ${since} AND a.bucket <= ${now} AND a.events > 0
            AND NOT EXISTS (
              SELECT 1 FROM federated_refusal_alerts f WHERE f.credential_id = a.client_id AND f.bucket = a.bucket
            )
          ORDER BY a.bucket, a.client_id
          LIMIT ${BATCH}
        ), claimed AS (
          INSERT INTO federated_refusal_alerts (credential_id, bucket, organization_id, refusals)
          SELECT credential_id, bucket, organization_id, events FROM due
          ON CONFLICT DO NOTHING
          RETURNING credential_id, bucket
        )
        SELECT due.* FROM due JOIN claimed USING (credential_id, bucket)`;
      for (const row of due) {
        const hourEnd = new Date(row.bucket.getTime() + HOUR_MS);
        const [last] = await tx.$queryRaw<LastRefusal[]>`
          SELECT occurred_at, ip, details->>'reason' AS reason, details->>'external_issuer' AS external_issuer,
                 details->>'external_subject' AS external_subject
          FROM audit_events
          WHERE organization_id = ${row.organization_id} AND action = 'token.refused'
            AND occurred_at >= ${row.bucket} AND occurred_at < ${hourEnd}
            AND details->>'client_id' = ${row.credential_id}
          ORDER BY occurred_at DESC, id DESC
          LIMIT 1`;
        const subject = credentialSubject(
          { orgId: row.organization_id, orgSlug: row.org_slug },
          'federated_credential',
          { id: row.credential_id, name: row.name },
          { id: row.sa_id, name: row.sa_name },
        );
        await emitEvent(
          tx,
          'federated_credential.refused',
          {
            ...subject,
            refusals: {
              count: Number(row.events),
              hourStart: row.bucket.toISOString(),
              lastAt: (last?.occurred_at ?? row.bucket).toISOString(),
              lastReason: last?.reason ?? 'unknown',
              ...(last?.ip ? { lastAddress: last.ip } : {}),
              ...(last?.external_issuer ? { externalIssuer: last.external_issuer } : {}),
              ...(last?.external_subject ? { externalSubject: last.external_subject } : {}),
            },
          },
          { now },
        );
      }
      return due.length;
    });
    emitted += count;
    if (count < BATCH) return emitted;
  }
}
