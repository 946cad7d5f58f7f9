import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import { createRoleInput, roleDto, roleList, roleParams, updateRoleInput } from './schema';

const TAG = 'Roles';
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The /api/v1 operations on the organization's roles. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/roles': {
    get: {
      operationId: 'listRoles',
      tags: [TAG],
      summary: 'List the organization and project roles',
      description:
        "The ids to bind in a service account's `roleBindings` (a PROJECT role with a `projectId`), with how many accounts each is bound to.",
      responses: {
        '200': json(roleList, 'Organization roles first, then project roles, each by name.'),
        ...problemResponses,
      },
    },
    post: {
      operationId: 'createRole',
      tags: [TAG],
      summary: 'Define a role',
      description: 'Its kind (organization-wide or per project) is fixed from then on.',
      requestBody: body(createRoleInput),
      responses: { '201': json(roleDto, 'The role.'), '409': problem('`name_taken`.'), ...problemResponses },
    },
  },
  '/api/v1/roles/{roleId}': {
    patch: {
      operationId: 'updateRole',
      tags: [TAG],
      summary: 'Rename, describe, retire or restore a role',
      description:
        'Tokens name no role, so a rename changes nothing for them. A retired role is bound to nobody new and its bindings reach no project: token exchange to a project through it is refused, and a token narrowed to a project only it reached stops introspecting as active, from the next request on. The bindings stay, so restoring brings them back.',
      requestParams: { path: roleParams },
      requestBody: body(updateRoleInput),
      responses: { '200': json(roleDto, 'The role.'), '409': problem('`name_taken`.'), ...problemResponses },
    },
    delete: {
      operationId: 'deleteRole',
      tags: [TAG],
      summary: 'Delete a role no account is bound to',
      requestParams: { path: roleParams },
      responses: {
        '204': { description: 'Deleted.' },
        '409': problem('`in_use`: accounts are bound to it (retire it instead).'),
        ...problemResponses,
      },
    },
  },
};
