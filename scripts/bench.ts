// npm run bench: Latchkey's token service against node-oidc-provider, side by side in one run
// (never part of npm test). Builds Latchkey for production into .next-bench, starts it on a
// fresh database (scripts/server.ts, i.e. with the token service's fast path outside the Next.js
// pipeline), starts oidc-provider configured for the same job, then runs the same autocannon
// load against each, back to back: POST token (client_credentials, client_secret_basic) and
// POST introspect (of a token of the same client). Prints req/s, p50, p99 and the ratios.
// Options: --connections 10 --duration 10 --rounds 1 (token + introspect runs repeated, back to back)
//          --no-build (reuse .next-bench)
//          --via-next (LATCHKEY_FAST_PATH=off: Latchkey's routes through the Next.js pipeline)
//
// oidc-provider 9 "configured equivalently" (the baseline the ratio is computed against): one
// confidential client, client_credentials with client_secret_basic, introspection enabled, and
// features.resourceIndicators with a default resource whose getResourceServerInfo returns
// { scope, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }: like Latchkey, it
// issues RFC 9068 JWT access tokens signed ES256 with a P-256 key. It keeps its grant state in
// its default in-memory adapter (no database, nothing durable). oidc-provider refuses to
// introspect JWT access tokens ("Structured JWT Tokens cannot be introspected"), so a second
// instance with its default opaque tokens (in memory too, "oidc opaque") is the introspection
// baseline, and an extra reference row for the token endpoint.
//
// Fairness notes: all servers are single Node processes on the same machine as the load
// generator (and as PostgreSQL). Latchkey does more per request than either: it applies per-IP
// and per-client rate limits, commits an audit event (hash-chained, in a group commit) plus the
// credential's last use before answering, and confirms in that same statement that the client
// secret and its account are unchanged (so a suspension or a disabled key takes effect on the
// very next request); its introspection reads the caller and the token's lifecycle state from
// PostgreSQL on every request, where oidc-provider's reads its in-memory store.
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
  const { default: Provider } = (await import(providerModule)) as {
    default: new (
      issuer: string,
      config: unknown,
    ) => {
      callback(): (req: unknown, res: unknown) => void;
      on(event: string, fn: (...args: unknown[]) => void): void;
    };
  };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwt = process.env.OIDC_FORMAT !== 'opaque';
  const BENCH_RESOURCE = 'urn:latchkey:bench-api';
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
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      ...(jwt
        ? {
            resourceIndicators: {
              enabled: true,
              defaultResource: () => BENCH_RESOURCE,
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({
                scope: 'TILE MATRIX',
                audience: BENCH_RESOURCE,
                accessTokenFormat: 'jwt',
                jwt: { sign: { alg: 'ES256' } },
              }),
            },
          }
        : {}),
    },
    ttl: { ClientCredentials: 3600 },
  });
  createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log('oidc-provider ready'));
  await new Promise(() => undefined);
}

// --------------------------------------------------------------------------------------------
// Main mode
// --------------------------------------------------------------------------------------------
const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    'no-build': { type: 'boolean', default: false },
    'via-next': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
  },
  strict: true,
});
const connections = Number(values.connections);
const duration = Number(values.duration);
const rounds = Math.max(1, Number(values.rounds));
const LATCHKEY_PORT = 3211;
const OIDC_PORT = 3212;
const OIDC_OPAQUE_PORT = 3213;
const DIST_DIR = '.next-bench';
const MASTER_KEYS = `1:${Buffer.alloc(32, 9).toString('base64')}`;
const NEXTAUTH_SECRET = 'bench-only-secret-bench-only-secret-bench';

type Histogram = { average: number; p50: number; p99: number; max: number };
type CannonResult = {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
};
type CannonOptions = {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  body: string;
};
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
  const baseEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LATCHKEY_MASTER_KEYS: MASTER_KEYS,
    NEXTAUTH_SECRET,
    LATCHKEY_DIST_DIR: DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
  };

  if (!values['no-build']) {
    console.log(`Building Latchkey for production into ${DIST_DIR} …`);
    const build = await run(bin('next'), ['build'], { ...baseEnv, NODE_ENV: 'production' });
    if (build.code !== 0) throw new Error(`next build failed:\n${build.stdout.slice(-4000)}`);
  }

  const seeded = await run(bin('tsx'), ['--conditions=react-server', 'lib/testing/oauth-seed.ts'], {
    ...baseEnv,
    LOG_LEVEL: 'silent',
  });
  if (seeded.code !== 0) throw new Error('seeding failed');
  const seed = JSON.parse(seeded.stdout.trim().split('\n').at(-1) ?? '{}') as {
    secret: { id: string; secret: string };
  };

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
    ...(values['via-next'] ? { LATCHKEY_FAST_PATH: 'off' } : {}),
  });
  start(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--oidc-provider'], {
    ...process.env,
    PORT: String(OIDC_PORT),
    NODE_ENV: 'production',
    OIDC_FORMAT: 'jwt',
  });
  start(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--oidc-provider'], {
    ...process.env,
    PORT: String(OIDC_OPAQUE_PORT),
    NODE_ENV: 'production',
    OIDC_FORMAT: 'opaque',
  });
  await waitFor(`${latchkeyUrl}/api/health`);
  await waitFor(`http://localhost:${OIDC_PORT}/.well-known/openid-configuration`);
  await waitFor(`http://localhost:${OIDC_OPAQUE_PORT}/.well-known/openid-configuration`);

  const basicAuth = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  type System = { base: string; token: string; introspect: string; auth: string; jwt: boolean; introspects: boolean };
  const systems = {
    Latchkey: {
      base: latchkeyUrl,
      token: '/api/oauth/token',
      introspect: '/api/oauth/introspect',
      auth: basicAuth(seed.secret.id, seed.secret.secret),
      jwt: true,
      introspects: true,
    },
    'oidc-provider': {
      base: `http://localhost:${OIDC_PORT}`,
      token: '/token',
      introspect: '/token/introspection',
      auth: basicAuth(OIDC_CLIENT.id, OIDC_CLIENT.secret),
      jwt: true,
      introspects: false,
    },
    'oidc opaque': {
      base: `http://localhost:${OIDC_OPAQUE_PORT}`,
      token: '/token',
      introspect: '/token/introspection',
      auth: basicAuth(OIDC_CLIENT.id, OIDC_CLIENT.secret),
      jwt: false,
      introspects: true,
    },
  } satisfies Record<string, System>;

  // Each system's token is checked before the load: an ES256 JWT where one is configured, and
  // active on introspection where the system can introspect it.
  async function tokenFor(name: string, system: System): Promise<string> {
    const res = await fetch(system.base + system.token, {
      method: 'POST',
      headers: { ...form, authorization: system.auth },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token)
      throw new Error(`${name}: token request failed (${res.status} ${JSON.stringify(body)})`);
    const token = body.access_token;
    if (system.jwt) {
      const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8') || '{}') as {
        alg?: string;
      };
      if (header.alg !== 'ES256')
        throw new Error(`${name}: expected an ES256 JWT access token, got ${token.slice(0, 16)}…`);
    }
    if (system.introspects) {
      const check = await fetch(system.base + system.introspect, {
        method: 'POST',
        headers: { ...form, authorization: system.auth },
        body: `token=${encodeURIComponent(token)}`,
      });
      const state = (await check.json()) as { active?: boolean };
      if (!check.ok || state.active !== true)
        throw new Error(
          `${name}: introspection does not see its own token as active (${check.status} ${JSON.stringify(state)})`,
        );
    }
    return token;
  }
  for (const [name, system] of Object.entries(systems)) await tokenFor(name, system);

  type Row = {
    round: number;
    system: string;
    endpoint: string;
    rps: number;
    p50: number;
    p99: number;
    failures: number;
  };
  const rows: Row[] = [];
  async function measure(round: number, system: string, endpoint: string, options: CannonOptions): Promise<void> {
    await autocannon({ ...options, duration: 2 }); // warm-up (JIT, pools, caches)
    const result = await autocannon({ ...options, duration });
    rows.push({
      round,
      system,
      endpoint,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failures: result.non2xx + result.errors + result.timeouts,
    });
  }
  // Reference: each server's cheapest route (static metadata, no database), i.e. the framework's own ceiling here.
  for (const [name, url] of [
    ['Latchkey', `${latchkeyUrl}/.well-known/oauth-authorization-server`],
    ['oidc-provider', `http://localhost:${OIDC_PORT}/.well-known/openid-configuration`],
  ] as const) {
    await measure(1, name, 'metadata*', { url, method: 'GET', headers: {}, body: '', connections, duration });
  }
  for (let round = 1; round <= rounds; round++) {
    for (const endpoint of ['token', 'introspect'] as const) {
      for (const [name, system] of Object.entries(systems)) {
        if (endpoint === 'introspect' && !system.introspects) continue;
        const body =
          endpoint === 'token'
            ? 'grant_type=client_credentials'
            : `token=${encodeURIComponent(await tokenFor(name, system))}`;
        await measure(round, name, endpoint, {
          url: system.base + system[endpoint],
          method: 'POST',
          headers: { ...form, authorization: system.auth },
          body,
          connections,
          duration,
        });
      }
    }
  }

  const load = (await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `\nToken service benchmark: ${connections} connections, ${duration} s per run after a 2 s warm-up, ${rounds} round(s); Latchkey ${values['via-next'] ? 'through Next.js (fast path off)' : 'on its fast path'}; load average ${load}\n`,
  );
  console.log(
    `${'round'.padEnd(7)}${'endpoint'.padEnd(12)}${'system'.padEnd(16)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'non-2xx/err'.padStart(13)}`,
  );
  for (const r of rows) {
    console.log(
      `${String(r.round).padEnd(7)}${r.endpoint.padEnd(12)}${r.system.padEnd(16)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.failures).padStart(13)}`,
    );
  }
  console.log(
    "* metadata: GET of each server's static metadata document, a reference for the HTTP stack's own ceiling on this machine.",
  );
  console.log(
    'oidc-provider: ES256 JWT access tokens, the token baseline. oidc opaque: its default opaque tokens, the introspection baseline',
  );
  console.log(
    '(oidc-provider refuses to introspect JWT access tokens: "Structured JWT Tokens cannot be introspected").\n',
  );
  let ok = true;
  const baselines = [
    ['token', 'oidc-provider', true],
    ['token', 'oidc opaque', false],
    ['introspect', 'oidc opaque', true],
  ] as const;
  for (let round = 1; round <= rounds; round++) {
    for (const [endpoint, baseline, counts] of baselines) {
      const ours = rows.find((r) => r.round === round && r.endpoint === endpoint && r.system === 'Latchkey');
      const theirs = rows.find((r) => r.round === round && r.endpoint === endpoint && r.system === baseline);
      if (!ours || !theirs) continue;
      const ratio = ours.rps / theirs.rps;
      const targets = ratio >= 3 && ours.p99 < 20 && ours.failures === 0;
      if (counts) ok &&= targets;
      const verdict = counts ? `target ≥ 3x and p99 < 20 ms: ${targets ? 'met' : 'NOT met'}` : 'reference';
      console.log(
        `round ${round} ${endpoint}: Latchkey/${baseline} throughput ratio ${ratio.toFixed(2)}x, Latchkey p99 ${ours.p99.toFixed(1)} ms  (${verdict})`,
      );
    }
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
