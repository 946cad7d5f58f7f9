import { expect, signInAs, test } from './fixtures';

test('an admin creates a project and adds an environment; an auditor only sees them', async ({ page, seed }) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  const auditor = await seed.member(org, 'AUDITOR');

  await signInAs(page, admin);
  await page.goto(`/orgs/${org.slug}/settings`);
  const form = page.getByRole('form', { name: 'New project' });
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(form.getByText('Enter a project name.')).toBeVisible();
  await form.getByLabel('Project name').fill('Fleet app');
  await form.getByLabel('Environments').fill('production, Staging!');
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(form.getByText('Environment names use lowercase letters, digits and dashes.')).toBeVisible();
  await form.getByLabel('Environments').fill('production, staging');
  await form.getByRole('button', { name: 'Create project' }).click();
  const environments = page.getByLabel('Environments of Fleet app');
  await expect(environments.getByText('production')).toBeVisible();
  await expect(environments.getByText('staging')).toBeVisible();

  await page.getByLabel('New environment in Fleet app').fill('qa');
  await page
    .getByRole('form', { name: 'Add an environment to Fleet app' })
    .getByRole('button', { name: 'Add' })
    .click();
  await expect(environments.getByText('qa')).toBeVisible();

  await page.context().clearCookies();
  await signInAs(page, auditor);
  await page.goto(`/orgs/${org.slug}/settings`);
  await expect(page.getByLabel('Environments of Fleet app').getByText('qa')).toBeVisible();
  await expect(page.getByRole('form', { name: 'New project' })).toHaveCount(0);
});

test('an owner lowers the maximum credential lifetime; bad values get a field error', async ({ page, seed }) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  await page.goto(`/orgs/${org.slug}/settings`);
  const form = page.getByRole('form', { name: 'Organization settings' });
  await form.getByLabel('Maximum credential lifetime (days)').fill('0');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('At least 1 day.')).toBeVisible();
  await form.getByLabel('Maximum credential lifetime (days)').fill('90');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(
    page.getByRole('form', { name: 'Organization settings' }).getByLabel('Maximum credential lifetime (days)'),
  ).toHaveValue('90');
});
