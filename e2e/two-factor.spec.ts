import { currentTotpCode } from '../lib/auth/totp';
import { PASSWORD, expect, formAlert, signInAs, test } from './fixtures';

test('a member turns on two-factor authentication and then needs a code to sign in', async ({ page, seed }) => {
  const org = await seed.org();
  const member = await seed.member(org, 'ADMIN');
  await signInAs(page, member);

  await page.getByRole('link', { name: member.name }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel('Authenticator code').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(page.getByText('That code is not valid.')).toBeVisible();
  // The previous step's code is still accepted at enrollment, which leaves the current one for sign-in.
  await page.getByLabel('Authenticator code').fill(currentTotpCode(secret, Date.now() - 30_000));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  // Ten recovery codes, shown once.
  const reveal = page.getByRole('dialog', { name: 'Two-factor authentication is on: your recovery codes' });
  await expect(reveal).toBeVisible();
  const codes = ((await reveal.getByLabel('Recovery codes', { exact: true }).textContent()) ?? '').trim().split('\n');
  expect(codes).toHaveLength(10);
  await reveal.getByRole('button', { name: 'I have saved it, close' }).click();
  await expect(page.getByText('On', { exact: true })).toBeVisible();
  await expect(page.getByTestId('recovery-codes-left')).toContainText('10 of 10 unused');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByLabel('Authenticator code')).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel('Authenticator code').fill('123456');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(formAlert(page)).toContainText('That code is not valid');

  const code = currentTotpCode(secret);
  await page.getByLabel('Authenticator code').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}$`));

  // The same code a second time: the member is told to wait for the next one.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Authenticator code').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(formAlert(page)).toContainText('That code was used already: wait for the next code');

  // A recovery code gets in once, without the authenticator.
  await page.getByLabel('Authenticator code').fill(codes[0] ?? '');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}$`));
  await page.goto(`/orgs/${org.slug}/account`);
  await expect(page.getByTestId('recovery-codes-left')).toContainText('9 of 10 unused');
});

test('an owner requires two-factor authentication; a member without it can only set it up', async ({ page, seed }) => {
  test.setTimeout(60_000);
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, owner);

  // The owner cannot require it before having it.
  await page.goto(`/orgs/${org.slug}/settings`);
  const settings = page.getByRole('form', { name: 'Organization settings' });
  await settings.getByLabel('Two-factor authentication for members').selectOption('Required');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByText('Turn it on for yourself first.')).toBeVisible();

  await page.goto(`/orgs/${org.slug}/account`);
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
  await page.getByLabel('Authenticator code').fill(currentTotpCode(secret, Date.now() - 30_000));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await page.getByRole('button', { name: 'I have saved it, close' }).click();
  await expect(page.getByText('On', { exact: true })).toBeVisible();

  await page.goto(`/orgs/${org.slug}/settings`);
  await settings.getByLabel('Two-factor authentication for members').selectOption('Required');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved.');

  // The admin has no second factor: the console sends them to set it up, and nothing else works.
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}/account$`));
  await expect(page.getByText('This organization requires two-factor authentication.')).toBeVisible();
  await page.goto(`/orgs/${org.slug}/service-accounts`);
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}/account$`));
  const api = await page.request.get('/api/v1/service-accounts', { headers: { 'Latchkey-Organization': org.slug } });
  expect(api.status()).toBe(403);
  expect(await api.json()).toMatchObject({ code: 'two_factor_required' });

  // Once it is on, the console opens up.
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const adminSecret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
  await page.getByLabel('Authenticator code').fill(currentTotpCode(adminSecret, Date.now() - 30_000));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await page.getByRole('button', { name: 'I have saved it, close' }).click();
  await page.goto(`/orgs/${org.slug}/service-accounts`);
  await expect(page.getByRole('heading', { level: 1, name: 'Service accounts' })).toBeVisible();
});
