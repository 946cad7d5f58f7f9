import type { Page } from '@playwright/test';
import { githubActionsClaims, startTestIssuer, type TestIssuer } from '../lib/testing/oidc-issuer';
import { expect, signInAs, test } from './fixtures';

const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const REPO = { owner: 'octo-org', ownerId: '9919', repo: 'octo-repo', repoId: '1296269' };

let issuer: TestIssuer;
test.beforeAll(async () => {
  // A loopback stand-in for GitHub's JWKS: tokens carry GitHub's exact iss, their keys are served here.
  issuer = await startTestIssuer({ path: '/github' });
});
test.afterAll(async () => {
  await issuer.stop();
});

async function createAccount(page: Page, orgSlug: string): Promise<string> {
  const res = await page.request.post('/api/v1/service-accounts', {
    headers: { 'Latchkey-Organization': orgSlug, Origin: ORIGIN },
    data: { name: 'deployer', platform: 'SERVER' },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

test('an admin creates a GitHub Actions federated credential from its template and dry-runs workload tokens', async ({
  page,
  seed,
}) => {
  const org = await seed.org();
  const admin = await seed.member(org, 'ADMIN');
  await signInAs(page, admin);
  const accountId = await createAccount(page, org.slug);
  await page.goto(`/orgs/${org.slug}/service-accounts/${accountId}`);

  const form = page.getByRole('form', { name: 'Create federated credential' });
  await form.getByLabel('Template').selectOption({ label: 'GitHub Actions' });
  await form.getByLabel('Owner (organization or user)').fill(REPO.owner);
  await form.getByLabel('Owner id (repository_owner_id)').fill('not-a-number');
  await form.getByLabel('Repository', { exact: true }).fill(REPO.repo);
  await form.getByLabel('Repository id (repository_id)').fill(REPO.repoId);
  await form.getByRole('button', { name: 'Fill in from template' }).click();
  await expect(form.getByText('The numeric owner id.')).toBeVisible();
  await form.getByLabel('Owner id (repository_owner_id)').fill(REPO.ownerId);
  await form.getByRole('button', { name: 'Fill in from template' }).click();

  await expect(form.getByLabel('Issuer (exact iss)')).toHaveValue(GITHUB_ISSUER);
  await expect(form.getByLabel('Subject (sub)')).toHaveValue(
    'repo:octo-org@9919/octo-repo@1296269:ref:refs/heads/main',
  );
  await expect(form.getByLabel('Claim conditions (JSON)')).toHaveValue(/"repository_id"[\s\S]*"1296269"/);
  await expect(form.getByLabel('Claim conditions (JSON)')).toHaveValue(/"repository_owner_id"[\s\S]*"9919"/);
  await expect(form.getByRole('checkbox', { name: 'RS256' })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: 'HS256' })).toHaveCount(0);
  const audience = await form.getByLabel('Audience (exact aud)').inputValue();
  expect(audience).toBe(ORIGIN);
  // This machine cannot reach GitHub: take the keys from the loopback stand-in instead.
  await form.getByLabel('Issuer keys from').selectOption('JWKS_URI');
  await form.getByLabel('JWKS URL').fill(issuer.jwksUri);
  await form.getByLabel('Credential name').fill('deploy workflow');
  await form.getByRole('button', { name: 'Create federated credential' }).click();
  await expect(page.getByText(/Federated credential created: its client id is fc_/)).toBeVisible();

  const table = page.getByRole('table', { name: 'Federated credentials' });
  await expect(table.getByText('deploy workflow')).toBeVisible();
  await expect(table.getByText('GitHub Actions')).toBeVisible();
  const clientId = (await table.locator('code', { hasText: /^fc_/ }).textContent()) ?? '';
  expect(clientId).toMatch(/^fc_[0-9A-Z]{26}$/);

  // Dry run: a token of the pinned repository is accepted ...
  const tester = page.getByRole('form', { name: 'Dry-run tester' });
  const good = await issuer.mint(githubActionsClaims({ ...REPO, audience }), { iss: GITHUB_ISSUER });
  await tester.getByLabel('Token to test').fill(good);
  await tester.getByRole('button', { name: 'Test token' }).click();
  const result = page.getByRole('region', { name: 'Dry-run result' });
  await expect(result.getByRole('status')).toHaveText(`Accepted by deploy workflow (${clientId}).`);
  await expect(tester.getByLabel('Token to test')).toHaveValue('');

  // ... and one of a re-created repository with the same name (another repository_id) is not,
  // and the tester names the failing condition.
  const recreated = await issuer.mint(
    { ...githubActionsClaims({ ...REPO, audience }), repository_id: '424242' },
    { iss: GITHUB_ISSUER },
  );
  await tester.getByLabel('Token to test').fill(recreated);
  await tester.getByRole('button', { name: 'Test token' }).click();
  await expect(result.getByRole('status')).toHaveText('No federated credential of this account accepts this token.');
  await expect(result.getByText('Refused: federated_condition_repository_id')).toBeVisible();
  await expect(result.getByText(/repository_id equals 1296269; the token has 424242/)).toBeVisible();

  // Nothing was issued by the tester; the real token endpoint accepts the good token.
  const issued = await page.request.post('/api/oauth/token', {
    form: {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: good,
    },
  });
  expect(issued.status()).toBe(200);
  expect(((await issued.json()) as { access_token: string }).access_token).toBeTruthy();
});
