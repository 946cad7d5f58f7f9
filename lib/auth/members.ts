import 'server-only';
import { db } from '@/lib/db/client';
import type { Role } from './roles';

export type MemberOrg = { orgId: string; slug: string; name: string; role: Role };

/** membershipsOf lists the organizations a user belongs to, by name. */
export async function membershipsOf(userId: string): Promise<MemberOrg[]> {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, organization: { select: { id: true, slug: true, name: true } } },
    orderBy: { organization: { name: 'asc' } },
  });
  return rows.map((r) => ({
    orgId: r.organization.id,
    slug: r.organization.slug,
    name: r.organization.name,
    role: r.role,
  }));
}

/**
 * findMember returns the user and their role in the organization with this slug, or null.
 * `twoFactorMissing` is true when the organization requires a second factor that this member
 * has not turned on: every caller must then refuse all but setting it up (two_factor_required).
 */
export async function findMember(userId: string, orgSlug: string) {
  const row = await db.membership.findFirst({
    where: { userId, organization: { slug: orgSlug } },
    select: {
      role: true,
      user: { select: { id: true, email: true, name: true, totpEnabledAt: true } },
      organization: { select: { id: true, slug: true, name: true, requireTwoFactor: true } },
    },
  });
  if (!row) return null;
  const { totpEnabledAt, ...user } = row.user;
  const { requireTwoFactor, ...org } = row.organization;
  return { user, org, role: row.role as Role, twoFactorMissing: requireTwoFactor && !totpEnabledAt };
}
