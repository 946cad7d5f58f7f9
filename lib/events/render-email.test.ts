import { describe, expect, it } from 'vitest';
import { renderEmail } from './render-email';

describe('renderEmail', () => {
  it('names the event, the object, the organization and the console link', () => {
    const { subject, text } = renderEmail({
      type: 'credential.expiring_7d',
      timestamp: '2026-12-03T08:00:00.000Z',
      data: {
        organization: { id: 'org_1', slug: 'acme' },
        serviceAccount: { id: 'sa_1', name: 'billing-ci' },
        credential: { id: 'kid_1', kind: 'client_secret', name: 'ci', expiresAt: '2026-12-10T08:00:00.000Z' },
        links: { console: 'https://latchkey.example/orgs/acme/service-accounts/sa_1/secrets' },
      },
    });
    expect(subject).toBe('[Latchkey acme] Credential expires in 7 days: ci of billing-ci');
    expect(text).toContain('2026-12-10T08:00:00.000Z');
    expect(text).toContain('Open in the console: https://latchkey.example/orgs/acme/service-accounts/sa_1/secrets');
  });

  it('uses the member, webhook or audit log when there is no credential', () => {
    const member = renderEmail({
      type: 'member.removed',
      timestamp: '2026-12-03T08:00:00.000Z',
      data: {
        organization: { id: 'org_1', slug: 'acme' },
        member: { userId: 'usr_1', email: 'ada@example.test', role: 'ADMIN' },
        links: { console: 'https://latchkey.example/orgs/acme/members' },
      },
    });
    expect(member.subject).toBe('[Latchkey acme] Member removed: ada@example.test');
    const chain = renderEmail({
      type: 'audit_chain.verification_failed',
      timestamp: '2026-12-03T08:00:00.000Z',
      data: {
        organization: { id: 'org_1', slug: 'acme' },
        auditLog: { firstBrokenSeq: '42', reason: 'hash_mismatch', checked: 41 },
        links: { console: 'https://latchkey.example/orgs/acme/audit' },
      },
    });
    expect(chain.subject).toBe('[Latchkey acme] Audit chain verification failed: audit log');
  });
});
