import { z } from 'zod';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** A point in time from a URL: ISO 8601, a date, or a datetime-local value (read as UTC). */
const instant = z
  .string()
  .trim()
  .transform((value, refinement) => {
    if (!TIMESTAMP.test(value)) {
      refinement.addIssue({ code: 'custom', message: 'Use an ISO 8601 time such as 2026-01-31T13:45 (UTC).' });
      return z.NEVER;
    }
    const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : value.length === 10 ? `${value}T00:00Z` : `${value}Z`;
    const date = new Date(zoned);
    if (Number.isNaN(date.getTime())) {
      refinement.addIssue({ code: 'custom', message: 'Not a real date.' });
      return z.NEVER;
    }
    return date;
  });

/** Empty strings from a submitted filter form mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `At most ${max} characters.` });

/**
 * The auditor's filters, shared by the console page (URL search params), the list, export and
 * chart APIs and the OpenAPI document. `actor` is an actor id (usr_…, sa_…) or a label (email,
 * account name); `target` is a target id; `action` is exact (e.g. token.refused).
 */
export const auditFilterShape = {
  from: optional(instant).meta({
    description: 'Events at or after this time (ISO 8601; UTC when no offset).',
    example: '2026-01-01T00:00Z',
  }),
  to: optional(instant).meta({ description: 'Events before this time (ISO 8601; UTC when no offset).' }),
  actor: optional(text(320)).meta({ description: 'Actor id (usr_…, sa_…) or label (email, service account name).' }),
  action: optional(text(100)).meta({ description: 'Exact action, e.g. token.refused.', example: 'token.issued' }),
  target: optional(text(200)).meta({ description: 'Target id.' }),
  outcome: optional(z.enum(['SUCCESS', 'FAILURE'], { error: 'Outcome is SUCCESS or FAILURE.' })),
};

export const auditFilters = z.object(auditFilterShape);
export type AuditFilters = z.output<typeof auditFilters>;

/** The cursor is opaque here; listAuditEvents checks its signature (lib/audit/cursor.ts: 400 invalid_cursor). */
const cursor = z.string({ error: 'Give one cursor.' });

/** GET /api/v1/audit-events query, and the console page's search params. */
export const auditListQuery = z
  .strictObject({
    ...auditFilterShape,
    cursor: optional(cursor).meta({ description: 'next_cursor of the previous page.' }),
    limit: optional(z.coerce.number().int().min(1).max(500)).meta({ description: 'Page size, 1-500 (default 50).' }),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: '"from" must be before "to".', path: ['to'] });
export type AuditListQuery = z.output<typeof auditListQuery>;

export const exportFormat = z.enum(['csv', 'ndjson'], { error: 'Format is csv or ndjson.' });
export const auditExportQuery = z
  .strictObject({ ...auditFilterShape, format: exportFormat })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: '"from" must be before "to".', path: ['to'] });

export const tokenActivityQuery = z
  .strictObject({ from: auditFilterShape.from, to: auditFilterShape.to })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: '"from" must be before "to".', path: ['to'] });

/** filtersToSearchParams writes filters back into a URL query (for links and exports). */
export function filtersToSearchParams(
  filters: Partial<Record<keyof AuditFilters, string | Date | undefined>>,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === '') continue;
    params.set(key, value instanceof Date ? value.toISOString() : value);
  }
  return params;
}
