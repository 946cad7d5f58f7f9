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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default('SSO'),
  SIGN_IN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(5),
  SIGN_IN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().positive().default(30),
  SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
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
