import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import {
  accountParams,
  clientSecretDto,
  createClientSecretInput,
  createdClientSecretDto,
  createdKeyPairDto,
  createdTokenPairDto,
  createKeyPairInput,
  createServiceAccountInput,
  createTokenPairInput,
  expiringCredentialDto,
  keyPairDto,
  keyParams,
  listServiceAccountsQuery,
  liveTokenDto,
  liveTokenListDto,
  liveTokenParams,
  revokeServiceAccountInput,
  rotateClientSecretInput,
  rotatedClientSecretDto,
  secretParams,
  serviceAccountDetailDto,
  serviceAccountDto,
  serviceAccountPageDto,
  setCredentialStatusInput,
  tokenPairDto,
  tokenPairParams,
  updateServiceAccountInput,
} from './schema';

const TAG_ACCOUNTS = 'Service accounts';
const TAG_CREDENTIALS = 'Service account credentials';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});
const conflict = {
  '409': problem(
    'The state forbids it: `name_taken`, `conflict`, `account_revoked` (the account is revoked), `invalid_state` (wrong status), `limit_exceeded`.',
  ),
};

const credentialStatusResult = z
  .object({ id: z.string(), status: z.enum(['ENABLED', 'DISABLED']) })
  .meta({ id: 'CredentialStatusResult' });
const noContent = { '204': { description: 'Deleted.' } };

function op(
  o: Omit<ZodOpenApiOperationObject, 'responses'> & { responses: ZodOpenApiOperationObject['responses'] },
): ZodOpenApiOperationObject {
  return { ...o, responses: { ...o.responses, ...problemResponses } };
}

/** The /api/v1 operations of this domain, built from the same zod schemas the routes parse. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/service-accounts': {
    get: op({
      operationId: 'listServiceAccounts',
      tags: [TAG_ACCOUNTS],
      summary: 'List service accounts',
      description:
        'Newest first. Search names with `q`, filter by `status` and `platform`; page with `page` and `pageSize`.',
      requestParams: { query: listServiceAccountsQuery },
      responses: { '200': json(serviceAccountPageDto, 'One page of accounts.') },
    }),
    post: op({
      operationId: 'createServiceAccount',
      tags: [TAG_ACCOUNTS],
      summary: 'Create a service account',
      description:
        'Scopes come from the organization catalog (management scopes need `isAdmin`); role bindings name a role and, for project roles, a project.',
      requestBody: body(createServiceAccountInput),
      responses: { '201': json(serviceAccountDto, 'The new account.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/expiring-credentials': {
    get: op({
      operationId: 'listExpiringCredentials',
      tags: [TAG_CREDENTIALS],
      summary: 'Credentials expiring within 14 days',
      description: 'Enabled client secrets, key pairs and client token pairs of non-revoked accounts, soonest first.',
      responses: { '200': json(z.object({ items: z.array(expiringCredentialDto) }), 'Expiring credentials.') },
    }),
  },
  '/api/v1/service-accounts/{accountId}': {
    get: op({
      operationId: 'getServiceAccount',
      tags: [TAG_ACCOUNTS],
      summary: 'Get a service account with its credentials',
      requestParams: { path: accountParams },
      responses: { '200': json(serviceAccountDetailDto, 'The account.') },
    }),
    patch: op({
      operationId: 'updateServiceAccount',
      tags: [TAG_ACCOUNTS],
      summary: 'Change a service account',
      description:
        'Only the fields sent change; the platform cannot change. A revoked account cannot change (`account_revoked`).',
      requestParams: { path: accountParams },
      requestBody: body(updateServiceAccountInput),
      responses: { '200': json(serviceAccountDto, 'The changed account.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/suspend': {
    post: op({
      operationId: 'suspendServiceAccount',
      tags: [TAG_ACCOUNTS],
      summary: 'Suspend a service account',
      description: 'Reversible: no new tokens; tokens already issued stop introspecting as active.',
      requestParams: { path: accountParams },
      responses: { '200': json(serviceAccountDto, 'The suspended account.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/reactivate': {
    post: op({
      operationId: 'reactivateServiceAccount',
      tags: [TAG_ACCOUNTS],
      summary: 'Reactivate a suspended service account',
      description: 'A revoked account can never be reactivated (`account_revoked`).',
      requestParams: { path: accountParams },
      responses: { '200': json(serviceAccountDto, 'The active account.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/revoke': {
    post: op({
      operationId: 'revokeServiceAccount',
      tags: [TAG_ACCOUNTS],
      summary: 'Revoke a service account for good',
      description:
        'Terminal: every credential is disabled and every refresh token revoked; the record stays for audit. Send the account name as `confirmName`.',
      requestParams: { path: accountParams },
      requestBody: body(revokeServiceAccountInput),
      responses: { '200': json(serviceAccountDto, 'The revoked account.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/secrets': {
    get: op({
      operationId: 'listClientSecrets',
      tags: [TAG_CREDENTIALS],
      summary: "List an account's client secrets",
      requestParams: { path: accountParams },
      responses: {
        '200': json(z.object({ items: z.array(clientSecretDto) }), 'The secrets (without the secrets themselves).'),
      },
    }),
    post: op({
      operationId: 'createClientSecret',
      tags: [TAG_CREDENTIALS],
      summary: 'Issue a client secret',
      description:
        'The secret is in the response this once. Use `id:secret` as HTTP Basic credentials at the token endpoint. At most 10 enabled secrets per account (`limit_exceeded`).',
      requestParams: { path: accountParams },
      requestBody: body(createClientSecretInput),
      responses: { '201': json(createdClientSecretDto, 'The secret, shown once.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/secrets/{secretId}': {
    patch: op({
      operationId: 'setClientSecretStatus',
      tags: [TAG_CREDENTIALS],
      summary: 'Enable or disable a client secret',
      requestParams: { path: secretParams },
      requestBody: body(setCredentialStatusInput),
      responses: { '200': json(credentialStatusResult, 'The new status.'), ...conflict },
    }),
    delete: op({
      operationId: 'deleteClientSecret',
      tags: [TAG_CREDENTIALS],
      summary: 'Delete a client secret',
      requestParams: { path: secretParams },
      responses: { ...noContent, ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/secrets/{secretId}/rotate': {
    post: op({
      operationId: 'rotateClientSecret',
      tags: [TAG_CREDENTIALS],
      summary: 'Rotate a client secret',
      description:
        'Issues a new secret and makes the old one expire after `gracePeriodHours` (0 = now). Send `{}` for the defaults.',
      requestParams: { path: secretParams },
      requestBody: body(rotateClientSecretInput),
      responses: { '201': json(rotatedClientSecretDto, 'The new secret, shown once, and the old one.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/keys': {
    get: op({
      operationId: 'listKeyPairs',
      tags: [TAG_CREDENTIALS],
      summary: "List an account's key pairs",
      requestParams: { path: accountParams },
      responses: { '200': json(z.object({ items: z.array(keyPairDto) }), 'The key pairs (public keys only).') },
    }),
    post: op({
      operationId: 'createKeyPair',
      tags: [TAG_CREDENTIALS],
      summary: 'Generate an ES256 key pair, or upload a public key',
      description:
        'Without `publicKey`, Latchkey generates the pair and returns the private key once in `config` (save it as a JSON file). With `publicKey` (SPKI PEM or JWK, P-256 only) the private key never leaves you; private keys, RSA and other curves are refused with `invalid_key`.',
      requestParams: { path: accountParams },
      requestBody: body(createKeyPairInput),
      responses: {
        '201': json(createdKeyPairDto, 'The key pair, and for a generated one its private key config, shown once.'),
        ...conflict,
      },
    }),
  },
  '/api/v1/service-accounts/{accountId}/keys/{keyId}': {
    patch: op({
      operationId: 'setKeyPairStatus',
      tags: [TAG_CREDENTIALS],
      summary: 'Enable or disable a key pair',
      requestParams: { path: keyParams },
      requestBody: body(setCredentialStatusInput),
      responses: { '200': json(credentialStatusResult, 'The new status.'), ...conflict },
    }),
    delete: op({
      operationId: 'deleteKeyPair',
      tags: [TAG_CREDENTIALS],
      summary: 'Delete a key pair',
      requestParams: { path: keyParams },
      responses: { ...noContent, ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/tokens': {
    get: op({
      operationId: 'listLiveTokens',
      tags: [TAG_CREDENTIALS],
      summary: "List a service account's live access tokens",
      description:
        'The newest 100 access tokens that would be accepted right now (unexpired, not revoked, account active, credential enabled, issued after the last suspension or disable), from their audit events.',
      requestParams: { path: accountParams },
      responses: { '200': json(liveTokenListDto, 'Newest first.') },
    }),
  },
  '/api/v1/service-accounts/{accountId}/tokens/{jti}/revoke': {
    post: op({
      operationId: 'revokeLiveToken',
      tags: [TAG_CREDENTIALS],
      summary: 'Revoke one access token',
      description:
        'Every instance refuses it from the next request on. `not_found` when it is not a live token of this account (already revoked, expired, or never issued to it).',
      requestParams: { path: liveTokenParams },
      responses: { '200': json(liveTokenDto, 'The token that was revoked.') },
    }),
  },
  '/api/v1/service-accounts/{accountId}/token-pairs': {
    get: op({
      operationId: 'listClientTokenPairs',
      tags: [TAG_CREDENTIALS],
      summary: "List an account's client token pairs",
      requestParams: { path: accountParams },
      responses: { '200': json(z.object({ items: z.array(tokenPairDto) }), 'The pairs (client tokens only).') },
    }),
    post: op({
      operationId: 'createClientTokenPair',
      tags: [TAG_CREDENTIALS],
      summary: 'Issue a client token + server token pair',
      description:
        'Only for WEB, ANDROID, IOS and DESKTOP accounts (`invalid_request` for SERVER). The server token is in the response this once.',
      requestParams: { path: accountParams },
      requestBody: body(createTokenPairInput),
      responses: { '201': json(createdTokenPairDto, 'The pair, with its server token shown once.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/token-pairs/{pairId}': {
    patch: op({
      operationId: 'setClientTokenPairStatus',
      tags: [TAG_CREDENTIALS],
      summary: 'Enable or disable a client token pair',
      requestParams: { path: tokenPairParams },
      requestBody: body(setCredentialStatusInput),
      responses: { '200': json(credentialStatusResult, 'The new status.'), ...conflict },
    }),
    delete: op({
      operationId: 'deleteClientTokenPair',
      tags: [TAG_CREDENTIALS],
      summary: 'Delete a client token pair',
      requestParams: { path: tokenPairParams },
      responses: { ...noContent, ...conflict },
    }),
  },
};
