import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const resolve = {
  alias: {
    '@': root,
    // `server-only` throws outside a React Server Components bundle; tests are server code.
    'server-only': path.join(root, 'lib/testing/empty-module.ts'),
  },
};

export default defineConfig({
  resolve,
  test: {
    reporters: process.env.VITEST_JSON_OUTPUT
      ? ['default', ['json', { outputFile: process.env.VITEST_JSON_OUTPUT }]]
      : ['default'],
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          // `vitest run` with no --project runs both layers, unit first (their pools differ).
          sequence: { groupOrder: 0 },
          include: ['lib/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
          // Unit tests touch no database; these only satisfy lib/env.ts.
          env: {
            DATABASE_URL: 'postgresql://unit-tests@127.0.0.1:1/none',
            NEXTAUTH_SECRET: 'unit-tests-secret-unit-tests-secret-unit',
            LATCHKEY_MASTER_KEYS: `1:${randomBytes(32).toString('base64')}`,
          },
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['lib/**/*.int.test.ts', 'app/**/*.int.test.ts', 'scripts/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['lib/testing/global-setup.ts'],
          setupFiles: ['lib/testing/worker-setup.ts'],
          // One master key for the whole run: the forks pool starts a process per test file while
          // a worker's database lives on, so a key drawn per process would leave the rows of the
          // files before sealed under a key nobody holds any more.
          env: { LATCHKEY_MASTER_KEYS: `1:${randomBytes(32).toString('base64')}` },
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
