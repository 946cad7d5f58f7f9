import { z } from 'zod';
import { nameField as displayName } from '@/lib/validation/names';
import { oneOf } from '@/lib/validation/enums';
import { formNumber, jsonNumber } from '@/lib/validation/numbers';
import { credentialStatusSchema, serviceAccountId } from '@/lib/service-accounts/schema';

/**
 * Federated credentials (workload identity federation, issue 12): the API and console schemas,
 * defined once, as lib/service-accounts/schema.ts does for the other credentials.
 */

/** Asymmetric JWS algorithms a policy may allow. Never `none`, never HMAC: an HS* key is a shared secret. */
export const FEDERATED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type FederatedAlgorithm = (typeof FEDERATED_ALGORITHMS)[number];
export const DEFAULT_FEDERATED_ALGORITHMS: FederatedAlgorithm[] = ['RS256', 'ES256'];
export const KEY_SOURCES = ['DISCOVERY', 'JWKS_URI', 'INLINE_JWKS'] as const;
export const SUBJECT_MATCHES = ['EXACT', 'GLOB'] as const;
export const CONDITION_OPS = ['equals', 'one_of', 'glob'] as const;
export const TEMPLATES = ['github_actions', 'gitlab_ci', 'kubernetes', 'spiffe', 'oidc'] as const;
export type TemplateId = (typeof TEMPLATES)[number];
/** At most this many ENABLED federated credentials per account. */
export const MAX_ENABLED_FEDERATED_CREDENTIALS = 20;
export const MIN_TOKEN_AGE_SECONDS = 60;
export const MAX_TOKEN_AGE_SECONDS = 86_400;
/** The largest external token accepted (a GitHub Actions token is about 1.5 KB). */
export const MAX_EXTERNAL_TOKEN_LENGTH = 16_384;

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
export const federatedCredentialId = z
  .string()
  .regex(new RegExp(`^fc_${ULID}$`), { error: 'Not a valid federated credential id.' })
  .meta({ example: 'fc_01JD5Z8Q4W3M2N1P0R9S8T7V6X' });

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** isLoopbackHost: plain http is allowed for these hosts only (tests and development). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * checkIssuerUrl tells what is wrong with an issuer or JWKS URL, or null: https (http only on a
 * loopback host), no credentials, query or fragment. The host allow-list is checked where keys
 * are fetched (lib/federation/jwks.ts), since it is configuration that may change.
 */
export function checkIssuerUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Give an absolute URL (https://…).';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    return 'Use https (plain http only for a loopback address).';
  if (url.username || url.password) return 'The URL may not carry credentials.';
  if (url.search || url.hash || value.includes('#') || value.includes('?'))
    return 'The URL may not have a query or fragment.';
  return null;
}

const urlField = (what: string) =>
  z
    .string({ error: `${what} is a URL, as a string.` })
    .trim()
    .max(500, { error: 'Use at most 500 characters.' })
    .check((ctx) => {
      const problem = checkIssuerUrl(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });

const textField = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'Required.' })
    .max(max, { error: `Use at most ${max} characters.` })
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'No control characters.' });

/** A claim path: a claim name, or nested names separated by `/` (Kubernetes' `kubernetes.io/namespace`). */
const claimPath = z.string().regex(/^[A-Za-z0-9_.:$-]{1,100}(\/[A-Za-z0-9_.:$-]{1,100}){0,4}$/, {
  error: 'A claim name (letters, digits, _ . : - $), nested names separated by /.',
});

const conditionValue = textField(500);

export const claimConditionSchema = z
  .discriminatedUnion(
    'op',
    [
      z.strictObject({ claim: claimPath, op: z.literal('equals'), value: conditionValue }),
      z.strictObject({
        claim: claimPath,
        op: z.literal('one_of'),
        values: z
          .array(conditionValue)
          .min(1, { error: 'Give at least one value.' })
          .max(50, { error: 'At most 50 values.' }),
      }),
      z.strictObject({ claim: claimPath, op: z.literal('glob'), value: conditionValue }),
    ],
    { error: `op is one of: ${CONDITION_OPS.join(', ')}.` },
  )
  .meta({
    id: 'ClaimCondition',
    description:
      'A condition on one claim of the external token. The claim must be a string (numbers and booleans compare as their text). `glob`: `*` matches any run of characters, everything else is literal.',
  });
export type ClaimCondition = z.output<typeof claimConditionSchema>;

const jwkSchema = z.record(z.string(), z.unknown());
/** A JWKS of public keys: RSA, EC or OKP; a private or symmetric key is refused. */
export const publicJwksSchema = z
  .object({
    keys: z.array(jwkSchema).min(1, { error: 'The JWKS has no keys.' }).max(20, { error: 'At most 20 keys.' }),
  })
  .check((ctx) => {
    for (const [i, key] of ctx.value.keys.entries()) {
      if (!['RSA', 'EC', 'OKP'].includes(String(key.kty)))
        ctx.issues.push({ code: 'custom', message: `Key ${i + 1}: kty must be RSA, EC or OKP.`, input: key });
      else if ('d' in key || 'p' in key || 'k' in key)
        ctx.issues.push({
          code: 'custom',
          message: `Key ${i + 1} is a private key: paste public keys only.`,
          input: key,
        });
    }
  })
  .meta({ id: 'PublicJwks', description: 'A JSON Web Key Set of public keys (RSA, EC, OKP).' });

const expiresAtField = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'Give a date (YYYY-MM-DD) or an ISO 8601 date-time.',
  })
  .transform((v) => (v.length === 10 ? new Date(`${v}T23:59:59.000Z`) : new Date(v)))
  .optional()
  .meta({ description: 'Defaults to 2 years from now, capped by the organization maximum.' });

export const createFederatedCredentialInput = z
  .strictObject({
    name: displayName({ required: 'Enter a name.' }),
    template: oneOf(TEMPLATES, 'The template')
      .optional()
      .meta({ description: 'The template the policy was filled from, for display only.' }),
    issuer: urlField('The issuer').meta({
      description: "Exact match on the external token's `iss` (no normalization: a trailing slash counts).",
    }),
    keySource: oneOf(KEY_SOURCES, 'The key source').default('DISCOVERY').meta({
      description:
        "DISCOVERY: the issuer's /.well-known/openid-configuration names the JWKS; JWKS_URI: `jwksUri`; INLINE_JWKS: `inlineJwks` (air-gapped clusters).",
    }),
    jwksUri: urlField('The JWKS URL').optional(),
    inlineJwks: publicJwksSchema.optional(),
    audience: textField(500).meta({
      description: "The one value the external token's `aud` must be (a string, or an array of exactly this value).",
    }),
    subjectMatch: oneOf(SUBJECT_MATCHES, 'The subject match').default('EXACT'),
    subject: textField(500).meta({ description: 'The `sub` required: exact, or a glob where `*` matches any run.' }),
    claimConditions: z.array(claimConditionSchema).max(20, { error: 'At most 20 conditions.' }).default([]),
    allowedAlgorithms: z
      .array(oneOf(FEDERATED_ALGORITHMS, 'The algorithm'))
      .min(1, { error: 'Allow at least one algorithm.' })
      .max(FEDERATED_ALGORITHMS.length)
      .default(DEFAULT_FEDERATED_ALGORITHMS)
      .transform((algs) => [...new Set(algs)])
      .meta({ description: 'Asymmetric algorithms only: `none` and HS* are never accepted.' }),
    maxTokenAgeSeconds: jsonNumber(
      `A whole number of seconds from ${MIN_TOKEN_AGE_SECONDS} to ${MAX_TOKEN_AGE_SECONDS}.`,
    )
      .int()
      .min(MIN_TOKEN_AGE_SECONDS, { error: `At least ${MIN_TOKEN_AGE_SECONDS} seconds.` })
      .max(MAX_TOKEN_AGE_SECONDS, { error: `At most ${MAX_TOKEN_AGE_SECONDS} seconds.` })
      .default(3600)
      .meta({ description: 'The oldest external token accepted, counted from its `iat`.' }),
    expiresAt: expiresAtField,
  })
  .check((ctx) => {
    const v = ctx.value;
    const issue = (path: string, message: string) =>
      ctx.issues.push({ code: 'custom', message, input: v, path: [path] });
    if (v.keySource === 'JWKS_URI' && !v.jwksUri) issue('jwksUri', 'Give the JWKS URL.');
    if (v.keySource !== 'JWKS_URI' && v.jwksUri) issue('jwksUri', 'Only with the JWKS_URI key source.');
    if (v.keySource === 'INLINE_JWKS' && !v.inlineJwks) issue('inlineJwks', 'Paste the JWKS.');
    if (v.keySource !== 'INLINE_JWKS' && v.inlineJwks) issue('inlineJwks', 'Only with the INLINE_JWKS key source.');
    if (v.subjectMatch === 'GLOB' && v.subject.replace(/\*/g, '').length === 0)
      issue('subject', 'A glob that matches every subject trusts the whole issuer: name at least part of it.');
  })
  .meta({ id: 'CreateFederatedCredentialInput' });
export type CreateFederatedCredentialInput = z.output<typeof createFederatedCredentialInput>;

export const testFederatedTokenInput = z
  .strictObject({
    token: z
      .string()
      .trim()
      .min(1, { error: 'Paste a token.' })
      .max(MAX_EXTERNAL_TOKEN_LENGTH, { error: `At most ${MAX_EXTERNAL_TOKEN_LENGTH} characters.` }),
    credentialId: federatedCredentialId
      .optional()
      .meta({ description: "Test one policy only; default: all the account's." }),
  })
  .meta({ id: 'TestFederatedTokenInput' });
export type TestFederatedTokenInput = z.output<typeof testFederatedTokenInput>;

export const federatedCredentialParams = z.object({ accountId: serviceAccountId, credentialId: federatedCredentialId });
export const federatedCredentialRef = z.object({ accountId: serviceAccountId, credentialId: federatedCredentialId });

// --- outputs ------------------------------------------------------------------------------

const isoDate = z.string().meta({ format: 'date-time' });

export const federatedCredentialDto = z
  .object({
    id: z.string().meta({ description: 'The client_id a workload sends with its external token.' }),
    serviceAccountId: z.string(),
    name: z.string(),
    template: z.enum(TEMPLATES).nullable(),
    issuer: z.string(),
    keySource: z.enum(KEY_SOURCES),
    jwksUri: z.string().nullable(),
    inlineJwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).nullable(),
    audience: z.string(),
    subjectMatch: z.enum(SUBJECT_MATCHES),
    subject: z.string(),
    claimConditions: z.array(claimConditionSchema),
    allowedAlgorithms: z.array(z.enum(FEDERATED_ALGORITHMS)),
    maxTokenAgeSeconds: z.number().int(),
    status: credentialStatusSchema,
    expiresAt: isoDate,
    expired: z.boolean(),
    expiringSoon: z.boolean(),
    createdBy: z.object({ id: z.string(), label: z.string() }).nullable(),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    lastUsedIp: z.string().nullable(),
  })
  .meta({ id: 'FederatedCredential' });
export type FederatedCredentialDto = z.output<typeof federatedCredentialDto>;

export const federatedCheckDto = z
  .object({
    check: z.string().meta({
      description:
        'What was checked: alg, typ, issuer, keys, signature, exp, iat, nbf, age, aud, sub, or `claim:<name>`.',
    }),
    ok: z.boolean(),
    detail: z.string(),
  })
  .meta({ id: 'FederatedCheck' });
export type FederatedCheckDto = z.output<typeof federatedCheckDto>;

export const federatedTestResultDto = z
  .object({
    matched: z
      .string()
      .nullable()
      .meta({ description: 'The id of the first enabled policy that accepts the token, or null.' }),
    claims: z
      .object({
        iss: z.string().nullable(),
        sub: z.string().nullable(),
        aud: z.union([z.string(), z.array(z.string())]).nullable(),
        iat: z.number().nullable(),
        exp: z.number().nullable(),
      })
      .nullable()
      .meta({ description: 'The token claims read before any check (null: not a JWT).' }),
    results: z.array(
      z.object({
        credentialId: z.string(),
        name: z.string(),
        status: credentialStatusSchema,
        expired: z.boolean(),
        accepted: z.boolean(),
        reason: z
          .string()
          .nullable()
          .meta({ description: 'The stable reason of the first failing check (as audited).' }),
        checks: z.array(federatedCheckDto),
      }),
    ),
  })
  .meta({
    id: 'FederatedTestResult',
    description:
      'What each policy decides about the token. Nothing is issued, stored or audited; the token is not kept.',
  });
export type FederatedTestResultDto = z.output<typeof federatedTestResultDto>;

// --- console forms ------------------------------------------------------------------------

/** parseJsonField reads a textarea of JSON; text that is not JSON is kept, so the schema names the field. */
function parseJsonField(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * federatedFormToInput reshapes the console form (checkboxes of algorithms, JSON textareas for
 * claim conditions and a pasted JWKS, a number field) into the API body, so the console and
 * the API run the same schema.
 */
export function federatedFormToInput(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [
    'accountId',
    'name',
    'template',
    'issuer',
    'keySource',
    'jwksUri',
    'audience',
    'subjectMatch',
    'subject',
    'expiresAt',
  ]) {
    const v = fields[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v;
  }
  if (out.keySource !== 'JWKS_URI') delete out.jwksUri;
  if (out.keySource === 'INLINE_JWKS') out.inlineJwks = parseJsonField(fields.inlineJwks);
  const conditions = parseJsonField(fields.claimConditions);
  if (conditions !== undefined) out.claimConditions = conditions;
  const algs = fields.allowedAlgorithms;
  if (algs !== undefined) out.allowedAlgorithms = Array.isArray(algs) ? algs : [algs];
  if (typeof fields.maxTokenAgeSeconds === 'string' && fields.maxTokenAgeSeconds.trim() !== '')
    out.maxTokenAgeSeconds = formNumber(fields.maxTokenAgeSeconds);
  return out;
}

export const createFederatedCredentialForm = z.preprocess(
  (v) => federatedFormToInput(v as Record<string, unknown>),
  createFederatedCredentialInput.safeExtend({ accountId: serviceAccountId }),
);
export const setFederatedStatusForm = federatedCredentialRef.extend({ status: credentialStatusSchema });
export const testFederatedTokenForm = z.preprocess(
  (v) => {
    const { accountId, token, credentialId } = v as Record<string, unknown>;
    return { accountId, token, ...(credentialId ? { credentialId } : {}) };
  },
  testFederatedTokenInput.safeExtend({ accountId: serviceAccountId }),
);
