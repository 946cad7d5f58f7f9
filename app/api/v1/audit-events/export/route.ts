import { EXPORT_CONTENT_TYPES, exportAuditEvents, exportFileName } from '@/lib/audit/export-audit-events';
import { auditExportQuery } from '@/lib/audit/filters';
import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/audit-events/export?format=csv|ndjson: every matching event, streamed
export const GET = apiRoute({ permission: 'audit.export', query: auditExportQuery }, async (ctx, { query }) => {
  const { format, ...filters } = query;
  return new Response(await exportAuditEvents(ctx, filters, format), {
    headers: {
      'Content-Type': EXPORT_CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="${exportFileName(ctx.orgSlug, format)}"`,
    },
  });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
