import { describe, expect, it } from 'vitest';
import { createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { createTestServiceAccount } from '@/lib/testing/service-account-fixtures';
import type { AuditEventDto } from './dto';
import { listAuditEvents } from './queries';
import { auditReferenceNames } from './reference-names';
import { referenceKey } from './reference-key';

async function ownerCtx() {
  const org = await createTestOrg();
  const user = await createTestMember(org.id, 'OWNER');
  return { ctx: memberCtx(org, user, 'OWNER'), user, org };
}

describe('auditReferenceNames', () => {
  it('names the actors and targets of a page of events by today’s names', async () => {
    const { ctx, user, org } = await ownerCtx();
    const account = await createTestServiceAccount(ctx, { name: 'named-in-audit' });
    const { data } = await listAuditEvents(ctx, {}, {});
    const names = await auditReferenceNames(ctx, data);
    expect(names.get(referenceKey('service_account', account.id))).toEqual({
      kind: 'service_account',
      name: 'named-in-audit',
      accountId: account.id,
    });
    expect(names.get(referenceKey('user', user.id))?.name).toBe(user.name);
    expect(names.get(referenceKey('organization', org.id))?.name).toBe(org.name);
  });

  it('resolves nothing of another organization, whatever ids the events name', async () => {
    const mine = await ownerCtx();
    const theirs = await ownerCtx();
    const foreign = await createTestServiceAccount(theirs.ctx, { name: 'not-yours' });
    const forged = (type: string, id: string): AuditEventDto =>
      ({
        id: '1',
        seq: '1',
        occurred_at: new Date().toISOString(),
        actor_type: 'SERVICE_ACCOUNT',
        actor_id: foreign.id,
        actor_label: 'x',
        action: 'test.forged',
        target_type: type,
        target_id: id,
        outcome: 'SUCCESS',
        ip: null,
        user_agent: null,
        request_id: null,
        details: {},
        prev_hash: '',
        hash: '',
      }) as AuditEventDto;
    const names = await auditReferenceNames(mine.ctx, [
      forged('service_account', foreign.id),
      forged('user', theirs.user.id),
      forged('organization', theirs.org.id),
    ]);
    expect(names.size).toBe(0);
  });
});
