import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import type { AddressInfo } from 'node:net';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { db } from '@/lib/db/client';
import { env, resetEnvCache } from '@/lib/env';
import { setLifecycleEmailOptOut } from '@/lib/events/email-preference';
import { suspendServiceAccount, reactivateServiceAccount } from '@/lib/service-accounts/set-service-account-status';
import { createClientSecretInput } from '@/lib/service-accounts/schema';
import { createTestMember, memberCtx } from '@/lib/testing/factories';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { startWebhookReceiver, waitFor, type WebhookReceiver } from '@/lib/testing/webhook-receiver';
import { createWebhook } from '@/lib/webhooks/create-webhook';
import { listDeliveries } from '@/lib/webhooks/queries';
import { redeliverWebhook } from '@/lib/webhooks/redeliver';
import { sendTestEvent } from '@/lib/webhooks/send-test-event';
import { createWebhookInput } from '@/lib/webhooks/schema';
import { startJobWorker, type JobWorker } from './job-worker';
import { scanExpiringCredentials } from './scan-expiring';

// Retries come quickly here (1 s, then 2 s, 4 s … with pg-boss's jitter) so that a test can watch them.
const TEST_ENV = { WEBHOOK_RETRY_DELAY_SECONDS: '1', WEBHOOK_RETRY_LIMIT: '6', WEBHOOK_DISABLE_AFTER_FAILURES: '3' };

type Delivered = {
  type: string;
  data: { credential?: unknown; serviceAccount?: unknown; links: { console: string } };
};

let worker: JobWorker;
const receivers: WebhookReceiver[] = [];

async function receiver(port = 0): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(port);
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  Object.assign(process.env, TEST_ENV);
  resetEnvCache();
  worker = await startJobWorker({ connectionString: env().DATABASE_URL, pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await worker.stop();
  for (const key of Object.keys(TEST_ENV)) delete process.env[key];
  resetEnvCache();
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function webhookFor(ctx: Parameters<typeof createWebhook>[0], url: string, eventTypes: string[]) {
  return createWebhook(ctx, createWebhookInput.parse({ url, eventTypes }));
}

describe('webhook deliveries', () => {
  it('reach a loopback receiver, signed per Standard Webhooks, and are logged', async () => {
    const { ownerCtx } = await orgWithRoles();
    const r = await receiver();
    const { webhook, secret } = await webhookFor(ownerCtx, r.url, ['credential.created', 'service_account.suspended']);
    const account = await createTestServiceAccount(ownerCtx);
    const created = await createClientSecret(ownerCtx, account.id, createClientSecretInput.parse({ name: 'ci' }));
    await suspendServiceAccount(ownerCtx, account.id);
    await reactivateServiceAccount(ownerCtx, account.id); // not subscribed: never delivered

    await waitFor(() => r.received.length >= 2, 20_000, 'two deliveries');
    const verifier = new Webhook(secret);
    const bodies = r.received.map((req) => verifier.verify(req.body, req.headers) as Delivered);
    expect(bodies.map((b) => b.type).sort()).toEqual(['credential.created', 'service_account.suspended']);
    const createdBody = bodies.find((b) => b.type === 'credential.created');
    expect(createdBody?.data.credential).toMatchObject({ id: created.clientSecret.id, kind: 'client_secret' });
    expect(createdBody?.data.serviceAccount).toEqual({ id: account.id, name: account.name });
    expect(createdBody?.data.links.console).toContain(`/service-accounts/${account.id}/secrets`);
    for (const req of r.received) {
      expect(req.body).not.toContain(created.secret);
      expect(req.headers['webhook-id']).toMatch(/^evt_/);
      expect(req.headers['content-type']).toBe('application/json');
    }
    // A forged body or another secret fails verification.
    const first = r.received[0];
    expect(() => verifier.verify(first!.body.replace('"type"', '"tipe"'), first!.headers)).toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(first!.body, first!.headers),
    ).toThrow();

    const log = await waitFor(async () => {
      const { data } = await listDeliveries(ownerCtx, webhook.id);
      return data.length === 2 && data.every((d) => d.status === 'SUCCEEDED') && data;
    });
    for (const d of log) expect(d).toMatchObject({ attempts: 1, responseStatus: 204, error: null, manual: false });
    expect(log.every((d) => typeof d.latencyMs === 'number')).toBe(true);
    await new Promise((r2) => setTimeout(r2, 1_000));
    expect(r.received).toHaveLength(2);
  });

  it('are retried with back-off while the receiver is down, and arrive once it is back', async () => {
    const { ownerCtx } = await orgWithRoles();
    let r = await receiver();
    const port = r.port;
    const { webhook, secret } = await webhookFor(ownerCtx, r.url, ['service_account.suspended']);
    const account = await createTestServiceAccount(ownerCtx);
    await r.close(); // the receiver dies before the event
    await suspendServiceAccount(ownerCtx, account.id);

    const failing = await waitFor(
      async () => {
        const { data } = await listDeliveries(ownerCtx, webhook.id);
        return data[0] && data[0].attempts >= 2 && data[0];
      },
      30_000,
      'two failed attempts',
    );
    expect(failing).toMatchObject({ status: 'RETRYING', error: 'connection refused', responseStatus: null });

    r = await receiver(port); // back on the same address
    const delivered = await waitFor(
      async () => {
        const { data } = await listDeliveries(ownerCtx, webhook.id);
        return data[0]?.status === 'SUCCEEDED' && data[0];
      },
      30_000,
      'the delivery after the restart',
    );
    expect(delivered.attempts).toBeGreaterThanOrEqual(3);
    expect(delivered.responseStatus).toBe(204);
    expect(r.received).toHaveLength(1);
    const body = new Webhook(secret).verify(r.received[0]!.body, r.received[0]!.headers) as { type: string };
    expect(body.type).toBe('service_account.suspended');
    // The failures in a row stayed under the limit (3) and the success reset them.
    const hook = await db.webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(hook).toMatchObject({ status: 'ENABLED', consecutiveFailures: 0 });
  });

  it('do not follow redirects, and a webhook failing again and again is disabled, with an event about it', async () => {
    const { org, ownerCtx } = await orgWithRoles();
    const elsewhere = await receiver();
    const broken = await receiver();
    broken.respond = () => ({ status: 307, headers: { location: elsewhere.url } });
    const watcher = await receiver();
    const { webhook } = await webhookFor(ownerCtx, broken.url, ['service_account.suspended']);
    const { secret: watcherSecret } = await webhookFor(ownerCtx, watcher.url, ['webhook.disabled']);
    const account = await createTestServiceAccount(ownerCtx);
    await suspendServiceAccount(ownerCtx, account.id);

    const disabled = await waitFor(
      async () => {
        const row = await db.webhook.findUniqueOrThrow({ where: { id: webhook.id } });
        return row.status === 'DISABLED' && row;
      },
      30_000,
      'the webhook to be disabled',
    );
    expect(disabled.consecutiveFailures).toBe(3);
    expect(disabled.disabledReason).toMatch(/3 failed deliveries in a row/);
    expect(elsewhere.received).toHaveLength(0);
    const { data } = await listDeliveries(ownerCtx, webhook.id);
    expect(data[0]).toMatchObject({ responseStatus: 307, error: 'redirect (HTTP 307) not followed' });
    await waitFor(() => watcher.received.length >= 1, 20_000, 'the webhook.disabled event');
    const event = new Webhook(watcherSecret).verify(watcher.received[0]!.body, watcher.received[0]!.headers) as {
      type: string;
      data: { webhook: { id: string }; consecutiveFailures: number };
    };
    expect(event).toMatchObject({
      type: 'webhook.disabled',
      data: { webhook: { id: webhook.id }, consecutiveFailures: 3 },
    });
    const audit = await db.auditEvent.findFirst({ where: { organizationId: org.id, action: 'webhook.disabled' } });
    expect(audit).toMatchObject({ actorType: 'SYSTEM', targetId: webhook.id });
    // A disabled webhook's delivery stops: the last attempt is final, and no more come.
    const attempts = broken.received.length;
    await new Promise((r2) => setTimeout(r2, 2_500));
    expect(broken.received.length).toBe(attempts);
  });

  it('send a test event to one webhook only, and redeliver by hand with the same webhook-id', async () => {
    const { ownerCtx, auditorCtx } = await orgWithRoles();
    const target = await receiver();
    const other = await receiver();
    const { webhook, secret } = await webhookFor(ownerCtx, target.url, ['credential.created']);
    await webhookFor(ownerCtx, other.url, ['credential.created']);
    await expect(sendTestEvent(auditorCtx, webhook.id)).rejects.toMatchObject({ code: 'forbidden' });
    const { eventId } = await sendTestEvent(ownerCtx, webhook.id);
    await waitFor(() => target.received.length === 1, 20_000, 'the test event');
    const body = new Webhook(secret).verify(target.received[0]!.body, target.received[0]!.headers) as { type: string };
    expect(body.type).toBe('webhook.test');
    expect(target.received[0]!.headers['webhook-id']).toBe(eventId);

    const [first] = (await waitFor(async () => {
      const { data } = await listDeliveries(ownerCtx, webhook.id);
      return data[0]?.status === 'SUCCEEDED' && data;
    }))!;
    const again = await redeliverWebhook(ownerCtx, webhook.id, first!.id);
    expect(again).toMatchObject({ manual: true, status: 'PENDING', eventId });
    await waitFor(() => target.received.length === 2, 20_000, 'the redelivery');
    expect(target.received[1]!.headers['webhook-id']).toBe(eventId);
    expect(() => new Webhook(secret).verify(target.received[1]!.body, target.received[1]!.headers)).not.toThrow();
    await new Promise((r2) => setTimeout(r2, 1_000));
    expect(other.received).toHaveLength(0);
    // Another organization's delivery id is not found.
    const stranger = await orgWithRoles();
    await expect(redeliverWebhook(stranger.ownerCtx, webhook.id, first!.id)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('lifecycle e-mail', () => {
  let smtp: SMTPServer;
  const mails: Array<{ to: string[]; raw: string }> = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.SMTP_FROM = 'Latchkey <latchkey@example.test>';
    resetEnvCache();
  });

  afterAll(async () => {
    delete process.env.SMTP_URL;
    delete process.env.SMTP_FROM;
    resetEnvCache();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('reaches the owners and admins who did not opt out, never auditors, and holds no secret', async () => {
    const { org, owner, admin, auditor, ownerCtx } = await orgWithRoles();
    const quietAdmin = await createTestMember(org.id, 'ADMIN');
    await setLifecycleEmailOptOut(org.id, quietAdmin.id, true);
    const account = await createTestServiceAccount(memberCtx(org, owner, 'OWNER'));
    const created = await createClientSecret(ownerCtx, account.id, createClientSecretInput.parse({ name: 'mailed' }));

    const received = await waitFor(
      () => {
        const ours = mails.filter((m) => m.raw.includes(created.clientSecret.id));
        return ours.length >= 2 && ours;
      },
      20_000,
      'two e-mails',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const recipients = mails.filter((m) => m.raw.includes(created.clientSecret.id)).flatMap((m) => m.to);
    expect(recipients.sort()).toEqual([owner.email, admin.email].sort());
    expect(recipients).not.toContain(auditor.email);
    expect(recipients).not.toContain(quietAdmin.email);
    const mail = received[0]!.raw;
    expect(mail).toMatch(/Subject: \[Latchkey [a-z0-9-]+\] Credential created: mailed of/);
    expect(mail).toContain('From: Latchkey <latchkey@example.test>');
    expect(mail).not.toContain(created.secret);
  });
});

describe('the expiry scan', () => {
  it('fires each warning exactly once per threshold with two job workers running', async () => {
    const { org, ownerCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(ownerCtx);
    const now = Date.now();
    const hour = 3_600_000;
    const secretIn = async (ms: number, name: string) =>
      (
        await createClientSecret(
          ownerCtx,
          account.id,
          createClientSecretInput.parse({ name, expiresAt: new Date(now + ms).toISOString() }),
        )
      ).clientSecret.id;
    const in20d = await secretIn(20 * 24 * hour, 'in-20-days');
    const in3d = await secretIn(3 * 24 * hour, 'in-3-days');
    const in12h = await secretIn(12 * hour, 'in-12-hours');
    const expired = await secretIn(2 * hour, 'expired');
    await db.clientSecret.update({ where: { id: expired }, data: { expiresAt: new Date(now - hour) } });
    const later = await secretIn(200 * 24 * hour, 'far-away');

    const second = await startJobWorker({ connectionString: env().DATABASE_URL, pollingIntervalSeconds: 0.5 });
    try {
      // Both instances scan at once, through their queues and directly, several times over.
      const ids = await Promise.all([worker, second, worker, second].map((w) => w.boss.send('scan-expiring', {})));
      await Promise.all([scanExpiringCredentials(), scanExpiringCredentials(), scanExpiringCredentials()]);
      await waitFor(
        async () => {
          const jobs = await Promise.all(ids.map((id) => worker.boss.getJobById('scan-expiring', id!)));
          return jobs.every((j) => j?.state === 'completed');
        },
        20_000,
        'the scan jobs',
      );
      // Two weeks later, the 20-day secret is within its 7-day window: one more warning, once.
      const twoWeeksLater = new Date(now + 14 * 24 * hour);
      await Promise.all([scanExpiringCredentials(twoWeeksLater), scanExpiringCredentials(twoWeeksLater)]);
    } finally {
      await second.stop();
    }

    const events = await db.lifecycleEvent.findMany({
      where: { organizationId: org.id, type: { startsWith: 'credential.expir' } },
      select: { type: true, payload: true },
    });
    const fired = events
      .map((e) => `${(e.payload as { data: { credential: { id: string } } }).data.credential.id} ${e.type}`)
      .sort();
    expect(fired).toEqual(
      [
        `${in20d} credential.expiring_30d`,
        `${in20d} credential.expiring_7d`,
        `${in3d} credential.expiring_7d`,
        `${in12h} credential.expiring_1d`,
        `${expired} credential.expired`,
      ].sort(),
    );
    expect(fired.join()).not.toContain(later);
    const warnings = await db.credentialExpiryWarning.count({ where: { organizationId: org.id } });
    expect(warnings).toBe(5);
  });
});
