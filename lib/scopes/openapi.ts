import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import { createScopeInput, scopeDto, scopeParams, updateScopeInput } from './schema';

const TAG = 'Scopes';
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The /api/v1 operations on the organization's scope catalog. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/scopes': {
    get: {
      operationId: 'listScopes',
      tags: [TAG],
      summary: 'List the scope catalog',
      responses: {
        '200': json(z.object({ scopes: z.array(scopeDto) }), 'Own scopes, then the built-in ones.'),
        ...problemResponses,
      },
    },
    post: {
      operationId: 'createScope',
      tags: [TAG],
      summary: 'Add a scope to the catalog',
      requestBody: body(createScopeInput),
      responses: { '201': json(scopeDto, 'The scope.'), '409': problem('`name_taken`.'), ...problemResponses },
    },
  },
  '/api/v1/scopes/{scopeId}': {
    patch: {
      operationId: 'updateScope',
      tags: [TAG],
      summary: 'Rename, describe, retire or restore a scope',
      description:
        'A rename changes what future tokens carry. A retired scope is granted to nobody new, put into no token and no longer counted at introspection, from the next request on; accounts keep the grant, so restoring brings it back. Built-in management scopes answer `built_in`.',
      requestParams: { path: scopeParams },
      requestBody: body(updateScopeInput),
      responses: {
        '200': json(scopeDto, 'The scope.'),
        '409': problem('`name_taken` or `built_in`.'),
        ...problemResponses,
      },
    },
    delete: {
      operationId: 'deleteScope',
      tags: [TAG],
      summary: 'Delete a scope no account holds',
      requestParams: { path: scopeParams },
      responses: {
        '204': { description: 'Deleted.' },
        '409': problem('`in_use` (accounts hold it: retire it instead) or `built_in`.'),
        ...problemResponses,
      },
    },
  },
};
