// npm start: everything a fresh machine needs to serve the console on http://localhost:3000.
// Without DATABASE_URL it runs an embedded PostgreSQL under .data/ (reused on the next start);
// then it migrates, seeds the demo organization on an empty database, builds when the sources
// changed, and serves. Ctrl-C stops the server, then the database.
//
// Database roles (lib/db/runtime-role.ts): migrations run as the owner of the schema, the server
// and the seed as a runtime role that owns nothing. Embedded: the owner is the cluster's
// `postgres`, the runtime role `latchkey_app` (created here). External: MIGRATION_DATABASE_URL is
// the owner and DATABASE_URL the runtime role; with DATABASE_URL alone, everything runs as that
// role, as before, with a warning when it owns the tables.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, ensureDatabase } from '../lib/db/admin';
import { startEmbeddedPostgres, type EmbeddedServer } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import { EMBEDDED_RUNTIME_ROLE, ensureRuntimeRole, runtimeRoleOf, runtimeRoleWarning } from '../lib/db/runtime-role';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const nextBin = path.join(root, 'node_modules', '.bin', 'next');

type LocalSecrets = { nextauthSecret: string; postgresPassword: string; masterKeys?: string; appPassword?: string };

/**
 * Secrets for a local install, made once and kept in .data/ (mode 600), never in the repo; a
 * file from an older version gets the ones it lacks (the master keys, the runtime role's password).
 */
function localSecrets(): Required<LocalSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets) : undefined;
  if (existing?.masterKeys && existing.appPassword) return existing as Required<LocalSecrets>;
  const secrets = {
    nextauthSecret: existing?.nextauthSecret ?? randomBytes(32).toString('base64url'),
    postgresPassword: existing?.postgresPassword ?? randomBytes(18).toString('base64url'),
    masterKeys: existing?.masterKeys ?? `1:${randomBytes(32).toString('base64')}`,
    appPassword: existing?.appPassword ?? randomBytes(18).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} ${args[0] ?? ''} failed (${signal ?? code})`)),
    );
  });
}

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) {
    if (name === 'node_modules' || name === 'generated' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const sources = [
    'app',
    'components',
    'lib',
    'public',
    'next.config.mjs',
    'package-lock.json',
    'prisma/schema.prisma',
    'postcss.config.mjs',
  ];
  return Math.max(...sources.map((s) => newestMtime(path.join(root, s)))) > statSync(buildId).mtimeMs;
}

/** The embedded database as the server connects to it: the runtime role, never `postgres`. */
function embeddedRuntimeUrl(pgPort: number, password: string): string {
  return `postgresql://${EMBEDDED_RUNTIME_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/latchkey`;
}

let embedded: EmbeddedServer | undefined;
let server: ChildProcess | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server?.once('exit', resolve));
  }
  if (embedded) {
    console.log('Stopping the embedded PostgreSQL…');
    await embedded.stop().catch(() => undefined);
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const secrets = localSecrets();
  const env = { ...process.env, PORT: String(port), NODE_ENV: dev ? 'development' : 'production' } as NodeJS.ProcessEnv;
  const missing = ['NEXTAUTH_SECRET', 'LATCHKEY_MASTER_KEYS'].filter((name) => !env[name]);
  if (missing.length && env.DATABASE_URL)
    console.warn(
      `${missing.join(' and ')} not set: using the local values in .data/secrets.json. Set them in the environment for production.`,
    );
  env.NEXTAUTH_SECRET ??= secrets.nextauthSecret;
  env.LATCHKEY_MASTER_KEYS ??= secrets.masterKeys;
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;

  // The owner's URL is for migrations only: the server and the seed never see it.
  let migrationUrl = env.MIGRATION_DATABASE_URL === env.DATABASE_URL ? undefined : env.MIGRATION_DATABASE_URL;
  delete env.MIGRATION_DATABASE_URL;
  if (!env.DATABASE_URL) {
    const pgPort = Number(process.env.LATCHKEY_PG_PORT ?? 54329);
    console.log(`DATABASE_URL is not set: starting the embedded PostgreSQL in .data/postgres on port ${pgPort}…`);
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: pgPort,
      password: secrets.postgresPassword,
    });
    await ensureDatabase(embedded.adminUrl, 'latchkey');
    await ensureRuntimeRole(embedded.adminUrl, EMBEDDED_RUNTIME_ROLE, secrets.appPassword);
    migrationUrl = databaseUrl(embedded.adminUrl, 'latchkey');
    env.DATABASE_URL = embeddedRuntimeUrl(pgPort, secrets.appPassword);
  }

  const runtimeRole = migrationUrl ? await runtimeRoleOf(env.DATABASE_URL) : undefined;
  const applied = await migrate(migrationUrl ?? env.DATABASE_URL, { runtimeRole });
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
  const warning = await runtimeRoleWarning(env.DATABASE_URL);
  if (warning) console.warn(warning);
  if (process.env.LATCHKEY_DEMO !== 'off')
    await run(tsx, ['--conditions=react-server', path.join(root, 'scripts', 'seed.ts')], env);

  if (!dev && buildIsStale()) {
    console.log('Building the console (first start, or the sources changed)…');
    await run(nextBin, ['build'], env);
  }

  server = spawn(tsx, [path.join(root, 'scripts', 'server.ts'), ...(dev ? ['--dev'] : [])], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  server.on('exit', (code) => {
    if (!stopping) void stop(code ?? 1);
  });
} catch (error) {
  console.error(`Latchkey could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stop(1);
}
