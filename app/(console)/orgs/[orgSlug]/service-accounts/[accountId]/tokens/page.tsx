import { redirect } from 'next/navigation';
import { paths } from '@/lib/paths';

// The account page shows every credential kind in its own section; this path links to it.
export default async function TokensPage({ params }: PageProps<'/orgs/[orgSlug]/service-accounts/[accountId]/tokens'>) {
  const { orgSlug, accountId } = await params;
  redirect(`${paths.serviceAccount(orgSlug, accountId)}#token-pairs`);
}
