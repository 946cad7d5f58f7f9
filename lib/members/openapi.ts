import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import { addMemberInput, changeRoleInput, memberDto, memberParams } from './schema';

const TAG = 'Members';
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const conflict = {
  description: '`conflict` (already a member) or `last_owner` (the last owner cannot step down or leave).',
  content: { 'application/problem+json': { schema: problemSchema } },
};

/** The /api/v1 operations on members. Console sessions only: service accounts never manage people. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/members': {
    get: {
      operationId: 'listMembers',
      tags: [TAG],
      summary: 'List members',
      responses: { '200': json(z.object({ members: z.array(memberDto) }), 'Owners first.'), ...problemResponses },
    },
    post: {
      operationId: 'addMember',
      tags: [TAG],
      summary: 'Add a person with a role',
      description: 'An existing login gains the role; a new email needs `name` and an initial `password`. Owners only.',
      requestBody: body(addMemberInput),
      responses: { '201': json(memberDto, 'The member.'), '409': conflict, ...problemResponses },
    },
  },
  '/api/v1/members/{userId}': {
    patch: {
      operationId: 'changeMemberRole',
      tags: [TAG],
      summary: "Change a member's role",
      requestParams: { path: memberParams },
      requestBody: body(changeRoleInput),
      responses: {
        '200': json(z.object({ userId: z.string(), role: z.string() }), 'The new role.'),
        '409': conflict,
        ...problemResponses,
      },
    },
    delete: {
      operationId: 'removeMember',
      tags: [TAG],
      summary: 'Remove a member from the organization',
      requestParams: { path: memberParams },
      responses: { '204': { description: 'Removed. The login itself stays.' }, '409': conflict, ...problemResponses },
    },
  },
};
