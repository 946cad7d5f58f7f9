import { expect, formAlert, signInAs, test } from './fixtures';

test('an owner adds a member who can then sign in, changes roles, and cannot remove the last owner', async ({
  page,
  browser,
  seed,
}) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  await page.goto(`/orgs/${org.slug}/members`);

  const form = page.getByRole('form', { name: 'Add a member' });
  const email = `added-${Date.now()}@e2e.test`;
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('AUDITOR');
  await form.getByRole('button', { name: 'Add member' }).click();
  await expect(form.getByText('Choose an initial password')).toBeVisible();
  await form.getByLabel('Name (new logins only)').fill('Added Auditor');
  await form.getByLabel('Initial password (new logins only)').fill('handed over password 1');
  await form.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('cell', { name: email, exact: true })).toBeVisible();

  // The last owner cannot step down.
  await page
    .getByRole('form', { name: `Role of ${owner.email}` })
    .getByLabel(`Role of ${owner.email}`)
    .selectOption('ADMIN');
  await page
    .getByRole('form', { name: `Role of ${owner.email}` })
    .getByRole('button', { name: 'Save role' })
    .click();
  await expect(formAlert(page)).toContainText('at least one owner');

  // The new member signs in in a browser of their own and sees the organization as an auditor.
  const other = await browser.newContext();
  const theirPage = await other.newPage();
  await signInAs(theirPage, { email }, 'handed over password 1');
  await expect(theirPage.getByText('Auditor', { exact: true })).toBeVisible();
  await other.close();

  await page
    .getByRole('form', { name: `Role of ${email}` })
    .getByLabel(`Role of ${email}`)
    .selectOption('ADMIN');
  await page
    .getByRole('form', { name: `Role of ${email}` })
    .getByRole('button', { name: 'Save role' })
    .click();
  await expect(page.getByRole('form', { name: `Role of ${email}` }).getByRole('status')).toHaveText('Saved');
  await page.reload();
  await expect(page.getByRole('form', { name: `Role of ${email}` }).getByLabel(`Role of ${email}`)).toHaveValue(
    'ADMIN',
  );

  await page
    .getByRole('form', { name: `Remove ${email}` })
    .getByRole('button', { name: 'Remove' })
    .click();
  // Nothing happens before the confirmation.
  await expect(page.getByRole('cell', { name: email, exact: true })).toBeVisible();
  await page
    .getByRole('form', { name: `Remove ${email}` })
    .getByRole('button', { name: 'Confirm removal' })
    .click();
  await expect(page.getByRole('cell', { name: email, exact: true })).toHaveCount(0);
});

test('an owner resets a member password, which ends their session; a member changes their own', async ({
  page,
  browser,
  seed,
}) => {
  test.setTimeout(60_000);
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  const admin = await seed.member(org, 'ADMIN');

  // The admin is signed in elsewhere.
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  await signInAs(theirPage, admin);

  await signInAs(page, owner);
  await page.goto(`/orgs/${org.slug}/members`);
  await expect(page.getByRole('row', { name: new RegExp(owner.email) }).getByText('Reset login')).toHaveCount(0);
  const row = page.getByRole('row', { name: new RegExp(admin.email) });
  await row.getByText('Reset login').click();
  const reset = row.getByRole('form', { name: `Reset the password of ${admin.email}` });
  await reset.getByLabel('New initial password').fill('short');
  await reset.getByRole('button', { name: 'Set password' }).click();
  await expect(reset.locator('p[aria-live="polite"]').first()).toContainText(/at least 12/i);
  await reset.getByLabel('New initial password').fill('a handed over password');
  await reset.getByRole('button', { name: 'Set password' }).click();
  await expect(reset.getByRole('status')).toHaveText('Password set');

  // Their session has ended: the next page asks them to sign in, and the new password works.
  await theirPage.goto(`/orgs/${org.slug}/service-accounts`);
  await expect(theirPage).toHaveURL(/\/sign-in/);
  await signInAs(theirPage, admin, 'a handed over password');

  // They change it themselves: wrong current password first, then right; then they sign in again.
  await theirPage.goto(`/orgs/${org.slug}/account`);
  const change = theirPage.getByRole('form', { name: 'Change your password' });
  await change.getByLabel('Current password').fill('not the password');
  await change.getByLabel('New password', { exact: true }).fill('my very own new password');
  await change.getByLabel('New password again').fill('my very own new password');
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(change.getByText('Not your current password.')).toBeVisible();
  await change.getByLabel('Current password').fill('a handed over password');
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(theirPage).toHaveURL(/\/sign-in\?error=password_changed/);
  await expect(theirPage.getByText('Your password was changed')).toBeVisible();
  await signInAs(theirPage, admin, 'my very own new password');
  await theirs.close();
});
