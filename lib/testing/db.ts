import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterEach, beforeEach, inject } from 'vitest';
import { db, createPrismaClient, type PrismaClient } from '@/lib/db/client';
import { withClient } from '@/lib/db/admin';
import { cloneTemplate, dropDatabases, runtimeUrl } from './databases';

/** getTestDb returns the app's client, connected to this worker's freshly migrated database. */
export async function getTestDb(): Promise<PrismaClient> {
  return db;
}

const cache = globalThis as unknown as { __latchkeyDb?: PrismaClient };

/**
 * useFreshDatabase gives every test of the calling file a brand-new migrated database, for
 * tests of instance-wide state (first-run setup looks at whether any user exists at all).
 * The app's `db` points at it for the duration of the test.
 */
export function useFreshDatabase(): void {
  const { adminUrl, template, runId } = inject('testDb');
  let previous: PrismaClient | undefined;
  let fresh: PrismaClient | undefined;
  let name = '';
  beforeEach(async () => {
    name = `${runId}_f${randomBytes(4).toString('hex')}`;
    fresh = createPrismaClient(runtimeUrl(await cloneTemplate(adminUrl, template, name)));
    previous = cache.__latchkeyDb;
    cache.__latchkeyDb = fresh;
  });
  afterEach(async () => {
    cache.__latchkeyDb = previous;
    await fresh?.$disconnect();
    await dropDatabases(adminUrl, name);
  });
}

/**
 * withOwner runs `fn` on a connection of the worker database's owner (the role migrations run
 * as), for tests that must do what the application cannot: tamper with the audit log.
 */
export async function withOwner<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.LATCHKEY_TEST_OWNER_URL;
  if (!url) throw new Error('LATCHKEY_TEST_OWNER_URL is not set (lib/testing/worker-setup.ts sets it)');
  return withClient(url, fn);
}
