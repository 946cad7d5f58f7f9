import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { assertCan } from '@/lib/auth/assert-can';
import { can } from '@/lib/auth/permissions';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { OrganizationSettingsDto, UpdateOrganizationInput } from './schema';

/**
 * updateOrganization renames the caller's organization, sets the maximum lifetime of new
 * credentials (existing credentials keep their expiry) and/or whether members need a second
 * factor. That last one is the owners' (it decides who can use the console), and a member
 * turning it on must have a second factor already, or they would lock themselves out at once.
 * Audited with the old and new values.
 */
export async function updateOrganization(
  ctx: OrgContext,
  input: UpdateOrganizationInput,
): Promise<OrganizationSettingsDto> {
  assertCan(ctx, 'organization.write');
  if (input.requireTwoFactor !== undefined) {
    if (ctx.actor.type !== 'MEMBER' || !can(ctx.role, 'members.write'))
      throw new AppError('forbidden', 'Only owners decide whether members need two-factor authentication.', {
        fields: { requireTwoFactor: ['Only owners can change this.'] },
      });
    if (input.requireTwoFactor) {
      const me = await db.user.findUnique({ where: { id: ctx.actor.id }, select: { totpEnabledAt: true } });
      if (!me?.totpEnabledAt)
        throw new AppError('invalid_state', 'Turn on two-factor authentication for yourself first (Your account).', {
          fields: { requireTwoFactor: ['Turn it on for yourself first.'] },
        });
    }
  }
  return db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: ctx.orgId } });
    const after = await tx.organization.update({ where: { id: ctx.orgId }, data: input });
    const changes = Object.fromEntries(
      (Object.keys(input) as Array<keyof UpdateOrganizationInput>).map((k) => [k, { from: before[k], to: after[k] }]),
    );
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'organization.updated',
      target: { type: 'organization', id: ctx.orgId },
      meta: ctx,
      details: changes,
    });
    return toOrganizationDto(after);
  });
}

export function toOrganizationDto(o: {
  id: string;
  slug: string;
  name: string;
  maxCredentialLifetimeDays: number;
  requireTwoFactor: boolean;
  createdAt: Date;
}): OrganizationSettingsDto {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    maxCredentialLifetimeDays: o.maxCredentialLifetimeDays,
    requireTwoFactor: o.requireTwoFactor,
    createdAt: o.createdAt.toISOString(),
  };
}
