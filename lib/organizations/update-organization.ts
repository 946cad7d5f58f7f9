import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { can } from '@/lib/auth/permissions';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { OrganizationSettingsDto, UpdateOrganizationInput } from './schema';

/**
 * updateOrganization renames the caller's organization and/or sets the maximum lifetime of new
 * credentials (existing credentials keep their expiry). Audited with the old and new values.
 */
export async function updateOrganization(
  ctx: OrgContext,
  input: UpdateOrganizationInput,
): Promise<OrganizationSettingsDto> {
  if (!can(ctx.role, 'organization.write')) throw new AppError('forbidden', 'Your role does not allow this change.');
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
  createdAt: Date;
}): OrganizationSettingsDto {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    maxCredentialLifetimeDays: o.maxCredentialLifetimeDays,
    createdAt: o.createdAt.toISOString(),
  };
}
