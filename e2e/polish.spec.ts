import { accountWithSecret, api, basicAuth, expect, mistyped, formAlert, signInAs, test } from './fixtures';

// Issue 18's remaining console points, each checked in the browser: the API reference, the
// permission help, the audit log's filters and names, and the VIN brand check.

type Json = Record<string, unknown>;
type Op = {
  operationId?: string;
  security?: unknown[];
  'x-required-scopes'?: string[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
};

/** Every $ref in a document, to check each one resolves. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  return found;
}

test('/api/openapi.json documents the OAuth endpoints and each operation’s management scopes', async ({ request }) => {
  // No OpenAPI validator is installed here, so the structure that matters is asserted directly.
  const response = await request.get('/api/openapi.json');
  expect(response.status()).toBe(200);
  const doc = (await response.json()) as {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, Op>>;
    components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
  };
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.info.title).toBeTruthy();
  for (const ref of refs(doc)) {
    const name = ref.replace('#/components/schemas/', '');
    expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
    expect(doc.components.schemas[name], `${ref} resolves`).toBeDefined();
  }
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      expect(op.operationId, `${method} ${path}`).toBeTruthy();
      expect(ids.has(op.operationId ?? ''), `${op.operationId} is unique`).toBe(false);
      ids.add(op.operationId ?? '');
      expect(Object.keys(op.responses ?? {}).length, `${method} ${path} has responses`).toBeGreaterThan(0);
      if (path.startsWith('/api/v1/')) expect(Array.isArray(op['x-required-scopes']), `${method} ${path}`).toBe(true);
    }

  const token = doc.paths['/api/oauth/token']?.post;
  expect(Object.keys(token?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded']);
  expect(token?.responses?.['400']?.content?.['application/json']?.schema).toEqual({
    $ref: '#/components/schemas/OAuthError',
  });
  const grants = ['ClientCredentialsGrant', 'JwtBearerGrant', 'RefreshTokenGrant', 'TokenExchangeGrant'];
  for (const g of grants) expect(doc.components.schemas[g], g).toBeDefined();
  for (const p of ['/api/oauth/introspect', '/api/oauth/revoke'])
    expect(Object.keys(doc.paths[p]?.post?.requestBody?.content ?? {}), p).toEqual([
      'application/x-www-form-urlencoded',
    ]);
  for (const p of [
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
    '/.well-known/jwks.json',
  ]) {
    expect(doc.paths[p]?.get, p).toBeDefined();
    // What the document says is served, is served.
    expect((await request.get(p)).status(), p).toBe(200);
  }
  const metadata = (await (await request.get('/.well-known/oauth-authorization-server')).json()) as {
    grant_types_supported: string[];
  };
  const documented = grants.map(
    (g) => (doc.components.schemas[g]?.properties as Record<string, { const?: string }>).grant_type?.const,
  );
  expect([...documented].sort()).toEqual([...metadata.grant_types_supported].sort());

  expect(doc.paths['/api/v1/service-accounts']?.post?.['x-required-scopes']).toEqual(['manage:service_accounts']);
  expect(doc.paths['/api/v1/service-accounts']?.get?.['x-required-scopes']).toEqual([
    'manage:service_accounts',
    'read:service_accounts',
  ]);
  const flows = doc.components.securitySchemes.oauth2?.flows as { clientCredentials: { scopes: Json } };
  expect(Object.keys(flows.clientCredentials.scopes)).toContain('manage:service_accounts');
});

test('the API reference renders its markdown and names scopes, not internal permissions', async ({ page }) => {
  await page.goto('/docs/api');
  await expect(page.getByRole('heading', { level: 1, name: 'Latchkey API' })).toBeVisible();
  const body = await page.locator('body').innerText();
  // Markdown is rendered: no literal backticks or ** left.
  expect(body).not.toContain('`');
  expect(body).not.toContain('**');
  // No internal permission names in any operation.
  const operations = page.locator('article');
  expect(await operations.count()).toBeGreaterThan(60);
  for (const text of await operations.allInnerTexts())
    expect(text).not.toMatch(
      /\b(organization|service_accounts|oem_credentials|vehicles|audit|members|webhooks)\.(read|write|export|verify)\b/,
    );

  const create = page.locator('#op-createServiceAccount');
  await expect(create.getByTestId('operation-access')).toContainText('Scope: manage:service_accounts');
  await expect(create.locator('code', { hasText: 'isAdmin' }).first()).toBeVisible();
  await expect(page.locator('#op-addMember').getByTestId('operation-access')).toHaveText(
    'Console session only: no management scope allows this.',
  );

  const token = page.locator('#op-requestToken');
  await expect(token).toContainText('/api/oauth/token');
  await expect(token).toContainText('Request body (application/x-www-form-urlencoded)');
  await expect(token.getByRole('listitem').filter({ hasText: 'client_credentials' }).first()).toBeVisible();
  await expect(token.getByTestId('operation-access')).toContainText('Client authentication');
  for (const id of ['introspectToken', 'revokeToken', 'getAuthorizationServerMetadata', 'getJwks'])
    await expect(page.locator(`#op-${id}`)).toBeVisible();
  await expect(page.locator('#op-getJwks').getByTestId('operation-access')).toHaveText('Public: no authentication.');
  await expect(page.getByRole('heading', { name: 'Service account permissions' })).toBeVisible();
});

test('the account form and page explain admin, management scopes and roles, with a link to more', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  await page.goto(`/orgs/${org.slug}/service-accounts/new`);
  await expect(page.getByLabel(/^Admin/)).toBeVisible();
  await expect(page.getByText('May call the management API (/api/v1).').first()).toBeVisible();
  await expect(page.locator('#field-scopes-hint')).toContainText('What its tokens may do.');
  await expect(page.locator('#field-roleBindings-hint')).toContainText('Which projects its tokens may be bound to');
  await page.getByLabel('Name', { exact: true }).fill('explained');
  await page.getByLabel('Platform').selectOption('SERVER');
  await page.getByRole('button', { name: 'Create service account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'explained' })).toBeVisible();
  const details = page.locator('dl', { has: page.locator('dt', { hasText: 'Scopes' }) });
  await expect(details.locator('dt', { hasText: /^Admin/ })).toContainText('May call the management API');
  await expect(details).toContainText('What its tokens may do.');
  await expect(details).toContainText('Which projects its tokens may be bound to');
  await details.getByRole('link', { name: 'How admin, scopes and roles differ' }).click();
  await expect(page).toHaveURL(/\/docs\/api#permissions$/);
  await expect(page.getByRole('heading', { name: 'Service account permissions' })).toBeVisible();
});

test('an invalid audit filter shows only the error: no empty list, no chart with counts', async ({ page, seed }) => {
  const org = await seed.org();
  const auditor = await seed.member(org, 'AUDITOR');
  await signInAs(page, auditor);
  await page.goto(`/orgs/${org.slug}/audit?from=yesterday`);
  await expect(page.getByText('Some filters are invalid')).toBeVisible();
  await expect(page.getByText('No matching events')).toHaveCount(0);
  await expect(page.getByRole('figure', { name: 'Token issuance and refusals over time' })).toHaveCount(0);
  await expect(page.getByText(/Tokens per (hour|day|week)/)).toHaveCount(0);
  // Nor an export or an end of a log it did not read.
  await expect(page.getByText('End of log')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveCount(0);
  // Valid filters bring both back.
  await page.goto(`/orgs/${org.slug}/audit`);
  await expect(page.getByRole('figure', { name: 'Token issuance and refusals over time' })).toBeVisible();
});

test('the audit action filter suggests known actions, and actors and targets show by name with a link', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  const account = await accountWithSecret(page, org.slug, 'named-target');
  const good = await page.request.post('/api/oauth/token', {
    headers: { Authorization: basicAuth(account.keyId, account.secret) },
    form: { grant_type: 'client_credentials' },
  });
  expect(good.status()).toBe(200);
  const bad = await page.request.post('/api/oauth/token', {
    headers: { Authorization: basicAuth(account.keyId, mistyped(account.secret)) },
    form: { grant_type: 'client_credentials' },
  });
  expect(bad.status()).toBe(401);

  await page.goto(`/orgs/${org.slug}/audit`);
  const action = page.getByRole('combobox', { name: 'Action' });
  await expect(action).toBeVisible();
  // The suggestions Chromium filters as one types: those containing "token" are the token events.
  const listId = await action.getAttribute('list');
  const suggestions = await page
    .locator(`datalist#${listId} option`)
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(suggestions.filter((s) => s.includes('token'))).toEqual(['token.issued', 'token.refused']);
  await action.fill('token.refused');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/action=token\.refused/);
  const table = page.getByRole('table', { name: 'Audit events' });
  await expect(table.getByRole('row')).toHaveCount(2);

  // The creation event: the owner by name (to the members), the account by name (to its page).
  await page.goto(`/orgs/${org.slug}/audit?action=service_account.created`);
  const row = table.getByRole('row').nth(1);
  await expect(row.getByRole('link', { name: owner.name })).toHaveAttribute('href', `/orgs/${org.slug}/members`);
  await expect(row).toContainText(`service_account ${account.id}`);
  await row.getByRole('link', { name: 'named-target' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'named-target' })).toBeVisible();

  // The secret's creation links to the account's secrets.
  await page.goto(`/orgs/${org.slug}/audit?action=client_secret.created`);
  await expect(table.getByRole('row').nth(1).getByRole('link', { name: 'main' })).toHaveAttribute(
    'href',
    `/orgs/${org.slug}/service-accounts/${account.id}/secrets`,
  );
});

test('a Mercedes-Benz VIN is refused as an NIU vehicle, naming the brand the VIN says', async ({ page, seed }) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const vin = 'WDD2050461F123456';
  const refused = await api(page, org.slug).post('/api/v1/vehicles', { vin, brand: 'NIU' });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({
    code: 'brand_mismatch',
    detail: expect.stringContaining('Mercedes-Benz'),
    errors: { brand: ['The VIN says Mercedes-Benz.'] },
  });

  await page.goto(`/orgs/${org.slug}/vehicles`);
  const add = page.getByRole('form', { name: 'Add vehicle' });
  await add.getByLabel('VIN').fill(vin);
  await add.getByLabel('Brand').selectOption('NIU');
  await add.getByRole('button', { name: 'Add vehicle' }).click();
  await expect(formAlert(page)).toContainText('is a Mercedes-Benz (Germany) VIN');
  await expect(add.getByText('The VIN says Mercedes-Benz.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Vehicles' })).toHaveCount(0);
});

test('the key pair form starts empty after a generate: the next key does not inherit the expiry', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const res = await api(page, org.slug).post('/api/v1/service-accounts', { name: 'key-reset', platform: 'IOS' });
  const { id } = (await res.json()) as { id: string };
  await page.goto(`/orgs/${org.slug}/service-accounts/${id}`);
  const form = page.getByRole('form', { name: 'Generate key pair' });
  await form.getByLabel('Key name', { exact: true }).fill('first-key');
  await form
    .getByLabel('Key expires on (optional)')
    .fill(new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10));
  await form.getByRole('button', { name: 'Generate key pair' }).click();
  const dialog = page.getByRole('dialog', { name: 'Key pair generated' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'I have saved it, close' }).click();
  await expect(form.getByLabel('Key name', { exact: true })).toHaveValue('');
  await expect(form.getByLabel('Key expires on (optional)')).toHaveValue('');
});
