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

test('an admin renames and deletes environments and projects, each deletion confirmed in a dialog', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  await page.goto(`/orgs/${org.slug}/settings`);
  const form = page.getByRole('form', { name: 'New project' });
  await form.getByLabel('Project name').fill('Routing');
  await form.getByLabel('Environments').fill('prod, qa');
  await form.getByRole('button', { name: 'Create project' }).click();
  const environments = page.getByLabel('Environments of Routing');
  await expect(environments.getByText('qa', { exact: true })).toBeVisible();

  // Rename an environment; a name its project already has is refused on the field.
  await page.getByRole('button', { name: 'Rename environment qa of Routing' }).click();
  const renameEnv = page.getByRole('form', { name: 'Rename environment qa of Routing' });
  await renameEnv.getByLabel('New name for environment qa of Routing').fill('prod');
  await renameEnv.getByRole('button', { name: 'Save' }).click();
  await expect(renameEnv.getByText('This name is taken.')).toBeVisible();
  await renameEnv.getByLabel('New name for environment qa of Routing').fill('staging');
  await renameEnv.getByRole('button', { name: 'Save' }).click();
  await expect(environments.getByText('staging', { exact: true })).toBeVisible();
  await expect(environments.getByText('qa', { exact: true })).toHaveCount(0);

  // Delete it: the dialog names it and says what goes; Cancel keeps it.
  await page.getByRole('button', { name: 'Delete environment staging of Routing' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete environment staging of Routing?' });
  await expect(dialog).toContainText('access tokens narrowed to it stop working');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(environments.getByText('staging', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Delete environment staging of Routing' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete environment' }).click();
  await expect(environments.getByText('staging', { exact: true })).toHaveCount(0);

  // Rename the project, then delete it.
  await page.getByRole('button', { name: 'Rename project Routing' }).click();
  const renameProject = page.getByRole('form', { name: 'Rename project Routing' });
  await renameProject.getByLabel('New name for project Routing').fill('Routing v2');
  await renameProject.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Environments of Routing v2').getByText('prod', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Delete project Routing v2' }).click();
  await page
    .getByRole('dialog', { name: 'Delete project Routing v2?' })
    .getByRole('button', { name: 'Delete project' })
    .click();
  await expect(page.getByLabel('Project Routing v2')).toHaveCount(0);
  await expect(page.getByText('No projects yet.')).toBeVisible();

  // The audit log has each change.
  await page.goto(`/orgs/${org.slug}/audit`);
  for (const action of ['environment.updated', 'environment.deleted', 'project.updated', 'project.deleted'])
    await expect(page.getByText(action).first()).toBeVisible();
});

test('an admin adds, renames, retires, restores and deletes a scope; the account form follows', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  await page.goto(`/orgs/${org.slug}/settings`);
  const form = page.getByRole('form', { name: 'New scope' });
  await form.getByLabel('Scope name').fill('has space');
  await form.getByRole('button', { name: 'Add scope' }).click();
  await expect(form.getByText('Use 1 to 64 letters, digits, and _ . : - (no spaces).')).toBeVisible();
  await form.getByLabel('Scope name').fill('fleet:read');
  await form.getByLabel('Description').fill('Read fleets');
  await form.getByRole('button', { name: 'Add scope' }).click();
  await expect(page.getByLabel('Scope fleet:read', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Rename scope fleet:read' }).click();
  const rename = page.getByRole('form', { name: 'Rename scope fleet:read' });
  await expect(rename.getByText('Future tokens carry the new name')).toBeVisible();
  await rename.getByLabel('New name for scope fleet:read').fill('fleets:read');
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Scope fleets:read', { exact: true })).toBeVisible();

  // The account form offers it; once retired it does not, and the catalog marks it.
  await page.goto(`/orgs/${org.slug}/service-accounts/new`);
  await expect(page.getByRole('checkbox', { name: /fleets:read/ })).toBeVisible();
  await page.goto(`/orgs/${org.slug}/settings`);
  await page.getByRole('button', { name: 'Retire scope fleets:read' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retire scope fleets:read?' });
  await expect(dialog).toContainText('no token carries it');
  await dialog.getByRole('button', { name: 'Retire' }).click();
  await expect(page.getByLabel('Scope fleets:read', { exact: true }).getByText('retired')).toBeVisible();
  await page.goto(`/orgs/${org.slug}/service-accounts/new`);
  await expect(page.getByRole('checkbox', { name: /TILE/ })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /fleets:read/ })).toHaveCount(0);

  await page.goto(`/orgs/${org.slug}/settings`);
  await page.getByRole('button', { name: 'Restore scope fleets:read' }).click();
  await page
    .getByRole('dialog', { name: 'Restore scope fleets:read?' })
    .getByRole('button', { name: 'Restore' })
    .click();
  await expect(page.getByRole('button', { name: 'Retire scope fleets:read' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete scope fleets:read' }).click();
  await page
    .getByRole('dialog', { name: 'Delete scope fleets:read?' })
    .getByRole('button', { name: 'Delete scope' })
    .click();
  await expect(page.getByLabel('Scope fleets:read', { exact: true })).toHaveCount(0);
  // Built-in management scopes have no controls.
  await expect(page.getByRole('button', { name: 'Retire scope manage:service_accounts' })).toHaveCount(0);
});

test('an admin adds, renames, retires, restores and deletes a role; the account form follows', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  await page.goto(`/orgs/${org.slug}/settings`);
  const form = page.getByRole('form', { name: 'New role' });
  await form.getByLabel('Role name').fill('fleet operator');
  await form.getByRole('button', { name: 'Add role' }).click();
  await expect(form.getByText('Use 1 to 64 letters, digits, and _ . : - (no spaces).')).toBeVisible();
  await form.getByLabel('Role name').fill('fleet.operator');
  await form.getByLabel('Description').fill('Runs the fleet');
  await form.getByLabel('Kind').selectOption('ORGANIZATION');
  await form.getByRole('button', { name: 'Add role' }).click();
  const row = page.getByLabel('Role fleet.operator', { exact: true });
  await expect(row).toBeVisible();
  await expect(row.getByText('organization', { exact: true })).toBeVisible();
  // The form starts empty again for the next role.
  await expect(form.getByLabel('Role name')).toHaveValue('');

  await page.getByRole('button', { name: 'Rename role fleet.operator' }).click();
  const rename = page.getByRole('form', { name: 'Rename role fleet.operator' });
  await rename.getByLabel('New name for role fleet.operator').fill('project.viewer');
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(rename.getByText('This name is taken.')).toBeVisible();
  await rename.getByLabel('New name for role fleet.operator').fill('fleet.runner');
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Role fleet.runner', { exact: true })).toBeVisible();

  // The account form offers it; once retired it does not, and the list marks it.
  await page.goto(`/orgs/${org.slug}/service-accounts/new`);
  await expect(page.getByRole('checkbox', { name: /fleet\.runner/ })).toBeVisible();
  await page.goto(`/orgs/${org.slug}/settings`);
  await page.getByRole('button', { name: 'Retire role fleet.runner' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retire role fleet.runner?' });
  await expect(dialog).toContainText('reach no project');
  await dialog.getByRole('button', { name: 'Retire' }).click();
  await expect(page.getByLabel('Role fleet.runner', { exact: true }).getByText('retired')).toBeVisible();
  await page.goto(`/orgs/${org.slug}/service-accounts/new`);
  await expect(page.getByRole('checkbox', { name: /organization\.viewer/ })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /fleet\.runner/ })).toHaveCount(0);

  await page.goto(`/orgs/${org.slug}/settings`);
  await page.getByRole('button', { name: 'Restore role fleet.runner' }).click();
  await page
    .getByRole('dialog', { name: 'Restore role fleet.runner?' })
    .getByRole('button', { name: 'Restore' })
    .click();
  await expect(page.getByRole('button', { name: 'Retire role fleet.runner' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete role fleet.runner' }).click();
  await page
    .getByRole('dialog', { name: 'Delete role fleet.runner?' })
    .getByRole('button', { name: 'Delete role' })
    .click();
  await expect(page.getByLabel('Role fleet.runner', { exact: true })).toHaveCount(0);

  // The audit log names the role and links to Settings.
  await page.goto(`/orgs/${org.slug}/audit`);
  for (const action of ['role.created', 'role.renamed', 'role.retired', 'role.restored', 'role.deleted'])
    await expect(page.getByText(action).first()).toBeVisible();
});

test('an auditor sees the roles but no controls to change them', async ({ page, seed }) => {
  const org = await seed.org();
  const auditor = await seed.member(org, 'AUDITOR');
  await signInAs(page, auditor);
  await page.goto(`/orgs/${org.slug}/settings`);
  await expect(page.getByLabel('Role project.viewer', { exact: true })).toBeVisible();
  await expect(page.getByRole('form', { name: 'New role' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Retire|Rename|Delete) role/ })).toHaveCount(0);
});
