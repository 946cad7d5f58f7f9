import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { requireMember } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'OEM credentials' };

export default async function OEMcredentialsPage({ params }: PageProps<'/orgs/[orgSlug]/oem-credentials'>) {
  const { orgSlug } = await params;
  await requireMember(orgSlug, 'oem_credentials.read');
  return (
    <>
      <PageHeader title="OEM credentials" description="Store the client credentials of third-party vehicle APIs (Mercedes-Benz, NIU, Segway) once, encrypted, and share them across vehicles." />
      <EmptyState title="No OEM credentials yet" />
    </>
  );
}
