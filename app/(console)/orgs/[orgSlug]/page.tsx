import type { Metadata } from 'next';
import Link from 'next/link';
import { ExpiringCredentialsCard } from '@/components/credentials/expiring-credentials-card';
import { PageHeader } from '@/components/layout/page-header';
import { GettingStartedCard } from '@/components/organizations/getting-started-card';
import { Card } from '@/components/ui/card';
import { requireMember } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { tokenUrl } from '@/lib/issuer';
import { gettingStarted } from '@/lib/organizations/getting-started';
import { getOverview } from '@/lib/organizations/queries';
import { paths } from '@/lib/paths';
import { listExpiringCredentials } from '@/lib/service-accounts/queries';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage({ params }: PageProps<'/orgs/[orgSlug]'>) {
  const { orgSlug } = await params;
  const { ctx, org, role } = await requireMember(orgSlug, 'organization.read');
  const canReadAccounts = can(role, 'service_accounts.read');
  const [overview, expiring, guide] = await Promise.all([
    getOverview(ctx),
    canReadAccounts ? listExpiringCredentials(ctx) : Promise.resolve(null),
    canReadAccounts ? gettingStarted(ctx) : Promise.resolve(null),
  ]);
  const tiles = [
    {
      label: 'Service accounts',
      value: overview.serviceAccounts,
      note: `${overview.activeServiceAccounts} active`,
      href: paths.serviceAccounts(org.slug),
    },
    { label: 'OEM credentials', value: overview.oemCredentials, href: paths.oemCredentials(org.slug) },
    { label: 'Vehicles', value: overview.vehicles, href: paths.vehicles(org.slug) },
    { label: 'Scopes in catalog', value: overview.scopes, href: paths.settings(org.slug) },
  ];
  return (
    <>
      <PageHeader title={org.name} description="Service accounts, credentials and tokens of this organization." />
      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {tiles.map((t) => (
          <Card key={t.label}>
            <dt className="text-sm text-gray-600">
              <Link href={t.href} className="hover:underline">
                {t.label}
              </Link>
            </dt>
            <dd className="mt-1 text-3xl font-semibold">{t.value}</dd>
            {t.note ? <dd className="text-xs text-gray-500">{t.note}</dd> : null}
          </Card>
        ))}
      </dl>
      {guide ? (
        <GettingStartedCard
          orgSlug={org.slug}
          state={guide}
          tokenUrl={tokenUrl()}
          canWrite={can(role, 'service_accounts.write')}
        />
      ) : null}
      {expiring ? <ExpiringCredentialsCard orgSlug={org.slug} items={expiring} /> : null}
    </>
  );
}
