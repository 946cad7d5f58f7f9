import 'server-only';
import { emitEvent } from '@/lib/events/emit-event';
import { memberSubject } from '@/lib/events/subjects';
import type { OrgContext } from '@/lib/auth/context';
import { can } from '@/lib/auth/permissions';
import type { Role } from '@/lib/auth/roles';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { addMember } from '@/lib/organizations/add-member';
import { createUser } from '@/lib/users/create-user';
import type { AddMemberInput, MemberDto } from './schema';

function assertOwner(ctx: OrgContext) {
  if (!can(ctx.role, 'members.write')) throw new AppError('forbidden', 'Only owners manage members.');
}

/** listMembers lists the organization's members, owners first. */
export async function listMembers(ctx: OrgContext): Promise<MemberDto[]> {
  if (!can(ctx.role, 'members.read')) throw new AppError('not_found', 'Not found.');
  const rows = await db.membership.findMany({
    where: { organizationId: ctx.orgId },
    select: {
      role: true,
      createdAt: true,
      user: { select: { id: true, email: true, name: true, totpEnabledAt: true } },
    },
    orderBy: [{ role: 'asc' }, { createdAt: 'asc' }],
  });
  return rows.map((r) => ({
    userId: r.user.id,
    email: r.user.email,
    name: r.user.name,
    role: r.role,
    since: r.createdAt.toISOString(),
    twoFactor: r.user.totpEnabledAt !== null,
  }));
}

/**
 * addOrganizationMember gives a person a role here. An existing user keeps their password; a
 * new user needs a name and an initial password (`validation_failed` otherwise). Audited.
 */
export async function addOrganizationMember(ctx: OrgContext, input: AddMemberInput): Promise<MemberDto> {
  assertOwner(ctx);
  return db.$transaction(async (tx) => {
    let user = await tx.user.findUnique({
      where: { email: input.email },
      select: { id: true, email: true, name: true, totpEnabledAt: true },
    });
    if (!user) {
      const fields: Record<string, string[]> = {};
      if (!input.name) fields.name = ['Enter the new member\u2019s name.'];
      if (!input.password) fields.password = ['Choose an initial password (at least 12 characters) to hand over.'];
      if (Object.keys(fields).length)
        throw new AppError(
          'validation_failed',
          'This email has no Latchkey login yet: give a name and an initial password.',
          { fields },
        );
      const created = await createUser(tx, {
        email: input.email,
        name: input.name ?? '',
        password: input.password ?? '',
      });
      user = { id: created.id, email: created.email, name: created.name, totpEnabledAt: null };
    }
    const membership = await addMember(
      tx,
      { organizationId: ctx.orgId, userId: user.id, role: input.role },
      ctx.actor,
      ctx,
    );
    await emitEvent(tx, 'member.added', memberSubject(ctx, { userId: user.id, email: user.email, role: input.role }));
    return {
      userId: user.id,
      email: user.email,
      name: user.name,
      role: membership.role,
      since: new Date().toISOString(),
      twoFactor: user.totpEnabledAt !== null,
    };
  });
}

async function membershipOf(tx: Tx, ctx: OrgContext, userId: string) {
  const m = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: ctx.orgId, userId } },
    select: { id: true, role: true, user: { select: { email: true } } },
  });
  if (!m) throw new AppError('not_found', 'Member not found.');
  return { id: m.id, role: m.role, email: m.user.email };
}

async function assertAnotherOwner(tx: Tx, ctx: OrgContext, userId: string) {
  const owners = await tx.membership.count({
    where: { organizationId: ctx.orgId, role: 'OWNER', userId: { not: userId } },
  });
  if (owners === 0)
    throw new AppError('last_owner', 'An organization needs at least one owner. Make someone else owner first.');
}

/** changeMemberRole sets a member's role; the last owner cannot stop being one. Audited. */
export async function changeMemberRole(ctx: OrgContext, userId: string, role: Role): Promise<void> {
  assertOwner(ctx);
  await db.$transaction(async (tx) => {
    // Serialize owner changes per organization so two owners cannot demote each other at once.
    await tx.$executeRaw`SELECT 1 FROM organizations WHERE id = ${ctx.orgId} FOR UPDATE`;
    const m = await membershipOf(tx, ctx, userId);
    if (m.role === role) return;
    if (m.role === 'OWNER') await assertAnotherOwner(tx, ctx, userId);
    await tx.membership.update({ where: { id: m.id }, data: { role } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'member.role_changed',
      target: { type: 'user', id: userId },
      meta: ctx,
      details: { from: m.role, to: role },
    });
  });
}

/** removeMember takes a person out of the organization (their login stays); never the last owner. */
export async function removeMember(ctx: OrgContext, userId: string): Promise<void> {
  assertOwner(ctx);
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM organizations WHERE id = ${ctx.orgId} FOR UPDATE`;
    const m = await membershipOf(tx, ctx, userId);
    if (m.role === 'OWNER') await assertAnotherOwner(tx, ctx, userId);
    await tx.membership.delete({ where: { id: m.id } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'member.removed',
      target: { type: 'user', id: userId },
      meta: ctx,
      details: { role: m.role },
    });
    await emitEvent(tx, 'member.removed', memberSubject(ctx, { userId, email: m.email, role: m.role }));
  });
}
