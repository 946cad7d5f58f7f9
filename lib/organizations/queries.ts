import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';

/** getOverview counts what the organization holds, for the console's first page. */
export async function getOverview(ctx: OrgContext) {
  const where = { organizationId: ctx.orgId };
  const [serviceAccounts, activeServiceAccounts, oemCredentials, vehicles, scopes, projects] = await Promise.all([
    db.serviceAccount.count({ where }),
    db.serviceAccount.count({ where: { ...where, status: 'ACTIVE' } }),
    db.oemCredential.count({ where }),
    db.vehicle.count({ where }),
    db.scope.count({ where }),
    db.project.count({ where }),
  ]);
  return { serviceAccounts, activeServiceAccounts, oemCredentials, vehicles, scopes, projects };
}

/** getOrganizationSettings returns the organization's editable settings. */
export async function getOrganizationSettings(ctx: OrgContext) {
  const org = await db.organization.findUniqueOrThrow({
    where: { id: ctx.orgId },
    select: {
      id: true,
      slug: true,
      name: true,
      maxCredentialLifetimeDays: true,
      requireTwoFactor: true,
      createdAt: true,
    },
  });
  const scopes = await db.scope.findMany({
    where: { organizationId: ctx.orgId },
    select: { name: true, description: true, isManagement: true },
    orderBy: [{ isManagement: 'asc' }, { name: 'asc' }],
  });
  return { ...org, createdAt: org.createdAt.toISOString(), scopes };
}
