import { describe, expect, it } from 'vitest';
import { verifySignIn } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { createTestMember, createTestOrg, memberCtx, uniqueSuffix } from '@/lib/testing/factories';
import { addOrganizationMember, changeMemberRole, listMembers, removeMember } from './manage-members';
import { addMemberInput } from './schema';

async function ownerOfNewOrg() {
  const org = await createTestOrg();
  const owner = await createTestMember(org.id, 'OWNER');
  return { org, owner, ctx: memberCtx(org, owner, 'OWNER') };
}

describe('members', () => {
  it('adds a new login with an initial password, or an existing login by email', async () => {
    const { org, ctx } = await ownerOfNewOrg();
    const email = `new-${uniqueSuffix()}@example.test`;
    await expect(addOrganizationMember(ctx, addMemberInput.parse({ email, role: 'ADMIN' }))).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { name: expect.any(Array), password: expect.any(Array) },
    });
    const added = await addOrganizationMember(
      ctx,
      addMemberInput.parse({ email, role: 'ADMIN', name: 'New Person', password: 'initial password 1' }),
    );
    expect(added).toMatchObject({ email, role: 'ADMIN', twoFactor: false });
    await expect(
      verifySignIn({ email, password: 'initial password 1' }, { requestId: 'r', ip: '192.0.2.50', userAgent: null }),
    ).resolves.toMatchObject({ email });

    const other = await ownerOfNewOrg();
    const joined = await addOrganizationMember(other.ctx, addMemberInput.parse({ email, role: 'AUDITOR' }));
    expect(joined.role).toBe('AUDITOR');
    await expect(
      addOrganizationMember(other.ctx, addMemberInput.parse({ email, role: 'ADMIN' })),
    ).rejects.toMatchObject({ code: 'conflict' });
    const events = await db.auditEvent.findMany({ where: { organizationId: org.id, action: 'member.added' } });
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain('initial password 1');
  });

  it('changes roles and removes members, but never the last owner', async () => {
    const { ctx, owner } = await ownerOfNewOrg();
    const admin = await createTestMember(ctx.orgId, 'ADMIN');
    await expect(changeMemberRole(ctx, owner.id, 'ADMIN')).rejects.toMatchObject({ code: 'last_owner' });
    await expect(removeMember(ctx, owner.id)).rejects.toMatchObject({ code: 'last_owner' });
    await changeMemberRole(ctx, admin.id, 'OWNER');
    await changeMemberRole(ctx, owner.id, 'AUDITOR');
    const roles = Object.fromEntries(
      (await listMembers(memberCtx({ id: ctx.orgId, slug: ctx.orgSlug }, admin, 'OWNER'))).map((m) => [
        m.userId,
        m.role,
      ]),
    );
    expect(roles).toEqual({ [admin.id]: 'OWNER', [owner.id]: 'AUDITOR' });
    const adminCtx = memberCtx({ id: ctx.orgId, slug: ctx.orgSlug }, admin, 'OWNER');
    await removeMember(adminCtx, owner.id);
    expect(await db.membership.count({ where: { organizationId: ctx.orgId } })).toBe(1);
    expect(await db.user.count({ where: { id: owner.id } })).toBe(1);
  });

  it('refuses admins, auditors and other organizations', async () => {
    const { ctx } = await ownerOfNewOrg();
    const admin = await createTestMember(ctx.orgId, 'ADMIN');
    const auditor = await createTestMember(ctx.orgId, 'AUDITOR');
    const org = { id: ctx.orgId, slug: ctx.orgSlug };
    await expect(listMembers(memberCtx(org, admin, 'ADMIN'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(listMembers(memberCtx(org, auditor, 'AUDITOR'))).resolves.toHaveLength(3);
    await expect(changeMemberRole(memberCtx(org, auditor, 'AUDITOR'), admin.id, 'OWNER')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(removeMember(memberCtx(org, admin, 'ADMIN'), auditor.id)).rejects.toMatchObject({ code: 'forbidden' });
    const other = await ownerOfNewOrg();
    await expect(removeMember(other.ctx, admin.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(changeMemberRole(other.ctx, admin.id, 'AUDITOR')).rejects.toMatchObject({ code: 'not_found' });
  });
});
