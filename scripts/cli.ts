// npm run cli -- <noun> <verb> [--flag value …]: administer Latchkey from scripts and tests.
// Prints JSON on stdout; on failure prints {"error": {code, message, fields}} on stderr, exit 1.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cliFailure } from '../lib/cli/failure';
import { EMBEDDED_RUNTIME_ROLE } from '../lib/db/runtime-role';

const USAGE = `Usage: npm run cli -- <command> [--flag value …]

Commands:
  org create  --name NAME [--slug SLUG]
  org list
  user create --email EMAIL --name NAME --password PASSWORD [--org SLUG --role OWNER|ADMIN|AUDITOR]
  user list
  member add  --org SLUG --email EMAIL --role OWNER|ADMIN|AUDITOR
  audit verify --org SLUG   (recomputes the hash chain; progress on stderr; records audit.verified)
  audit export --org SLUG --format csv|ndjson --out FILE   (progress on stderr; records audit.exported)
  audit verify-stream FILE --jwks URL|FILE   (offline check of a SIEM capture: events and signed checkpoints; exit 1 on a gap or alteration)
  audit instance [--limit N]   (the newest events of no organization: refusals of unknown client ids)
  keys status       (the master key versions configured, and what still needs each older one)
  keys reencrypt    (re-encrypts sealed values under the newest master key; audited)
  federated list    --org SLUG --account SA_ID
  federated create  --org SLUG --account SA_ID --policy FILE.json   (the API body: issuer, audience, subject, …)
  federated test    --org SLUG --account SA_ID --token FILE [--credential FC_ID]   (dry run: nothing issued)
  federated enable|disable|delete --org SLUG --account SA_ID --credential FC_ID

Uses DATABASE_URL, or the embedded database of a running \`npm start\` when it is unset.`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const FLAGS = [
  'name',
  'slug',
  'email',
  'password',
  'org',
  'role',
  'format',
  'out',
  'limit',
  'account',
  'policy',
  'token',
  'credential',
  'jwks',
] as const;

/** readArgs splits `noun verb --flag value …` with node's own parser (unknown flags are errors). */
function readArgs(argv: string[]): { command: string; flags: Record<string, string> } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...Object.fromEntries(FLAGS.map((f) => [f, { type: 'string' as const }])), help: { type: 'boolean' } },
  });
  const flags: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') flags[key] = value;
  if (values.help) flags.help = 'true';
  // `noun verb [FILE]`: a third positional is the command's file (audit verify-stream FILE).
  const [noun, verb, ...rest] = positionals;
  if (rest.length > 0) flags.file = rest.join(' ');
  return { command: [noun, verb].filter(Boolean).join(' '), flags };
}

if (!process.env.DATABASE_URL) {
  const secretsFile = path.join(root, '.data', 'secrets.json');
  if (existsSync(secretsFile)) {
    // As the server connects: the runtime role npm start created (lib/db/runtime-role.ts); the
    // CLI changes no schema. A .data/ from before that role existed only knows `postgres`.
    const { postgresPassword, appPassword } = JSON.parse(readFileSync(secretsFile, 'utf8')) as {
      postgresPassword: string;
      appPassword?: string;
    };
    const login = appPassword
      ? `${EMBEDDED_RUNTIME_ROLE}:${encodeURIComponent(appPassword)}`
      : `postgres:${encodeURIComponent(postgresPassword)}`;
    process.env.DATABASE_URL = `postgresql://${login}@127.0.0.1:${process.env.LATCHKEY_PG_PORT ?? 54329}/latchkey`;
  }
}
// The CLI neither signs sessions nor touches encrypted data; lib/env.ts still wants values.
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString('base64url');
process.env.LATCHKEY_MASTER_KEYS ??= `1:${randomBytes(32).toString('base64')}`;

let exitCode = 0;
try {
  const { command, flags } = readArgs(process.argv.slice(2));
  if (!command || command === 'help' || 'help' in flags) {
    console.log(USAGE);
  } else {
    const { COMMANDS } = await import('../lib/cli/commands');
    const run = COMMANDS[command];
    if (!run) {
      console.error(JSON.stringify({ error: { code: 'invalid_request', message: `Unknown command "${command}".` } }));
      console.error(USAGE);
      exitCode = 2;
    } else {
      try {
        const result = await run(flags);
        console.log(JSON.stringify(result, null, 2));
        // A check that found a problem (audit verify-stream) fails the command.
        if (typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false) exitCode = 1;
      } catch (error) {
        console.error(JSON.stringify({ error: cliFailure(error) }, null, 2));
        exitCode = 1;
      }
    }
    const { db } = await import('../lib/db/client');
    await db.$disconnect();
  }
} catch (error) {
  // Say what is wrong in one line: a stable code and a safe message, never a stack, an ORM
  // call or a query excerpt (lib/cli/failure.ts).
  const failure = cliFailure(error);
  console.error(JSON.stringify({ error: failure }));
  const parseError = failure.code === 'invalid_request';
  if (parseError) console.error(USAGE);
  exitCode = parseError ? 2 : 1;
}
process.exit(exitCode);
