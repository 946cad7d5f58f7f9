import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/layout/page-header';
import { ANY_STATUS, AccountsFilters } from '@/components/service-accounts/accounts-filters';
import { AccountsTable } from '@/components/service-accounts/accounts-table';
import { Alert } from '@/components/ui/alert';
import { EmptyState } from '@/components/ui/empty-state';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { paths } from '@/lib/paths';
import { listServiceAccounts } from '@/lib/service-accounts/queries';
import { listServiceAccountsQuery } from '@/lib/service-accounts/schema';

export const metadata: Metadata = { title: 'Service accounts' };

export default async function ServiceAccountsPage({
  params,
  searchParams,
}: PageProps<'/orgs/[orgSlug]/service-accounts'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'service_accounts.read');
  const raw = Object.fromEntries(
    Object.entries(await searchParams).filter(([, v]) => typeof v === 'string' && v !== ''),
  ) as Record<string, string>;
  // The default view leaves revoked accounts out (they stay only for the record); status=ANY shows them too.
  const showRevoked = raw.status === ANY_STATUS;
  if (showRevoked) delete raw.status;
  const parsed = listServiceAccountsQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : listServiceAccountsQuery.parse({});
  const page = await listServiceAccounts(ctx, query, { hideRevoked: !showRevoked });
  const filtered = Boolean(query.q || query.status || query.platform);
  const pageHref = (n: number) => {
    const sp = new URLSearchParams({
      ...(query.q ? { q: query.q } : {}),
      ...(query.status ? { status: query.status } : showRevoked ? { status: ANY_STATUS } : {}),
      ...(query.platform ? { platform: query.platform } : {}),
      page: String(n),
    });
    return `${paths.serviceAccounts(orgSlug)}?${sp.toString()}`;
  };
  return (
    <>
      <PageHeader
        title="Service accounts"
        description={
          <>
            Service accounts are the identities your backends, pipelines and apps use to get access tokens. Everything
            here is also in the{' '}
            <Link href={paths.apiReference()} className="text-brand-700 hover:underline">
              management API
            </Link>
            .
          </>
        }
        actions={
          can(role, 'service_accounts.write') ? (
            <Link
              href={paths.newServiceAccount(orgSlug)}
              className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-brand-700"
            >
              New service account
            </Link>
          ) : null
        }
      />
      <AccountsFilters
        action={paths.serviceAccounts(orgSlug)}
        q={query.q}
        status={query.status ?? (showRevoked ? ANY_STATUS : undefined)}
        platform={query.platform}
      />
      {!parsed.success ? <Alert>Some filters in the address were not understood and were ignored.</Alert> : null}
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? 'No service accounts match these filters' : 'No service accounts yet'}>
          {filtered ? (
            <Link href={paths.serviceAccounts(orgSlug)}>Clear the filters</Link>
          ) : (
            'Create one to let a backend or app get access tokens.'
          )}
        </EmptyState>
      ) : (
        <>
          <AccountsTable orgSlug={orgSlug} items={page.items} />
          <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm">
            <p className="text-gray-600">
              Page {page.page} of {page.totalPages} · {page.total} account{page.total === 1 ? '' : 's'}
            </p>
            <div className="flex gap-2">
              {page.page > 1 ? (
                <Link
                  href={pageHref(page.page - 1)}
                  className="rounded-md px-3 py-1.5 ring-1 ring-gray-300 hover:bg-gray-50"
                >
                  Previous
                </Link>
              ) : null}
              {page.page < page.totalPages ? (
                <Link
                  href={pageHref(page.page + 1)}
                  className="rounded-md px-3 py-1.5 ring-1 ring-gray-300 hover:bg-gray-50"
                >
                  Next
                </Link>
              ) : null}
            </div>
          </nav>
        </>
      )}
    </>
  );
}
