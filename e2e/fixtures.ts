import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { test as base, expect, type Page } from '@playwright/test';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

export const PASSWORD = 'e2e password that is long enough';

/** cli runs Latchkey's own CLI against the test database and returns its JSON output. */
export async function cli<T>(...args: string[]): Promise<T> {
  const { stdout } = await run(path.join(root, 'node_modules/.bin/tsx'), ['--conditions=react-server', 'scripts/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
  });
  return JSON.parse(stdout) as T;
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
        cli<User>('user', 'create', '--email', `${role.toLowerCase()}-${suffix()}@e2e.test`, '--name', `${role[0]}${role.slice(1).toLowerCase()} ${suffix()}`, '--password', PASSWORD, '--org', org.slug, '--role', role),
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
