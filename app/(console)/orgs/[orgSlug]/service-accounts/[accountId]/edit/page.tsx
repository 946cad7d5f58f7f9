import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/layout/page-header';
import { AccountForm } from '@/components/service-accounts/account-form';
import { Alert } from '@/components/ui/alert';
import { requireMember } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getAccountCatalog, getServiceAccount } from '@/lib/service-accounts/queries';
import { serviceAccountId } from '@/lib/service-accounts/schema';
import { updateServiceAccountAction } from '../../actions';

export const metadata: Metadata = { title: 'Edit service account' };

export default async function EditServiceAccountPage({
  params,
}: PageProps<'/orgs/[orgSlug]/service-accounts/[accountId]/edit'>) {
  const { orgSlug, accountId } = await params;
  const { ctx } = await requireMember(orgSlug, 'service_accounts.write');
  if (!serviceAccountId.safeParse(accountId).success) notFound();
  const account = await getServiceAccount(ctx, accountId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  });
  if (!account) notFound();
  const catalog = await getAccountCatalog(ctx);
  return (
    <>
      <PageHeader title={`Edit ${account.name}`} />
      {account.status === 'REVOKED' ? (
        <Alert>This account is revoked and cannot change.</Alert>
      ) : (
        <AccountForm orgSlug={orgSlug} catalog={catalog} account={account} action={updateServiceAccountAction} />
      )}
    </>
  );
}
