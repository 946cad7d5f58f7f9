import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { parseCsv } from '../lib/testing/audit-csv';
import { expect, signInAs, test } from './fixtures';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

/** seedAudit runs `npm run seed:audit` against the e2e database: realistic chained events. */
async function seedAudit(orgSlug: string, count: number) {
  await run(
    path.join(root, 'node_modules/.bin/tsx'),
    [
      '--conditions=react-server',
      'scripts/seed-audit-events.ts',
      '--org',
      orgSlug,
      '--count',
      String(count),
      '--days',
      '2',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        // The seed needs neither; lib/env.ts only insists they are well-formed.
        NEXTAUTH_SECRET: 'e2e-seed-only-secret-e2e-seed-only-secret',
        LATCHKEY_MASTER_KEYS: `1:${Buffer.alloc(32, 1).toString('base64')}`,
      },
    },
  );
}

/** asSuperuser alters the log behind the application's back, as a DBA could. */
async function tamperAsSuperuser(orgId: string, seq: number) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(
      'UPDATE audit_events SET details = \'{"edited": true}\' WHERE organization_id = $1 AND seq = $2',
      [orgId, seq],
    );
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

test('an auditor filters the log, pages, exports CSV and NDJSON, and verifies the chain', async ({
  page,
  seed,
  baseURL,
}) => {
  const org = await seed.org();
  const auditor = await seed.member(org, 'AUDITOR');
  await seedAudit(org.slug, 1_500);
  await signInAs(page, auditor);
  await page.goto(`/orgs/${org.slug}/audit`);
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Token issuance and refusals over time' })).toBeVisible();
  await expect(page.getByTestId('tokens-issued')).not.toHaveText(/^0 issued/);

  // Filter: refused token requests. The filters land in the URL and survive a reload.
  const search = page.getByRole('search', { name: 'Filter audit events' });
  await search.getByLabel('Action').fill('token.refused');
  await search.getByLabel('Outcome').selectOption('FAILURE');
  await search.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/action=token\.refused/);
  await expect(page).toHaveURL(/outcome=FAILURE/);
  const table = page.getByRole('table', { name: 'Audit events' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(50);
  await page.reload();
  await expect(search.getByLabel('Action')).toHaveValue('token.refused');
  await expect(search.getByLabel('Outcome')).toHaveValue('FAILURE');
  const actions = await rows.locator('td:nth-child(4)').allTextContents();
  expect(new Set(actions)).toEqual(new Set(['token.refused']));

  // Keyset paging: the next page continues strictly older, without overlap.
  const firstPageSeqs = (await rows.locator('td:first-child').allTextContents()).map(Number);
  await page.getByRole('link', { name: 'Older events →' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page).toHaveURL(/action=token\.refused/);
  await expect(rows.first()).not.toHaveText(new RegExp(`^${firstPageSeqs[0]}`));
  const secondPageSeqs = (await rows.locator('td:first-child').allTextContents()).map(Number);
  expect(Math.max(...secondPageSeqs)).toBeLessThan(Math.min(...firstPageSeqs));
  await page.getByRole('link', { name: '← Newest' }).click();
  await expect(page).not.toHaveURL(/cursor=/);

  // Exports carry the same filters.
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const csvFile = await (await csvDownload).path();
  const records = parseCsv(await readFile(csvFile, 'utf8'));
  expect(records.length).toBeGreaterThan(50);
  expect(new Set(records.map((r) => r.action))).toEqual(new Set(['token.refused']));
  expect(new Set(records.map((r) => r.outcome))).toEqual(new Set(['FAILURE']));
  expect(records[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.parse(records[0]?.details ?? '{}')).toHaveProperty('reason');

  const ndjsonDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export NDJSON' }).click();
  const ndjsonFile = await (await ndjsonDownload).path();
  const lines = (await readFile(ndjsonFile, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; seq: string });
  expect(lines.map((l) => l.seq)).toEqual(records.map((r) => r.seq));

  // Verify: intact, then a superuser edits one event and verify names it.
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Chain intact' })).toBeVisible();
  await tamperAsSuperuser(org.id, 700);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Chain broken at event #700' })).toBeVisible();

  // The management API says the same, and streams the same export.
  const headers = { 'Latchkey-Organization': org.slug, Origin: baseURL ?? '' };
  const verify = await page.request.post('/api/v1/audit-events/verify', { headers });
  expect(verify.status()).toBe(200);
  expect(await verify.json()).toMatchObject({
    intact: false,
    checked: 699,
    first_broken_link: { seq: '700', reason: 'hash_mismatch' },
  });
  const apiExport = await page.request.get(
    '/api/v1/audit-events/export?format=ndjson&action=token.refused&outcome=FAILURE',
    { headers },
  );
  expect(apiExport.headers()['content-type']).toContain('application/x-ndjson');
  expect((await apiExport.text()).trimEnd().split('\n')).toHaveLength(lines.length);
  const badExport = await page.request.get('/api/v1/audit-events/export?format=xml', { headers });
  expect(badExport.status()).toBe(400);
  expect(await badExport.json()).toMatchObject({ code: 'validation_failed' });
});

test('invalid filters are explained, and another organization’s log is not found', async ({ page, seed }) => {
  const org = await seed.org();
  const other = await seed.org();
  const auditor = await seed.member(org, 'AUDITOR');
  // Signed out: no session, no token.
  expect(
    (await page.request.get('/api/v1/audit-events', { headers: { 'Latchkey-Organization': org.slug } })).status(),
  ).toBe(401);
  expect((await page.request.get(`/orgs/${org.slug}/audit/export?format=csv`)).status()).toBe(404);
  await signInAs(page, auditor);
  await page.goto(`/orgs/${org.slug}/audit?from=yesterday&outcome=MAYBE`);
  await expect(page.getByText('Some filters are invalid')).toBeVisible();
  await expect(page.getByText('Use an ISO 8601 time')).toBeVisible();

  const response = await page.goto(`/orgs/${other.slug}/audit`);
  expect(response?.status()).toBe(404);
  const exported = await page.request.get(`/orgs/${other.slug}/audit/export?format=csv`);
  expect(exported.status()).toBe(404);
  const api = await page.request.get('/api/v1/audit-events', { headers: { 'Latchkey-Organization': other.slug } });
  expect(api.status()).toBe(404);
  const mine = await page.request.get('/api/v1/audit-events?limit=2', {
    headers: { 'Latchkey-Organization': org.slug },
  });
  expect(mine.status()).toBe(200);
  const body = (await mine.json()) as { data: Array<{ action: string }>; next_cursor: string | null };
  expect(body.data.length).toBeGreaterThan(0);
});
