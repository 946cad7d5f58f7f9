import { randomInt } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { TEST_PASSWORD, createTestMember, createTestOrg } from '@/lib/testing/factories';
import { resetSignInLimits, verifySignIn } from './sign-in';

const meta = () => ({ requestId: `req-${randomInt(1e9)}`, ip: `198.51.100.${randomInt(1, 254)}`, userAgent: 'vitest' });

describe('verifySignIn', () => {
  beforeEach(() => resetSignInLimits());

  it('signs a member in and audits it in their organization', async () => {
    const org = await createTestOrg();
    const user = await createTestMember(org.id, 'ADMIN');
    const m = meta();
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD }, m)).resolves.toMatchObject({
      id: user.id,
      email: user.email,
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'member.signed_in' },
    });
    expect(event).toMatchObject({ actorId: user.id, outcome: 'SUCCESS', ip: m.ip, requestId: m.requestId });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).not.toBeNull();
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const org = await createTestOrg();
    const user = await createTestMember(org.id, 'OWNER');
    const wrong = verifySignIn({ email: user.email, password: 'not the password' }, meta());
    await expect(wrong).rejects.toMatchObject({ code: 'invalid_credentials', detail: 'Incorrect email or password.' });
    const unknown = verifySignIn({ email: `nobody-${randomInt(1e9)}@example.test`, password: 'whatever' }, meta());
    await expect(unknown).rejects.toMatchObject({
      code: 'invalid_credentials',
      detail: 'Incorrect email or password.',
    });
    const failure = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: org.id, action: 'member.sign_in_failed' },
    });
    expect(failure.outcome).toBe('FAILURE');
    expect(JSON.stringify(failure.details)).not.toContain('not the password');
  });

  it('blocks an email at an address after repeated failures there, even with the right password', async () => {
    const org = await createTestOrg();
    const user = await createTestMember(org.id, 'ADMIN');
    const from = { ...meta(), ip: '192.0.2.50' };
    for (let i = 0; i < 5; i++) {
      await expect(verifySignIn({ email: user.email, password: `wrong-${i}` }, from)).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD }, from)).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('wrong passwords typed elsewhere never lock the member out of their own address', async () => {
    const org = await createTestOrg();
    const user = await createTestMember(org.id, 'ADMIN');
    // Five failures from each of eight addresses, all at once (parallel guesses get no extra tries).
    const guesses = Array.from({ length: 8 }, (_, a) =>
      Array.from({ length: 7 }, (_, i) =>
        verifySignIn(
          { email: user.email, password: `wrong-${i}` },
          { requestId: 'r', ip: `203.0.113.${a + 1}`, userAgent: null },
        ),
      ),
    ).flat();
    const codes = (await Promise.allSettled(guesses)).map((r) =>
      r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok',
    );
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(40);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(16);
    await expect(
      verifySignIn({ email: user.email, password: TEST_PASSWORD }, { ...meta(), ip: '192.0.2.51' }),
    ).resolves.toMatchObject({ id: user.id });
    // A success forgets that address's failures for the member.
    const home = { ...meta(), ip: '192.0.2.52' };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++)
        await expect(verifySignIn({ email: user.email, password: 'typo' }, home)).rejects.toMatchObject({
          code: 'invalid_credentials',
        });
      await expect(verifySignIn({ email: user.email, password: TEST_PASSWORD }, home)).resolves.toBeTruthy();
    }
  });

  it('limits attempts per IP address across emails', async () => {
    const ip = `203.0.113.${randomInt(1, 254)}`;
    const attempts = Array.from({ length: 31 }, (_, i) =>
      verifySignIn(
        { email: `spray-${i}-${randomInt(1e9)}@example.test`, password: 'x' },
        { requestId: 'r', ip, userAgent: null },
      ),
    );
    const results = await Promise.allSettled(attempts);
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    // 30 attempts per address; of those, failures stop at 20 per address (SIGN_IN_MAX_FAILURES_PER_IP).
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(11);
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(20);
  });
});
