import 'server-only';
import { db } from '@/lib/db/client';
import type { RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors';
import { addMember } from '@/lib/organizations/add-member';
import { createOrganization, type OrganizationDto } from '@/lib/organizations/create-organization';
import { createUser, type UserDto } from '@/lib/users/create-user';
import type { SetupInput } from './schema';

const SETUP_LOCK = 7_240_002;

/** needsSetup tells whether the instance has no user yet (the one-time setup page is open). */
export async function needsSetup(): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/**
 * completeSetup creates the first organization and its OWNER, once. Organizations that exist
 * without any member (the demo organization seeded by `npm start`) are handed to the same
 * owner, so nothing seeded is left unreachable. Concurrent submissions are serialized by an
 * advisory lock; every one after the first gets `setup_complete`.
 */
export async function completeSetup(
  input: SetupInput,
  meta: Partial<RequestMeta>,
): Promise<{ user: UserDto; organization: OrganizationDto }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK}::int)`;
    if ((await tx.user.count()) > 0)
      throw new AppError('setup_complete', 'Latchkey is already set up. Sign in instead.');
    const user = await createUser(tx, { email: input.email, name: input.name, password: input.password });
    const actor = { type: 'MEMBER', id: user.id, label: user.email } as const;
    const organization = await createOrganization(tx, { name: input.organizationName }, actor, meta);
    await addMember(tx, { organizationId: organization.id, userId: user.id, role: 'OWNER' }, actor, meta);
    const orphans = await tx.organization.findMany({ where: { memberships: { none: {} } }, select: { id: true } });
    for (const org of orphans) {
      await addMember(tx, { organizationId: org.id, userId: user.id, role: 'OWNER' }, actor, meta);
    }
    await recordAuditEvent(tx, {
      organizationId: organization.id,
      actor,
      action: 'instance.setup_completed',
      target: { type: 'user', id: user.id },
      meta,
    });
    return { user, organization };
  });
}
