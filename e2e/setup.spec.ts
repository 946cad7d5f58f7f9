import { expect, test } from './fixtures';

test('a new install sends the first visitor to setup, which creates the organization and its owner once', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Set up Latchkey' })).toBeVisible();

  // Empty and invalid input: clear, per-field errors and nothing created.
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByLabel('Organization name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter your name.')).toBeVisible();
  await page.getByLabel('Organization name').fill('Acme Fleet');
  await page.getByLabel('Your name').fill('Ada Owner');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Repeat password').fill('different');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText('Enter a valid email address.')).toBeVisible();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByText('The passwords do not match.')).toBeVisible();

  await page.getByLabel('Email').fill('ada@acme.test');
  await page.getByLabel('Password', { exact: true }).fill('a very good owner password');
  await page.getByLabel('Repeat password').fill('a very good owner password');
  await page.getByRole('button', { name: 'Create organization' }).click();

  await expect(page).toHaveURL(/\/sign-in\?setup=done/);
  await expect(page.getByRole('status')).toContainText('Your organization is ready');
  await expect(page.getByLabel('Email')).toHaveValue('ada@acme.test');

  // The setup page is gone for good.
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel('Email').fill('ada@acme.test');
  await page.getByLabel('Password').fill('a very good owner password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/orgs\/acme-fleet$/);
  await expect(page.getByRole('heading', { name: 'Acme Fleet' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Console' });
  for (const item of ['Service accounts', 'OEM credentials', 'Vehicles', 'Audit log', 'Members', 'Settings']) {
    await expect(nav.getByRole('link', { name: item })).toBeVisible();
  }
  await nav.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('cell', { name: 'instance.setup_completed' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'member.signed_in' })).toBeVisible();
});
