// npm run bench: Latchkey's token service against node-oidc-provider, side by side in one run
// (never part of npm test). Builds Latchkey for production into .next-bench, starts it on a
// fresh database (scripts/server.ts, i.e. with the token service's fast path outside the Next.js
// pipeline), starts oidc-provider configured for the same job, then runs the same autocannon
// load against each, back to back: POST token (client_credentials, client_secret_basic) and
// POST introspect (of a token of the same client). Prints req/s, p50, p99, the ratios, the
// PostgreSQL work per issued token, and the targets of issue 16 as met / NOT met (exit code 0
// either way; 1 only when the bench itself fails).
// Options: --connections 10,64 (the token endpoint runs at each; introspection at the first)
//          --duration 10 --rounds 1 (token + introspect runs repeated, back to back)
//          --instances 1 (2: two Latchkey processes on one database, the load split evenly
//                         across them, their figures combined)
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
// "token+dpop": Latchkey's token endpoint with a DPoP proof (RFC 9449) on every request, beside the
// bearer row: each request carries a fresh ES256 proof (its own jti and iat), signed in the load
// generator (node:crypto, on the same cores), so the row includes the proof's verification and its
// jti's single-use record (PostgreSQL here: no REDIS_URL).
//
// "bare limit": a node:http server that answers every POST with an ES256 JWT of the same claims
// as Latchkey's (node:crypto's one-shot sign, as lib/tokens/jws.ts does), and nothing else: no
// client authentication, no limits, no database. It is the ceiling of issuing a token in one
// Node process on this machine; Latchkey's token throughput is shown as a share of it.
//
// Fairness notes: all servers are single Node processes (with --instances 2, Latchkey is two)
// on the same machine as the load generator (and as PostgreSQL); every ratio compares figures
// of the same run, measured back to back. Latchkey does more per request than either: it applies per-IP
// and per-client rate limits, commits an audit event (hash-chained, in a group commit) plus the
// credential's last use before answering, and confirms in that same statement that the client
// secret and its account are unchanged (so a suspension or a disabled key takes effect on the
// very next request); its introspection reads the caller and the token's lifecycle state from
// PostgreSQL on every request, where oidc-provider's reads its in-memory store.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
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
// Child mode: the bare limit (node:http + ES256 signing of Latchkey's claims, nothing else).
// --------------------------------------------------------------------------------------------
if (process.argv.includes('--bare')) {
  const { randomUUID, sign } = await import('node:crypto');
  const port = Number(process.env.PORT);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  createServer((req, res) => {
    req.resume(); // read (and drop) the form, as any token endpoint must
    req.on('end', () => {
      const iat = Math.floor(Date.now() / 1000);
      const payload = {
        iss: `http://localhost:${port}`,
        sub: 'sa_01JBENCHBENCHBENCHBENCHBENC',
        aud: `http://localhost:${port}/api`,
        exp: iat + 3600,
        iat,
        jti: randomUUID(),
        client_id: 'kid_01JBENCHBENCHBENCHBENCHBENC',
        scope: 'TILE MATRIX',
      };
      const input = `${encode({ typ: 'at+jwt', kid: 'bench', alg: 'ES256' })}.${encode(payload)}`;
      const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const body = JSON.stringify({
        access_token: `${input}.${signature.toString('base64url')}`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: payload.scope,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
    });
  }).listen(port, '127.0.0.1', () => console.log('bare ready'));
  await new Promise(() => undefined);
}

// --------------------------------------------------------------------------------------------
// Main mode
// --------------------------------------------------------------------------------------------
const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10,64' },
    instances: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    'no-build': { type: 'boolean', default: false },
    'via-next': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
  },
  strict: true,
});
const connectionCounts = values.connections.split(',').map(Number);
if (connectionCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--connections: a list like 10,64');
const connections = connectionCounts[0] ?? 10;
const instances = Number(values.instances);
if (instances !== 1 && instances !== 2) throw new Error('--instances: 1 or 2');
const duration = Number(values.duration);
const rounds = Math.max(1, Number(values.rounds));
const LATCHKEY_PORT = 3211;
const OIDC_PORT = 3212;
const OIDC_OPAQUE_PORT = 3213;
const BARE_PORT = 3214;
const LATCHKEY_SECOND_PORT = 3215;
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
  /** autocannon's per-request hook (here: a fresh DPoP proof on each request). */
  requests?: Array<{ setupRequest: (request: { headers?: Record<string, string> }) => unknown }>;
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
  const latchkeyPorts = instances === 2 ? [LATCHKEY_PORT, LATCHKEY_SECOND_PORT] : [LATCHKEY_PORT];
  for (const port of latchkeyPorts)
    start(bin('tsx'), ['scripts/server.ts'], {
      ...baseEnv,
      NODE_ENV: 'production',
      PORT: String(port),
      HOSTNAME_BIND: '127.0.0.1',
      // Both instances are one deployment: one issuer, whichever process answers.
      NEXTAUTH_URL: latchkeyUrl,
      LOG_LEVEL: 'warn',
      // The limiter still runs on every request; the limits are set above the load we generate.
      TOKEN_RATE_LIMIT_PER_CLIENT: '1000000000',
      TOKEN_RATE_LIMIT_PER_IP: '1000000000',
      ...(values['via-next'] ? { LATCHKEY_FAST_PATH: 'off' } : {}),
    });
  start(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--bare'], {
    ...process.env,
    PORT: String(BARE_PORT),
    NODE_ENV: 'production',
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
  for (const port of latchkeyPorts) await waitFor(`http://localhost:${port}/api/health`);
  await waitFor(`http://localhost:${BARE_PORT}/`, { method: 'POST' });
  await waitFor(`http://localhost:${OIDC_PORT}/.well-known/openid-configuration`);
  await waitFor(`http://localhost:${OIDC_OPAQUE_PORT}/.well-known/openid-configuration`);

  const basicAuth = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  type System = {
    base: string;
    token: string;
    introspect: string;
    auth: string;
    jwt: boolean;
    introspects: boolean;
    /** Further processes of the same system (--instances 2): the load is split across all. */
    more?: string[];
  };
  const systems = {
    Latchkey: {
      base: latchkeyUrl,
      token: '/api/oauth/token',
      introspect: '/api/oauth/introspect',
      auth: basicAuth(seed.secret.id, seed.secret.secret),
      jwt: true,
      introspects: true,
      more: latchkeyPorts.slice(1).map((port) => `http://localhost:${port}`),
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
    'bare limit': {
      base: `http://localhost:${BARE_PORT}`,
      token: '/token',
      introspect: '',
      auth: 'none',
      jwt: true,
      introspects: false,
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
  for (const [name, system] of Object.entries(systems) as Array<[string, System]>) {
    await tokenFor(name, system);
    for (const base of system.more ?? []) await tokenFor(`${name} (${base})`, { ...system, base });
  }

  // A DPoP client's key, and a fresh proof per request for Latchkey's token endpoint.
  const dpopKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = dpopKeys.publicKey.export({ format: 'jwk' });
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const dpopHeader = b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } });
  const dpopProof = (): string => {
    const input = `${dpopHeader}.${b64({
      htm: 'POST',
      htu: `${latchkeyUrl}/api/oauth/token`,
      iat: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
    })}`;
    const signature = sign('sha256', Buffer.from(input), { key: dpopKeys.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  };
  {
    const res = await fetch(latchkeyUrl + systems.Latchkey.token, {
      method: 'POST',
      headers: { ...form, authorization: systems.Latchkey.auth, dpop: dpopProof() },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json()) as { token_type?: string };
    if (!res.ok || body.token_type !== 'DPoP')
      throw new Error(`Latchkey: a DPoP token request failed (${res.status} ${JSON.stringify(body)})`);
  }

  type Row = {
    round: number;
    system: string;
    endpoint: string;
    connections: number;
    rps: number;
    p50: number;
    p99: number;
    failures: number;
    /** PostgreSQL work per issued token (Latchkey's token runs only). */
    pg?: PgWork;
  };
  const rows: Row[] = [];

  // PostgreSQL work per issued token: exec time from pg_stat_statements when the server preloads
  // it, and the CPU time (user + system, /proc/<pid>/stat) of the server processes serving the
  // bench database, sampled before and after the run; tokens counted from the audit log's
  // token-activity rollup (every issued token has its event).
  type PgWork = { tokens: number; cpuUs?: number; execUs?: number };
  const pg = (await import('pg')).default;
  const probe = new pg.Client({ connectionString: databaseUrl });
  await probe.connect();
  const preload = (await probe.query<{ v: string }>('SELECT current_setting($1) AS v', ['shared_preload_libraries']))
    .rows[0]?.v;
  const statements = Boolean(preload?.includes('pg_stat_statements'));
  if (statements) await probe.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const clockTicks = Number(
    (await run('getconf', ['CLK_TCK'], process.env).catch(() => ({ stdout: '100' }))).stdout.trim() || 100,
  );
  const { readFileSync } = await import('node:fs');
  async function pgSample(): Promise<{ tokens: number; ticks: Map<number, number>; execMs: number }> {
    const [tokens] = (
      await probe.query<{ n: string }>(
        "SELECT coalesce(sum(events), 0)::text AS n FROM audit_token_activity WHERE action = 'token.issued'",
      )
    ).rows;
    const pids = await probe.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const ticks = new Map<number, number>();
    for (const { pid } of pids.rows) {
      try {
        // Fields after the command name (which may contain spaces): utime and stime are 14 and 15.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks.set(pid, Number(fields[11]) + Number(fields[12]));
      } catch {
        // the server runs elsewhere (or the backend just ended): no CPU figure from it
      }
    }
    const execMs = statements
      ? Number(
          (
            await probe.query<{ ms: string }>(
              'SELECT coalesce(sum(total_exec_time), 0)::text AS ms FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
            )
          ).rows[0]?.ms ?? 0,
        )
      : 0;
    return { tokens: Number(tokens?.n ?? 0), ticks, execMs };
  }
  function pgWork(before: Awaited<ReturnType<typeof pgSample>>, after: Awaited<ReturnType<typeof pgSample>>): PgWork {
    const tokens = after.tokens - before.tokens;
    let ticks = 0;
    for (const [pid, t] of after.ticks) ticks += t - (before.ticks.get(pid) ?? 0);
    return {
      tokens,
      cpuUs: after.ticks.size > 0 && tokens > 0 ? ((ticks / clockTicks) * 1e6) / tokens : undefined,
      execUs: statements && tokens > 0 ? ((after.execMs - before.execMs) * 1000) / tokens : undefined,
    };
  }

  /** One autocannon run per process of the system (connections split evenly), combined. */
  async function cannon(system: System, endpoint: 'token' | 'introspect', options: CannonOptions, seconds: number) {
    const bases = [system.base, ...(system.more ?? [])];
    const results = await Promise.all(
      bases.map((base, i) =>
        autocannon({
          ...options,
          url: base + system[endpoint],
          connections:
            Math.floor(options.connections / bases.length) + (i < options.connections % bases.length ? 1 : 0),
          duration: seconds,
        }),
      ),
    );
    return {
      rps: results.reduce((n, r) => n + r.requests.average, 0),
      // Combined latency: the slower process's percentiles (an upper bound on the pooled one).
      p50: Math.max(...results.map((r) => r.latency.p50)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      failures: results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    };
  }
  async function measure(
    round: number,
    name: string,
    system: System,
    endpoint: 'token' | 'introspect',
    options: CannonOptions,
    label: string = endpoint,
  ): Promise<void> {
    await cannon(system, endpoint, options, 2); // warm-up (JIT, pools, caches)
    const before = name === 'Latchkey' && endpoint === 'token' ? await pgSample() : undefined;
    const result = await cannon(system, endpoint, options, duration);
    const pgUse = before ? pgWork(before, await pgSample()) : undefined;
    rows.push({ round, system: name, endpoint: label, connections: options.connections, ...result, pg: pgUse });
  }
  // Reference: each server's cheapest route (static metadata, no database), i.e. the framework's own ceiling here.
  for (const [name, url] of [
    ['Latchkey', `${latchkeyUrl}/.well-known/oauth-authorization-server`],
    ['oidc-provider', `http://localhost:${OIDC_PORT}/.well-known/openid-configuration`],
  ] as const) {
    const result = await autocannon({ url, method: 'GET', headers: {}, body: '', connections, duration });
    rows.push({
      round: 1,
      system: name,
      endpoint: 'metadata*',
      connections,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failures: result.non2xx + result.errors + result.timeouts,
    });
  }
  for (let round = 1; round <= rounds; round++) {
    for (const count of connectionCounts) {
      for (const [name, system] of Object.entries(systems) as Array<[string, System]>)
        await measure(round, name, system, 'token', {
          url: '',
          method: 'POST',
          headers: { ...form, authorization: system.auth },
          body: 'grant_type=client_credentials',
          connections: count,
          duration,
        });
      await measure(
        round,
        'Latchkey',
        systems.Latchkey,
        'token',
        {
          url: '',
          method: 'POST',
          headers: { ...form, authorization: systems.Latchkey.auth },
          body: 'grant_type=client_credentials',
          connections: count,
          duration,
          requests: [
            { setupRequest: (request) => ({ ...request, headers: { ...request.headers, dpop: dpopProof() } }) },
          ],
        },
        'token+dpop',
      );
    }
    for (const [name, system] of Object.entries(systems) as Array<[string, System]>) {
      if (!system.introspects) continue;
      await measure(round, name, system, 'introspect', {
        url: '',
        method: 'POST',
        headers: { ...form, authorization: system.auth },
        body: `token=${encodeURIComponent(await tokenFor(name, system))}`,
        connections,
        duration,
      });
    }
  }
  await probe.end();

  const load = (await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `\nToken service benchmark: token at ${connectionCounts.join(' and ')} connections, introspection at ${connections}; ${duration} s per run after a 2 s warm-up, ${rounds} round(s); Latchkey ${instances === 2 ? 'as 2 processes on one database (load split, figures combined)' : 'as 1 process'}, ${values['via-next'] ? 'through Next.js (fast path off)' : 'on its fast path'}; load average ${load}\n`,
  );
  console.log(
    `${'round'.padEnd(7)}${'endpoint'.padEnd(12)}${'conns'.padStart(6)}  ${'system'.padEnd(16)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'non-2xx/err'.padStart(13)}  PostgreSQL per token`,
  );
  for (const r of rows) {
    const pgText = r.pg
      ? `${r.pg.cpuUs !== undefined ? `${r.pg.cpuUs.toFixed(0)} µs CPU` : 'CPU n/a'}${r.pg.execUs !== undefined ? `, ${r.pg.execUs.toFixed(0)} µs exec` : ''} (${r.pg.tokens} tokens)`
      : '';
    console.log(
      `${String(r.round).padEnd(7)}${r.endpoint.padEnd(12)}${String(r.connections).padStart(6)}  ${r.system.padEnd(16)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.failures).padStart(13)}  ${pgText}`,
    );
  }
  console.log(
    "* metadata: GET of each server's static metadata document, a reference for the HTTP stack's own ceiling on this machine.",
  );
  console.log(
    'oidc-provider: ES256 JWT access tokens, the token baseline. oidc opaque: its default opaque tokens, the introspection baseline',
  );
  console.log(
    '(oidc-provider refuses to introspect JWT access tokens: "Structured JWT Tokens cannot be introspected").',
  );
  console.log(
    'bare limit: node:http + ES256 signing of the same claims, nothing else (the ceiling of one Node process).',
  );
  console.log(
    'token+dpop: Latchkey token requests each with a fresh DPoP proof (signed by the load generator), beside the bearer row.',
  );
  console.log(
    `PostgreSQL per token: ${statements ? 'pg_stat_statements exec time, and ' : '(pg_stat_statements is not preloaded by this server) '}CPU time of the server processes serving the bench database, over the issued tokens.\n`,
  );
  // The targets of issue 16, per round, from figures of the same run.
  const find = (round: number, endpoint: string, system: string, conns: number) =>
    rows.find((r) => r.round === round && r.endpoint === endpoint && r.system === system && r.connections === conns);
  const lines: Array<[string, boolean | null, string]> = [];
  for (let round = 1; round <= rounds; round++) {
    for (const count of connectionCounts) {
      const ours = find(round, 'token', 'Latchkey', count);
      const peer = find(round, 'token', 'oidc-provider', count);
      const bare = find(round, 'token', 'bare limit', count);
      const opaque = find(round, 'token', 'oidc opaque', count);
      if (!ours) continue;
      if (peer)
        lines.push([
          `round ${round} token @${count}: Latchkey/oidc-provider >= 1.0x`,
          ours.rps / peer.rps >= 1 && ours.failures === 0,
          `${(ours.rps / peer.rps).toFixed(2)}x (${ours.failures} failures)`,
        ]);
      if (bare)
        lines.push([
          `round ${round} token @${count}: Latchkey >= 50% of the bare limit`,
          ours.rps / bare.rps >= 0.5,
          `${((ours.rps / bare.rps) * 100).toFixed(0)}%`,
        ]);
      if (opaque)
        lines.push([
          `round ${round} token @${count}: Latchkey/oidc opaque (reference)`,
          null,
          `${(ours.rps / opaque.rps).toFixed(2)}x`,
        ]);
      const dpop = find(round, 'token+dpop', 'Latchkey', count);
      if (dpop)
        lines.push([
          `round ${round} token+dpop @${count}: DPoP/Bearer (reference)`,
          null,
          `${(dpop.rps / ours.rps).toFixed(2)}x (${dpop.failures} failures)`,
        ]);
      if (count === 10)
        lines.push([`round ${round} token @10: Latchkey p99 < 10 ms`, ours.p99 < 10, `${ours.p99.toFixed(1)} ms`]);
      if (ours.pg)
        lines.push([
          `round ${round} token @${count}: PostgreSQL work per token (figure)`,
          null,
          ours.pg.cpuUs !== undefined ? `${ours.pg.cpuUs.toFixed(0)} µs CPU` : 'n/a',
        ]);
    }
    const ours = find(round, 'introspect', 'Latchkey', connections);
    const opaque = find(round, 'introspect', 'oidc opaque', connections);
    if (ours && opaque)
      lines.push([
        `round ${round} introspect @${connections}: Latchkey/oidc opaque >= 1.0x`,
        ours.rps / opaque.rps >= 1 && ours.failures === 0,
        `${(ours.rps / opaque.rps).toFixed(2)}x (${ours.failures} failures)`,
      ]);
  }
  console.log('Targets (issue 16):');
  for (const [label, met, figure] of lines)
    console.log(`  ${met === null ? '       ' : met ? 'met    ' : 'NOT met'}  ${label.padEnd(62)} ${figure}`);
  const ok = lines.every(([, met]) => met !== false);
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
