import { z } from 'zod';
import { ERROR_STATUS } from '@/lib/errors';

/** The RFC 9457 problem body, as documented in the OpenAPI document. */
export const problemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:latchkey:problem:validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...Array<keyof typeof ERROR_STATUS>]),
    detail: z.string(),
    requestId: z.string(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; `code` is stable and documented.' });

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** problemResponses are the error answers every /api/v1 operation may give. */
export const problemResponses = {
  '400': problem('Invalid input: `validation_failed` (with `errors` per field), `invalid_json`, …'),
  '401': problem('No valid session or access token: `unauthenticated`, `invalid_token`.'),
  '403': problem('The caller may read but not do this: `forbidden`, `insufficient_scope`, `csrf_rejected`.'),
  '404': problem('Not found, or in another organization: `not_found`.'),
  '429': problem('Rate limited: `rate_limited` (see Retry-After).'),
} as const;
