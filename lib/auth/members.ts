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

/** findMember returns the user and their role in the organization with this slug, or null. */
export async function findMember(userId: string, orgSlug: string) {
  const row = await db.membership.findFirst({
    where: { userId, organization: { slug: orgSlug } },
    select: {
      role: true,
      user: { select: { id: true, email: true, name: true } },
      organization: { select: { id: true, slug: true, name: true } },
    },
  });
  return row ? { user: row.user, org: row.organization, role: row.role as Role } : null;
}
