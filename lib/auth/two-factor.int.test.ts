import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { TEST_PASSWORD, createTestMember, createTestOrg } from '@/lib/testing/factories';
import { resetSignInLimits, verifySignIn } from './sign-in';
import { currentTotpCode } from './totp';
import { recoveryCodesLeft } from './recovery-codes';
import {
  confirmTotpEnrollment,
  disableTotp,
  regenerateRecoveryCodes,
  startTotpEnrollment,
  totpStatus,
} from './two-factor';

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
    // The same code again: right for the clock but spent, and the member is told to wait for the next one.
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD, code }, meta)).rejects.toMatchObject({
      code: 'totp_reused',
      detail: 'That code was used already: wait for the next code from your app.',
    });
  });

  it('hands out ten recovery codes once, stored hashed; each signs in once, also under a race', async () => {
    const { org, user, secret } = await enrolledMember();
    const codes = await confirmTotpEnrollment(user.id, currentTotpCode(secret, Date.now() - 30_000), meta);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.recoveryCodeHashes).toHaveLength(10);
    const stored = JSON.stringify(row.recoveryCodeHashes.map((h) => Buffer.from(h).toString('latin1')));
    for (const c of codes) expect(stored).not.toContain(c);
    expect(await recoveryCodesLeft(user.id)).toBe(10);

    // Typed in lower case without the dash still works; the second use does not.
    const first = codes[0] ?? '';
    await expect(
      verifySignIn({ email: user.email, password: TEST_PASSWORD, code: first.replace('-', '').toLowerCase() }, meta),
    ).resolves.toMatchObject({ id: user.id });
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD, code: first }, meta)).rejects.toMatchObject(
      { code: 'invalid_totp' },
    );
    expect(await recoveryCodesLeft(user.id)).toBe(9);
    const used = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'member.recovery_code_used' },
    });
    expect(used.details).toMatchObject({ recovery_codes_left: 9 });
    expect(JSON.stringify(used.details)).not.toContain(first);

    // Eight parallel sign-ins with one code: exactly one gets in.
    const second = codes[1] ?? '';
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => verifySignIn({ email: user.email, password: TEST_PASSWORD, code: second }, meta)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await recoveryCodesLeft(user.id)).toBe(8);
  });

  it('regenerates recovery codes with a current code (old ones stop working) and forgets them when turned off', async () => {
    const { user, secret } = await enrolledMember();
    const old = await confirmTotpEnrollment(user.id, currentTotpCode(secret, Date.now() - 30_000), meta);
    await expect(regenerateRecoveryCodes(user.id, '000000', meta)).rejects.toMatchObject({ code: 'invalid_totp' });
    const fresh = await regenerateRecoveryCodes(user.id, currentTotpCode(secret), meta);
    expect(fresh.some((c) => old.includes(c))).toBe(false);
    await expect(
      verifySignIn({ email: user.email, password: TEST_PASSWORD, code: old[0] ?? '' }, meta),
    ).rejects.toMatchObject({ code: 'invalid_totp' });
    await expect(
      verifySignIn({ email: user.email, password: TEST_PASSWORD, code: fresh[0] ?? '' }, meta),
    ).resolves.toMatchObject({ id: user.id });
    await disableTotp(user.id, currentTotpCode(secret, Date.now() + 30_000), meta);
    expect(await recoveryCodesLeft(user.id)).toBe(0);
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
