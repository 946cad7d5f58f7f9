import { describe, expect, it } from 'vitest';
import { findMember } from '@/lib/auth/members';
import { db } from '@/lib/db/client';
import { createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { updateOrganizationInput } from './schema';
import { updateOrganization } from './update-organization';

describe('updateOrganization', () => {
  it('changes the name and maximum lifetime, audited with old and new values', async () => {
    const org = await createTestOrg();
    const owner = await createTestMember(org.id, 'OWNER');
    const updated = await updateOrganization(
      memberCtx(org, owner, 'OWNER'),
      updateOrganizationInput.parse({ name: 'Renamed', maxCredentialLifetimeDays: 90 }),
    );
    expect(updated).toMatchObject({ name: 'Renamed', maxCredentialLifetimeDays: 90, slug: org.slug });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'organization.updated' },
    });
    expect(event.details).toEqual({
      name: { from: org.name, to: 'Renamed' },
      maxCredentialLifetimeDays: { from: 730, to: 90 },
    });
  });

  it('refuses auditors and bad input', async () => {
    const org = await createTestOrg();
    const auditor = await createTestMember(org.id, 'AUDITOR');
    await expect(updateOrganization(memberCtx(org, auditor, 'AUDITOR'), { name: 'Nope' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(updateOrganizationInput.safeParse({}).success).toBe(false);
    expect(updateOrganizationInput.safeParse({ maxCredentialLifetimeDays: 0 }).success).toBe(false);
    expect(updateOrganizationInput.safeParse({ maxCredentialLifetimeDays: 3651 }).success).toBe(false);
    expect(updateOrganizationInput.safeParse({ slug: 'new-slug' }).success).toBe(false);
  });

  it('lets only an owner who has a second factor require one of every member', async () => {
    const org = await createTestOrg();
    const owner = await createTestMember(org.id, 'OWNER');
    const admin = await createTestMember(org.id, 'ADMIN');
    // An admin may change the organization, but not who may use its console.
    await expect(updateOrganization(memberCtx(org, admin, 'ADMIN'), { requireTwoFactor: true })).rejects.toMatchObject({
      code: 'forbidden',
    });
    // An owner without a second factor would lock themselves out.
    await expect(updateOrganization(memberCtx(org, owner, 'OWNER'), { requireTwoFactor: true })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await db.user.update({ where: { id: owner.id }, data: { totpEnabledAt: new Date() } });
    const updated = await updateOrganization(memberCtx(org, owner, 'OWNER'), { requireTwoFactor: true });
    expect(updated.requireTwoFactor).toBe(true);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'organization.updated' },
      orderBy: { seq: 'desc' },
    });
    expect(event.details).toEqual({ requireTwoFactor: { from: false, to: true } });
    // Every caller asks findMember: the admin without a second factor is now held back, the owner is not.
    expect((await findMember(admin.id, org.slug))?.twoFactorMissing).toBe(true);
    expect((await findMember(owner.id, org.slug))?.twoFactorMissing).toBe(false);
    expect(updateOrganizationInput.safeParse({ requireTwoFactor: 'yes' }).success).toBe(false);
  });
});
