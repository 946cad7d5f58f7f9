import 'server-only';
import type { Tx } from '@/lib/db/client';
import type { Actor, RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Role } from '@/lib/auth/roles';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';

export type MembershipDto = { id: string; organizationId: string; userId: string; role: Role };

/** addMember gives a user a role in an organization (`conflict` if already a member) and audits it. */
export async function addMember(
  tx: Tx,
  input: { organizationId: string; userId: string; role: Role },
  actor: Actor,
  meta?: Partial<RequestMeta>,
): Promise<MembershipDto> {
  const existing = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
    select: { id: true },
  });
  if (existing) throw new AppError('conflict', 'This user is already a member of the organization.');
  const membership = await tx.membership.create({ data: { id: newId('membership'), ...input } });
  await recordAuditEvent(tx, {
    organizationId: input.organizationId,
    actor,
    action: 'member.added',
    target: { type: 'user', id: input.userId },
    meta,
    details: { role: input.role },
  });
  return {
    id: membership.id,
    organizationId: membership.organizationId,
    userId: membership.userId,
    role: membership.role,
  };
}
