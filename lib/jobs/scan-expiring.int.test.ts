import { describe, expect, it } from 'vitest';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { db } from '@/lib/db/client';
import { createClientSecretInput } from '@/lib/service-accounts/schema';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { scanExpiringCredentials } from './scan-expiring';

const DAY = 86_400_000;

describe('scanExpiringCredentials at 100,000 credentials', () => {
  it('reads its windows through the partial expiry index and stays fast', async () => {
    const { org, ownerCtx } = await orgWithRoles();
    const bulk = await createTestServiceAccount(ownerCtx);
    const account = await createTestServiceAccount(ownerCtx);
    // 100,000 enabled secrets expiring in 60 to 61 days (outside every window), written in one statement.
    await db.$executeRaw`
      INSERT INTO client_secrets (id, organization_id, service_account_id, name, secret_hash, hash_key_version, hint,
                                  status, expires_at, updated_at)
      SELECT 'kid_' || lpad(i::text, 26, '0') || substr(${org.id}, 5, 6), ${org.id}, ${bulk.id}, 'bulk-' || i,
             decode(md5(${org.id} || i::text), 'hex'), 1, 'lk_cs_…bulk', 'ENABLED',
             now() + interval '60 days' + i * interval '1 second', now()
      FROM generate_series(1, 100000) AS i`;
    const due = await Promise.all(
      [2, 5, 20].map(async (days) =>
        createClientSecret(
          ownerCtx,
          account.id,
          createClientSecretInput.parse({
            name: `due-${days}`,
            expiresAt: new Date(Date.now() + days * DAY).toISOString(),
          }),
        ),
      ),
    );
    await db.$executeRawUnsafe('ANALYZE client_secrets');

    const plan = await db.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN SELECT c.id FROM client_secrets c
       WHERE c.status = 'ENABLED' AND c.expires_at > now() + interval '1 day' AND c.expires_at <= now() + interval '7 days'
       ORDER BY c.expires_at LIMIT 500`,
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('client_secrets_enabled_expires_at_idx');

    const started = performance.now();
    await scanExpiringCredentials();
    const elapsed = performance.now() - started;
    // Four windows over three tables: a few index range reads, far below a full scan's cost.
    expect(elapsed).toBeLessThan(3_000);
    const events = await db.lifecycleEvent.findMany({
      where: { organizationId: org.id, type: { startsWith: 'credential.expiring' } },
    });
    expect(events.map((e) => e.type).sort()).toEqual([
      'credential.expiring_30d',
      'credential.expiring_7d',
      'credential.expiring_7d',
    ]);
    expect(due).toHaveLength(3);
  });
});
