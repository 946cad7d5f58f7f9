import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { Prisma } from '@/lib/db/generated/client';
import { TOKEN_ISSUED, TOKEN_REFUSED } from './actions';
import type { AuditEventDto, AuditEventPage, TokenActivity } from './dto';
import { encodeCursor, readCursor, type AuditCursor } from './cursor';
import type { AuditFilters } from './filters';

export const DEFAULT_PAGE_SIZE = 50;

type AuditRow = {
  id: bigint;
  seq: bigint;
  occurred_at: Date;
  actor_type: AuditEventDto['actor_type'];
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditEventDto['outcome'];
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
};

export function toAuditEventDto(row: AuditRow): AuditEventDto {
  return {
    id: row.id.toString(),
    seq: row.seq.toString(),
    occurred_at: row.occurred_at.toISOString(),
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    actor_label: row.actor_label,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    outcome: row.outcome,
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    details: (row.details ?? {}) as Record<string, unknown>,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

const ACTOR_ID = /^(usr|sa)_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * auditWhere builds the WHERE clause of every auditor query. The organization comes from the
 * context, never from the filters. Each filter matches one column so that one of the
 * (organization_id, <column>, occurred_at DESC, id DESC) indexes serves it (migration 0003).
 */
function auditWhere(ctx: OrgContext, filters: AuditFilters, after?: AuditCursor): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`organization_id = ${ctx.orgId}`];
  if (filters.from) parts.push(Prisma.sql`occurred_at >= ${filters.from}`);
  if (filters.to) parts.push(Prisma.sql`occurred_at < ${filters.to}`);
  if (filters.actor)
    parts.push(
      ACTOR_ID.test(filters.actor)
        ? Prisma.sql`actor_id = ${filters.actor}`
        : Prisma.sql`actor_label = ${filters.actor}`,
    );
  if (filters.action) parts.push(Prisma.sql`action = ${filters.action}`);
  if (filters.target) parts.push(Prisma.sql`target_id = ${filters.target}`);
  if (filters.outcome) parts.push(Prisma.sql`outcome = ${filters.outcome}::audit_outcome`);
  // Row comparison: one index range scan continues exactly after the previous page's last row,
  // however deep the page, and rows with equal timestamps are ordered by id.
  if (after) parts.push(Prisma.sql`(occurred_at, id) < (${after.occurredAt}, ${after.id})`);
  return Prisma.join(parts, ' AND ');
}

/** fetchAuditRows reads one keyset page, newest first. */
export async function fetchAuditRows(
  ctx: OrgContext,
  filters: AuditFilters,
  limit: number,
  after?: AuditCursor,
): Promise<AuditRow[]> {
  return db.$queryRaw<AuditRow[]>`
    SELECT id, seq, occurred_at, actor_type::text AS actor_type, actor_id, actor_label, action, target_type, target_id,
           outcome::text AS outcome, ip, user_agent, request_id, details, prev_hash, hash
    FROM audit_events
    WHERE ${auditWhere(ctx, filters, after)}
    ORDER BY occurred_at DESC, id DESC
    LIMIT ${limit}`;
}

/**
 * listAuditEvents returns one page of the organization's events matching the filters, newest
 * first, and the cursor of the next (older) page (signed: a forged or edited one is 400 invalid_cursor). Keyset pagination on (occurred_at, id): no
 * duplicates or gaps across pages, even when events share a timestamp, and every page costs
 * the same however deep it is.
 */
export async function listAuditEvents(
  ctx: OrgContext,
  filters: AuditFilters,
  page: { cursor?: string; limit?: number } = {},
): Promise<AuditEventPage> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const after = page.cursor === undefined ? undefined : readCursor(ctx.orgId, page.cursor);
  const rows = await fetchAuditRows(ctx, filters, limit + 1, after);
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return {
    data: shown.map(toAuditEventDto),
    next_cursor: more && last ? encodeCursor(ctx.orgId, { occurredAt: last.occurred_at, id: last.id }) : null,
  };
}

/** knownActions lists the distinct actions of the organization (for the filter's suggestions). */
export async function knownActions(ctx: OrgContext): Promise<string[]> {
  // A loose index scan over (organization_id, action, …): one probe per distinct action.
  const rows = await db.$queryRaw<Array<{ action: string }>>`
    WITH RECURSIVE a AS (
      (SELECT action FROM audit_events WHERE organization_id = ${ctx.orgId} ORDER BY action LIMIT 1)
      UNION ALL
      SELECT (SELECT action FROM audit_events WHERE organization_id = ${ctx.orgId} AND action > a.action ORDER BY action LIMIT 1)
      FROM a WHERE a.action IS NOT NULL
    )
    SELECT action FROM a WHERE action IS NOT NULL LIMIT 200`;
  return rows.map((r) => r.action);
}

const DAY_MS = 86_400_000;
const MAX_CHART_DAYS = 3_660;

/** bucketStart floors a time to the start of its UTC hour, day or ISO week (Monday). */
function bucketStart(t: number, bucket: TokenActivity['bucket']): number {
  if (bucket === 'hour') return Math.floor(t / 3_600_000) * 3_600_000;
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  if (bucket === 'day') return day;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * tokenActivity counts token.issued and token.refused events per hour (ranges up to 3 days),
 * day (up to 400 days) or week, from `from` (default: 7 days before `to`) to `to` (default:
 * now); ranges longer than 10 years are cut to the last 10. Empty buckets are included as
 * zeros so the chart's time axis is even. The counts come from the hourly rollup
 * audit_token_activity (migration 0016), maintained by the database in the transaction of
 * every insert into audit_events: a whole hour is counted when it starts in
 * [start of from's hour, to), and one chart reads at most a few rows per hour and client
 * whatever the size of the log.
 */
export async function tokenActivity(
  ctx: OrgContext,
  range: { from?: Date; to?: Date } = {},
  /** Only these presented client ids (the credentials of one service account); all when absent. */
  clientIds?: string[],
): Promise<TokenActivity> {
  const to = range.to ?? new Date();
  const earliest = new Date(to.getTime() - MAX_CHART_DAYS * DAY_MS);
  const requested = range.from ?? new Date(to.getTime() - 7 * DAY_MS);
  const from = requested < earliest ? earliest : requested;
  const span = to.getTime() - from.getTime();
  const bucket: TokenActivity['bucket'] = span <= 3 * DAY_MS ? 'hour' : span <= 400 * DAY_MS ? 'day' : 'week';
  const rows = await db.$queryRaw<Array<{ t: Date; action: string; n: bigint }>>`
    SELECT date_trunc(${bucket}, bucket, 'UTC') AS t, action, sum(events)::bigint AS n
    FROM audit_token_activity
    WHERE organization_id = ${ctx.orgId} AND action IN (${TOKEN_ISSUED}, ${TOKEN_REFUSED})
      AND bucket >= ${new Date(bucketStart(from.getTime(), 'hour'))} AND bucket < ${to}
      AND (${clientIds === undefined} OR client_id = ANY(${clientIds ?? []}::text[]))
    GROUP BY 1, 2`;
  const step = bucket === 'hour' ? 3_600_000 : bucket === 'day' ? DAY_MS : 7 * DAY_MS;
  const points = new Map<number, { t: string; issued: number; refused: number }>();
  for (let t = bucketStart(from.getTime(), bucket); t < to.getTime(); t += step)
    points.set(t, { t: new Date(t).toISOString(), issued: 0, refused: 0 });
  for (const row of rows) {
    const point = points.get(row.t.getTime());
    if (!point) continue;
    if (row.action === TOKEN_ISSUED) point.issued = Number(row.n);
    else point.refused = Number(row.n);
  }
  return { bucket, from: from.toISOString(), to: to.toISOString(), points: [...points.values()] };
}
