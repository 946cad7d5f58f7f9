import { expect, signInAs, test } from './fixtures';

// Small console defects seen by a first-time owner (issue 18), each checked in the real browser.

test('credential forms start empty after a create, and the expiry hint states the organization limit', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);

  // An organization that caps credentials at 30 days: the hint must not promise 2 years.
  await page.goto(`/orgs/${org.slug}/settings`);
  const settings = page.getByRole('form', { name: 'Organization settings' });
  await settings.getByLabel('Maximum credential lifetime (days)').fill('30');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved.');

  await page.goto(`/orgs/${org.slug}/service-accounts/new`);
  await page.getByLabel('Name', { exact: true }).fill('forms-reset');
  await page.getByLabel('Platform').selectOption('SERVER');
  await page.getByRole('button', { name: 'Create service account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'forms-reset' })).toBeVisible();

  const form = page.getByRole('form', { name: 'New client secret' });
  await expect(form.getByText("Default and maximum: 30 days (this organization's limit).")).toBeVisible();
  await expect(form.getByText('Default 2 years')).toHaveCount(0);

  const expiry = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel('Secret name').fill('first');
  await form.getByLabel('Secret expires on (optional)').fill(expiry);
  await form.getByRole('button', { name: 'Create secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Client secret "first" created' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'I have saved it, close' }).click();
  // The next secret must not silently inherit the previous name or expiry.
  await expect(form.getByLabel('Secret name')).toHaveValue('');
  await expect(form.getByLabel('Secret expires on (optional)')).toHaveValue('');
});

test('members see themselves marked, a single organization has no empty menu, and the favicon is served', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  const auditor = await seed.member(org, 'AUDITOR');
  await signInAs(page, owner);

  await page.goto(`/orgs/${org.slug}/members`);
  const members = page.getByRole('table', { name: 'Members' });
  await expect(members.getByRole('row', { name: new RegExp(owner.email) })).toContainText('(you)');
  await expect(members.getByRole('row', { name: new RegExp(auditor.email) })).not.toContainText('(you)');

  // This owner belongs to one organization only: its name is a label, not a menu that opens onto nothing.
  await expect(page.locator('summary', { hasText: org.name })).toHaveCount(0);
  await expect(page.getByText(org.name).first()).toBeVisible();

  const icon = await page.request.get('/icon.svg');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
  await expect(page.locator('link[rel="icon"]')).toHaveCount(1);
});

test('audit event details open wide enough to read', async ({ page, seed }) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  // Any change writes an event with details: renaming the organization records old and new values.
  await page.goto(`/orgs/${org.slug}/settings`);
  const settings = page.getByRole('form', { name: 'Organization settings' });
  await settings.getByLabel('Maximum credential lifetime (days)').fill('365');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved.');

  await page.goto(`/orgs/${org.slug}/audit`);
  const table = page.getByRole('table', { name: 'Audit events' });
  await table.getByText('Show').first().click();
  const pre = table.locator('details[open] pre').first();
  await expect(pre).toBeVisible();
  const box = await pre.boundingBox();
  // One character per line was about 50 px wide; readable JSON needs far more.
  expect(box?.width ?? 0).toBeGreaterThan(250);
});

test('revoked accounts are left out of the default list; a filter shows them', async ({ page, seed }) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const headers = { 'Latchkey-Organization': org.slug, Origin: `http://localhost:${process.env.E2E_PORT ?? 3100}` };
  for (const name of ['kept-account', 'gone-account']) {
    const created = await page.request.post('/api/v1/service-accounts', {
      headers,
      data: { name, platform: 'SERVER' },
    });
    expect(created.status()).toBe(201);
    if (name === 'gone-account') {
      const { id } = (await created.json()) as { id: string };
      const revoked = await page.request.post(`/api/v1/service-accounts/${id}/revoke`, {
        headers,
        data: { confirmName: name },
      });
      expect(revoked.status()).toBe(200);
    }
  }
  await page.goto(`/orgs/${org.slug}/service-accounts`);
  await expect(page.getByRole('link', { name: 'kept-account' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'gone-account' })).toHaveCount(0);
  await page.getByLabel('Status').selectOption({ label: 'Any status (with revoked)' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/status=ANY/);
  await expect(page.getByRole('link', { name: 'gone-account' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'kept-account' })).toBeVisible();
  await page.getByLabel('Status').selectOption({ label: 'Revoked' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('link', { name: 'gone-account' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'kept-account' })).toHaveCount(0);
});

test('destructive actions ask in one accessible dialog that names the object; show-once dialogs ask before closing', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const headers = { 'Latchkey-Organization': org.slug, Origin: `http://localhost:${process.env.E2E_PORT ?? 3100}` };
  const created = await page.request.post('/api/v1/service-accounts', {
    headers,
    data: { name: 'dialogs', platform: 'SERVER' },
  });
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/orgs/${org.slug}/service-accounts/${id}`);

  // A show-once dialog does not vanish on Escape: it asks, and "Keep it open" keeps it.
  const form = page.getByRole('form', { name: 'New client secret' });
  await form.getByLabel('Secret name').fill('production');
  await form.getByRole('button', { name: 'Create secret' }).click();
  const reveal = page.getByRole('dialog', { name: 'Client secret "production" created' });
  await expect(reveal).toBeVisible();
  const firstKeyId = (await reveal.getByLabel('Key id', { exact: true }).textContent()) ?? '';
  await page.keyboard.press('Escape');
  await expect(reveal).toBeVisible();
  await expect(reveal.getByText('Close without saving? This is never shown again.')).toBeVisible();
  await reveal.getByRole('button', { name: 'Keep it open' }).click();
  await expect(reveal.getByLabel('Client secret', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await reveal.getByRole('button', { name: 'Close without saving' }).click();
  await expect(reveal).toBeHidden();

  // A second secret with the same name: the confirmation tells them apart by key id.
  await form.getByLabel('Secret name').fill('production');
  await form.getByRole('button', { name: 'Create secret' }).click();
  await page.getByRole('button', { name: 'I have saved it, close' }).click();
  const row = page.getByRole('table', { name: 'Client secrets' }).getByRole('row', { name: new RegExp(firstKeyId) });
  const deleteButton = row.getByRole('button', { name: 'Delete' });
  await deleteButton.click();
  const confirm = page.getByRole('dialog', { name: 'Delete the secret "production"?' });
  await expect(confirm).toContainText(firstKeyId);
  await expect(confirm).toContainText(/created \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  // Focus starts on Cancel and stays in the dialog; Escape cancels and focus returns to the opener.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Delete' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(deleteButton).toBeFocused();
  await expect(page.getByRole('table', { name: 'Client secrets' }).getByRole('row')).toHaveCount(3);

  // Disabling asks too, and says what happens to tokens already issued.
  await row.getByRole('button', { name: 'Disable' }).click();
  const disable = page.getByRole('dialog', { name: 'Disable the secret "production"?' });
  await expect(disable).toContainText('stay dead if you enable it again');
  await disable.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByText('Disabled')).toBeVisible();

  await deleteButton.click();
  await page
    .getByRole('dialog', { name: 'Delete the secret "production"?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(page.getByRole('table', { name: 'Client secrets' }).getByRole('row')).toHaveCount(2);
});

test('a new organization’s overview guides to the first token, then the guide goes away', async ({
  page,
  request,
  seed,
}) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  const guide = page.getByRole('region', { name: 'Get started' });
  await expect(guide).toBeVisible();
  await expect(guide.getByRole('link', { name: 'New service account' })).toBeVisible();
  await guide.getByRole('link', { name: 'New service account' }).click();
  await page.getByLabel('Name', { exact: true }).fill('first-backend');
  await page.getByLabel('Platform').selectOption('SERVER');
  await page.getByRole('button', { name: 'Create service account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'first-backend' })).toBeVisible();

  await page.goto(`/orgs/${org.slug}`);
  await expect(guide.getByText('Create a service account (done)')).toBeAttached();
  await guide.getByRole('link', { name: 'Create a secret' }).click();
  const form = page.getByRole('form', { name: 'New client secret' });
  await form.getByLabel('Secret name').fill('first');
  await form.getByRole('button', { name: 'Create secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Client secret "first" created' });
  const keyId = (await dialog.getByLabel('Key id', { exact: true }).textContent()) ?? '';
  const secret = (await dialog.getByLabel('Client secret', { exact: true }).textContent()) ?? '';
  await dialog.getByRole('button', { name: 'I have saved it, close' }).click();

  // The curl names the real key id, never the secret; it works as written once the secret is in.
  await page.goto(`/orgs/${org.slug}`);
  const curl = (await guide.getByLabel('Token request', { exact: true }).textContent()) ?? '';
  expect(curl).toContain(`curl -u '${keyId}:<secret>' -d grant_type=client_credentials `);
  expect(curl).not.toContain(secret);
  const tokenUrl = curl.split(' ').at(-1) ?? '';
  const answer = await request.post(tokenUrl, {
    headers: { Authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
  expect(answer.status()).toBe(200);

  // The first token ends the guide (the token audit records the use within moments).
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Get started' })).toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 10_000 });
});
