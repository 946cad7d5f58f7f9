import { describe, expect, it } from 'vitest';
import { TOKEN_REFUSED } from '@/lib/audit/actions';
import { db } from '@/lib/db/client';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { appendTestEvents } from '@/lib/testing/audit-fixtures';
import { parseCsv } from '@/lib/testing/audit-csv';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { GET as exportRoute } from './export/route';
import { GET as list } from './route';
import { GET as activity } from './token-activity/route';
import { POST as verify } from './verify/route';

describe('/api/v1/audit-events route handlers (bearer, read:audit)', () => {
  it('pages with next_cursor, exports with the filters, charts, and verifies', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['read:audit']);
    await appendTestEvents(
      org.id,
      Array.from({ length: 30 }, (_, i) => ({
        occurredAt: new Date(Date.now() - (30 - i) * 60_000),
        action: i % 2 ? TOKEN_REFUSED : 'test.other',
        outcome: i % 2 ? 'FAILURE' : 'SUCCESS',
      })),
    );

    const seqs: string[] = [];
    let query = '?action=token.refused&limit=4';
    for (let i = 0; i < 10; i++) {
      const res = await callRoute(list, token, 'GET', `/api/v1/audit-events${query}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: Array<{ seq: string; action: string }>; next_cursor: string | null };
      expect(page.data.every((e) => e.action === TOKEN_REFUSED)).toBe(true);
      seqs.push(...page.data.map((e) => e.seq));
      if (!page.next_cursor) break;
      query = `?action=token.refused&limit=4&cursor=${page.next_cursor}`;
    }
    expect(seqs).toHaveLength(15);
    expect(new Set(seqs).size).toBe(15);

    const csv = await callRoute(exportRoute, token, 'GET', '/api/v1/audit-events/export?format=csv&outcome=FAILURE');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="audit-.*\.csv"/);
    const records = parseCsv(await csv.text());
    expect(records.filter((r) => r.action === TOKEN_REFUSED)).toHaveLength(15);
    expect(records.every((r) => r.outcome === 'FAILURE')).toBe(true);

    const chart = (await (await callRoute(activity, token, 'GET', '/api/v1/audit-events/token-activity')).json()) as {
      points: Array<{ refused: number }>;
    };
    expect(chart.points.reduce((n, p) => n + p.refused, 0)).toBe(15);

    const verdict = await callRoute(verify, token, 'POST', '/api/v1/audit-events/verify');
    expect(await verdict.json()).toMatchObject({ intact: true, first_broken_link: null });
    // Streamed: progress lines, then the result (and the verification is recorded like the other).
    const streamed = await verify(
      new Request('http://localhost:3000/api/v1/audit-events/verify', {
        method: 'POST',
        headers: { [PEER_IP_HEADER]: '127.0.0.1', authorization: `Bearer ${token}`, accept: 'application/x-ndjson' },
      }),
      { params: Promise.resolve({}) },
    );
    expect(streamed.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await streamed.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; checked: number; total?: number; intact?: boolean });
    const result = lines.at(-1);
    expect(result).toMatchObject({ type: 'result', intact: true, first_broken_link: null });
    expect(lines.slice(0, -1).length).toBeGreaterThan(0);
    expect(lines.slice(0, -1).every((l) => l.type === 'progress' && l.checked === l.total)).toBe(true);
    expect(await db.auditEvent.count({ where: { organizationId: org.id, action: 'audit.verified' } })).toBe(2);
    const exported = await db.auditEvent.findFirst({ where: { organizationId: org.id, action: 'audit.exported' } });
    expect(exported?.actorType).toBe('SERVICE_ACCOUNT');
  });

  it('refuses bad queries, other scopes, and invalid tokens', async () => {
    const { adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['read:audit']);
    const wrongScope = await bearerFor(adminCtx, ['manage:vehicles']);
    for (const query of [
      '?from=yesterday',
      '?outcome=MAYBE',
      '?limit=1000',
      '?from=2026-05-01&to=2026-04-01',
      '?unknown=1',
    ]) {
      const res = await callRoute(list, token, 'GET', `/api/v1/audit-events${query}`);
      expect(res.status, query).toBe(400);
      expect((await problemOf(res)).code).toBe('validation_failed');
    }
    expect((await callRoute(exportRoute, token, 'GET', '/api/v1/audit-events/export')).status).toBe(400);
    expect((await problemOf(await callRoute(list, wrongScope, 'GET', '/api/v1/audit-events'))).code).toBe(
      'insufficient_scope',
    );
    expect((await callRoute(verify, 'not.a.token', 'POST', '/api/v1/audit-events/verify')).status).toBe(401);
  });
});
