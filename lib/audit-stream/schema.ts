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
  z.object({
    kind: z.literal('OTLP_HTTP'),
    name,
    url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).max(2000),
    /** Sent with every export, e.g. {"authorization": "Bearer …"}; stored sealed, never returned. */
    headers: z.record(headerName, headerValue).default({}),
    ...checkpointSettings,
  }),
  z.object({ kind: z.literal('SYSLOG_TCP'), name, ...syslogConfig.shape, ...checkpointSettings }),
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
