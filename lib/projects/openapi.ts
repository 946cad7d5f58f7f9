import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import { createEnvironmentInput, createProjectInput, environmentDto, projectDto, projectParams } from './schema';

const TAG = 'Projects';
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const conflict = {
  description: 'The name is taken: `name_taken`.',
  content: { 'application/problem+json': { schema: problemSchema } },
};

/** The /api/v1 operations on projects and environments. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/projects': {
    get: {
      operationId: 'listProjects',
      tags: [TAG],
      summary: 'List projects and their environments',
      responses: {
        '200': json(z.object({ projects: z.array(projectDto) }), 'All projects, by name.'),
        ...problemResponses,
      },
    },
    post: {
      operationId: 'createProject',
      tags: [TAG],
      summary: 'Create a project with its environments',
      description: 'Environments default to production, staging and development. Needs `organization.write`.',
      requestBody: body(createProjectInput),
      responses: { '201': json(projectDto, 'The project.'), '409': conflict, ...problemResponses },
    },
  },
  '/api/v1/projects/{projectId}/environments': {
    post: {
      operationId: 'createEnvironment',
      tags: [TAG],
      summary: 'Add an environment to a project',
      requestParams: { path: projectParams },
      requestBody: body(createEnvironmentInput),
      responses: { '201': json(environmentDto, 'The environment.'), '409': conflict, ...problemResponses },
    },
  },
};
