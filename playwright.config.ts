import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// scripts/e2e.ts prepares a fresh database and sets these; running `playwright test` alone
// needs E2E_DATABASE_URL pointing at a migrated, disposable database. The server connects as
// E2E_APP_DATABASE_URL (the least-privilege runtime role) when it is set.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
const databaseUrl = process.env.E2E_APP_DATABASE_URL ?? process.env.E2E_DATABASE_URL ?? '';

// Debian's Chromium when present (no browser download is possible on our machines),
// Playwright's own browser otherwise.
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './e2e',
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.E2E_JSON_OUTPUT
    ? [['list'], ['json', { outputFile: process.env.E2E_JSON_OUTPUT }]]
    : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: systemChromium, args: chromiumArgs },
  },
  projects: [
    // First-run setup needs an instance without users, so it runs before everything else.
    { name: 'first-run', testMatch: /setup\.spec\.ts/, use: { ...devices['Desktop Chrome'] } },
    {
      name: 'console',
      testIgnore: /setup\.spec\.ts/,
      dependencies: ['first-run'],
      use: { ...devices['Desktop Chrome'] },
    },
  ],
  webServer: {
    command: 'node_modules/.bin/tsx scripts/server.ts',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: 'e2e-only-secret-e2e-only-secret-e2e-only',
      LATCHKEY_MASTER_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
      ...(process.env.LATCHKEY_DIST_DIR ? { LATCHKEY_DIST_DIR: process.env.LATCHKEY_DIST_DIR } : {}),
      NEXT_TELEMETRY_DISABLED: '1',
      // Every browser test signs in from 127.0.0.1; the per-IP limit has its own integration test.
      SIGN_IN_MAX_ATTEMPTS_PER_IP: '100000',
      LOG_LEVEL: 'warn',
      // e2e/webhooks.spec.ts receives its deliveries on a loopback http server of its own.
      WEBHOOK_ALLOW_LOOPBACK_HTTP: 'on',
      WEBHOOK_RETRY_DELAY_SECONDS: '1',
    },
  },
});
