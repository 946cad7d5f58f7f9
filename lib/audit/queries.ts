import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';

export type AuditEventDto = {
  id: string;
  seq: string;
  occurredAt: string;
  actorType: string;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
};

/** listRecentAuditEvents returns the organization's newest events, newest first. */
export async function listRecentAuditEvents(ctx: OrgContext, limit = 50): Promise<AuditEventDto[]> {
  const rows = await db.auditEvent.findMany({
    where: { organizationId: ctx.orgId },
    orderBy: { seq: 'desc' },
    take: Math.min(Math.max(limit, 1), 200),
  });
  return rows.map((r) => ({
    id: r.id.toString(),
    seq: r.seq.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorType: r.actorType,
    actorLabel: r.actorLabel,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    outcome: r.outcome,
    ip: r.ip,
  }));
}
