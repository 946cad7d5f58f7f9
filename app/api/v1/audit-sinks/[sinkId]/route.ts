import { deleteAuditSink, getAuditSink, updateAuditSink } from '@/lib/audit-stream/manage';
import { auditSinkParams, updateAuditSinkInput } from '@/lib/audit-stream/schema';
import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/audit-sinks/{sinkId}: one sink with its lag and last error
export const GET = apiRoute({ permission: 'audit_sinks.read', params: auditSinkParams }, async (ctx, { params }) =>
  Response.json(await getAuditSink(ctx, params.sinkId)),
);

// PATCH /api/v1/audit-sinks/{sinkId}: pause, resume, rename or change the checkpoint settings
export const PATCH = apiRoute(
  { permission: 'audit_sinks.write', params: auditSinkParams, body: updateAuditSinkInput },
  async (ctx, { params, body }) => Response.json(await updateAuditSink(ctx, params.sinkId, body)),
);

// DELETE /api/v1/audit-sinks/{sinkId}: delete a sink
export const DELETE = apiRoute(
  { permission: 'audit_sinks.write', params: auditSinkParams },
  async (ctx, { params }) => {
    await deleteAuditSink(ctx, params.sinkId);
    return new Response(null, { status: 204 });
  },
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET', 'PATCH', 'DELETE');
export const PUT = notAllowed('GET', 'PATCH', 'DELETE');
