import { z } from 'zod';

/** How many events the stream carries between two signed checkpoints, and the longest time between them. */
const checkpointSettings = {
  checkpoint_every_events: z.coerce.number().int().min(1).max(100_000).default(1000),
  checkpoint_every_seconds: z.coerce.number().int().min(1).max(86_400).default(300),
};

const name = z.string().trim().max(100).default('');

// An HTTP header name (RFC 9110 token) and a value without control characters.
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, { error: 'not an HTTP header name' });
const headerValue = z
  .string()
  .max(4096)
  .regex(/^[^\x00-\x1f\x7f]*$/, { error: 'control characters are not allowed' });

/** The OTLP/HTTP settings stored in clear: the headers' values are sealed apart (they carry tokens). */
export const otlpConfig = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  header_names: z.array(z.string()),
});
export const syslogConfig = z.object({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:_-]+$/, { error: 'not a host name or address' }),
  port: z.coerce.number().int().min(1).max(65_535),
  tls: z.boolean().default(false),
});
export type OtlpConfig = z.output<typeof otlpConfig>;
export type SyslogConfig = z.output<typeof syslogConfig>;

/** createAuditSinkInput is one sink of the caller's organization (API, console and OpenAPI). */
export const createAuditSinkInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('OTLP_HTTP'),
    name,
    url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).max(2000),
    /** Sent with every export, e.g. {"authorization": "Bearer …"}; stored sealed, never returned. */
    headers: z.record(headerName, headerValue).default({}),
    ...checkpointSettings,
  }),
  z.strictObject({ kind: z.literal('SYSLOG_TCP'), name, ...syslogConfig.shape, ...checkpointSettings }),
]);
export type CreateAuditSinkInput = z.output<typeof createAuditSinkInput>;

/** updateAuditSinkInput pauses or resumes a sink, renames it or changes its checkpoint settings. */
export const updateAuditSinkInput = z
  .object({
    status: z.enum(['ACTIVE', 'PAUSED']).optional(),
    name: z.string().trim().max(100).optional(),
    checkpoint_every_events: checkpointSettings.checkpoint_every_events.unwrap().optional(),
    checkpoint_every_seconds: checkpointSettings.checkpoint_every_seconds.unwrap().optional(),
  })
  .strict();
export type UpdateAuditSinkInput = z.output<typeof updateAuditSinkInput>;

export const auditSinkParams = z.object({
  sinkId: z.string().regex(/^ask_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a valid audit sink id.' }),
});

/** An audit sink as the API returns it (lib/audit-stream/manage.ts AuditSinkDto): never a header value. */
export const auditSinkDto = z.object({
  id: z.string(),
  kind: z.enum(['OTLP_HTTP', 'SYSLOG_TCP', 'NDJSON_FILE']),
  name: z.string(),
  instance_wide: z.boolean().meta({ description: 'The sink set by the operator (environment); read only.' }),
  status: z.enum(['ACTIVE', 'PAUSED']),
  config: z.record(z.string(), z.unknown()).meta({ description: 'OTLP: url, header_names. Syslog: host, port, tls.' }),
  checkpoint_every_events: z.number().int(),
  checkpoint_every_seconds: z.number().int(),
  last_acked_seq: z.string().meta({ description: 'The last seq the sink acknowledged (decimal).' }),
  lag: z.string().meta({ description: 'The chain head seq minus last_acked_seq (decimal).' }),
  last_error: z.string().nullable(),
  last_error_at: z.iso.datetime().nullable(),
  last_delivered_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});
export const sinkTestResultDto = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

/**
 * createAuditSinkForm is createAuditSinkInput from the console's form fields: the kind's own
 * fields, one optional header (name and value), the TLS checkbox, blank numbers left out.
 */
export const createAuditSinkForm = z.preprocess((raw) => {
  const f = (raw ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof f[key] === 'string' ? (f[key] as string).trim() : '');
  const optional = (key: string) => (text(key) === '' ? {} : { [key]: text(key) });
  const common = {
    name: text('name'),
    ...optional('checkpoint_every_events'),
    ...optional('checkpoint_every_seconds'),
  };
  if (f.kind === 'SYSLOG_TCP')
    return { kind: 'SYSLOG_TCP', ...common, host: text('host'), port: text('port'), tls: f.tls === 'on' };
  const headers = text('header_name') === '' ? {} : { [text('header_name')]: text('header_value') };
  return { kind: f.kind, ...common, url: text('url'), headers };
}, createAuditSinkInput);

export const auditSinkRef = z.object({ id: auditSinkParams.shape.sinkId });
export const auditSinkStatusForm = auditSinkRef.extend({ status: z.enum(['ACTIVE', 'PAUSED']) });
