import type { Page } from '@playwright/test';
import { accountWithSecret, api, basicAuth, expect, mistyped, formAlert, ORIGIN, signInAs, test } from './fixtures';

const SECRET = /lk_sec_[0-9A-Za-z]{49}/;

async function createAccountInConsole(page: Page, orgSlug: string, name: string) {
  await page.goto(`/orgs/${orgSlug}/service-accounts`);
  await page.getByRole('link', { name: 'New service account' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Platform').selectOption('SERVER');
  await page.getByRole('checkbox', { name: /^TILE/ }).check();
  await page.getByLabel('Access token lifetime (seconds)').fill('900');
  await page.getByLabel('IP allow-list').fill('10.0.0.0/8\nnot-a-cidr');
  await page.getByRole('button', { name: 'Create service account' }).click();
  await expect(page.getByText('"not-a-cidr" is not an IP address or CIDR block.')).toBeVisible();
  // What was typed is kept; fix the bad line and submit again.
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  await page.getByLabel('IP allow-list').fill('10.0.0.0/8\n2001:db8::/32');
  await page.getByRole('button', { name: 'Create service account' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('an admin creates an account, issues a secret seen once, rotates it, suspends and revokes the account', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);

  await createAccountInConsole(page, org.slug, 'billing-backend');
  await expect(page.getByText('10.0.0.0/8')).toBeVisible();
  await expect(page.getByText('15 minutes')).toBeVisible();

  // Edit: the form comes back filled in; the change shows on the detail page.
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('IP allow-list')).toHaveValue('10.0.0.0/8\n2001:db8::/32');
  await page.getByLabel('Description').fill('Charges customers nightly');
  await page.getByRole('checkbox', { name: /^MATRIX/ }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Charges customers nightly')).toBeVisible();
  await expect(page.getByText('MATRIX', { exact: true })).toBeVisible();

  // Issue a secret: shown once in the dialog, with Basic usage and downloads.
  await page.getByLabel('Secret name').fill('production');
  await page.getByRole('button', { name: 'Create secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Client secret "production" created' });
  await expect(dialog).toBeVisible();
  const secret = (await dialog.getByLabel('Client secret', { exact: true }).textContent()) ?? '';
  expect(secret).toMatch(SECRET);
  const keyId = (await dialog.getByLabel('Key id', { exact: true }).textContent()) ?? '';
  expect(keyId).toMatch(/^kid_/);
  await expect(dialog.getByText(`curl -u '${keyId}:<secret>'`)).toBeVisible();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download .env' }).click();
  expect((await download).suggestedFilename()).toBe(`${keyId}.env`);
  await dialog.getByRole('button', { name: 'I have saved it, close' }).click();
  await expect(dialog).toBeHidden();
  // Gone from the page, and a reload cannot bring it back.
  expect(await page.content()).not.toContain(secret);
  await page.reload();
  expect(await page.content()).not.toContain(secret);
  const secrets = page.getByRole('table', { name: 'Client secrets' });
  await expect(secrets.getByRole('row', { name: /production/ })).toContainText(secret.slice(-4));

  // Rotate with no grace period: a new secret once, the old one expired.
  await secrets.getByRole('button', { name: 'Rotate' }).click();
  await page.getByLabel('Old secret stays valid for').selectOption('0');
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  const rotated = page.getByRole('dialog', { name: 'Client secret "production" created' });
  const newSecret = (await rotated.getByLabel('Client secret', { exact: true }).textContent()) ?? '';
  expect(newSecret).toMatch(SECRET);
  expect(newSecret).not.toBe(secret);
  const newKeyId = (await rotated.getByLabel('Key id', { exact: true }).textContent()) ?? '';
  expect(newKeyId).toMatch(/^kid_/);
  await rotated.getByRole('button', { name: 'I have saved it, close' }).click();
  await expect(secrets.getByRole('row')).toHaveCount(3);
  await expect(secrets.getByText('Expired')).toHaveCount(1);
  // Each row names its side of the rotation; an expired old secret has no "stops working".
  const rowOf = (plain: string) => secrets.getByRole('row').filter({ hasText: plain.slice(-4) });
  await expect(rowOf(newSecret)).toContainText(`Replaces ${keyId}`);
  await expect(rowOf(secret)).toContainText(`Replaced by ${newKeyId}`);
  await expect(secrets.getByText(/stops working/)).toHaveCount(0);
  expect(await page.content()).not.toContain(newSecret);

  // Suspend, then reactivate.
  await page.getByRole('button', { name: 'Suspend' }).click();
  await page.getByRole('dialog', { name: 'Suspend billing-backend?' }).getByRole('button', { name: 'Suspend' }).click();
  await expect(page.getByText(/Suspended since/)).toBeVisible();
  await page.getByRole('button', { name: 'Reactivate' }).click();
  await expect(page.getByRole('button', { name: 'Suspend' })).toBeVisible();

  // Revoke behind a typed confirmation.
  await page.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke billing-backend?' });
  const revokeButton = confirm.getByRole('button', { name: 'Revoke permanently' });
  await expect(revokeButton).toBeDisabled();
  await confirm.getByLabel('Type "billing-backend" to confirm').fill('billing');
  await expect(revokeButton).toBeDisabled();
  await confirm.getByLabel('Type "billing-backend" to confirm').fill('billing-backend');
  await revokeButton.click();
  await expect(page.getByText(/This service account was revoked/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create secret' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reactivate' })).toHaveCount(0);
  await expect(secrets.getByText('Disabled')).toHaveCount(2);

  // The list shows it revoked, and filters by status.
  await page.goto(`/orgs/${org.slug}/service-accounts?status=REVOKED`);
  await expect(page.getByRole('link', { name: 'billing-backend' })).toBeVisible();
  await page.goto(`/orgs/${org.slug}/service-accounts?status=ACTIVE`);
  await expect(page.getByText('No service accounts match these filters')).toBeVisible();
});

test('key pairs: generate (config downloaded once) and upload; a private key upload is refused', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const res = await api(page, org.slug).post('/api/v1/service-accounts', { name: 'mobile', platform: 'IOS' });
  expect(res.status()).toBe(201);
  const account = (await res.json()) as { id: string };
  await page.goto(`/orgs/${org.slug}/service-accounts/${account.id}`);

  await page.getByLabel('Key name', { exact: true }).fill('ci-key');
  await page.getByRole('button', { name: 'Generate key pair' }).click();
  const dialog = page.getByRole('dialog', { name: 'Key pair generated' });
  const config = JSON.parse(
    (await dialog.getByLabel('Private key config', { exact: true }).textContent()) ?? '{}',
  ) as Record<string, string>;
  expect(config).toMatchObject({
    type: 'latchkey_service_account_key',
    service_account_id: account.id,
    algorithm: 'ES256',
    token_url: `${ORIGIN}/api/oauth/token`,
  });
  expect(config.private_key).toContain('BEGIN PRIVATE KEY');
  // High Mobility's console field names for the key id, which their examples read (config.id).
  expect([config.id, config.client_id]).toEqual([config.key_id, config.key_id]);
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download key config (JSON)' }).click();
  expect((await download).suggestedFilename()).toBe(`${config.key_id}.json`);
  await dialog.getByRole('button', { name: 'I have saved it, close' }).click();
  await page.reload();
  expect(await page.content()).not.toContain('PRIVATE KEY-----');

  await page.getByLabel('Uploaded key name').fill('private');
  await page.getByLabel('Public key (PEM or JWK, ES256)').fill(config.private_key ?? '');
  await page.getByRole('button', { name: 'Upload public key' }).click();
  await expect(page.getByText(/This is a private key\. Never share a private key/)).toBeVisible();

  // A client-platform account gets a client token pair; the server token is shown once.
  await page.getByRole('button', { name: 'Create token pair' }).click();
  const pair = page.getByRole('dialog', { name: 'Client token pair created' });
  const serverToken = (await pair.getByLabel('Server token', { exact: true }).textContent()) ?? '';
  expect(serverToken).toMatch(/^lk_srv_/);
  // The dialog shows how the pair is used; the request it shows works as written.
  const usage = (await pair.getByText(/grant_type=client_credentials/).textContent()) ?? '';
  const [, pairId, tokenUrl] =
    /curl -u '(ctp_[^:]+):<server token>' -d grant_type=client_credentials (\S+)/.exec(usage) ?? [];
  expect(pairId).toBeTruthy();
  expect(usage).not.toContain(serverToken);
  const issued = await page.request.post(tokenUrl ?? '', {
    headers: { Authorization: `Basic ${Buffer.from(`${pairId}:${serverToken}`).toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
  expect(issued.status()).toBe(200);
  expect(await issued.json()).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
  await pair.getByRole('button', { name: 'I have saved it, close' }).click();
  await page.reload();
  expect(await page.content()).not.toContain(serverToken);
  await expect(page.getByRole('table', { name: 'Key pairs' }).getByText('Generated')).toBeVisible();
});

test('the management API: validation problems, pagination, tenancy and a forged auditor write', async ({
  page,
  browser,
  seed,
}) => {
  // Seeds four members in two organizations and pages through 25 accounts: more than the default 30 s on a busy machine.
  test.setTimeout(60_000);
  const org = await seed.org();
  const other = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  const otherAdmin = await seed.member(other, 'ADMIN');
  const auditor = await seed.member(org, 'AUDITOR');

  // Another organization's account, created by its own admin in a separate browser session.
  const otherContext = await browser.newContext({ baseURL: ORIGIN });
  const otherPage = await otherContext.newPage();
  await signInAs(otherPage, otherAdmin);
  const theirs = (await (
    await api(otherPage, other.slug).post('/api/v1/service-accounts', { name: 'theirs', platform: 'SERVER' })
  ).json()) as { id: string };
  await otherContext.close();

  await signInAs(page, admin);
  const client = api(page, org.slug);
  const bad = await client.post('/api/v1/service-accounts', {
    name: '',
    platform: 'MAINFRAME',
    ipAllowList: ['300.1.1.1/8'],
    extra: 1,
  });
  expect(bad.status()).toBe(400);
  expect(bad.headers()['content-type']).toContain('application/problem+json');
  const problem = (await bad.json()) as { code: string; errors: Record<string, string[]> };
  expect(problem.code).toBe('validation_failed');
  expect(Object.keys(problem.errors)).toEqual(expect.arrayContaining(['name', 'platform', 'ipAllowList.0']));

  for (let i = 0; i < 3; i++)
    expect((await client.post('/api/v1/service-accounts', { name: `svc-${i}`, platform: 'WEB' })).status()).toBe(201);
  const list = (await (await client.get('/api/v1/service-accounts?pageSize=2&page=2&platform=WEB')).json()) as {
    items: unknown[];
    total: number;
    totalPages: number;
  };
  expect(list).toMatchObject({ total: 3, totalPages: 2 });
  expect(list.items).toHaveLength(1);
  const mine = (await (await client.get('/api/v1/service-accounts?q=svc-0')).json()) as {
    items: Array<{ id: string }>;
  };
  const accountId = mine.items[0]?.id ?? '';

  // Another organization's id answers 404, and so does naming an organization one is not in.
  expect((await client.get(`/api/v1/service-accounts/${theirs.id}`)).status()).toBe(404);
  expect((await client.post(`/api/v1/service-accounts/${theirs.id}/secrets`, { name: 'x' })).status()).toBe(404);
  expect((await api(page, other.slug).get('/api/v1/service-accounts')).status()).toBe(404);
  expect((await client.get('/api/v1/service-accounts/not-an-id')).status()).toBe(400);

  // Issue a secret via the API: 201 with the secret; the 11th enabled one is refused.
  for (let i = 0; i < 10; i++)
    expect((await client.post(`/api/v1/service-accounts/${accountId}/secrets`, { name: `s${i}` })).status()).toBe(201);
  const eleventh = await client.post(`/api/v1/service-accounts/${accountId}/secrets`, { name: 's10' });
  expect(eleventh.status()).toBe(409);
  expect(((await eleventh.json()) as { code: string }).code).toBe('limit_exceeded');

  // A cross-site write with the session cookie is refused.
  const csrf = await page.request.post('/api/v1/service-accounts', {
    headers: { 'Latchkey-Organization': org.slug, Origin: 'https://evil.example' },
    data: { name: 'x', platform: 'SERVER' },
  });
  expect(csrf.status()).toBe(403);

  // The auditor sees everything and can change nothing.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
  await signInAs(page, auditor);
  await page.goto(`/orgs/${org.slug}/service-accounts`);
  await expect(page.getByRole('link', { name: 'svc-0' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New service account' })).toHaveCount(0);
  await page.getByRole('link', { name: 'svc-0' }).click();
  await expect(page.getByRole('table', { name: 'Client secrets' }).getByRole('row')).toHaveCount(11);
  for (const name of [
    'Create secret',
    'Suspend',
    'Revoke',
    'Rotate',
    'Disable',
    'Delete',
    'Generate key pair',
    'Create token pair',
  ]) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  const forged = await api(page, org.slug).post(`/api/v1/service-accounts/${accountId}/suspend`);
  expect(forged.status()).toBe(403);
  expect(((await forged.json()) as { code: string }).code).toBe('forbidden');
  expect((await page.goto(`/orgs/${org.slug}/service-accounts/new`))?.status()).toBe(404);
});

test('the overview lists credentials expiring within 14 days; the API reference documents the operations', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'OWNER');
  await signInAs(page, admin);
  const client = api(page, org.slug);
  const account = (await (
    await client.post('/api/v1/service-accounts', { name: 'short-lived', platform: 'SERVER' })
  ).json()) as { id: string };
  const soon = new Date(Date.now() + 5 * 86_400_000).toISOString();
  expect(
    (
      await client.post(`/api/v1/service-accounts/${account.id}/secrets`, { name: 'expiring-secret', expiresAt: soon })
    ).status(),
  ).toBe(201);
  await page.goto(`/orgs/${org.slug}`);
  const card = page.getByRole('region', { name: /Credentials expiring within 14 days/ });
  await expect(card.getByRole('link', { name: 'short-lived' })).toBeVisible();
  await expect(card.getByText('expiring-secret')).toBeVisible();
  await page.goto(`/orgs/${org.slug}/service-accounts`);
  await expect(page.getByText('1 expiring soon')).toBeVisible();

  const doc = (await (await page.request.get('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
  expect(Object.keys(doc.paths)).toContain('/api/v1/service-accounts/{accountId}/secrets/{secretId}/rotate');
  await page.goto('/docs/api');
  await expect(page.getByRole('heading', { name: 'Latchkey API', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Rotate a client secret' })).toBeVisible();
  await expect(page.getByText('/api/v1/service-accounts/{accountId}/revoke')).toBeVisible();
});

test('field errors are shown on the secret form when the expiry exceeds the organization maximum', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const account = (await (
    await api(page, org.slug).post('/api/v1/service-accounts', { name: 'capped', platform: 'SERVER' })
  ).json()) as { id: string };
  await page.goto(`/orgs/${org.slug}/service-accounts/${account.id}`);
  await page.getByLabel('Secret name').fill('too-long');
  await page
    .getByLabel('Secret expires on (optional)')
    .fill(new Date(Date.now() + 1000 * 86_400_000).toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Create secret' }).click();
  await expect(page.getByText(/allows credentials to live at most 730 days/).first()).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(formAlert(page)).toHaveCount(0);
});

test('an isAdmin account manages service accounts with a bearer token from its client secret', async ({
  page,
  request,
  seed,
}) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  const session = api(page, org.slug);

  async function accountWithSecret(name: string, body: Record<string, unknown>) {
    const account = (await (
      await session.post('/api/v1/service-accounts', { name, platform: 'SERVER', ...body })
    ).json()) as { id: string };
    const created = (await (
      await session.post(`/api/v1/service-accounts/${account.id}/secrets`, { name: 'main' })
    ).json()) as { clientSecret: { id: string }; secret: string };
    const token = await request.post('/api/oauth/token', {
      form: { grant_type: 'client_credentials' },
      headers: {
        Authorization: `Basic ${Buffer.from(`${created.clientSecret.id}:${created.secret}`).toString('base64')}`,
      },
    });
    expect(token.status()).toBe(200);
    return {
      id: account.id,
      bearer: { Authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` },
    };
  }

  const manager = await accountWithSecret('automation', { isAdmin: true, scopes: ['manage:service_accounts'] });
  const listed = await request.get('/api/v1/service-accounts', { headers: manager.bearer });
  expect(listed.status()).toBe(200);
  expect(((await listed.json()) as { items: Array<{ name: string }> }).items.map((i) => i.name)).toContain(
    'automation',
  );
  // Bearer calls need no Origin header: CSRF only concerns cookies.
  const made = await request.post('/api/v1/service-accounts', {
    headers: manager.bearer,
    data: { name: 'made-by-bot', platform: 'WEB' },
  });
  expect(made.status()).toBe(201);

  const reader = await accountWithSecret('reader', { isAdmin: true, scopes: ['read:service_accounts'] });
  expect((await request.get('/api/v1/service-accounts', { headers: reader.bearer })).status()).toBe(200);
  const denied = await request.post('/api/v1/service-accounts', {
    headers: reader.bearer,
    data: { name: 'nope', platform: 'WEB' },
  });
  expect(denied.status()).toBe(403);
  expect(((await denied.json()) as { code: string }).code).toBe('insufficient_scope');

  const plain = await accountWithSecret('plain', { scopes: ['TILE'] });
  // A valid token of a non-admin account: 403 insufficient_scope (RFC 6750 §3.1), not 401.
  const plainDenied = await request.get('/api/v1/service-accounts', { headers: plain.bearer });
  expect(plainDenied.status()).toBe(403);
  expect(((await plainDenied.json()) as { code: string }).code).toBe('insufficient_scope');
  const anonymous = await request.get('/api/v1/service-accounts');
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['www-authenticate']).toContain('Bearer');

  // Suspending the account stops its token at once (the token service reads the status set here).
  expect((await session.post(`/api/v1/service-accounts/${manager.id}/suspend`)).status()).toBe(200);
  expect((await request.get('/api/v1/service-accounts', { headers: manager.bearer })).status()).toBe(401);
});

test("an account's live tokens are listed and one is revoked behind a confirmation; an auditor only reads", async ({
  page,
  browser,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  const auditor = await seed.member(org, 'AUDITOR');
  await signInAs(page, admin);
  const { id, ...created } = await accountWithSecret(page, org.slug, 'token-holder');
  const authorization = basicAuth(created.keyId, created.secret);
  const issue = async () => {
    const res = await page.request.post('/api/oauth/token', {
      headers: { authorization },
      form: { grant_type: 'client_credentials' },
    });
    expect(res.status()).toBe(200);
    const token = ((await res.json()) as { access_token: string }).access_token;
    const jti = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { jti: string }).jti;
    return { token, jti };
  };
  const introspect = async (token: string) =>
    (
      (await (
        await page.request.post('/api/oauth/introspect', { headers: { authorization }, form: { token } })
      ).json()) as {
        active: boolean;
      }
    ).active;
  const first = await issue();
  const second = await issue();

  await page.goto(`/orgs/${org.slug}/service-accounts/${id}`);
  await page.getByRole('link', { name: 'Live tokens' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Live tokens of token-holder' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Live access tokens' });
  await expect(table.getByRole('row')).toHaveCount(3);
  const row = table.getByRole('row').filter({ hasText: first.jti });
  await expect(row).toContainText(created.keyId);
  expect(await page.content()).not.toContain(first.token);

  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke this access token?' });
  await expect(confirm).toContainText(first.jti);
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByText(second.jti)).toBeVisible();
  expect(await introspect(first.token)).toBe(false);
  expect(await introspect(second.token)).toBe(true);

  // An auditor sees the list and no way to revoke.
  const context = await browser.newContext({ baseURL: ORIGIN });
  const auditorPage = await context.newPage();
  await signInAs(auditorPage, auditor);
  await auditorPage.goto(`/orgs/${org.slug}/service-accounts/${id}/tokens`);
  await expect(auditorPage.getByRole('table', { name: 'Live access tokens' }).getByText(second.jti)).toBeVisible();
  await expect(auditorPage.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  await context.close();
});

test('a mistyped secret with a real key id shows on the account, per credential and in the audit log, from both surfaces', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const { id, keyId, ...created } = await accountWithSecret(page, org.slug, 'watched');
  const token = (secret: string) =>
    page.request.post('/api/oauth/token', {
      headers: { authorization: basicAuth(keyId, secret) },
      form: { grant_type: 'client_credentials' },
    });
  expect((await token(created.secret)).status()).toBe(200);
  expect((await token(mistyped(created.secret))).status()).toBe(401);
  const vendor = await page.request.post('/compat/restapi/System/UserAccount', {
    data: { clientId: keyId, clientSecret: 'typo' },
  });
  expect(vendor.status()).toBe(401);

  await page.goto(`/orgs/${org.slug}/service-accounts/${id}`);
  const row = page.getByRole('table', { name: 'Client secrets' }).getByRole('row', { name: /main/ });
  await expect(row).toContainText('1 issued · 2 refused');
  const refusals = page.getByRole('table', { name: 'Recent refusals' });
  await expect(refusals.getByRole('row')).toHaveCount(3);
  await expect(refusals.getByRole('row').nth(1)).toContainText('/compat/restapi/System/UserAccount');
  await expect(refusals.getByRole('row').nth(2)).toContainText('/api/oauth/token');
  await expect(refusals).toContainText('bad_credentials');
  await expect(page.getByRole('figure', { name: 'Token issuance and refusals over time' })).toContainText(
    '1 issued, 2 refused',
  );
  expect(await page.content()).not.toContain(created.secret);

  // Both refusals are in the organization's audit log, against the account the key id names.
  await page.goto(`/orgs/${org.slug}/audit?action=token.refused`);
  await expect(page.getByRole('row', { name: /watched Service account token\.refused/ })).toHaveCount(2);
});
