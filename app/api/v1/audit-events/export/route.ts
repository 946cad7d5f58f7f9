import { EXPORT_CONTENT_TYPES, exportAuditEvents, exportFileName } from '@/lib/audit/export-audit-events';
import { auditExportQuery } from '@/lib/audit/filters';
import { apiRoute } from '@/lib/http/api-route';

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
