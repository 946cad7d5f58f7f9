import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { newId } from '@/lib/ids';
import { createServiceAccount } from '@/lib/service-accounts/create-service-account';
import { createServiceAccountInput, type CreateServiceAccountInput } from '@/lib/service-accounts/schema';
import { createTestMember, createTestOrg, memberCtx, uniqueSuffix } from './factories';

/** orgWithRoles creates an organization with an OWNER, an ADMIN and an AUDITOR, and their contexts. */
export async function orgWithRoles() {
  const org = await createTestOrg();
  const [owner, admin, auditor] = await Promise.all([
    createTestMember(org.id, 'OWNER'),
    createTestMember(org.id, 'ADMIN'),
    createTestMember(org.id, 'AUDITOR'),
  ]);
  return {
    org,
    owner,
    admin,
    auditor,
    ownerCtx: memberCtx(org, owner, 'OWNER'),
    adminCtx: memberCtx(org, admin, 'ADMIN'),
    auditorCtx: memberCtx(org, auditor, 'AUDITOR'),
  };
}

/** createTestServiceAccount creates an account through the domain, with defaults filled by the API schema. */
export async function createTestServiceAccount(ctx: OrgContext, overrides: Partial<CreateServiceAccountInput> = {}) {
  const input = createServiceAccountInput.parse({
    name: `Account ${uniqueSuffix()}`,
    platform: 'SERVER',
    ...overrides,
  });
  return createServiceAccount(ctx, input);
}

/** createTestProject adds a project to an organization (projects have no console yet). */
export async function createTestProject(orgId: string, name = `Project ${uniqueSuffix()}`) {
  return db.project.create({
    data: { id: newId('project'), organizationId: orgId, name },
    select: { id: true, name: true },
  });
}

/** auditEventsOf returns the organization's audit events, oldest first. */
export async function auditEventsOf(orgId: string) {
  return db.auditEvent.findMany({ where: { organizationId: orgId }, orderBy: { seq: 'asc' } });
}

/** auditText is every stored audit event of an organization as one string, to search for leaks. */
export async function auditText(orgId: string): Promise<string> {
  const rows = await db.$queryRaw<
    Array<{ row: string }>
  >`SELECT row_to_json(a)::text AS row FROM audit_events a WHERE organization_id = ${orgId}`;
  return rows.map((r) => r.row).join('\n');
}
