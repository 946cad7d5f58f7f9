import { randomBytes } from 'node:crypto';
import { SYSTEM_ACTOR } from '@/lib/audit/actor';
import type { Role } from '@/lib/auth/roles';
import { db } from '@/lib/db/client';
import { addMember } from '@/lib/organizations/add-member';
import { createOrganization } from '@/lib/organizations/create-organization';
import { createUser } from '@/lib/users/create-user';

export const TEST_PASSWORD = 'correct horse battery staple';

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** createTestOrg creates an organization of its own, with the default catalog. */
export async function createTestOrg(name = `Org ${uniqueSuffix()}`) {
  return db.$transaction((tx) => createOrganization(tx, { name }, SYSTEM_ACTOR, { requestId: 'test' }));
}

/** createTestMember creates a user (password TEST_PASSWORD) with `role` in `orgId`. */
export async function createTestMember(orgId: string, role: Role) {
  return db.$transaction(async (tx) => {
    const user = await createUser(tx, {
      email: `${role.toLowerCase()}-${uniqueSuffix()}@example.test`,
      name: `${role} Tester`,
      password: TEST_PASSWORD,
    });
    await addMember(tx, { organizationId: orgId, userId: user.id, role }, SYSTEM_ACTOR, { requestId: 'test' });
    return user;
  });
}

/** memberCtx is the OrgContext a member of `org` with `role` acts under, as domain functions take it. */
export function memberCtx(
  org: { id: string; slug: string },
  user: { id: string; email: string },
  role: Role,
): import('@/lib/auth/context').OrgContext {
  return {
    orgId: org.id,
    orgSlug: org.slug,
    role,
    actor: { type: 'MEMBER', id: user.id, label: user.email },
    requestId: `test-${uniqueSuffix()}`,
    ip: '127.0.0.1',
    userAgent: 'vitest',
  };
}
