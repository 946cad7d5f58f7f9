import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses } from '@/lib/openapi/problem-schema';
import { auditEventPage, chainVerification, tokenActivity } from './dto';
import { auditFilterShape, exportFormat } from './filters';

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const tags = ['Audit log'];
const filters = z.object(auditFilterShape);

/** The /api/v1 operations of this domain, built from the same zod schemas the routes parse. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/audit-events': {
    get: {
      operationId: 'listAuditEvents',
      summary: 'List audit events, newest first (keyset pagination)',
      description:
        'Pass `next_cursor` as `cursor` for the next page; each page costs the same however deep. Cursors are signed for the organization: any other value is 400 `invalid_cursor`.',
      tags,
      requestParams: {
        query: filters.extend({
          cursor: z.string().optional().meta({ description: 'next_cursor of the previous page.' }),
          limit: z.number().int().min(1).max(500).optional().meta({ description: 'Page size (default 50).' }),
        }),
      },
      responses: { '200': json(auditEventPage, 'One page of events.'), ...problemResponses },
    },
  },
  '/api/v1/audit-events/export': {
    get: {
      operationId: 'exportAuditEvents',
      summary: 'Export every matching event as CSV or NDJSON (streamed)',
      description:
        'CSV has a header row and details as JSON; NDJSON is one AuditEvent per line. Both carry prev_hash and hash, so anyone can re-verify the chain.',
      tags,
      requestParams: { query: filters.extend({ format: exportFormat }) },
      responses: {
        '200': {
          description: 'The events, newest first.',
          content: { 'text/csv': { schema: z.string() }, 'application/x-ndjson': { schema: z.string() } },
        },
        ...problemResponses,
      },
    },
  },
  '/api/v1/audit-events/verify': {
    post: {
      operationId: 'verifyAuditChain',
      summary: "Verify the organization's hash chain",
      description:
        'Recomputes every hash and link in seq order and names the first broken link. The verification is itself recorded (audit.verified).',
      tags,
      responses: { '200': json(chainVerification, 'The verdict.'), ...problemResponses },
    },
  },
  '/api/v1/audit-events/token-activity': {
    get: {
      operationId: 'getTokenActivity',
      summary: 'Tokens issued and refused per hour (ranges up to 3 days), day (up to 400 days) or week',
      description: 'Defaults to the last 7 days; ranges longer than 10 years are cut to the last 10.',
      tags,
      requestParams: { query: z.object({ from: auditFilterShape.from, to: auditFilterShape.to }) },
      responses: { '200': json(tokenActivity, 'Counts per bucket (UTC), zeros included.'), ...problemResponses },
    },
  },
};
