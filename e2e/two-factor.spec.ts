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
  await expect(page.getByText('On', { exact: true })).toBeVisible();

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

  await page.getByLabel('Authenticator code').fill(currentTotpCode(secret));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}$`));
});
