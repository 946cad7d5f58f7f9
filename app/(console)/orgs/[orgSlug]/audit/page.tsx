import type { Metadata } from 'next';
import Link from 'next/link';
import { AuditEventsTable } from '@/components/audit/audit-events-table';
import { auditReferenceNames } from '@/lib/audit/reference-names';
import { AuditFilterForm, type AuditFilterValues } from '@/components/audit/audit-filter-form';
import { TokenActivityChart } from '@/components/audit/token-activity-chart';
import { VerifyChainButton } from '@/components/audit/verify-chain-button';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { auditListQuery, filtersToSearchParams, type AuditFilters } from '@/lib/audit/filters';
import { knownActions, listAuditEvents, tokenActivity } from '@/lib/audit/queries';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { ORG_HEADER } from '@/lib/http/api-route';
import { paths } from '@/lib/paths';

export const metadata: Metadata = { title: 'Audit log' };

const FILTER_KEYS = ['from', 'to', 'actor', 'action', 'target', 'outcome'] as const;

/** A UTC time as a datetime-local input shows it. */
const localValue = (d: Date | undefined) => (d ? d.toISOString().slice(0, 19) : undefined);

export default async function AuditPage({ params, searchParams }: PageProps<'/orgs/[orgSlug]/audit'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'audit.read');
  const raw = await searchParams;
  const single = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = auditListQuery.safeParse(single);
  const errors: Record<string, string[]> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'query')] ??= []).push(issue.message);

  const query = parsed.success ? parsed.data : {};
  const filters: AuditFilters = parsed.success
    ? {
        from: query.from,
        to: query.to,
        actor: query.actor,
        action: query.action,
        target: query.target,
        outcome: query.outcome,
      }
    : {};
  const empty = { data: [], next_cursor: null };
  // A cursor that is not one of ours (edited, or from before a master key rotation) shows as a
  // stale link, not as an error page.
  let staleCursor = false;
  const [page, actions, activity] = await Promise.all([
    parsed.success
      ? listAuditEvents(ctx, filters, { cursor: parsed.data.cursor, limit: parsed.data.limit }).catch((error) => {
          if (!isAppError(error) || error.code !== 'invalid_cursor') throw error;
          staleCursor = true;
          return empty;
        })
      : Promise.resolve(empty),
    knownActions(ctx),
    parsed.success ? tokenActivity(ctx, { from: filters.from, to: filters.to }) : Promise.resolve(null),
  ]);
  const names = await auditReferenceNames(ctx, page.data);

  const values: AuditFilterValues = parsed.success
    ? {
        from: localValue(filters.from),
        to: localValue(filters.to),
        actor: filters.actor,
        action: filters.action,
        target: filters.target,
        outcome: filters.outcome,
      }
    : Object.fromEntries(FILTER_KEYS.map((k) => [k, single[k]]));
  const filterParams = filtersToSearchParams(filters);
  const base = paths.audit(orgSlug);
  const withParams = (extra: Record<string, string>) => {
    const p = new URLSearchParams(filterParams);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : '';
  };
  const exportHref = (format: 'csv' | 'ndjson') => `${paths.auditExport(orgSlug)}${withParams({ format })}`;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, sign-in and token decision in this organization, newest first. Each event is chained to the previous one by its hash, so any alteration shows."
        actions={
          can(role, 'audit.export') && parsed.success ? (
            <>
              <a
                href={exportHref('csv')}
                download
                className="rounded-md px-3.5 py-2 text-sm font-semibold text-gray-900 ring-1 ring-inset ring-gray-300 hover:bg-gray-50"
              >
                Export CSV
              </a>
              <a
                href={exportHref('ndjson')}
                download
                className="rounded-md px-3.5 py-2 text-sm font-semibold text-gray-900 ring-1 ring-inset ring-gray-300 hover:bg-gray-50"
              >
                Export NDJSON
              </a>
            </>
          ) : null
        }
      />
      {/* With invalid filters there is nothing to count: no chart claiming totals for them. */}
      <div className={`mb-4 grid gap-4 ${activity ? 'lg:grid-cols-[minmax(0,1fr)_20rem]' : 'lg:grid-cols-[20rem]'}`}>
        {activity ? <TokenActivityChart data={activity} /> : null}
        {can(role, 'audit.verify') ? (
          <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-gray-200">
            <h2 className="mb-1 text-sm font-semibold text-gray-900">Tamper evidence</h2>
            <p className="mb-3 text-xs text-gray-600">
              Recompute every event’s hash and link, from the first event to the last.
            </p>
            <VerifyChainButton orgSlug={orgSlug} orgHeader={ORG_HEADER} />
          </div>
        ) : null}
      </div>
      <AuditFilterForm action={base} values={values} actions={actions} errors={errors} />
      {!parsed.success ? <Alert>Some filters are invalid: fix them to see events.</Alert> : null}
      {staleCursor ? (
        <Alert>
          This page link is no longer valid. <Link href={`${base}${withParams({})}`}>Start from the newest events</Link>
          .
        </Alert>
      ) : null}
      {parsed.success ? <AuditEventsTable events={page.data} orgSlug={orgSlug} names={names} /> : null}
      {parsed.success ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
          {parsed.success && parsed.data.cursor ? (
            <Link href={`${base}${withParams({})}`} className="font-medium text-brand-700 hover:underline">
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {page.next_cursor ? (
            <Link
              href={`${base}${withParams({ cursor: page.next_cursor, ...(query.limit ? { limit: String(query.limit) } : {}) })}`}
              className="font-medium text-brand-700 hover:underline"
            >
              Older events →
            </Link>
          ) : (
            <span className="text-gray-500">End of log</span>
          )}
        </nav>
      ) : null}
    </>
  );
}
