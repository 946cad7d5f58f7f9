import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import {
  createEnvironmentInput,
  createProjectInput,
  environmentDto,
  environmentParams,
  projectDto,
  projectParams,
  updateEnvironmentInput,
  updateProjectInput,
} from './schema';

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
      description: 'Environments default to production, staging and development.',
      requestBody: body(createProjectInput),
      responses: { '201': json(projectDto, 'The project.'), '409': conflict, ...problemResponses },
    },
  },
  '/api/v1/projects/{projectId}': {
    patch: {
      operationId: 'updateProject',
      tags: [TAG],
      summary: 'Rename a project or change its description',
      description: 'Tokens narrowed to the project name it by id: a rename changes nothing for them.',
      requestParams: { path: projectParams },
      requestBody: body(updateProjectInput),
      responses: { '200': json(projectDto, 'The project.'), '409': conflict, ...problemResponses },
    },
    delete: {
      operationId: 'deleteProject',
      tags: [TAG],
      summary: 'Delete a project',
      description:
        'Deletes its environments, the role bindings to it and the refresh tokens narrowed to it; access tokens narrowed to it or its environments stop introspecting as active from the next request on.',
      requestParams: { path: projectParams },
      responses: { '204': { description: 'Deleted.' }, ...problemResponses },
    },
  },
  '/api/v1/projects/{projectId}/environments/{environmentId}': {
    patch: {
      operationId: 'updateEnvironment',
      tags: [TAG],
      summary: 'Rename an environment',
      requestParams: { path: environmentParams },
      requestBody: body(updateEnvironmentInput),
      responses: { '200': json(environmentDto, 'The environment.'), '409': conflict, ...problemResponses },
    },
    delete: {
      operationId: 'deleteEnvironment',
      tags: [TAG],
      summary: 'Delete an environment',
      description:
        'Deletes the refresh tokens narrowed to it; access tokens narrowed to it stop introspecting as active from the next request on.',
      requestParams: { path: environmentParams },
      responses: { '204': { description: 'Deleted.' }, ...problemResponses },
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
