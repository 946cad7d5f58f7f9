import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, signInAs, test } from './fixtures';

/** A loopback OTLP/HTTP receiver of this test's own, keeping each request's JSON body. */
async function startReceiver(): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`, bodies, server };
}

test('an admin adds an OTLP audit sink, sees it listed with its lag, tests it and the stream catches up', async ({
  page,
  seed,
}) => {
  const receiver = await startReceiver();
  try {
    const org = await seed.org();
    const admin = await seed.member(org, 'ADMIN');
    await signInAs(page, admin);
    await page.goto(`/orgs/${org.slug}/settings`);
    await page.getByRole('link', { name: 'Audit streaming' }).click();
    await expect(page.getByRole('heading', { name: 'Audit streaming', level: 1 })).toBeVisible();
    await expect(page.getByText('No audit sinks yet.')).toBeVisible();

    const form = page.getByRole('form', { name: 'Add audit sink' });
    await form.getByLabel('Endpoint URL').fill('ftp://nope.example.test/');
    await form.getByRole('button', { name: 'Add sink' }).click();
    await expect(
      form
        .getByRole('alert')
        .or(form.getByText(/url must be an http\(s\) URL/))
        .first(),
    ).toBeVisible();
    await form.getByLabel('Name', { exact: true }).fill('e2e collector');
    await form.getByLabel('Endpoint URL').fill(receiver.url);
    await form.getByLabel('Header name (optional)').fill('authorization');
    await form.getByLabel('Header value').fill('Bearer e2e-secret');
    await form.getByRole('button', { name: 'Add sink' }).click();

    const table = page.getByRole('table', { name: 'Audit sinks' });
    const row = table.getByRole('row').filter({ hasText: 'e2e collector' });
    await expect(row).toBeVisible();
    await expect(row.getByText(/^\d+ events$/)).toBeVisible();
    await expect(page.getByText('e2e-secret')).toHaveCount(0);

    await row.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => receiver.bodies.length, { timeout: 20_000 }).toBeGreaterThan(0);

    // The server's job worker streams the chain: the lag falls to zero.
    await expect(async () => {
      await page.reload();
      await expect(
        page
          .getByRole('table', { name: 'Audit sinks' })
          .getByRole('row')
          .filter({ hasText: 'e2e collector' })
          .getByText('0 events'),
      ).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 40_000 });
    expect(JSON.stringify(receiver.bodies)).toContain('latchkey.audit.seq');

    await row.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('table', { name: 'Audit sinks' }).getByText('Paused')).toBeVisible();
  } finally {
    await new Promise((resolve) => receiver.server.close(resolve));
  }
});
