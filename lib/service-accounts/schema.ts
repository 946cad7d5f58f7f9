import { z } from 'zod';
import { checkCidrEntry } from '@/lib/net/cidr';
import { nameField as displayName } from '@/lib/validation/names';
import { oneOf } from '@/lib/validation/enums';
import { formNumber, jsonNumber } from '@/lib/validation/numbers';

/**
 * The inputs and outputs of the service-account domain, defined once: the /api/v1 routes parse
 * bodies with these schemas, the OpenAPI document is generated from them, and the console's
 * forms go through `fromForm(...)`, which only reshapes form fields before the same schema runs.
 */

export const PLATFORMS = ['SERVER', 'WEB', 'ANDROID', 'IOS', 'DESKTOP'] as const;
export const CLIENT_PLATFORMS = ['WEB', 'ANDROID', 'IOS', 'DESKTOP'] as const;
export const ACCOUNT_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export const CREDENTIAL_STATUSES = ['ENABLED', 'DISABLED'] as const;
/** At most this many ENABLED client secrets per account. */
export const MAX_ENABLED_SECRETS = 10;
/** At most this many ENABLED key pairs, and client token pairs, per account. */
export const MAX_ENABLED_KEY_PAIRS = 10;
export const MAX_ENABLED_TOKEN_PAIRS = 10;
/** Credentials expiring within this many days are flagged in the console. */
export const EXPIRY_WARNING_DAYS = 14;
/** The default lifetime of a new credential (capped by the organization's maximum). */
export const DEFAULT_CREDENTIAL_LIFETIME_DAYS = 730;
/** Grace periods a rotation offers for the old secret, in hours. */
export const ROTATION_GRACE_HOURS = [0, 1, 24, 72, 168, 720] as const;

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
const idOf = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}_${ULID}$`), { error: `Not a valid ${what} id.` });

export const serviceAccountId = idOf('sa', 'service account').meta({ example: 'sa_01JD5Z8Q4W3M2N1P0R9S8T7V6X' });
export const clientSecretId = idOf('kid', 'client secret key').meta({ example: 'kid_01JD5Z8Q4W3M2N1P0R9S8T7V6X' });
export const keyPairId = idOf('kp', 'key pair').meta({ example: 'kp_01JD5Z8Q4W3M2N1P0R9S8T7V6X' });
export const tokenPairId = idOf('ctp', 'client token pair').meta({ example: 'ctp_01JD5Z8Q4W3M2N1P0R9S8T7V6X' });

export const platformSchema = oneOf(PLATFORMS, 'The platform').meta({ id: 'Platform' });
export const accountStatusSchema = oneOf(ACCOUNT_STATUSES, 'The status').meta({ id: 'ServiceAccountStatus' });
export const credentialStatusSchema = oneOf(CREDENTIAL_STATUSES, 'The status').meta({ id: 'CredentialStatus' });

const nameField = displayName({ required: 'Enter a name.' });

const descriptionField = z.string().trim().max(500, { error: 'Use at most 500 characters.' });

const scopeNameField = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'Not a valid scope name.' });

/** An allow-list entry, read strictly (lib/net/cidr.ts checkCidrEntry) and kept in its canonical form. */
const cidrField = z
  .string({ error: 'An entry is an IP address or CIDR block, as a string.' })
  .trim()
  .check((ctx) => {
    const checked = checkCidrEntry(ctx.value);
    if (!checked.ok) ctx.issues.push({ code: 'custom', message: checked.message, input: ctx.value });
  })
  .overwrite((value) => {
    const checked = checkCidrEntry(value);
    return checked.ok ? checked.canonical : value;
  });

export const roleBindingInput = z
  .strictObject({
    roleId: z.string().regex(new RegExp(`^rol_${ULID}$`), { error: 'Not a valid role id.' }),
    projectId: z
      .string()
      .regex(new RegExp(`^prj_${ULID}$`), { error: 'Not a valid project id.' })
      .nullable()
      .optional()
      .transform((v) => v ?? null),
  })
  .meta({
    id: 'RoleBindingInput',
    description: 'An organization role (projectId null) or a project role bound to one project.',
  });
export type RoleBindingInput = z.output<typeof roleBindingInput>;

const tokenLifetimeField = jsonNumber('Enter a number of seconds.')
  .int({ error: 'Enter a whole number of seconds.' })
  .min(60, { error: 'At least 60 seconds.' })
  .max(86_400, { error: 'At most 86400 seconds (24 hours).' });

const requireDpopField = z.boolean().meta({
  description:
    'No token without a DPoP proof (RFC 9449): a token request without one is refused with invalid_dpop_proof, never answered with a bearer token.',
});

const accountFields = {
  name: nameField,
  description: descriptionField.default(''),
  isAdmin: z
    .boolean()
    .default(false)
    .meta({ description: 'May call the management API (/api/v1) with a management scope.' }),
  scopes: z
    .array(scopeNameField)
    .max(200)
    .default([])
    .meta({ description: 'Scope names from the organization catalog.' }),
  roleBindings: z.array(roleBindingInput).max(100).default([]),
  tokenLifetimeSeconds: tokenLifetimeField.default(3600),
  requireDpop: requireDpopField.default(false),
  ipAllowList: z.array(cidrField).max(100, { error: 'At most 100 entries.' }).default([]).meta({
    description:
      'CIDR blocks or addresses; empty = any address. Refused: host bits set (10.0.0.1/8: use 10.0.0.0/8) and legacy IPv4 forms (1.2.3). Stored canonically: IPv6 compressed in lower case, IPv4-mapped IPv6 as IPv4.',
  }),
};

export const createServiceAccountInput = z
  .strictObject({ ...accountFields, platform: platformSchema })
  .meta({ id: 'CreateServiceAccountInput' });
export type CreateServiceAccountInput = z.output<typeof createServiceAccountInput>;

export const updateServiceAccountInput = z
  .strictObject({
    name: nameField.optional(),
    description: descriptionField.optional(),
    isAdmin: z.boolean().optional(),
    scopes: z.array(scopeNameField).max(200).optional(),
    roleBindings: z.array(roleBindingInput).max(100).optional(),
    tokenLifetimeSeconds: tokenLifetimeField.optional(),
    requireDpop: requireDpopField.optional(),
    ipAllowList: z.array(cidrField).max(100, { error: 'At most 100 entries.' }).optional(),
  })
  .meta({ id: 'UpdateServiceAccountInput', description: 'Only the fields sent change. The platform cannot change.' });
export type UpdateServiceAccountInput = z.output<typeof updateServiceAccountInput>;

export const revokeServiceAccountInput = z
  .strictObject({
    confirmName: z
      .string({ error: 'Type the account name to confirm.' })
      .meta({ description: 'The account name, typed to confirm: revocation is permanent.' }),
  })
  .meta({ id: 'RevokeServiceAccountInput' });
export type RevokeServiceAccountInput = z.output<typeof revokeServiceAccountInput>;

export const listServiceAccountsQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .normalize('NFC')
    .max(100)
    .optional()
    .meta({ description: 'Search in names (case-insensitive).' }),
  status: accountStatusSchema.optional(),
  platform: platformSchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListServiceAccountsQuery = z.output<typeof listServiceAccountsQuery>;

/** An expiry given as an ISO 8601 date-time with offset, or a calendar date (end of that day, UTC). */
const expiresAtField = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'Give a date (YYYY-MM-DD) or an ISO 8601 date-time.',
  })
  .transform((v) => (v.length === 10 ? new Date(`${v}T23:59:59.000Z`) : new Date(v)))
  .optional()
  .meta({ description: 'Defaults to 2 years from now, capped by the organization maximum.' });

export const createClientSecretInput = z
  .strictObject({ name: nameField, expiresAt: expiresAtField })
  .meta({ id: 'CreateClientSecretInput' });
export type CreateClientSecretInput = z.output<typeof createClientSecretInput>;

export const rotateClientSecretInput = z
  .strictObject({
    name: nameField.optional().meta({ description: 'Name of the new secret; defaults to the old name.' }),
    expiresAt: expiresAtField,
    gracePeriodHours: jsonNumber(`Choose one of ${ROTATION_GRACE_HOURS.join(', ')} hours.`)
      .int()
      .refine((v) => (ROTATION_GRACE_HOURS as readonly number[]).includes(v), {
        error: `Choose one of ${ROTATION_GRACE_HOURS.join(', ')} hours.`,
      })
      .default(24)
      .meta({ description: 'The old secret expires this many hours after the rotation.' }),
  })
  .meta({ id: 'RotateClientSecretInput' });
export type RotateClientSecretInput = z.output<typeof rotateClientSecretInput>;

export const setCredentialStatusInput = z
  .strictObject({ status: credentialStatusSchema })
  .meta({ id: 'SetCredentialStatusInput' });

const jwkObject = z.record(z.string(), z.unknown()).meta({ description: 'A public JWK (kty EC, crv P-256).' });

export const createKeyPairInput = z
  .strictObject({
    name: nameField,
    expiresAt: expiresAtField,
    publicKey: z
      .union([z.string().max(10_000, { error: 'The key is too long.' }), jwkObject])
      .optional()
      .meta({
        description: 'Upload: an ES256 public key as SPKI PEM or JWK. Omit it to have Latchkey generate a key pair.',
      }),
  })
  .meta({ id: 'CreateKeyPairInput' });
export type CreateKeyPairInput = z.output<typeof createKeyPairInput>;

export const createTokenPairInput = z
  .strictObject({ expiresAt: expiresAtField })
  .meta({ id: 'CreateClientTokenPairInput' });
export type CreateTokenPairInput = z.output<typeof createTokenPairInput>;

// --- path parameters ----------------------------------------------------------------------

export const accountParams = z.object({ accountId: serviceAccountId });
export const secretParams = z.object({ accountId: serviceAccountId, secretId: clientSecretId });
export const keyParams = z.object({ accountId: serviceAccountId, keyId: keyPairId });
export const tokenPairParams = z.object({ accountId: serviceAccountId, pairId: tokenPairId });
/** An access token's jti: a UUID (lib/tokens/access-token.ts mints them so). */
const accessTokenJti = z.uuid({ error: 'Enter the token id (jti), a UUID.' }).transform((v) => v.toLowerCase());
export const liveTokenParams = z.object({ accountId: serviceAccountId, jti: accessTokenJti });

// --- refs used by server actions (the form names the account and the credential) ----------

export const accountRef = z.object({ accountId: serviceAccountId });
export const secretRef = accountRef.extend({ secretId: clientSecretId });
export const keyRef = accountRef.extend({ keyId: keyPairId });
export const tokenPairRef = accountRef.extend({ pairId: tokenPairId });
export const liveTokenRef = accountRef.extend({ jti: accessTokenJti });

// --- outputs ------------------------------------------------------------------------------

const isoDate = z.string().meta({ format: 'date-time' });
const userRef = z.object({ id: z.string(), label: z.string() }).nullable();

export const roleBindingDto = z
  .object({
    id: z.string(),
    roleId: z.string(),
    roleName: z.string(),
    kind: z.enum(['ORGANIZATION', 'PROJECT']),
    retired: z.boolean().meta({ description: 'The role is retired: the binding stays but reaches no project.' }),
    projectId: z.string().nullable(),
    projectName: z.string().nullable(),
  })
  .meta({ id: 'RoleBinding' });

export const serviceAccountDto = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    platform: platformSchema,
    isAdmin: z.boolean(),
    status: accountStatusSchema,
    scopes: z.array(z.string()),
    roleBindings: z.array(roleBindingDto),
    tokenLifetimeSeconds: z.number().int(),
    requireDpop: z.boolean(),
    ipAllowList: z.array(z.string()),
    createdBy: userRef,
    createdAt: isoDate,
    updatedAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    suspendedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
  })
  .meta({ id: 'ServiceAccount' });
export type ServiceAccountDto = z.output<typeof serviceAccountDto>;

export const serviceAccountListItemDto = serviceAccountDto
  .omit({ roleBindings: true })
  .extend({
    credentialCount: z.number().int(),
    expiringCredentials: z
      .number()
      .int()
      .meta({ description: `ENABLED credentials expiring within ${EXPIRY_WARNING_DAYS} days.` }),
  })
  .meta({ id: 'ServiceAccountListItem' });
export type ServiceAccountListItemDto = z.output<typeof serviceAccountListItemDto>;

export const serviceAccountPageDto = z
  .object({
    items: z.array(serviceAccountListItemDto),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    totalPages: z.number().int(),
  })
  .meta({ id: 'ServiceAccountPage', description: 'Page-numbered: ask for `page` 1..totalPages.' });
export type ServiceAccountPageDto = z.output<typeof serviceAccountPageDto>;

const credentialCommon = {
  status: credentialStatusSchema,
  expiresAt: isoDate,
  expired: z.boolean(),
  expiringSoon: z.boolean().meta({ description: `Expires within ${EXPIRY_WARNING_DAYS} days.` }),
  createdBy: userRef,
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  lastUsedIp: z.string().nullable(),
};

export const clientSecretDto = z
  .object({
    id: z.string().meta({ description: 'The key id: HTTP Basic username and OAuth client_id.' }),
    serviceAccountId: z.string(),
    name: z.string(),
    hint: z.string().meta({ description: 'Prefix and last 4 characters, for recognition only.' }),
    replacesId: z
      .string()
      .nullable()
      .meta({ description: 'The key id of the secret this one was rotated from (null when it was created).' }),
    replacedById: z
      .string()
      .nullable()
      .meta({ description: 'The key id of the secret rotated from this one; this one stops working at expiresAt.' }),
    ...credentialCommon,
  })
  .meta({ id: 'ClientSecret' });
export type ClientSecretDto = z.output<typeof clientSecretDto>;

export const keyPairDto = z
  .object({
    id: z.string().meta({ description: 'The key id: `iss` (and `kid`) of the JWT assertions signed with this key.' }),
    serviceAccountId: z.string(),
    name: z.string(),
    algorithm: z.literal('ES256'),
    origin: z.enum(['GENERATED', 'UPLOADED']),
    thumbprint: z.string().meta({ description: 'RFC 7638 JWK thumbprint (SHA-256, base64url).' }),
    publicKeyJwk: z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string() }),
    ...credentialCommon,
  })
  .meta({ id: 'KeyPair' });
export type KeyPairDto = z.output<typeof keyPairDto>;

export const tokenPairDto = z
  .object({
    id: z.string(),
    serviceAccountId: z.string(),
    clientToken: z.string().meta({ description: 'Publishable: may be embedded in a client app.' }),
    ...credentialCommon,
  })
  .meta({ id: 'ClientTokenPair' });
export type TokenPairDto = z.output<typeof tokenPairDto>;

export const liveTokenDto = z
  .object({
    jti: z.string().meta({ description: 'The access token id (its `jti` claim).' }),
    clientId: z.string().nullable().meta({ description: 'The credential that obtained it (`client_id`).' }),
    scope: z.string(),
    grantType: z.string().nullable(),
    ip: z.string().nullable().meta({ description: 'The address it was issued to.' }),
    issuedAt: isoDate,
    expiresAt: isoDate,
  })
  .meta({ id: 'LiveAccessToken' });
export type LiveTokenDto = z.output<typeof liveTokenDto>;
export const liveTokenListDto = z.object({ items: z.array(liveTokenDto) }).meta({ id: 'LiveAccessTokenList' });

export const serviceAccountDetailDto = serviceAccountDto
  .extend({
    clientSecrets: z.array(clientSecretDto),
    keyPairs: z.array(keyPairDto),
    clientTokenPairs: z.array(tokenPairDto),
  })
  .meta({ id: 'ServiceAccountDetail' });
export type ServiceAccountDetailDto = z.output<typeof serviceAccountDetailDto>;

export const createdClientSecretDto = z
  .object({
    clientSecret: clientSecretDto,
    secret: z
      .string()
      .meta({ description: 'The secret, shown this once. Use `key id:secret` as HTTP Basic credentials.' }),
  })
  .meta({ id: 'CreatedClientSecret' });
export type CreatedClientSecretDto = z.output<typeof createdClientSecretDto>;

export const rotatedClientSecretDto = createdClientSecretDto
  .extend({ previous: clientSecretDto.meta({ description: 'The old secret, now expiring after the grace period.' }) })
  .meta({ id: 'RotatedClientSecret' });
export type RotatedClientSecretDto = z.output<typeof rotatedClientSecretDto>;

export const keyConfigDto = z
  .object({
    type: z.literal('latchkey_service_account_key'),
    key_id: z.string(),
    id: z.string().meta({
      description:
        "The key id again, under High Mobility's console name: their examples sign with `iss: config.id` (the `iss` of a High Mobility assertion).",
    }),
    client_id: z.string().meta({
      description:
        "The key id again, as High Mobility's console calls the OAuth client of a private key (and as RFC 7523 private_key_jwt uses it: `iss` and `sub`).",
    }),
    service_account_id: z.string(),
    private_key: z.string().meta({ description: 'PKCS #8 PEM; shown this once, never stored by Latchkey.' }),
    token_url: z.string(),
    algorithm: z.literal('ES256'),
  })
  .meta({ id: 'ServiceAccountKeyConfig' });
export type KeyConfigDto = z.output<typeof keyConfigDto>;

export const createdKeyPairDto = z
  .object({
    keyPair: keyPairDto,
    config: keyConfigDto.nullable().meta({ description: 'Only for a generated key; null for an upload.' }),
  })
  .meta({ id: 'CreatedKeyPair' });
export type CreatedKeyPairDto = z.output<typeof createdKeyPairDto>;

export const createdTokenPairDto = z
  .object({
    tokenPair: tokenPairDto,
    serverToken: z.string().meta({ description: 'The secret server token, shown this once.' }),
  })
  .meta({ id: 'CreatedClientTokenPair' });
export type CreatedTokenPairDto = z.output<typeof createdTokenPairDto>;

export const expiringCredentialDto = z
  .object({
    kind: z.enum(['client_secret', 'key_pair', 'client_token_pair', 'federated_credential']),
    id: z.string(),
    label: z.string(),
    serviceAccountId: z.string(),
    serviceAccountName: z.string(),
    expiresAt: isoDate,
  })
  .meta({ id: 'ExpiringCredential' });
export type ExpiringCredentialDto = z.output<typeof expiringCredentialDto>;

// --- console forms ------------------------------------------------------------------------

const asArray = (v: unknown): string[] =>
  v === undefined || v === '' ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

/**
 * accountFormToInput reshapes the account form's fields (checkboxes, a textarea of CIDRs, role
 * bindings as `roleId` or `roleId@projectId` values) into the API body shape, so the console and
 * the API run the same schema.
 */
export function accountFormToInput(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('name' in fields) out.name = fields.name;
  if ('description' in fields) out.description = fields.description;
  if ('platform' in fields) out.platform = emptyToUndefined(fields.platform);
  out.isAdmin = fields.isAdmin === 'on' || fields.isAdmin === 'true';
  out.requireDpop = fields.requireDpop === 'on' || fields.requireDpop === 'true';
  out.scopes = asArray(fields.scopes);
  out.roleBindings = asArray(fields.roleBindings).map((v) => {
    const [roleId, projectId] = v.split('@');
    return { roleId, projectId: projectId || null };
  });
  if ('tokenLifetimeSeconds' in fields) out.tokenLifetimeSeconds = formNumber(fields.tokenLifetimeSeconds);
  out.ipAllowList =
    typeof fields.ipAllowList === 'string'
      ? fields.ipAllowList
          .split(/[\s,]+/)
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  return out;
}

/** fromForm runs an API schema on form fields after dropping empty optional values. */
export function credentialFormToInput(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    const value = k === 'gracePeriodHours' ? formNumber(v) : emptyToUndefined(v);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

export const createServiceAccountForm = z.preprocess(
  (v) => accountFormToInput(v as Record<string, unknown>),
  createServiceAccountInput,
);
export const updateServiceAccountForm = z.preprocess(
  (v) => {
    const fields = v as Record<string, unknown>;
    const { accountId, ...rest } = fields;
    return { accountId, ...accountFormToInput(rest) };
  },
  z.object({ accountId: serviceAccountId }).extend(updateServiceAccountInput.shape),
);
export const revokeServiceAccountForm = accountRef.extend(revokeServiceAccountInput.shape);
const credentialForm = <S extends z.ZodObject>(schema: S) =>
  z.preprocess((v) => credentialFormToInput(v as Record<string, unknown>), schema);
export const createClientSecretForm = credentialForm(accountRef.extend(createClientSecretInput.shape));
export const rotateClientSecretForm = credentialForm(secretRef.extend(rotateClientSecretInput.shape));
export const createKeyPairForm = credentialForm(accountRef.extend(createKeyPairInput.shape));
export const createTokenPairForm = credentialForm(accountRef.extend(createTokenPairInput.shape));
export const setSecretStatusForm = secretRef.extend(setCredentialStatusInput.shape);
export const setKeyStatusForm = keyRef.extend(setCredentialStatusInput.shape);
export const setTokenPairStatusForm = tokenPairRef.extend(setCredentialStatusInput.shape);
