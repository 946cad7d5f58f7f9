import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';

// The token service's operations in the OpenAPI document (issue 18). The endpoints read their
// form bodies field by field (lib/oauth/token-endpoint.ts and the grant modules); these schemas
// describe those fields for integrators, and lib/oauth/openapi.test.ts holds the grant list to
// the one the endpoint serves. No server-only import: the API reference page renders this.

const TAG_TOKENS = 'OAuth token service';
const TAG_DISCOVERY = 'OAuth discovery';
const FORM = 'application/x-www-form-urlencoded';

export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'unsupported_token_type',
  'slow_down',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'temporarily_unavailable',
  'server_error',
] as const;

const oauthError = z
  .object({
    error: z.enum(OAUTH_ERROR_CODES),
    error_description: z.string().meta({ description: 'Human-readable; RFC 6749 §5.2 characters only.' }),
  })
  .meta({ id: 'OAuthError', description: 'RFC 6749 §5.2 error response (JSON, `Cache-Control: no-store`).' });

const clientAuthFields = {
  client_id: z
    .string()
    .optional()
    .meta({ description: 'The credential id (`cs_…`, `kp_…`) with `client_secret_post` or `private_key_jwt`.' }),
  client_secret: z
    .string()
    .optional()
    .meta({ description: '`client_secret_post`. Prefer HTTP Basic (`client_secret_basic`): `Authorization: Basic`.' }),
  client_assertion_type: z
    .literal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    .optional()
    .meta({ description: 'With `client_assertion` (`private_key_jwt`, RFC 7523).' }),
  client_assertion: z
    .string()
    .optional()
    .meta({ description: 'An ES256 JWT signed with the key pair, `aud` the token endpoint (RFC 7523 §3).' }),
};

const scope = z
  .string()
  .optional()
  .meta({ description: 'Space-separated; a subset of what the account holds. Omitted: all of them.' });
const narrowing = {
  project_id: z.string().optional().meta({ description: 'Bind the token to one of the account’s projects.' }),
  environment_id: z.string().optional().meta({ description: 'Bind the token to an environment of that project.' }),
};

const clientCredentialsRequest = z
  .object({ grant_type: z.literal('client_credentials'), scope, ...clientAuthFields })
  .meta({
    id: 'ClientCredentialsGrant',
    description: 'RFC 6749 §4.4: a client secret or key pair authenticates the account, and is the grant.',
  });
const jwtBearerRequest = z
  .object({
    grant_type: z.literal('urn:ietf:params:oauth:grant-type:jwt-bearer'),
    assertion: z.string().meta({ description: 'An ES256 JWT signed with the account’s key pair (RFC 7523 §2.1).' }),
    scope,
  })
  .meta({ id: 'JwtBearerGrant', description: 'RFC 7523: a signed assertion instead of client authentication.' });
const refreshTokenRequest = z
  .object({
    grant_type: z.literal('refresh_token'),
    refresh_token: z.string().meta({ description: 'An `lk_rt_…` token; each is used once and replaced.' }),
    scope,
    ...clientAuthFields,
  })
  .meta({
    id: 'RefreshTokenGrant',
    description: 'RFC 6749 §6, with rotation: reusing a refresh token revokes its family.',
  });
const tokenExchangeRequest = z
  .object({
    grant_type: z.literal('urn:ietf:params:oauth:grant-type:token-exchange'),
    subject_token: z.string(),
    subject_token_type: z.enum([
      'urn:ietf:params:oauth:token-type:access_token',
      'urn:ietf:params:oauth:token-type:jwt',
      'urn:ietf:params:oauth:token-type:id_token',
    ]),
    requested_token_type: z
      .enum(['urn:ietf:params:oauth:token-type:access_token', 'urn:ietf:params:oauth:token-type:jwt'])
      .optional(),
    scope,
    ...narrowing,
    client_id: z.string().optional().meta({
      description:
        'With a `jwt` or `id_token` subject token (workload identity federation): the federated credential id, `fc_…`, and no other client credentials.',
    }),
  })
  .meta({
    id: 'TokenExchangeGrant',
    description:
      'RFC 8693: trade an access token for a narrower one (fewer scopes, one project or environment), or a workload platform’s token for an access token of a federated credential’s account.',
  });

const tokenRequest = z
  .discriminatedUnion('grant_type', [
    clientCredentialsRequest,
    jwtBearerRequest,
    refreshTokenRequest,
    tokenExchangeRequest,
  ])
  .meta({ id: 'TokenRequest' });

/** The grant_type values documented above; the test compares them with the endpoint's list. */
export const DOCUMENTED_GRANT_TYPES = tokenRequest.options.map((o) => o.shape.grant_type.value);

const tokenResponse = z
  .object({
    access_token: z.string().meta({ description: 'An RFC 9068 JWT access token, ES256, verifiable with the JWKS.' }),
    token_type: z.enum(['Bearer', 'DPoP']),
    expires_in: z.number().int(),
    scope: z.string(),
    refresh_token: z.string().optional(),
    issued_token_type: z.string().optional().meta({ description: 'Token exchange only (RFC 8693 §2.2.1).' }),
  })
  .meta({ id: 'TokenResponse', description: 'RFC 6749 §5.1.' });

/** Introspection and revocation take the same form: a token, an optional hint, the caller's client authentication. */
const tokenAboutRequest = z.object({
  token: z.string(),
  token_type_hint: z
    .string()
    .optional()
    .meta({ description: '`access_token` or `refresh_token`; only a hint, any value is accepted.' }),
  ...clientAuthFields,
});
const introspectionRequest = tokenAboutRequest.meta({ id: 'IntrospectionRequest' });
const introspectionResponse = z
  .object({
    active: z.boolean(),
    scope: z.string().optional(),
    client_id: z.string().optional(),
    sub: z.string().optional(),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    iss: z.string().optional(),
    exp: z.number().int().optional(),
    iat: z.number().int().optional(),
    jti: z.string().optional(),
    token_type: z.string().optional(),
    project_id: z.string().optional(),
    environment_id: z.string().optional(),
    cnf: z.object({ jkt: z.string() }).optional().meta({ description: 'DPoP key thumbprint (RFC 9449 §6.2).' }),
  })
  .meta({
    id: 'IntrospectionResponse',
    description:
      'RFC 7662 §2.2. A revoked, expired, unknown token, or one of another organization, is `{"active": false}` and nothing else.',
  });
const revocationRequest = tokenAboutRequest.meta({ id: 'RevocationRequest' });

const metadataDocument = z
  .object({
    issuer: z.string(),
    token_endpoint: z.string(),
    jwks_uri: z.string(),
    introspection_endpoint: z.string(),
    revocation_endpoint: z.string(),
    grant_types_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    dpop_signing_alg_values_supported: z.array(z.string()),
    scopes_supported: z.array(z.string()).meta({ description: 'The management scopes only.' }),
    service_documentation: z.string(),
  })
  .meta({ id: 'AuthorizationServerMetadata', description: 'RFC 8414 §2 (fields Latchkey fills).' });
const jwks = z
  .object({ keys: z.array(z.object({ kty: z.string(), kid: z.string(), alg: z.string() }).loose()) })
  .meta({ id: 'JsonWebKeySet', description: 'RFC 7517 §5: the public keys that sign access tokens.' });

const oauthErrorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: oauthError } },
});
const clientAuthFailed = oauthErrorResponse(
  '`invalid_client`: the client credentials are missing, unknown, wrong, disabled or expired (with `WWW-Authenticate: Basic`).',
);
const throttled = {
  '429': oauthErrorResponse('`slow_down`: too many requests for this client or address (see `Retry-After`).'),
  '503': oauthErrorResponse('`temporarily_unavailable`: retry after `Retry-After` seconds.'),
};
const formBody = (schema: z.ZodType) => ({ required: true, content: { [FORM]: { schema } } });

/** The client authentication every token-service endpoint takes (RFC 6749 §2.3, RFC 7523). */
const clientAuth: Array<Record<string, string[]>> = [{ clientSecretBasic: [] }, {}];
const publicDocument = (o: ZodOpenApiOperationObject): ZodOpenApiOperationObject => ({
  ...o,
  tags: [TAG_DISCOVERY],
  security: [],
});

export const paths: ZodOpenApiPathsObject = {
  '/api/oauth/token': {
    post: {
      operationId: 'requestToken',
      tags: [TAG_TOKENS],
      summary: 'Request an access token',
      description: [
        'One endpoint for every grant; pick it with `grant_type`:',
        '',
        '- `client_credentials`: authenticate with a client secret (`Authorization: Basic base64(cs_id:secret)` or `client_secret_post`) or a key pair (`private_key_jwt`).',
        '- `urn:ietf:params:oauth:grant-type:jwt-bearer`: a JWT signed with the key pair, in `assertion`.',
        '- `refresh_token`: for accounts whose token pairs issue refresh tokens.',
        '- `urn:ietf:params:oauth:grant-type:token-exchange`: narrow a token, or exchange a workload platform’s token (federation).',
        '',
        'Send a `DPoP` proof header (RFC 9449) to get a key-bound token (`token_type: DPoP`). Errors follow RFC 6749 §5.2.',
      ].join('\n'),
      security: clientAuth,
      requestBody: formBody(tokenRequest),
      responses: {
        '200': {
          description: 'The token (`Cache-Control: no-store`).',
          content: { 'application/json': { schema: tokenResponse } },
        },
        '400': oauthErrorResponse(
          '`invalid_request`, `invalid_grant`, `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`, `invalid_target`, `invalid_dpop_proof` or `use_dpop_nonce` (with a `DPoP-Nonce` header).',
        ),
        '401': clientAuthFailed,
        ...throttled,
      },
    },
  },
  '/api/oauth/introspect': {
    post: {
      operationId: 'introspectToken',
      tags: [TAG_TOKENS],
      summary: 'Introspect a token',
      description:
        'RFC 7662. The caller authenticates as a client of the same organization; a resource server uses its own service account’s credentials.',
      security: clientAuth,
      requestBody: formBody(introspectionRequest),
      responses: {
        '200': {
          description: 'Whether the token is active, and its claims when it is.',
          content: { 'application/json': { schema: introspectionResponse } },
        },
        '400': oauthErrorResponse('`invalid_request`: no `token`, or a malformed body.'),
        '401': clientAuthFailed,
        ...throttled,
      },
    },
  },
  '/api/oauth/revoke': {
    post: {
      operationId: 'revokeToken',
      tags: [TAG_TOKENS],
      summary: 'Revoke a token',
      description:
        'RFC 7009. Revokes an access token or a refresh token (and its family) issued to the calling client. An unknown, malformed or expired token is answered 200 as well (RFC 7009 §2.2).',
      security: clientAuth,
      requestBody: formBody(revocationRequest),
      responses: {
        '200': { description: 'Revoked, or nothing to revoke. Empty body.' },
        '400': oauthErrorResponse('`invalid_request`: no `token`, or a malformed body.'),
        '401': clientAuthFailed,
        ...throttled,
      },
    },
  },
  '/.well-known/oauth-authorization-server': {
    get: publicDocument({
      operationId: 'getAuthorizationServerMetadata',
      summary: 'Authorization server metadata',
      description: 'RFC 8414. Public, cacheable for five minutes.',
      responses: {
        '200': { description: 'The metadata.', content: { 'application/json': { schema: metadataDocument } } },
      },
    }),
  },
  '/.well-known/openid-configuration': {
    get: publicDocument({
      operationId: 'getOpenIdConfiguration',
      summary: 'The same metadata, under the OpenID Connect discovery name',
      description:
        'For clients that discover there first. Latchkey issues no ID tokens: the document claims no OpenID Connect features.',
      responses: {
        '200': { description: 'The metadata.', content: { 'application/json': { schema: metadataDocument } } },
      },
    }),
  },
  '/.well-known/jwks.json': {
    get: publicDocument({
      operationId: 'getJwks',
      summary: 'Signing keys (JWKS)',
      description:
        'The public keys that sign access tokens, including the next and the previous key during a rotation.',
      responses: { '200': { description: 'The key set.', content: { 'application/json': { schema: jwks } } } },
    }),
  },
};

/** The security scheme of the token-service endpoints (HTTP Basic with the credential id and secret). */
export const clientSecretBasicScheme = {
  type: 'http',
  scheme: 'basic',
  description:
    '`client_secret_basic`: the credential id (`cs_…`) and the secret. Key pairs authenticate in the body instead (`client_assertion`), so this is optional.',
} as const;
