import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses } from '@/lib/openapi/problem-schema';
import { brandSlugSchema, createOemCredentialInput, oemCredentialDto, updateOemCredentialInput } from './schema';

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const brandPath = z.object({ brand: brandSlugSchema });
const idPath = z.object({ brand: brandSlugSchema, id: z.string().meta({ description: 'Credential id (ULID).' }) });
const conflict = (description: string) => ({
  description,
  content: {
    'application/problem+json': { schema: problemResponses['400'].content['application/problem+json'].schema },
  },
});
const tags = ['OEM credentials'];

/** The /api/v1 operations of this domain, built from the same zod schemas the routes parse. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/credentials/{brand}': {
    get: {
      operationId: 'listOemCredentials',
      summary: "List the organization's OEM credentials of a brand",
      description: 'Secrets are never returned.',
      tags,
      requestParams: { path: brandPath },
      responses: {
        '200': json(z.object({ data: z.array(oemCredentialDto) }), 'The credentials, by name.'),
        ...problemResponses,
      },
    },
    post: {
      operationId: 'createOemCredential',
      summary: 'Store an OEM credential',
      description: 'The client_secret is encrypted at rest (AES-256-GCM, versioned master key) and never returned.',
      tags,
      requestParams: { path: brandPath },
      requestBody: { content: { 'application/json': { schema: createOemCredentialInput } } },
      responses: {
        '201': json(oemCredentialDto, 'Stored.'),
        ...problemResponses,
        '409': conflict(
          '`name_taken`: the name is used in the organization; `conflict`: this client_id of the brand is already stored.',
        ),
      },
    },
  },
  '/api/v1/credentials/{brand}/{id}': {
    get: {
      operationId: 'getOemCredential',
      summary: 'Read an OEM credential (without its secret)',
      tags,
      requestParams: { path: idPath },
      responses: { '200': json(oemCredentialDto, 'The credential.'), ...problemResponses },
    },
    patch: {
      operationId: 'updateOemCredentialSecret',
      summary: 'Replace the client_secret',
      description:
        'Only client_secret can change: any other field answers 400 `immutable_field` naming the fields. A different client_id is a new credential.',
      tags,
      requestParams: { path: idPath },
      requestBody: { content: { 'application/json': { schema: updateOemCredentialInput } } },
      responses: {
        '200': json(oemCredentialDto, 'Updated (re-encrypted under the newest master key).'),
        ...problemResponses,
      },
    },
    delete: {
      operationId: 'deleteOemCredential',
      summary: 'Delete an OEM credential no vehicle uses',
      tags,
      requestParams: { path: idPath },
      responses: {
        '204': { description: 'Deleted.' },
        ...problemResponses,
        '409': conflict(
          '`oem_credential_in_use`: vehicles use it; `detail` names them and `errors.vehicles` lists their VINs.',
        ),
      },
    },
  },
};
