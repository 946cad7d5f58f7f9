import 'server-only';
import type { Tx } from '@/lib/db/client';
import type { RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';

/**
 * recordUserEvent audits something a person did to their own login (sign-in, second factor) in
 * every organization they belong to, since each organization's auditors must see it. With no
 * organization (an unknown email) the event goes to the instance-level chain.
 */
export async function recordUserEvent(
  tx: Tx,
  input: {
    user: { id: string; email: string } | null;
    action: string;
    outcome: 'SUCCESS' | 'FAILURE';
    meta: Partial<RequestMeta>;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const orgIds = input.user
    ? (await tx.membership.findMany({ where: { userId: input.user.id }, select: { organizationId: true } })).map(
        (m) => m.organizationId,
      )
    : [];
  const actor = input.user
    ? ({ type: 'MEMBER', id: input.user.id, label: input.user.email } as const)
    : ({ type: 'SYSTEM', id: null, label: 'anonymous' } as const);
  for (const organizationId of orgIds.length > 0 ? orgIds : [null]) {
    await recordAuditEvent(tx, {
      organizationId,
      actor,
      action: input.action,
      target: { type: 'user', id: input.user?.id ?? null },
      outcome: input.outcome,
      meta: input.meta,
      details: input.details,
    });
  }
}
