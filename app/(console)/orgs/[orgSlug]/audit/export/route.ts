import { EXPORT_CONTENT_TYPES, exportAuditEvents, exportFileName } from '@/lib/audit/export-audit-events';
import { auditExportQuery } from '@/lib/audit/filters';
import { memberContext } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';

// GET /orgs/{orgSlug}/audit/export?format=csv|ndjson&…filters: the console's download link.
// A plain link cannot send the Latchkey-Organization header /api/v1 needs, so the org comes
// from the path here; the same domain function streams the same bytes.
export async function GET(request: Request, { params }: RouteContext<'/orgs/[orgSlug]/audit/export'>) {
  const { orgSlug } = await params;
  const session = await memberContext(orgSlug, 'audit.export').catch((error: unknown) => {
    // A member who must first turn on a required second factor (two_factor_required).
    if (isAppError(error)) return error;
    throw error;
  });
  if (isAppError(session))
    return new Response(session.detail, { status: session.status, headers: { 'Content-Type': 'text/plain' } });
  // 404 rather than 403: another organization's log must look exactly like a missing one.
  if (!session) return new Response('Not found.', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  const parsed = auditExportQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    return new Response(`Invalid export request:\n${lines.join('\n')}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const { format, ...filters } = parsed.data;
  return new Response(await exportAuditEvents(session.ctx, filters, format), {
    headers: {
      'Content-Type': EXPORT_CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="${exportFileName(orgSlug, format)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
