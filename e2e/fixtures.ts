import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { test as base, expect, type Page } from '@playwright/test';
import type { JWK } from 'jose';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

export const PASSWORD = 'e2e password that is long enough';

/** cli runs Latchkey's own CLI against the test database and returns its JSON output. */
export async function cli<T>(...args: string[]): Promise<T> {
  const { stdout } = await run(
    path.join(root, 'node_modules/.bin/tsx'),
    ['--conditions=react-server', 'scripts/cli.ts', ...args],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.E2E_APP_DATABASE_URL ?? process.env.E2E_DATABASE_URL },
    },
  );
  return JSON.parse(stdout) as T;
}

/** What lib/testing/oauth-seed.ts creates: an organization's account with each kind of credential. */
export type OAuthSeed = {
  accountId: string;
  secret: { id: string; secret: string };
  keyPair: { id: string; privateJwk: JWK };
  pair: { id: string; clientToken: string; serverToken: string };
  projectId: string;
  environmentId: string;
};

/** seedOAuth creates a fresh account with every kind of credential in the test database, for the token service's specs. */
export async function seedOAuth(): Promise<OAuthSeed> {
  const { stdout } = await run(
    path.join(root, 'node_modules/.bin/tsx'),
    ['--conditions=react-server', 'lib/testing/oauth-seed.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        NEXTAUTH_SECRET: 'e2e-only-secret-e2e-only-secret-e2e-only',
        // The server's master key (playwright.config.ts): credential hashes are keyed with it.
        LATCHKEY_MASTER_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
        LOG_LEVEL: 'silent',
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as OAuthSeed;
}

type Org = { id: string; slug: string; name: string };
type User = { id: string; email: string; name: string };
type Role = 'OWNER' | 'ADMIN' | 'AUDITOR';

const suffix = () => randomBytes(4).toString('hex');

/** Seed creates fresh data for one test through the CLI, so tests never share rows. */
export type Seed = {
  org: () => Promise<Org>;
  member: (org: Org, role: Role) => Promise<User>;
};

export const test = base.extend<{ seed: Seed }>({
  seed: async ({}, use) => {
    await use({
      org: () => cli<Org>('org', 'create', '--name', `E2E Org ${suffix()}`),
      member: (org, role) =>
        cli<User>(
          'user',
          'create',
          '--email',
          `${role.toLowerCase()}-${suffix()}@e2e.test`,
          '--name',
          `${role[0]}${role.slice(1).toLowerCase()} ${suffix()}`,
          '--password',
          PASSWORD,
          '--org',
          org.slug,
          '--role',
          role,
        ),
    });
  },
});

export { expect };

/** signInAs signs in through the sign-in form and waits for the console. */
export async function signInAs(page: Page, user: { email: string }, password = PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/orgs\/[^/]+$/);
}

/** formAlert is the page's own alert (Next.js adds an empty role="alert" route announcer). */
export function formAlert(page: Page) {
  return page.getByRole('alert').and(page.locator(':not(#__next-route-announcer__)'));
}

export const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

/** api calls the management API as the signed-in member of an organization. */
export function api(page: Page, orgSlug: string) {
  const headers = { 'Latchkey-Organization': orgSlug, Origin: ORIGIN };
  return {
    get: (path: string) => page.request.get(path, { headers }),
    post: (path: string, data?: unknown) => page.request.post(path, { headers, data: data ?? {} }),
    patch: (path: string, data: unknown) => page.request.patch(path, { headers, data }),
  };
}

/** accountWithSecret creates a SERVER account and one client secret through the API (the secret is seen once, here). */
export async function accountWithSecret(page: Page, orgSlug: string, name: string) {
  const client = api(page, orgSlug);
  const { id } = (await (await client.post('/api/v1/service-accounts', { name, platform: 'SERVER' })).json()) as {
    id: string;
  };
  const created = (await (await client.post(`/api/v1/service-accounts/${id}/secrets`, { name: 'main' })).json()) as {
    clientSecret: { id: string };
    secret: string;
  };
  return { id, keyId: created.clientSecret.id, secret: created.secret };
}

/** mistyped is `secret` with its last character changed: always another secret, never itself. */
export const mistyped = (secret: string) => `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`;

/** basicAuth is the HTTP Basic header of a key id and a secret. */
export const basicAuth = (keyId: string, secret: string) =>
  `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;
