import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/**
 * The process environment, parsed once. Nothing else in the code base reads `process.env`.
 * Parsing is lazy so that `next build` can import modules without a database configured.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.url({ error: 'DATABASE_URL must be a postgresql:// URL' }),
  NEXTAUTH_SECRET: z.string().min(32, { error: 'NEXTAUTH_SECRET must be at least 32 characters' }),
  NEXTAUTH_URL: z.url().default('http://localhost:3000'),
  REDIS_URL: z.url().optional(),
  // Namespace of the rate-limit keys in Redis, so that installations (or test runs) can share one.
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/)
    .default('lk'),
  // Versioned 256-bit master keys, newest first: "2:<base64>,1:<base64>". They encrypt OEM
  // secrets and signing keys at rest and key the hashes of client secrets; older versions stay
  // listed until everything written under them has been re-encrypted.
  LATCHKEY_MASTER_KEYS: z
    .string({
      error: 'LATCHKEY_MASTER_KEYS is missing: set it to "1:<base64 of 32 random bytes>" (openssl rand -base64 32)',
    })
    .regex(/^\d+:[A-Za-z0-9+/_-]{43}=?(,\d+:[A-Za-z0-9+/_-]{43}=?)*$/, {
      error: 'LATCHKEY_MASTER_KEYS must look like "2:<base64 key>,1:<base64 key>" with 32-byte keys, newest first',
    }),
  // Proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs); none by default.
  LATCHKEY_TRUSTED_PROXIES: z.string().default(''),
  // The public base URL of the token service (issuer of access tokens, audience of assertions).
  LATCHKEY_ISSUER: z.url().optional(),
  // private_key_jwt assertions must name the issuer as `aud` (RFC 10070). `on` also accepts the
  // token endpoint URL, for clients written before that rule; each such issuance is audited with
  // deprecated_assertion_audience: true. Off by default.
  LATCHKEY_LEGACY_ASSERTION_AUDIENCE: z.enum(['on', 'off']).default('off'),
  // Federated credentials (workload identity federation): the hosts Latchkey may fetch issuer
  // keys from, comma-separated (`token.actions.githubusercontent.com,*.example.com`). Unset: any
  // https host (plain http only on loopback, for tests and development).
  FEDERATION_ALLOWED_ISSUER_HOSTS: z
    .string()
    .regex(/^\s*(\*\.)?[A-Za-z0-9.-]+(\s*,\s*(\*\.)?[A-Za-z0-9.-]+)*\s*$/, {
      error: 'FEDERATION_ALLOWED_ISSUER_HOSTS is a comma-separated list of host names (or *.suffix)',
    })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default('SSO'),
  // Failed sign-ins per e-mail and address (a guess from elsewhere never locks the member out),
  // all sign-in attempts per address, and failed ones per address over all e-mails.
  SIGN_IN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(5),
  SIGN_IN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().positive().default(30),
  SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  // Token service rate limits, per minute (lib/oauth/rate-limits.ts): successful requests per
  // client, all requests per address, failed ones per (client id, address) and per address.
  TOKEN_RATE_LIMIT_PER_CLIENT: z.coerce.number().int().positive().default(600),
  TOKEN_RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(3000),
  TOKEN_FAILURE_LIMIT_PER_CLIENT_ADDRESS: z.coerce.number().int().positive().default(30),
  TOKEN_FAILURE_LIMIT_PER_IP: z.coerce.number().int().positive().default(300),
  // A refresh-token family's absolute lifetime in days (every token of it ends then, however
  // often it rotates); each token also ends 30 days after it was issued, unless used.
  REFRESH_TOKEN_FAMILY_LIFETIME_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // DPoP proofs (RFC 9449, lib/oauth/dpop.ts): how far a proof's iat may be from our clock, in
  // seconds either way (its jti is remembered that long, on every instance); `on` also requires
  // a server nonce (use_dpop_nonce + DPoP-Nonce) in every proof.
  DPOP_IAT_WINDOW_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  DPOP_NONCE: z.enum(['on', 'off']).default('off'),
  // Audit streaming (issue 15, lib/audit-stream): the instance-wide SIEM sink, set by the
  // operator only. Each organization's chain is streamed to every one that is set: OTLP/HTTP
  // logs (an http(s) URL of /v1/logs, with an optional Authorization header value), syslog
  // RFC 5424 over TCP (syslog://host:port, or syslog+tls://host:port), an NDJSON file (an
  // absolute path, appended to and fsync'ed). The worker looks for new events this often.
  AUDIT_STREAM_OTLP_URL: z
    .url({ protocol: /^https?$/, error: 'AUDIT_STREAM_OTLP_URL must be an http(s) URL' })
    .optional(),
  AUDIT_STREAM_OTLP_AUTHORIZATION: z.string().min(1).optional(),
  AUDIT_STREAM_SYSLOG_URL: z
    .string()
    .regex(/^syslog(\+tls)?:\/\/[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/, {
      error: 'AUDIT_STREAM_SYSLOG_URL must be syslog://host:port or syslog+tls://host:port',
    })
    .optional(),
  AUDIT_STREAM_FILE: z.string().startsWith('/', { error: 'AUDIT_STREAM_FILE must be an absolute path' }).optional(),
  AUDIT_STREAM_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  AUDIT_STREAM_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  AUDIT_STREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Lifecycle events (issue 14). The job workers (pg-boss, schema "pgboss") run in every server
  // process unless LATCHKEY_JOBS=off; several instances share the work.
  LATCHKEY_JOBS: z.enum(['on', 'off']).default('on'),
  // E-mail to owners and admins: an smtp:// or smtps:// URL (nodemailer); unset, e-mail is off.
  SMTP_URL: z
    .url({ error: 'SMTP_URL must be an smtp:// or smtps:// URL' })
    .refine((u) => /^smtps?:\/\//.test(u), { error: 'SMTP_URL must be an smtp:// or smtps:// URL' })
    .optional(),
  SMTP_FROM: z.string().min(3).default('Latchkey <latchkey@localhost>'),
  // Webhook deliveries: attempts after the first (exponential back-off from the delay), the
  // request timeout, and how many failed attempts in a row disable a webhook.
  WEBHOOK_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(8),
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(20),
  // Plain http:// webhook URLs are accepted only for loopback hosts, and only when this is on
  // (by default outside production: development and tests).
  WEBHOOK_ALLOW_LOOPBACK_HTTP: z.enum(['on', 'off']).optional(),
  // Deliveries go to public addresses only (no private, link-local or metadata addresses: SSRF);
  // an operator may open internal receivers here, as comma-separated CIDRs (10.20.0.0/16,fd00::/8).
  WEBHOOK_ALLOWED_PRIVATE_CIDRS: z
    .string()
    .optional()
    .refine(
      (v) =>
        (v ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .every((s) => ipaddr.isValidCIDR(s)),
      { error: 'WEBHOOK_ALLOWED_PRIVATE_CIDRS must be comma-separated CIDRs, e.g. 10.20.0.0/16' },
    ),
});

export type Env = z.infer<typeof envSchema>;

let parsed: Env | undefined;

/** env returns the validated environment, throwing one readable error naming every bad variable. */
export function env(): Env {
  if (parsed) return parsed;
  const result = envSchema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  parsed = result.data;
  return parsed;
}

/** oidcEnabled tells whether an SSO provider is fully configured. */
export function oidcEnabled(e: Env = env()): boolean {
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET);
}

const logLevelSchema = envSchema.shape.LOG_LEVEL;

/** logLevel is read on its own so that logging works before (and while) the full env is checked. */
export function logLevel(): z.infer<typeof logLevelSchema> {
  const fallback = process.env.NODE_ENV === 'test' ? 'silent' : 'info';
  const result = logLevelSchema.safeParse(process.env.LOG_LEVEL ?? fallback);
  return result.success ? result.data : 'info';
}

/** resetEnvCache makes the next env() call parse process.env again (tests change it). */
export function resetEnvCache(): void {
  parsed = undefined;
}

/** smtpEnabled tells whether lifecycle e-mail can be sent (SMTP_URL is set). */
export function smtpEnabled(e: Env = env()): boolean {
  return e.SMTP_URL !== undefined;
}

/** loopbackHttpAllowed tells whether http:// webhook URLs to loopback hosts are accepted. */
export function loopbackHttpAllowed(e: Env = env()): boolean {
  return (e.WEBHOOK_ALLOW_LOOPBACK_HTTP ?? (e.NODE_ENV === 'production' ? 'off' : 'on')) === 'on';
}
