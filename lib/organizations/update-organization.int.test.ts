import { describe, expect, it } from 'vitest';
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
      updateOrganizationInput.parse({ name: 'Renamed', maxCredentialLifetimeDays: '90' }),
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
});
