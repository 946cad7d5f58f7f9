import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { verifyPassword } from '@/lib/auth/password';
import { db } from '@/lib/db/client';
import { DEMO_ORG, seedDemo } from '@/lib/demo/seed-demo';
import { useFreshDatabase } from '@/lib/testing/db';
import { completeSetup, needsSetup } from './complete-setup';
import { setupInput } from './schema';

const input = setupInput.parse({
  organizationName: 'Acme Fleet',
  name: 'Ada Owner',
  email: 'Ada@Example.com',
  password: 'a long enough password',
  confirmPassword: 'a long enough password',
});

describe('completeSetup', () => {
  useFreshDatabase();

  it('creates the first organization, its catalog and its owner, once', async () => {
    expect(await needsSetup()).toBe(true);
    const { user, organization } = await completeSetup(input, { requestId: 'r1', ip: '127.0.0.1' });
    expect(user.email).toBe('ada@example.com');
    expect(organization.slug).toBe('acme-fleet');
    expect(await needsSetup()).toBe(false);

    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword('a long enough password', stored.passwordHash)).toBe(true);

    const membership = await db.membership.findFirstOrThrow({ where: { userId: user.id } });
    expect(membership).toMatchObject({ organizationId: organization.id, role: 'OWNER' });
    const scopes = await db.scope.findMany({ where: { organizationId: organization.id }, select: { name: true } });
    expect(scopes.map((s) => s.name)).toEqual(
      expect.arrayContaining(['TILE', 'MATRIX', 'ONM', 'DIRECTION', 'TSS', 'GEOCODING', 'REVERSEGEOCODING']),
    );

    const actions = (
      await db.auditEvent.findMany({ where: { organizationId: organization.id }, orderBy: { seq: 'asc' } })
    ).map((e) => e.action);
    expect(actions).toEqual(['organization.created', 'member.added', 'instance.setup_completed']);

    await expect(completeSetup({ ...input, email: 'other@example.com' }, { requestId: 'r2' })).rejects.toMatchObject({
      code: 'setup_complete',
    });
    expect(await db.user.count()).toBe(1);
  });

  it('lets only one of several simultaneous submissions win', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((n) =>
        completeSetup(
          { ...input, organizationName: `Org ${n}`, email: `owner${n}@example.com` },
          { requestId: `r${n}` },
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'setup_complete' });
    expect(await db.user.count()).toBe(1);
    expect(await db.organization.count()).toBe(1);
  });

  it('hands the seeded demo organization to the first owner', async () => {
    expect(await seedDemo()).toBe(true);
    expect(await seedDemo()).toBe(false);
    const { user } = await completeSetup(input, { requestId: 'r1' });
    const demo = await db.organization.findUniqueOrThrow({
      where: { slug: DEMO_ORG.slug },
      include: { memberships: true },
    });
    expect(demo.memberships).toEqual([expect.objectContaining({ userId: user.id, role: 'OWNER' })]);
    expect(await db.serviceAccount.count({ where: { organizationId: demo.id } })).toBeGreaterThan(0);
    expect(await db.environment.count({ where: { organizationId: demo.id } })).toBeGreaterThan(0);
  });

  it('never writes the password into the audit log', async () => {
    await completeSetup(input, { requestId: 'r1' });
    const events = await db.auditEvent.findMany();
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      'a long enough password',
    );
  });
});

describe('setupInput', () => {
  it('reports every bad field', () => {
    const result = setupInput.safeParse({
      organizationName: 'A',
      name: '',
      email: 'not-an-email',
      password: 'short',
      confirmPassword: 'other',
    });
    expect(result.success).toBe(false);
    const fields = result.success ? {} : z.flattenError(result.error).fieldErrors;
    expect(Object.keys(fields).sort()).toEqual(['confirmPassword', 'email', 'name', 'organizationName', 'password']);
  });

  it('reports mismatched passwords on the confirmation field', () => {
    const result = setupInput.safeParse({
      ...input,
      password: 'a long enough password',
      confirmPassword: 'a different long one',
    });
    expect(result.success ? [] : z.flattenError(result.error).fieldErrors.confirmPassword).toEqual([
      'The passwords do not match.',
    ]);
  });
});
