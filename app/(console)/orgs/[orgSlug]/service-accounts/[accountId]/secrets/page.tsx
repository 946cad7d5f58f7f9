import { redirect } from 'next/navigation';
import { paths } from '@/lib/paths';

// The account page shows every credential kind in its own section; this path links to it.
export default async function SecretsPage({
  params,
}: PageProps<'/orgs/[orgSlug]/service-accounts/[accountId]/secrets'>) {
  const { orgSlug, accountId } = await params;
  redirect(`${paths.serviceAccount(orgSlug, accountId)}#secrets`);
}
