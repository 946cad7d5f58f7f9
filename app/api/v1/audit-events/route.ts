import { auditListQuery } from '@/lib/audit/filters';
import { listAuditEvents } from '@/lib/audit/queries';
import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/audit-events: one keyset page of the organization's audit events, newest first
export const GET = apiRoute({ permission: 'audit.read', query: auditListQuery }, async (ctx, { query }) => {
  const { cursor, limit, ...filters } = query;
  return Response.json(await listAuditEvents(ctx, filters, { cursor, limit }));
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
