import { createAuditSink, listAuditSinks } from '@/lib/audit-stream/manage';
import { createAuditSinkInput } from '@/lib/audit-stream/schema';
import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/audit-sinks: the organization's audit sinks with their lag
export const GET = apiRoute({ permission: 'audit_sinks.read' }, async (ctx) =>
  Response.json(await listAuditSinks(ctx)),
);

// POST /api/v1/audit-sinks: create an OTLP/HTTP or syslog TCP sink (header values never returned)
export const POST = apiRoute({ permission: 'audit_sinks.write', body: createAuditSinkInput }, async (ctx, { body }) =>
  Response.json(await createAuditSink(ctx, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
