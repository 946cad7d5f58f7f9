import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses, problemSchema } from '@/lib/openapi/problem-schema';
import { auditSinkDto, auditSinkParams, createAuditSinkInput, sinkTestResultDto, updateAuditSinkInput } from './schema';

const TAG = 'Audit streaming';
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const stream =
  'Each sink receives the organization’s hash-chained audit events in seq order, at least once, with signed checkpoints (README “Audit streaming”). Read: `read:audit` or `manage:audit_sinks`; write: `manage:audit_sinks` (owners and admins).';

/** The /api/v1 operations on audit sinks. Owners and admins write; auditors read. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/audit-sinks': {
    get: {
      operationId: 'listAuditSinks',
      tags: [TAG],
      summary: 'List audit sinks, with their lag',
      description: stream,
      responses: {
        '200': json(z.object({ data: z.array(auditSinkDto) }), 'The instance-wide sink first.'),
        ...problemResponses,
      },
    },
    post: {
      operationId: 'createAuditSink',
      tags: [TAG],
      summary: 'Create an audit sink (OTLP/HTTP or syslog TCP)',
      description: `${stream} OTLP header values are stored sealed and never returned.`,
      requestBody: body(createAuditSinkInput),
      responses: {
        '201': json(auditSinkDto, 'The sink; it streams from the start of the chain.'),
        '409': {
          description: '`limit_exceeded`: at most 5 sinks per organization.',
          content: { 'application/problem+json': { schema: problemSchema } },
        },
        ...problemResponses,
      },
    },
  },
  '/api/v1/audit-sinks/{sinkId}': {
    get: {
      operationId: 'getAuditSink',
      tags: [TAG],
      summary: 'Read an audit sink',
      requestParams: { path: auditSinkParams },
      responses: { '200': json(auditSinkDto, 'The sink.'), ...problemResponses },
    },
    patch: {
      operationId: 'updateAuditSink',
      tags: [TAG],
      summary: 'Pause, resume or change an audit sink',
      requestParams: { path: auditSinkParams },
      requestBody: body(updateAuditSinkInput),
      responses: { '200': json(auditSinkDto, 'The sink.'), ...problemResponses },
    },
    delete: {
      operationId: 'deleteAuditSink',
      tags: [TAG],
      summary: 'Delete an audit sink',
      requestParams: { path: auditSinkParams },
      responses: { '204': { description: 'Deleted.' }, ...problemResponses },
    },
  },
  '/api/v1/audit-sinks/{sinkId}/test': {
    post: {
      operationId: 'testAuditSink',
      tags: [TAG],
      summary: 'Send a test record to an audit sink',
      description: 'A record of type `test` (the verifier skips it); the cursor does not move.',
      requestParams: { path: auditSinkParams },
      responses: { '200': json(sinkTestResultDto, 'Whether the sink acknowledged it.'), ...problemResponses },
    },
  },
};
