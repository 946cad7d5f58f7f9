import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expect, signInAs, test } from './fixtures';

type Received = { headers: Record<string, string>; body: string };

/** A loopback receiver of this test's own, answering 204 to everything. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/latchkey`, received, server };
}

test('an admin creates a webhook and sends it a signed test event', async ({ page, seed }) => {
  const receiver = await startReceiver();
  try {
    const org = await seed.org();
    const admin = await seed.member(org, 'ADMIN');
    await signInAs(page, admin);
    await page.goto(`/orgs/${org.slug}/settings`);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expect(page.getByText(/E-mail is off/)).toBeVisible();

    const form = page.getByRole('form', { name: 'Add webhook' });
    await form.getByLabel('Endpoint URL').fill('http://hooks.example.test/x');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await expect(form.getByText(/Use an https:\/\/ URL/).first()).toBeVisible();
    await form.getByLabel('Endpoint URL').fill(receiver.url);
    await form.getByLabel('Description').fill('e2e receiver');
    await form.getByRole('button', { name: 'Add webhook' }).click();

    const dialog = page.getByRole('dialog', { name: 'Webhook signing secret' });
    await expect(dialog).toBeVisible();
    const secret = (await dialog.getByLabel('Signing secret', { exact: true }).textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await dialog.getByRole('button', { name: 'I have saved it, close' }).click();
    await expect(dialog).toHaveCount(0);

    await page.getByRole('link', { name: receiver.url }).click();
    await expect(page.getByText('Nothing delivered yet.')).toBeVisible();
    await page.getByRole('button', { name: 'Send test event' }).click();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    const [delivery] = receiver.received;
    const event = new Webhook(secret).verify(delivery!.body, delivery!.headers) as { type: string };
    expect(event.type).toBe('webhook.test');

    await expect(async () => {
      await page.reload();
      await expect(page.getByRole('table', { name: 'Deliveries' }).getByText('Delivered')).toBeVisible({
        timeout: 1_000,
      });
    }).toPass({ timeout: 20_000 });
    const row = page.getByRole('row').filter({ hasText: 'webhook.test' });
    await expect(row.getByRole('cell', { name: '204' })).toBeVisible();

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByRole('button', { name: 'Enable' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send test event' })).toHaveCount(0);
  } finally {
    await new Promise((resolve) => receiver.server.close(resolve));
  }
});
