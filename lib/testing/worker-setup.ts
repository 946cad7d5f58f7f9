import { inject } from 'vitest';
import { cloneTemplate, runtimeUrl } from './databases';

// Each worker gets its own database, cloned from the run's migrated template. Tests inside a
// worker share it but never each other's rows: each builds its own organization (factories.ts).
// The application connects as the runtime role, as the server does (lib/db/runtime-role.ts);
// LATCHKEY_TEST_OWNER_URL is the owner, for the few tests that must tamper (lib/testing/db.ts).
const { adminUrl, template, runId } = inject('testDb');
const name = `${runId}_w${process.env.VITEST_POOL_ID ?? '0'}`;
if (process.env.LATCHKEY_TEST_DB !== name) {
  const ownerUrl = await cloneTemplate(adminUrl, template, name);
  process.env.LATCHKEY_TEST_OWNER_URL = ownerUrl;
  process.env.DATABASE_URL = runtimeUrl(ownerUrl);
  process.env.LATCHKEY_TEST_DB = name;
}
process.env.NEXTAUTH_SECRET ??= 'integration-tests-secret-integration-tests-secret';
// LATCHKEY_MASTER_KEYS comes from vitest.config.ts: one key per run, shared by every process.
