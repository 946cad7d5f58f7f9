import { beforeEach, describe, expect, it } from 'vitest';
import { changeOwnPassword } from '@/lib/auth/change-password';
import { resetSignInLimits, verifySignIn } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { addMember } from '@/lib/organizations/add-member';
import { SYSTEM_ACTOR } from '@/lib/audit/actor';
import { TEST_PASSWORD, createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { resetMemberPassword, resetMemberTwoFactor } from './reset-member-login';

const meta = { requestId: 'r', ip: '192.0.2.20', userAgent: 'vitest' };
const NEW_PASSWORD = 'a brand new password 42';

describe('changing and resetting logins', () => {
  beforeEach(() => resetSignInLimits());

  it('a member changes their own password with the current one; every session of theirs ends', async () => {
    const org = await createTestOrg();
    const user = await createTestMember(org.id, 'ADMIN');
    await expect(
      changeOwnPassword(user.id, { currentPassword: 'not it at all', newPassword: NEW_PASSWORD }, meta),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(
      changeOwnPassword(user.id, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, meta),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const before = Date.now();
    await changeOwnPassword(user.id, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, meta);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.sessionsValidAfter?.getTime()).toBeGreaterThanOrEqual(before - 5);
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD }, meta)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    await expect(verifySignIn({ email: user.email, password: NEW_PASSWORD }, meta)).resolves.toMatchObject({
      id: user.id,
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'member.password_changed' },
    });
    expect(JSON.stringify(event.details)).not.toContain(NEW_PASSWORD);
  });

  it('an owner resets a member password or second factor, audited, and nobody else can', async () => {
    const org = await createTestOrg();
    const owner = await createTestMember(org.id, 'OWNER');
    const admin = await createTestMember(org.id, 'ADMIN');
    const ownerCtx = memberCtx(org, owner, 'OWNER');

    await expect(resetMemberPassword(memberCtx(org, admin, 'ADMIN'), owner.id, NEW_PASSWORD)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(resetMemberPassword(ownerCtx, owner.id, NEW_PASSWORD)).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await resetMemberPassword(ownerCtx, admin.id, NEW_PASSWORD);
    await expect(verifySignIn({ email: admin.email, password: NEW_PASSWORD }, meta)).resolves.toMatchObject({
      id: admin.id,
    });
    const reset = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'member.password_reset' },
    });
    expect(reset).toMatchObject({ actorId: owner.id, targetId: admin.id });
    expect(JSON.stringify(reset.details)).not.toContain(NEW_PASSWORD);

    await expect(resetMemberTwoFactor(ownerCtx, admin.id)).rejects.toMatchObject({ code: 'invalid_state' });
    await db.user.update({
      where: { id: admin.id },
      data: {
        totpEnabledAt: new Date(),
        totpSecretEnc: new Uint8Array([1, 2, 3]),
        recoveryCodeHashes: [new Uint8Array([9])],
      },
    });
    await resetMemberTwoFactor(ownerCtx, admin.id);
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({
      totpEnabledAt: null,
      totpSecretEnc: null,
      recoveryCodeHashes: [],
    });
  });

  it('an owner cannot reset a login that another organization shares, nor one of another organization', async () => {
    const org = await createTestOrg();
    const other = await createTestOrg();
    const owner = await createTestMember(org.id, 'OWNER');
    const stranger = await createTestMember(other.id, 'OWNER');
    await expect(resetMemberPassword(memberCtx(org, owner, 'OWNER'), stranger.id, NEW_PASSWORD)).rejects.toMatchObject({
      code: 'not_found',
    });
    // The stranger joins this organization too: its owner still must not take over their login elsewhere.
    await db.$transaction((tx) =>
      addMember(tx, { organizationId: org.id, userId: stranger.id, role: 'AUDITOR' }, SYSTEM_ACTOR, { requestId: 't' }),
    );
    await expect(resetMemberPassword(memberCtx(org, owner, 'OWNER'), stranger.id, NEW_PASSWORD)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(verifySignIn({ email: stranger.email, password: TEST_PASSWORD }, meta)).resolves.toMatchObject({
      id: stranger.id,
    });
  });
});
