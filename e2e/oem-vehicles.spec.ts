import { randomBytes } from 'node:crypto';
import { computeCheckDigit } from '../lib/vehicles/vin';
import { expect, formAlert, signInAs, test } from './fixtures';

const CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
function vin(wmi: string): string {
  let rest = '';
  for (const b of randomBytes(14)) rest += CHARS[b % CHARS.length];
  const v = `${wmi}${rest}`.slice(0, 17);
  return `${v.slice(0, 8)}${computeCheckDigit(v)}${v.slice(9)}`;
}

test('an admin adds an OEM credential and a vehicle; the secret is never shown; a credential in use cannot be deleted', async ({
  page,
  seed,
  baseURL,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  const secret = `mb-secret-${randomBytes(10).toString('hex')}`;
  const name = `Mercedes fleet ${randomBytes(2).toString('hex')}`;
  await signInAs(page, admin);

  await page.goto(`/orgs/${org.slug}/oem-credentials`);
  const form = page.getByRole('form', { name: 'Add OEM credential' });
  await form.getByLabel('Brand').selectOption('MERCEDES_BENZ');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Client ID').fill('mb-client-1');
  await form.getByLabel('Client secret').fill(secret);
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'will not be shown again' })).toBeVisible();
  await expect(form.getByLabel('Client secret')).toHaveValue('');
  await expect(page.getByRole('link', { name })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  // Same name again: a clear refusal, and what was typed stays.
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Client ID').fill('mb-client-2');
  await form.getByLabel('Client secret').fill('another');
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(formAlert(page)).toContainText('already exists');

  // The API never returns the secret either, and refuses to change anything but it.
  const headers = { 'Latchkey-Organization': org.slug, Origin: baseURL ?? '' };
  const list = await page.request.get('/api/v1/credentials/mercedes-benz', { headers });
  expect(list.status()).toBe(200);
  const listed = (await list.json()) as { data: Array<{ id: string; name: string }> };
  expect(JSON.stringify(listed)).not.toContain(secret);
  const id = listed.data.find((c) => c.name === name)?.id ?? '';
  const one = await page.request.get(`/api/v1/credentials/mercedes-benz/${id}`, { headers });
  expect(await one.text()).not.toContain(secret);
  const patch = await page.request.patch(`/api/v1/credentials/mercedes-benz/${id}`, {
    headers,
    data: { client_id: 'other', client_secret: 'x' },
  });
  expect(patch.status()).toBe(400);
  expect(await patch.json()).toMatchObject({ code: 'immutable_field', detail: expect.stringContaining('client_id') });
  expect((await page.request.get(`/api/v1/credentials/tesla`, { headers })).status()).toBe(400);

  // A vehicle by VIN: the lookup recognises the brand and says what connecting needs.
  const myVin = vin('W1K');
  await page.goto(`/orgs/${org.slug}/vehicles`);
  const add = page.getByRole('form', { name: 'Add vehicle' });
  await add.getByLabel('VIN').fill('WDD2O50461F123456');
  await add.getByRole('button', { name: 'Add vehicle' }).click();
  await expect(add.getByText('A VIN never contains the letters I, O or Q.')).toBeVisible();
  await add.getByLabel('VIN').fill(myVin.toLowerCase());
  await add.getByRole('button', { name: 'Look up' }).click();
  const lookup = page.getByRole('status', { name: 'VIN lookup' });
  await expect(lookup).toContainText('Brand: Mercedes-Benz');
  await expect(lookup).toContainText('can connect');
  await expect(add.getByLabel('Brand')).toHaveValue('MERCEDES_BENZ');
  await expect(add.getByLabel('OEM credential').locator('option:checked')).toHaveText(name);
  await add.getByRole('button', { name: 'Add vehicle' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Vehicle ${myVin} added` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Vehicles' })).toContainText(myVin);

  // Deleting the credential while the vehicle uses it names the vehicle.
  await page.goto(`/orgs/${org.slug}/oem-credentials`);
  await page.getByRole('link', { name }).click();
  await page.getByRole('button', { name: 'Delete credential' }).click();
  await page
    .getByRole('dialog', { name: `Delete the OEM credential “${name}”?` })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(formAlert(page)).toContainText('is used by 1 vehicle');
  // It says what the console can do: remove the vehicle (vehicles cannot be moved to another credential).
  await expect(formAlert(page)).toContainText('Remove those vehicles first.');
  await expect(formAlert(page)).not.toContainText('move them');
  await expect(page.getByRole('list', { name: 'Vehicles using this credential' })).toHaveText(myVin);
  const del = await page.request.delete(`/api/v1/credentials/mercedes-benz/${id}`, { headers });
  expect(del.status()).toBe(409);
  expect(await del.json()).toMatchObject({ code: 'oem_credential_in_use', detail: expect.stringContaining(myVin) });

  // Remove the vehicle, then the credential goes.
  await page.goto(`/orgs/${org.slug}/vehicles`);
  await page.getByRole('button', { name: `Remove ${myVin}` }).click();
  await page
    .getByRole('dialog', { name: `Remove vehicle ${myVin}?` })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(page.getByText('No vehicles yet')).toBeVisible();
  await page.goto(`/orgs/${org.slug}/oem-credentials/${id}`);
  await page.getByRole('button', { name: 'Delete credential' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}/oem-credentials$`));
  await expect(page.getByText('No OEM credentials yet')).toBeVisible();
});

test('an auditor sees OEM credentials and vehicles but cannot change them', async ({ page, seed, baseURL }) => {
  const org = await seed.org();
  const auditor = await seed.member(org, 'AUDITOR');
  await signInAs(page, auditor);
  await page.goto(`/orgs/${org.slug}/oem-credentials`);
  await expect(page.getByRole('heading', { name: 'OEM credentials', exact: true })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Add OEM credential' })).toHaveCount(0);
  await page.goto(`/orgs/${org.slug}/vehicles`);
  await expect(page.getByRole('form', { name: 'Add vehicle' })).toHaveCount(0);
  const headers = { 'Latchkey-Organization': org.slug, Origin: baseURL ?? '' };
  const create = await page.request.post('/api/v1/credentials/niu', {
    headers,
    data: { name: 'x', client_id: 'x', client_secret: 'x' },
  });
  expect(create.status()).toBe(403);
  const add = await page.request.post('/api/v1/vehicles', { headers, data: { vin: vin('1FT'), brand: 'CLOUDBOXX' } });
  expect(add.status()).toBe(403);
  const lookup = await page.request.get(`/api/v1/vehicles/lookup?vin=${vin('1FT')}`, { headers });
  expect(lookup.status()).toBe(200);
  expect(await lookup.json()).toMatchObject({ valid: true, region: 'North America', check_digit: 'valid' });
});
