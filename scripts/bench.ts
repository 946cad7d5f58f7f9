// npm run bench: Latchkey's token service against node-oidc-provider, side by side in one run
// (never part of npm test). Builds Latchkey for production into .next-bench, starts it on a
// fresh database, starts oidc-provider configured for the same job (one confidential client,
// client_credentials with client_secret_basic, introspection), then runs the same autocannon
// load against each: POST token (client_credentials) and POST introspect. Prints req/s, p50,
// p99 and the ratios. Options: --connections 10 --duration 10 --no-build
//
// Fairness notes: both servers are single Node processes on the same machine as the load
// generator. oidc-provider keeps opaque tokens in its in-memory adapter (its default, and its
// fastest path); Latchkey signs ES256 JWTs, checks the account in PostgreSQL on every request
// and commits an audit event per issuance before answering.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OIDC_CLIENT = { id: 'bench-client', secret: 'bench-client-secret-0123456789abcdef' };

// --------------------------------------------------------------------------------------------
// Child mode: run oidc-provider (so that it has a process of its own, like Latchkey).
// --------------------------------------------------------------------------------------------
if (process.argv.includes('--oidc-provider')) {
  const port = Number(process.env.PORT);
  const providerModule = 'oidc-provider';
  const { default: Provider } = (await import(providerModule)) as { default: new (issuer: string, config: unknown) => { callback(): (req: unknown, res: unknown) => void; on(event: string, fn: (...args: unknown[]) => void): void } };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const provider = new Provider(`http://localhost:${port}`, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
        scope: 'TILE MATRIX',
      },
    ],
    scopes: ['TILE', 'MATRIX'],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' }] },
    features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true }, introspection: { enabled: true }, revocation: { enabled: true } },
    ttl: { ClientCredentials: 3600 },
  });
  createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log('oidc-provider ready'));
  await new Promise(() => undefined);
}

// --------------------------------------------------------------------------------------------
// Main mode
// --------------------------------------------------------------------------------------------
const { values } = parseArgs({
  options: { connections: { type: 'string', default: '10' }, duration: { type: 'string', default: '10' }, 'no-build': { type: 'boolean', default: false } },
  strict: true,
});
const connections = Number(values.connections);
const duration = Number(values.duration);
const LATCHKEY_PORT = 3211;
const OIDC_PORT = 3212;
const DIST_DIR = '.next-bench';
const MASTER_KEYS = `1:${Buffer.alloc(32, 9).toString('base64')}`;
const NEXTAUTH_SECRET = 'bench-only-secret-bench-only-secret-bench';

type Histogram = { average: number; p50: number; p99: number; max: number };
type CannonResult = { requests: Histogram; latency: Histogram; non2xx: number; errors: number; timeouts: number; '2xx': number };
type CannonOptions = { url: string; connections: number; duration: number; method: string; headers: Record<string, string>; body: string };
const autocannon = createRequire(import.meta.url)('autocannon') as (options: CannonOptions) => Promise<CannonResult>;

const { cloneTemplate, createTemplate, dropDatabases, newRunId } = await import('../lib/testing/databases');
const { testServer } = await import('../lib/testing/pg-server');

const children: ChildProcess[] = [];
function start(command: string, args: string[], env: NodeJS.ProcessEnv, quiet = true): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  children.push(child);
  return child;
}
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout }));
  });
}
async function waitFor(url: string, init?: RequestInit): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(url, init);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
const { adminUrl, embedded } = await testServer();
const runId = newRunId();
let exitCode = 1;
try {
  const template = await createTemplate(adminUrl, runId);
  const databaseUrl = await cloneTemplate(adminUrl, template, `${runId}_bench`);
  const baseEnv = { ...process.env, DATABASE_URL: databaseUrl, LATCHKEY_MASTER_KEYS: MASTER_KEYS, NEXTAUTH_SECRET, LATCHKEY_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' };

  if (!values['no-build']) {
    console.log(`Building Latchkey for production into ${DIST_DIR} …`);
    const build = await run(bin('next'), ['build'], { ...baseEnv, NODE_ENV: 'production' });
    if (build.code !== 0) throw new Error('next build failed');
  }

  const seeded = await run(bin('tsx'), ['--conditions=react-server', 'lib/testing/oauth-seed.ts'], { ...baseEnv, LOG_LEVEL: 'silent' });
  if (seeded.code !== 0) throw new Error('seeding failed');
  const seed = JSON.parse(seeded.stdout.trim().split('\n').at(-1) ?? '{}') as { secret: { id: string; secret: string } };

  const latchkeyUrl = `http://localhost:${LATCHKEY_PORT}`;
  start(bin('tsx'), ['scripts/server.ts'], {
    ...baseEnv,
    NODE_ENV: 'production',
    PORT: String(LATCHKEY_PORT),
    HOSTNAME_BIND: '127.0.0.1',
    NEXTAUTH_URL: latchkeyUrl,
    LOG_LEVEL: 'warn',
    // The limiter still runs on every request; the limits are set above the load we generate.
    TOKEN_RATE_LIMIT_PER_CLIENT: '1000000000',
    TOKEN_RATE_LIMIT_PER_IP: '1000000000',
  });
  start(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--oidc-provider'], { ...process.env, PORT: String(OIDC_PORT), NODE_ENV: 'production' });
  await waitFor(`${latchkeyUrl}/api/health`);
  await waitFor(`http://localhost:${OIDC_PORT}/.well-known/openid-configuration`);

  const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const systems = {
    Latchkey: { base: latchkeyUrl, token: '/api/oauth/token', introspect: '/api/oauth/introspect', auth: basicAuth(seed.secret.id, seed.secret.secret) },
    'oidc-provider': { base: `http://localhost:${OIDC_PORT}`, token: '/token', introspect: '/token/introspection', auth: basicAuth(OIDC_CLIENT.id, OIDC_CLIENT.secret) },
  };

  async function tokenFor(system: (typeof systems)[keyof typeof systems]): Promise<string> {
    const res = await fetch(system.base + system.token, { method: 'POST', headers: { ...form, authorization: system.auth }, body: 'grant_type=client_credentials' });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token) throw new Error(`${system.base}: token request failed (${res.status} ${JSON.stringify(body)})`);
    return body.access_token;
  }

  type Row = { system: string; endpoint: string; rps: number; p50: number; p99: number; failures: number };
  const rows: Row[] = [];
  // Reference: each server's cheapest route (static metadata, no database), i.e. the framework's own ceiling here.
  for (const [name, url] of [['Latchkey', `${latchkeyUrl}/.well-known/oauth-authorization-server`], ['oidc-provider', `http://localhost:${OIDC_PORT}/.well-known/openid-configuration`]] as const) {
    const options = { url, method: 'GET', headers: {}, body: '', connections };
    await autocannon({ ...options, duration: 2 });
    const result = await autocannon({ ...options, duration });
    rows.push({ system: name, endpoint: 'metadata*', rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures: result.non2xx + result.errors + result.timeouts });
  }
  for (const endpoint of ['token', 'introspect'] as const) {
    for (const [name, system] of Object.entries(systems)) {
      const body = endpoint === 'token' ? 'grant_type=client_credentials' : `token=${encodeURIComponent(await tokenFor(system))}`;
      const options = { url: system.base + system[endpoint], method: 'POST', headers: { ...form, authorization: system.auth }, body, connections };
      await autocannon({ ...options, duration: 2 }); // warm-up (JIT, pools, caches)
      const result = await autocannon({ ...options, duration });
      rows.push({ system: name, endpoint, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures: result.non2xx + result.errors + result.timeouts });
    }
  }

  console.log(`\nToken service benchmark: ${connections} connections, ${duration} s per run, after a 2 s warm-up\n`);
  console.log(`${'endpoint'.padEnd(12)}${'system'.padEnd(16)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'non-2xx/err'.padStart(13)}`);
  for (const r of rows) {
    console.log(`${r.endpoint.padEnd(12)}${r.system.padEnd(16)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.failures).padStart(13)}`);
  }
  console.log('* metadata: GET of each server\'s static metadata document, a reference for the HTTP stack\'s own ceiling on this machine.\n');
  let ok = true;
  for (const endpoint of ['token', 'introspect']) {
    const ours = rows.find((r) => r.endpoint === endpoint && r.system === 'Latchkey');
    const theirs = rows.find((r) => r.endpoint === endpoint && r.system === 'oidc-provider');
    if (!ours || !theirs) continue;
    const ratio = ours.rps / theirs.rps;
    const targets = ratio >= 3 && ours.p99 < 20 && ours.failures === 0;
    ok &&= targets;
    console.log(`${endpoint}: Latchkey/oidc-provider throughput ratio ${ratio.toFixed(2)}x, Latchkey p99 ${ours.p99.toFixed(1)} ms  (target ≥ 3x and p99 < 20 ms: ${targets ? 'met' : 'NOT met'})`);
  }
  exitCode = 0;
  if (!ok) console.log('\nAt least one target was not met on this machine (see above).');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await dropDatabases(adminUrl, runId).catch(() => undefined);
  await embedded?.stop();
}
process.exit(exitCode);
