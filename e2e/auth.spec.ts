import { PASSWORD, expect, formAlert, signInAs, test } from './fixtures';

test('a member signs in, sees their organization, and signs out', async ({ page, seed }) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');

  await page.goto(`/orgs/${org.slug}`);
  await expect(page).toHaveURL(/\/sign-in$/);

  await signInAs(page, admin);
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}$`));
  await expect(page.getByRole('heading', { name: org.name })).toBeVisible();
  await expect(page.getByText(admin.email)).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto(`/orgs/${org.slug}/settings`);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('sign-in checks its fields and answers a wrong password generically', async ({ page, seed }) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');

  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();

  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(formAlert(page)).toHaveText('Incorrect email or password.');

  await page.getByLabel('Email').fill('nobody@e2e.test');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(formAlert(page)).toHaveText('Incorrect email or password.');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('repeated failures lock the email for a while, even with the right password', async ({ page, seed }) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(owner.email);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Password').fill(`wrong password ${i}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(formAlert(page)).toHaveText('Incorrect email or password.');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  }
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(formAlert(page)).toContainText('Too many sign-in attempts');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('an admin may not see the members page; an auditor may', async ({ page, seed }) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  const auditor = await seed.member(org, 'AUDITOR');

  await signInAs(page, admin);
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Members' })).toHaveCount(0);
  const response = await page.goto(`/orgs/${org.slug}/members`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  await page.context().clearCookies();
  await signInAs(page, auditor);
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  await expect(page.getByRole('cell', { name: admin.email })).toBeVisible();
  await expect(page.getByRole('cell', { name: auditor.email })).toBeVisible();
});

test("another organization's pages look exactly like missing ones", async ({ page, seed }) => {
  const mine = await seed.org();
  const theirs = await seed.org();
  const owner = await seed.member(mine, 'OWNER');
  await signInAs(page, owner);
  const other = await page.goto(`/orgs/${theirs.slug}/service-accounts`);
  expect(other?.status()).toBe(404);
  const missing = await page.goto('/orgs/no-such-org/service-accounts');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('the sidebar marks only the current section', async ({ page, seed }) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const nav = page.getByRole('navigation', { name: 'Console' });
  await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: 'Audit log' }).click();
  await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Overview' })).not.toHaveAttribute('aria-current', 'page');
});
