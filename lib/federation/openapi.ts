import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import { accountParams, setCredentialStatusInput } from '@/lib/service-accounts/schema';
import {
  createFederatedCredentialInput,
  federatedCredentialDto,
  federatedCredentialParams,
  federatedTestResultDto,
  testFederatedTokenInput,
} from './schema';

const TAG = 'Service account credentials';
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const conflict = {
  '409': {
    description: 'The state forbids it: `account_revoked` (the account is revoked), `limit_exceeded`.',
    content: { 'application/problem+json': { schema: problemSchema } },
  },
};
const statusResult = z
  .object({ id: z.string(), status: z.enum(['ENABLED', 'DISABLED']) })
  .meta({ id: 'FederatedCredentialStatusResult' });

function op(
  o: Omit<ZodOpenApiOperationObject, 'responses'> & { responses: ZodOpenApiOperationObject['responses'] },
): ZodOpenApiOperationObject {
  return { ...o, tags: [TAG], responses: { ...o.responses, ...problemResponses } };
}

/** The /api/v1 operations of federated credentials (workload identity federation, issue 12). */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/service-accounts/{accountId}/federated-credentials': {
    get: op({
      operationId: 'listFederatedCredentials',
      summary: "List an account's federated credentials",
      requestParams: { path: accountParams },
      responses: { '200': json(z.object({ items: z.array(federatedCredentialDto) }), 'The trust policies.') },
    }),
    post: op({
      operationId: 'createFederatedCredential',
      summary: "Trust an external issuer's workload tokens (GitHub Actions, GitLab CI, Kubernetes, SPIFFE, OIDC)",
      description:
        "A workload then sends its platform's token to POST /api/oauth/token, with `client_id` = the new credential's id: as `client_assertion` (client_credentials) or as an RFC 8693 `subject_token` of type jwt or id_token. The issuer's host must be allowed by FEDERATION_ALLOWED_ISSUER_HOSTS when it is set.",
      requestParams: { path: accountParams },
      requestBody: body(createFederatedCredentialInput),
      responses: { '201': json(federatedCredentialDto, 'The federated credential.'), ...conflict },
    }),
  },
  '/api/v1/service-accounts/{accountId}/federated-credentials/{credentialId}': {
    patch: op({
      operationId: 'setFederatedCredentialStatus',
      summary: 'Enable or disable a federated credential',
      description: 'Disabling also ends every token it obtained until now; enabling it again never revives them.',
      requestParams: { path: federatedCredentialParams },
      requestBody: body(setCredentialStatusInput),
      responses: { '200': json(statusResult, 'The new status.'), ...conflict },
    }),
    delete: op({
      operationId: 'deleteFederatedCredential',
      summary: 'Delete a federated credential',
      requestParams: { path: federatedCredentialParams },
      responses: { '204': { description: 'Deleted.' } },
    }),
  },
  '/api/v1/service-accounts/{accountId}/federated-credentials/test': {
    post: op({
      operationId: 'testFederatedToken',
      summary: 'Dry-run a workload token against the policies',
      description:
        'Runs the same checks as the token endpoint (keys fetched, signature, every claim) and says which policy accepts the token and which check fails for the others. Nothing is issued, stored or audited.',
      requestParams: { path: accountParams },
      requestBody: body(testFederatedTokenInput),
      responses: { '200': json(federatedTestResultDto, 'What each policy decides.') },
    }),
  },
};
