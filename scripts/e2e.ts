// npm run test:e2e: Playwright against the production build and a database of its own.
// Creates and migrates a fresh database on the test server (see lib/testing/pg-server.ts),
// builds when the sources changed, runs the browser tests, then drops the database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloneTemplate, createTemplate, dropDatabases, newRunId, runtimeUrl } from '../lib/testing/databases';
import { testServer } from '../lib/testing/pg-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const { adminUrl, embedded } = await testServer();
const runId = newRunId();
let code = 1;
try {
  const template = await createTemplate(adminUrl, runId);
  const databaseUrl = await cloneTemplate(adminUrl, template, `${runId}_e2e`);
  // The server and the CLI connect as the runtime role, as in production; E2E_DATABASE_URL is the
  // owner, for the specs that tamper with the database behind the application's back.
  const env = {
    ...process.env,
    E2E_DATABASE_URL: databaseUrl,
    E2E_APP_DATABASE_URL: runtimeUrl(databaseUrl),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (!process.argv.includes('--no-build')) {
    code = await run(path.join(root, 'node_modules/.bin/next'), ['build'], { ...env, NODE_ENV: 'production' });
    if (code !== 0) throw new Error('next build failed');
  }
  code = await run(
    path.join(root, 'node_modules/.bin/playwright'),
    ['test', ...process.argv.slice(2).filter((a) => a !== '--no-build')],
    env,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await dropDatabases(adminUrl, runId);
  await embedded?.stop();
}
process.exit(code);
