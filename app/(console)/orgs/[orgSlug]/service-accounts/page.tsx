import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { requireMember } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Service accounts' };

export default async function ServiceaccountsPage({ params }: PageProps<'/orgs/[orgSlug]/service-accounts'>) {
  const { orgSlug } = await params;
  await requireMember(orgSlug, 'service_accounts.read');
  return (
    <>
      <PageHeader title="Service accounts" description="Service accounts are the identities your backends, pipelines and apps use to get access tokens." />
      <EmptyState title="No service accounts yet" />
    </>
  );
}
