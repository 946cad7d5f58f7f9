import { testAuditSink } from '@/lib/audit-stream/manage';
import { auditSinkParams } from '@/lib/audit-stream/schema';
import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';

// POST /api/v1/audit-sinks/{sinkId}/test: send a test record and tell whether the sink acknowledged it
export const POST = apiRoute({ permission: 'audit_sinks.write', params: auditSinkParams }, async (ctx, { params }) =>
  Response.json(await testAuditSink(ctx, params.sinkId)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
