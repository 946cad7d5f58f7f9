import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses } from '@/lib/openapi/problem-schema';
import { roleList } from './schema';

/** The /api/v1 operations on roles. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/roles': {
    get: {
      operationId: 'listRoles',
      tags: ['Roles'],
      summary: 'List the organization and project roles',
      description:
        "The ids to bind in a service account's `roleBindings` (a PROJECT role with a `projectId`). Needs `service_accounts.read` (scope `read:service_accounts` or `manage:service_accounts`).",
      responses: {
        '200': {
          description: 'Organization roles first, then project roles, each by name.',
          content: { 'application/json': { schema: roleList } },
        },
        ...problemResponses,
      },
    },
  },
};
