import type { Page } from '@playwright/test';
import { expect, signInAs, test } from './fixtures';

// Every main page must work at phone width (390 x 844, issue 18): no sideways scrolling of the
// page itself (wide tables scroll inside their own box), and the navigation behind a menu button.
test.use({ viewport: { width: 390, height: 844 } });

/** How far the page scrolls sideways, and (to say what to fix) the deepest elements sticking out on the right. */
async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const scroller = document.scrollingElement ?? document.documentElement;
    const width = scroller.clientWidth;
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.children.length === 0)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').slice(0, 40)}`);
    return { overflow: scroller.scrollWidth - width, culprits };
  });
}

test('the main pages fit a 390 px screen and the navigation collapses behind a menu', async ({ page, seed }) => {
  test.setTimeout(90_000);
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  const headers = { 'Latchkey-Organization': org.slug, Origin: `http://localhost:${process.env.E2E_PORT ?? 3100}` };
  const created = await page.request.post('/api/v1/service-accounts', {
    headers,
    data: { name: 'phone-width-account-with-a-long-name', platform: 'SERVER', description: 'x'.repeat(300) },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect(
    (
      await page.request.post(`/api/v1/service-accounts/${id}/secrets`, { headers, data: { name: 'production' } })
    ).status(),
  ).toBe(201);
  const oem = await page.request.post('/api/v1/credentials/mercedes-benz', {
    headers,
    data: { name: 'phone-width-fleet-credential', client_id: 'mb-client-phone', client_secret: 'mb-secret-phone' },
  });
  expect(oem.status()).toBe(201);
  const { id: oemId } = (await oem.json()) as { id: string };
  const hook = await page.request.post('/api/v1/webhooks', {
    headers,
    data: { url: 'http://127.0.0.1:9/a-rather-long-webhook-path/for/phone-width', eventTypes: ['credential.created'] },
  });
  expect(hook.status()).toBe(201);
  const { id: webhookId } = (await hook.json()) as { id: string };

  // The sidebar is hidden until asked for, and closes after navigating.
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Console' })).toBeHidden();
  await menu.click();
  await expect(page.getByRole('button', { name: 'Close menu' })).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Service accounts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Service accounts' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Console' })).toBeHidden();

  const pages = [
    `/orgs/${org.slug}`,
    `/orgs/${org.slug}/service-accounts`,
    `/orgs/${org.slug}/service-accounts/new`,
    `/orgs/${org.slug}/service-accounts/${id}`,
    `/orgs/${org.slug}/service-accounts/${id}/secrets`,
    `/orgs/${org.slug}/service-accounts/${id}/keys`,
    `/orgs/${org.slug}/service-accounts/${id}/tokens`,
    `/orgs/${org.slug}/service-accounts/${id}/edit`,
    `/orgs/${org.slug}/oem-credentials`,
    `/orgs/${org.slug}/oem-credentials/${oemId}`,
    `/orgs/${org.slug}/vehicles`,
    `/orgs/${org.slug}/audit`,
    `/orgs/${org.slug}/members`,
    `/orgs/${org.slug}/settings`,
    `/orgs/${org.slug}/settings/webhooks`,
    `/orgs/${org.slug}/settings/webhooks/${webhookId}`,
    `/orgs/${org.slug}/account`,
    '/docs/api',
  ];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    const { overflow, culprits } = await horizontalOverflow(page);
    expect.soft(overflow, `${path} scrolls sideways: ${culprits.join(' | ')}`).toBeLessThanOrEqual(0);
  }

  // An audit event's details, opened, still fit.
  await page.goto(`/orgs/${org.slug}/audit`);
  await page.getByRole('table', { name: 'Audit events' }).getByText('Show').first().click();
  await expect(page.locator('details[open] pre').first()).toBeVisible();
  const { overflow, culprits } = await horizontalOverflow(page);
  expect(overflow, `audit details scroll sideways: ${culprits.join(' | ')}`).toBeLessThanOrEqual(0);
});

test('at desktop width the sidebar is always there', async ({ page, seed }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Console' })).toBeVisible();
});
