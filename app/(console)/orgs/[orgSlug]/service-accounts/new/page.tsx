import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { AccountForm } from '@/components/service-accounts/account-form';
import { requireMember } from '@/lib/auth/session';
import { getAccountCatalog } from '@/lib/service-accounts/queries';
import { createServiceAccountAction } from '../actions';

export const metadata: Metadata = { title: 'New service account' };

export default async function NewServiceAccountPage({ params }: PageProps<'/orgs/[orgSlug]/service-accounts/new'>) {
  const { orgSlug } = await params;
  // Only writers see this page; an AUDITOR gets a 404 (and the action refuses them anyway).
  const { ctx } = await requireMember(orgSlug, 'service_accounts.write');
  const catalog = await getAccountCatalog(ctx);
  return (
    <>
      <PageHeader
        title="New service account"
        description="Give it only the scopes and roles it needs. Credentials are issued on the next page."
      />
      <AccountForm orgSlug={orgSlug} catalog={catalog} action={createServiceAccountAction} />
    </>
  );
}
