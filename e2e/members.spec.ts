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
