import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { DELETE as remove, GET as getOne, PATCH as update, POST as postOne } from './[sinkId]/route';
import { POST as sendTest } from './[sinkId]/test/route';
import { GET as list, POST as create, PUT as putList } from './route';

describe('/api/v1/audit-sinks route handlers (bearer)', () => {
  it('create, list with lag, pause, test and delete a sink; header values are never returned', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:audit_sinks']);
    const created = await callRoute(
      create,
      token,
      'POST',
      '/api/v1/audit-sinks',
      {},
      {
        kind: 'OTLP_HTTP',
        name: 'collector',
        url: 'https://otel.example.test/v1/logs',
        headers: { authorization: 'Bearer top-secret-value' },
      },
    );
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain('top-secret-value');
    const sink = JSON.parse(text) as { id: string; lag: string; config: { header_names: string[] } };
    expect(sink.id).toMatch(/^ask_[0-9A-Z]{26}$/);
    expect(sink.config.header_names).toEqual(['authorization']);
    // Lag counts the sink's own audit_sink.created event too.
    const head = await db.auditEvent.count({ where: { organizationId: org.id } });
    expect(sink.lag).toBe(String(head));

    const listed = await callRoute(list, token, 'GET', '/api/v1/audit-sinks');
    const listText = await listed.text();
    expect(listText).not.toContain('top-secret-value');
    expect((JSON.parse(listText) as { data: { id: string; lag: string }[] }).data).toMatchObject([
      { id: sink.id, lag: String(head) },
    ]);

    const paused = await callRoute(update, token, 'PATCH', '', { sinkId: sink.id }, { status: 'PAUSED' });
    expect(await paused.json()).toMatchObject({ status: 'PAUSED' });
    const tested = await callRoute(sendTest, token, 'POST', '', { sinkId: sink.id });
    expect(tested.status).toBe(200);
    // otel.example.test does not resolve: the test says so, as the sink's error would.
    expect(await tested.json()).toEqual({ ok: false, error: 'host not found' });
    expect((await callRoute(remove, token, 'DELETE', '', { sinkId: sink.id })).status).toBe(204);
    expect((await callRoute(getOne, token, 'GET', '', { sinkId: sink.id })).status).toBe(404);
    expect((await putList(new Request('http://localhost/api/v1/audit-sinks', { method: 'PUT' }))).status).toBe(405);
    expect((await postOne(new Request('http://localhost/api/v1/audit-sinks/x', { method: 'POST' }))).status).toBe(405);
  });

  it('read:audit reads but does not write; another organization sees nothing; bad input has stable codes', async () => {
    const a = await orgWithRoles();
    const b = await orgWithRoles();
    const writer = await bearerFor(a.adminCtx, ['manage:audit_sinks']);
    const created = await callRoute(
      create,
      writer,
      'POST',
      '/api/v1/audit-sinks',
      {},
      {
        kind: 'SYSLOG_TCP',
        host: 'siem.example.test',
        port: 6514,
        tls: true,
      },
    );
    const { id } = (await created.json()) as { id: string };

    const reader = await bearerFor(a.adminCtx, ['read:audit']);
    expect((await callRoute(list, reader, 'GET', '/api/v1/audit-sinks')).status).toBe(200);
    const refused = await callRoute(update, reader, 'PATCH', '', { sinkId: id }, { status: 'PAUSED' });
    expect(refused.status).toBe(403);
    expect((await callRoute(sendTest, reader, 'POST', '', { sinkId: id })).status).toBe(403);

    const other = await bearerFor(b.adminCtx, ['manage:audit_sinks']);
    for (const res of [
      await callRoute(getOne, other, 'GET', '', { sinkId: id }),
      await callRoute(update, other, 'PATCH', '', { sinkId: id }, { status: 'PAUSED' }),
      await callRoute(remove, other, 'DELETE', '', { sinkId: id }),
      await callRoute(sendTest, other, 'POST', '', { sinkId: id }),
    ]) {
      expect(res.status).toBe(404);
      expect((await problemOf(res)).code).toBe('not_found');
    }
    const otherList = (await (await callRoute(list, other, 'GET', '/api/v1/audit-sinks')).json()) as {
      data: unknown[];
    };
    expect(otherList.data).toEqual([]);

    const bad = async (body: unknown) => {
      const res = await callRoute(create, writer, 'POST', '/api/v1/audit-sinks', {}, body);
      expect(res.status, JSON.stringify(body)).not.toBe(201);
      return { status: res.status, code: (await problemOf(res)).code };
    };
    for (const body of [
      { kind: 'NDJSON_FILE', path: '/etc/passwd' },
      { kind: 'OTLP_HTTP', url: 'ftp://x.example.test/' },
      { kind: 'OTLP_HTTP', url: 'https://x.example.test/', headers: { 'bad header': 'x' } },
      { kind: 'SYSLOG_TCP', host: 'siem.example.test', port: 70000 },
      { kind: 'OTLP_HTTP', url: 'https://x.example.test/', extra: 1 },
      { kind: 'OTLP_HTTP', url: 'https://10.1.2.3/v1/logs' },
    ]) {
      const result = await bad(body);
      expect([400, 422], JSON.stringify(body)).toContain(result.status);
      expect(['validation_failed', 'invalid_request'], JSON.stringify(body)).toContain(result.code);
    }
    const badId = await callRoute(getOne, writer, 'GET', '', { sinkId: 'ask_nope' });
    expect(badId.status).toBe(400);
    const badPatch = await callRoute(update, writer, 'PATCH', '', { sinkId: id }, { status: 'DELETED' });
    expect([400, 422]).toContain(badPatch.status);
  });
});
