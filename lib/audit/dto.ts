import { z } from 'zod';

/** One audit event as the API, the exports and the console show it: every stored field. */
export const auditEventDto = z
  .object({
    id: z.string().meta({ description: 'Row id (decimal string).' }),
    seq: z.string().meta({ description: "Position in the organization's hash chain, from 1 (decimal string)." }),
    occurred_at: z.string().meta({ example: '2026-01-31T13:45:00.000Z' }),
    actor_type: z.enum(['MEMBER', 'SERVICE_ACCOUNT', 'SYSTEM']),
    actor_id: z.string().nullable(),
    actor_label: z.string(),
    action: z.string().meta({ example: 'token.issued' }),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    outcome: z.enum(['SUCCESS', 'FAILURE']),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    prev_hash: z.string(),
    hash: z
      .string()
      .meta({ description: 'SHA-256 (hex) of the RFC 8785 canonical JSON of the event, chaining prev_hash.' }),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEventDto = z.output<typeof auditEventDto>;

export const auditEventPage = z
  .object({
    data: z.array(auditEventDto),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as cursor for the next (older) page; null on the last page.' }),
  })
  .meta({ id: 'AuditEventPage' });
export type AuditEventPage = z.output<typeof auditEventPage>;

export const chainVerification = z
  .object({
    intact: z.boolean(),
    checked: z.number().int().meta({ description: 'Events checked (up to the first break).' }),
    last_seq: z.string().nullable().meta({ description: 'Seq of the last event at verification time.' }),
    first_broken_link: z
      .object({ seq: z.string(), reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap']) })
      .nullable()
      .meta({ description: 'The first event whose link does not hold, and why.' }),
  })
  .meta({ id: 'AuditChainVerification' });
export type ChainVerification = z.output<typeof chainVerification>;

export const tokenActivity = z
  .object({
    bucket: z.enum(['hour', 'day', 'week']),
    from: z.string(),
    to: z.string(),
    points: z.array(z.object({ t: z.string(), issued: z.number().int(), refused: z.number().int() })),
  })
  .meta({ id: 'TokenActivity' });
export type TokenActivity = z.output<typeof tokenActivity>;
