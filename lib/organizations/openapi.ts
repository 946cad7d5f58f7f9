import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses } from '@/lib/openapi/problem-schema';
import { organizationDto, updateOrganizationInput } from './schema';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

/** The /api/v1 operations on the caller's organization. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/organization': {
    get: {
      operationId: 'getOrganization',
      tags: ['Organization'],
      summary: "The caller's organization and its settings",
      responses: { '200': json(organizationDto, 'The organization.'), ...problemResponses },
    },
    patch: {
      operationId: 'updateOrganization',
      tags: ['Organization'],
      summary: 'Rename the organization or set the maximum credential lifetime',
      description: 'The maximum applies to credentials created from now on.',
      requestBody: { required: true, content: { 'application/json': { schema: updateOrganizationInput } } },
      responses: { '200': json(organizationDto, 'The updated organization.'), ...problemResponses },
    },
  },
};
