import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { cloneTemplate } from './databases';

// Each worker gets its own database, cloned from the run's migrated template. Tests inside a
// worker share it but never each other's rows: each builds its own organization (factories.ts).
const { adminUrl, template, runId } = inject('testDb');
const name = `${runId}_w${process.env.VITEST_POOL_ID ?? '0'}`;
if (process.env.LATCHKEY_TEST_DB !== name) {
  process.env.DATABASE_URL = await cloneTemplate(adminUrl, template, name);
  process.env.LATCHKEY_TEST_DB = name;
}
process.env.NEXTAUTH_SECRET ??= 'integration-tests-secret-integration-tests-secret';
process.env.LATCHKEY_MASTER_KEYS ??= `1:${randomBytes(32).toString('base64')}`;
