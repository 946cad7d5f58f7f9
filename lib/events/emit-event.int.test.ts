import { describe, expect, it } from 'vitest';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { rotateClientSecret } from '@/lib/credentials/rotate-client-secret';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { verifyAuditChain } from '@/lib/audit/verify-audit-chain';
import { db } from '@/lib/db/client';
import { addOrganizationMember, removeMember } from '@/lib/members/manage-members';
import {
  reactivateServiceAccount,
  suspendServiceAccount,
  revokeServiceAccount,
} from '@/lib/service-accounts/set-service-account-status';
import { createClientSecretInput, rotateClientSecretInput } from '@/lib/service-accounts/schema';
import { uniqueSuffix } from '@/lib/testing/factories';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { EVENT_DATA, type EventType } from './catalog';
import { emitEvent } from './emit-event';

async function eventsOf(orgId: string) {
  return db.lifecycleEvent.findMany({ where: { organizationId: orgId }, orderBy: { id: 'asc' } });
}

describe('lifecycle events', () => {
  it('are written by each domain change in its own transaction, valid per the catalog and without secrets', async () => {
    const { org, ownerCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(ownerCtx);
    const created = await createClientSecret(ownerCtx, account.id, createClientSecretInput.parse({ name: 'ci' }));
    const rotated = await rotateClientSecret(
      ownerCtx,
      account.id,
      created.clientSecret.id,
      rotateClientSecretInput.parse({ gracePeriodHours: 0 }),
    );
    await setCredentialStatus(ownerCtx, 'client_secret', account.id, rotated.clientSecret.id, 'DISABLED');
    await deleteCredential(ownerCtx, 'client_secret', account.id, created.clientSecret.id);
    await suspendServiceAccount(ownerCtx, account.id);
    await reactivateServiceAccount(ownerCtx, account.id);
    await revokeServiceAccount(ownerCtx, account.id, account.name);
    const email = `new-${uniqueSuffix()}@example.test`;
    const member = await addOrganizationMember(ownerCtx, {
      email,
      role: 'ADMIN',
      name: 'New Admin',
      password: 'a long enough initial password',
    });
    await removeMember(ownerCtx, member.userId);

    const events = await eventsOf(org.id);
    expect(events.map((e) => e.type)).toEqual([
      'credential.created',
      'credential.rotated',
      'credential.disabled',
      'credential.deleted',
      'service_account.suspended',
      'service_account.reactivated',
      'service_account.revoked',
      'member.added',
      'member.removed',
    ]);
    for (const event of events) {
      const payload = event.payload as { type: EventType; timestamp: string; data: unknown };
      expect(payload.type).toBe(event.type);
      expect(() => EVENT_DATA[payload.type].parse(payload.data)).not.toThrow();
      expect(payload.data).toMatchObject({ organization: { id: org.id, slug: org.slug } });
      const text = JSON.stringify(payload);
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain(rotated.secret);
      expect(text).toMatch(/"console":"http/);
    }
    const rotation = events[1]?.payload as { data: { credential: { id: string }; replacement: { id: string } } };
    expect(rotation.data.credential.id).toBe(created.clientSecret.id);
    expect(rotation.data.replacement.id).toBe(rotated.clientSecret.id);
    expect((events[7]?.payload as { data: { member: unknown } }).data.member).toEqual({
      userId: member.userId,
      email,
      role: 'ADMIN',
    });
  });

  it('vanish with a transaction that rolls back, and a refused change emits nothing', async () => {
    const { org, ownerCtx, auditorCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(ownerCtx);
    await expect(
      db.$transaction(async (tx) => {
        await emitEvent(tx, 'service_account.suspended', {
          organization: { id: org.id, slug: org.slug },
          serviceAccount: { id: account.id, name: account.name },
          links: { console: 'http://localhost:3000/x' },
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await expect(suspendServiceAccount(auditorCtx, account.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(reactivateServiceAccount(ownerCtx, account.id)).rejects.toMatchObject({ code: 'invalid_state' });
    expect(await eventsOf(org.id)).toEqual([]);
  });

  it('refuse data that does not match the catalog', async () => {
    const { org } = await orgWithRoles();
    await expect(
      db.$transaction((tx) =>
        emitEvent(tx, 'member.added', {
          organization: { id: org.id, slug: org.slug },
          member: { userId: 'usr_x', email: 'x@example.test', role: 'ROOT' as 'OWNER' },
          links: { console: 'not a url' },
        }),
      ),
    ).rejects.toThrow();
    expect(await eventsOf(org.id)).toEqual([]);
  });

  it('report a broken audit chain when a verification finds one, and only then', async () => {
    const { org, ownerCtx, auditorCtx } = await orgWithRoles();
    await verifyAuditChain(auditorCtx);
    expect(await eventsOf(org.id)).toEqual([]);
    const last = await db.auditEvent.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } });
    // An event appended behind the writers' back, pointing at no real predecessor: the chain breaks there.
    await db.auditEvent.create({
      data: {
        organizationId: org.id,
        seq: last.seq + 1n,
        actorType: 'SYSTEM',
        actorLabel: 'intruder',
        action: 'member.added',
        outcome: 'SUCCESS',
        prevHash: 'f'.repeat(64),
        hash: 'e'.repeat(64),
      },
    });
    const result = await verifyAuditChain(ownerCtx);
    expect(result.intact).toBe(false);
    const events = await eventsOf(org.id);
    expect(events.map((e) => e.type)).toEqual(['audit_chain.verification_failed']);
    expect((events[0]?.payload as { data: unknown }).data).toMatchObject({
      organization: { id: org.id },
      auditLog: { firstBrokenSeq: String(last.seq + 1n) },
      links: { console: expect.stringContaining(`/orgs/${org.slug}/audit`) },
    });
  });
});
