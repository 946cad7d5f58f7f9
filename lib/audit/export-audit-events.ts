import 'server-only';
import { stringify } from 'csv-stringify/sync';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { logger } from '@/lib/logger';
import type { AuditEventDto } from './dto';
import type { AuditCursor } from './cursor';
import type { AuditFilters } from './filters';
import { fetchAuditRows, toAuditEventDto } from './queries';
import { recordAuditEvent } from './record-audit-event';

export type ExportFormat = 'csv' | 'ndjson';

const BATCH = 2_000;

export const CSV_COLUMNS = [
  'id',
  'seq',
  'occurred_at',
  'actor_type',
  'actor_id',
  'actor_label',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'ip',
  'user_agent',
  'request_id',
  'details',
  'prev_hash',
  'hash',
] as const satisfies ReadonlyArray<keyof AuditEventDto>;

/**
 * csvRows renders events as CSV. Names, labels and user agents are chosen by whoever acts (an
 * account named `=HYPERLINK(...)`, a `User-Agent: @cmd|calc`), and a spreadsheet opening the
 * export would run a cell that begins with `=`, `+`, `-`, `@`, tab or CR as a formula. OWASP's
 * CSV-injection defence, csv-stringify's `escape_formulas`, prefixes such a cell with a single
 * quote (also the full-width forms of those characters). NDJSON is for programs and stays exact.
 */
function csvRows(events: AuditEventDto[], header: boolean): string {
  return stringify(
    events.map((e) => CSV_COLUMNS.map((c) => (c === 'details' ? JSON.stringify(e.details) : (e[c] ?? '')))),
    { escape_formulas: true, ...(header ? { header: true, columns: [...CSV_COLUMNS] } : {}) },
  );
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

export function exportFileName(orgSlug: string, format: ExportFormat, now = new Date()): string {
  return `audit-${orgSlug}-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format}`;
}

/**
 * exportAuditEvents records the export (audit.exported, with its filters) and returns a stream
 * of every matching event, newest first, as CSV (with a header row; details as JSON) or NDJSON
 * (one event per line); CSV cells that a spreadsheet would run as a formula are neutralised
 * with a leading single quote, NDJSON holds the stored values byte for byte. Rows are read in
 * keyset batches of 2,000 as the consumer pulls, so an export of millions of events never sits
 * in memory (npm run bench:audit shows the peak).
 * `onProgress`, when given, is called with the number of events streamed so far after every batch.
 */
export async function exportAuditEvents(
  ctx: OrgContext,
  filters: AuditFilters,
  format: ExportFormat,
  onProgress?: (exported: number) => void,
): Promise<ReadableStream<Uint8Array>> {
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'audit.exported',
      target: { type: 'audit_log', id: null },
      meta: ctx,
      details: { format, filters: JSON.parse(JSON.stringify(filters)) as unknown },
    }),
  );
  const encoder = new TextEncoder();
  // The export stops at the events that existed when it started, including its own record.
  const upTo = new Date();
  let cursor: AuditCursor | undefined;
  let first = true;
  let exported = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const rows = await fetchAuditRows(
          ctx,
          { ...filters, to: filters.to && filters.to < upTo ? filters.to : new Date(upTo.getTime() + 1) },
          BATCH,
          cursor,
        );
        const events = rows.map(toAuditEventDto);
        if (first && format === 'csv') controller.enqueue(encoder.encode(csvRows(events, true)));
        else if (events.length > 0)
          controller.enqueue(
            encoder.encode(
              format === 'csv' ? csvRows(events, false) : events.map((e) => `${JSON.stringify(e)}\n`).join(''),
            ),
          );
        first = false;
        exported += rows.length;
        onProgress?.(exported);
        const last = rows.at(-1);
        if (rows.length < BATCH || !last) controller.close();
        else cursor = { occurredAt: last.occurred_at, id: last.id };
      } catch (error) {
        logger.error({ err: error, requestId: ctx.requestId }, 'audit export failed');
        controller.error(error);
      }
    },
  });
}
