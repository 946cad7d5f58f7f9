import 'server-only';
import { TOKEN_ISSUED, TOKEN_REFUSED } from '@/lib/audit/actions';
import type { TokenActivity } from '@/lib/audit/dto';
import { tokenActivity } from '@/lib/audit/queries';
import type { OrgContext } from '@/lib/auth/context';
import { assertCan } from '@/lib/auth/assert-can';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

const DAY_MS = 86_400_000;
const SERIES_DAYS = 7;
const REFUSALS_DAYS = 30;
const REFUSALS_LIMIT = 10;

/** What one credential did over the last 7 days: totals and one count per UTC day, oldest first. */
export type CredentialActivity = { issued: number; refused: number; daily: { issued: number; refused: number }[] };

/** One refused token request naming this account, as its audit event recorded it. */
export type RecentRefusal = {
  occurredAt: string;
  clientId: string | null;
  grantType: string | null;
  error: string | null;
  reason: string | null;
  ip: string | null;
  endpoint: string | null;
};

export type AccountActivity = {
  chart: TokenActivity;
  credentials: Record<string, CredentialActivity>;
  refusals: RecentRefusal[];
};

/**
 * accountActivity is a service account's token activity: the account's chart (hourly for the
 * last 7 days), each credential's issued and refused counts per day, and the last refusals with
 * their reason and address (a wrong secret sent with a valid key id is recorded against the
 * account it names, lib/oauth/token-audit.ts). Counts come from the hourly rollup
 * (audit_token_activity), refusals from the audit log: reading them needs audit.read as well as
 * service_accounts.read. Another organization's account is not_found.
 */
export async function accountActivity(ctx: OrgContext, accountId: string, now = new Date()): Promise<AccountActivity> {
  assertCan(ctx, 'service_accounts.read');
  assertCan(ctx, 'audit.read');
  const where = { serviceAccountId: accountId, organizationId: ctx.orgId };
  const account = await db.serviceAccount.findFirst({
    where: { id: accountId, organizationId: ctx.orgId },
    select: { id: true },
  });
  if (!account) throw new AppError('not_found', 'Service account not found.');
  const [secrets, keys, pairs, federated] = await Promise.all([
    db.clientSecret.findMany({ where, select: { id: true } }),
    db.keyPair.findMany({ where, select: { id: true } }),
    db.clientTokenPair.findMany({ where, select: { id: true, clientToken: true } }),
    db.federatedCredential.findMany({ where, select: { id: true } }),
  ]);
  // A token pair's refusals may name its publishable client token instead of its ctp_ id.
  const presented = new Map<string, string>();
  for (const { id } of [...secrets, ...keys, ...pairs, ...federated]) presented.set(id, id);
  for (const { id, clientToken } of pairs) presented.set(clientToken, id);
  const clientIds = [...presented.keys()];

  const dayZero = Math.floor(now.getTime() / DAY_MS) * DAY_MS - (SERIES_DAYS - 1) * DAY_MS;
  const [chart, perDay, refusals] = await Promise.all([
    tokenActivity(ctx, { from: new Date(now.getTime() - 3 * DAY_MS), to: now }, clientIds),
    db.$queryRaw<Array<{ client_id: string; day: Date; action: string; n: bigint }>>`
      SELECT client_id, date_trunc('day', bucket, 'UTC') AS day, action, sum(events)::bigint AS n
      FROM audit_token_activity
      WHERE organization_id = ${ctx.orgId} AND action IN (${TOKEN_ISSUED}, ${TOKEN_REFUSED})
        AND bucket >= ${new Date(dayZero)} AND client_id = ANY(${clientIds}::text[])
      GROUP BY 1, 2, 3`,
    db.auditEvent.findMany({
      where: {
        organizationId: ctx.orgId,
        actorId: accountId,
        action: TOKEN_REFUSED,
        occurredAt: { gte: new Date(now.getTime() - REFUSALS_DAYS * DAY_MS) },
      },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take: REFUSALS_LIMIT,
      select: { occurredAt: true, ip: true, details: true },
    }),
  ]);

  const credentials: Record<string, CredentialActivity> = {};
  for (const id of new Set(presented.values()))
    credentials[id] = {
      issued: 0,
      refused: 0,
      daily: Array.from({ length: SERIES_DAYS }, () => ({ issued: 0, refused: 0 })),
    };
  for (const row of perDay) {
    const id = presented.get(row.client_id);
    const into = id ? credentials[id] : undefined;
    const day = into?.daily[Math.round((row.day.getTime() - dayZero) / DAY_MS)];
    if (!into || !day) continue;
    const n = Number(row.n);
    if (row.action === TOKEN_ISSUED) {
      into.issued += n;
      day.issued += n;
    } else {
      into.refused += n;
      day.refused += n;
    }
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    chart,
    credentials,
    refusals: refusals.map((r) => {
      const d = (r.details ?? {}) as Record<string, unknown>;
      const clientId = text(d.client_id);
      return {
        occurredAt: r.occurredAt.toISOString(),
        clientId: clientId ? (presented.get(clientId) ?? clientId) : null,
        grantType: text(d.grant_type),
        error: text(d.error),
        reason: text(d.reason),
        ip: r.ip,
        endpoint: text(d.endpoint),
      };
    }),
  };
}
