import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { TEST_PASSWORD, createTestMember, createTestOrg } from '@/lib/testing/factories';
import { resetSignInLimits, verifySignIn } from './sign-in';
import { currentTotpCode } from './totp';
import { confirmTotpEnrollment, disableTotp, startTotpEnrollment, totpStatus } from './two-factor';

const meta = { requestId: 'r', ip: '192.0.2.10', userAgent: 'vitest' };

async function enrolledMember() {
  const org = await createTestOrg();
  const user = await createTestMember(org.id, 'ADMIN');
  await startTotpEnrollment(user.id);
  const status = await totpStatus(user.id);
  if (status.enabled || !status.pending) throw new Error('enrollment did not start');
  return { org, user, secret: status.pending.secret };
}

describe('two-factor authentication', () => {
  beforeEach(() => resetSignInLimits());

  it('turns on only with a valid code from the pending secret, stored encrypted', async () => {
    const { org, user, secret } = await enrolledMember();
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(Buffer.from(row.totpSecretEnc ?? []).toString('latin1')).not.toContain(secret);
    await expect(confirmTotpEnrollment(user.id, '000000', meta)).rejects.toMatchObject({ code: 'invalid_totp' });
    expect((await totpStatus(user.id)).enabled).toBe(false);
    await confirmTotpEnrollment(user.id, currentTotpCode(secret), meta);
    expect(await totpStatus(user.id)).toEqual({ enabled: true });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'member.totp_enabled' },
    });
    expect(JSON.stringify(event.details)).not.toContain(secret);
    await expect(startTotpEnrollment(user.id)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('asks for the code after a right password, and accepts each code once', async () => {
    const { user, secret } = await enrolledMember();
    await confirmTotpEnrollment(user.id, currentTotpCode(secret, Date.now() - 30_000), meta);
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD }, meta)).rejects.toMatchObject({
      code: 'totp_required',
    });
    await expect(
      verifySignIn({ email: user.email, password: 'wrong password', code: '123456' }, meta),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(
      verifySignIn({ email: user.email, password: TEST_PASSWORD, code: '000000' }, meta),
    ).rejects.toMatchObject({ code: 'invalid_totp' });
    const code = currentTotpCode(secret);
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD, code }, meta)).resolves.toMatchObject({
      id: user.id,
    });
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD, code }, meta)).rejects.toMatchObject({
      code: 'invalid_totp',
    });
  });

  it('turns off only with a current code', async () => {
    const { user, secret } = await enrolledMember();
    await confirmTotpEnrollment(user.id, currentTotpCode(secret, Date.now() - 30_000), meta);
    await expect(disableTotp(user.id, '000000', meta)).rejects.toMatchObject({ code: 'invalid_totp' });
    await disableTotp(user.id, currentTotpCode(secret), meta);
    expect(await totpStatus(user.id)).toEqual({ enabled: false, pending: null });
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD }, meta)).resolves.toMatchObject({
      id: user.id,
    });
  });
});
