import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { GET as listDeliveries } from './[webhookId]/deliveries/route';
import { POST as redeliver } from './[webhookId]/deliveries/[deliveryId]/redeliver/route';
import { DELETE as remove, GET as getOne, PATCH as update, POST as postOne } from './[webhookId]/route';
import { POST as sendTest } from './[webhookId]/test/route';
import { GET as list, POST as create, PUT as putList } from './route';

const URL_OK = 'https://hooks.example.test/latchkey';

describe('/api/v1/webhooks route handlers (bearer)', () => {
  it('create, read, change, test and delete a webhook; the secret is shown once and audited nowhere', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:webhooks']);
    const created = await callRoute(
      create,
      token,
      'POST',
      '/api/v1/webhooks',
      {},
      {
        url: URL_OK,
        description: 'SIEM',
        eventTypes: ['credential.expiring_7d', 'credential.expired', 'credential.expired'],
      },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { webhook, secret } = (await created.json()) as {
      webhook: { id: string; eventTypes: string[] };
      secret: string;
    };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook.eventTypes).toEqual(['credential.expiring_7d', 'credential.expired']);

    const listed = (await (await callRoute(list, token, 'GET', '/api/v1/webhooks')).json()) as { data: unknown[] };
    expect(listed.data).toHaveLength(1);
    const read = await callRoute(getOne, token, 'GET', '', { webhookId: webhook.id });
    const readText = await read.text();
    expect(readText).not.toContain(secret);
    expect(JSON.parse(readText)).toMatchObject({ id: webhook.id, status: 'ENABLED', consecutiveFailures: 0 });

    const disabled = await callRoute(update, token, 'PATCH', '', { webhookId: webhook.id }, { status: 'DISABLED' });
    expect(await disabled.json()).toMatchObject({ status: 'DISABLED', disabledReason: 'Disabled by hand.' });
    const refusedTest = await callRoute(sendTest, token, 'POST', '', { webhookId: webhook.id });
    expect(refusedTest.status).toBe(409);
    expect((await problemOf(refusedTest)).code).toBe('invalid_state');
    await callRoute(update, token, 'PATCH', '', { webhookId: webhook.id }, { status: 'ENABLED' });
    const tested = await callRoute(sendTest, token, 'POST', '', { webhookId: webhook.id });
    expect(tested.status).toBe(202);
    const { eventId } = (await tested.json()) as { eventId: string };
    expect(eventId).toMatch(/^evt_/);
    const deliveries = await callRoute(listDeliveries, token, 'GET', '/api/v1/webhooks/x/deliveries?limit=5', {
      webhookId: webhook.id,
    });
    expect(deliveries.status).toBe(200);
    const unknownDelivery = await callRoute(redeliver, token, 'POST', '', {
      webhookId: webhook.id,
      deliveryId: 'whd_01HZZZZZZZZZZZZZZZZZZZZZZZ',
    });
    expect((await problemOf(unknownDelivery)).code).toBe('not_found');

    expect((await callRoute(remove, token, 'DELETE', '', { webhookId: webhook.id })).status).toBe(204);
    expect((await callRoute(getOne, token, 'GET', '', { webhookId: webhook.id })).status).toBe(404);

    const audit = await db.auditEvent.findMany({
      where: { organizationId: org.id, action: { startsWith: 'webhook.' } },
      orderBy: { seq: 'asc' },
    });
    expect(audit.map((e) => e.action)).toEqual([
      'webhook.created',
      'webhook.disabled',
      'webhook.enabled',
      'webhook.test_sent',
      'webhook.deleted',
    ]);
    const details = JSON.stringify(audit.map((e) => e.details));
    expect(details).not.toContain(secret);
    expect(details).not.toContain(secret.slice(6, 30));
  });

  it('refuse bad input, readers writing, other organizations and other methods', async () => {
    const { adminCtx } = await orgWithRoles();
    const other = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:webhooks']);
    const reader = await bearerFor(adminCtx, ['read:webhooks']);
    const stranger = await bearerFor(other.adminCtx, ['manage:webhooks']);
    const post = (t: string, body: unknown) => callRoute(create, t, 'POST', '/api/v1/webhooks', {}, body);

    const plainHttp = await post(token, { url: 'http://hooks.example.test/x', eventTypes: ['credential.created'] });
    expect(plainHttp.status).toBe(400);
    expect((await problemOf(plainHttp)).errors?.url?.[0]).toMatch(/https/);
    // An internal address as an IP literal is refused when saved (SSRF; names are checked per delivery).
    for (const internal of ['https://169.254.169.254/latest', 'https://10.0.0.5/hook', 'https://[fd00::1]/hook']) {
      const refused = await post(token, { url: internal, eventTypes: ['credential.created'] });
      expect(refused.status).toBe(400);
      expect((await problemOf(refused)).errors?.url?.[0]).toMatch(/internal/);
    }
    const unknownType = await post(token, { url: URL_OK, eventTypes: ['credential.exploded'] });
    expect((await problemOf(unknownType)).code).toBe('validation_failed');
    const testType = await post(token, { url: URL_OK, eventTypes: ['webhook.test'] });
    expect(testType.status).toBe(400);
    const extra = await post(token, { url: URL_OK, eventTypes: ['credential.created'], secret: 'mine' });
    expect(extra.status).toBe(400);

    const readerWrite = await post(reader, { url: URL_OK, eventTypes: ['credential.created'] });
    expect((await problemOf(readerWrite)).code).toBe('insufficient_scope');
    const ok = await post(token, { url: URL_OK, eventTypes: ['credential.created'] });
    const { webhook } = (await ok.json()) as { webhook: { id: string } };
    expect((await callRoute(getOne, reader, 'GET', '', { webhookId: webhook.id })).status).toBe(200);

    // 404, not 403: another organization's webhook looks like a missing one.
    for (const res of [
      await callRoute(getOne, stranger, 'GET', '', { webhookId: webhook.id }),
      await callRoute(update, stranger, 'PATCH', '', { webhookId: webhook.id }, { status: 'DISABLED' }),
      await callRoute(remove, stranger, 'DELETE', '', { webhookId: webhook.id }),
      await callRoute(sendTest, stranger, 'POST', '', { webhookId: webhook.id }),
    ])
      expect((await problemOf(res)).code).toBe('not_found');
    expect((await callRoute(getOne, token, 'GET', '', { webhookId: 'wh_nope' })).status).toBe(400);

    const put = await callRoute(async (r) => putList(r), token, 'PUT', '/api/v1/webhooks');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    expect((await callRoute(async (r) => postOne(r), token, 'POST', '', { webhookId: webhook.id })).status).toBe(405);
  });
});
