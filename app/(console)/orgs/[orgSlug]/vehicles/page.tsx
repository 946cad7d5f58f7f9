import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { EmptyState } from '@/components/ui/empty-state';
import { requireMember } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Vehicles' };

export default async function VehiclesPage({ params }: PageProps<'/orgs/[orgSlug]/vehicles'>) {
  const { orgSlug } = await params;
  await requireMember(orgSlug, 'vehicles.read');
  return (
    <>
      <PageHeader title="Vehicles" description="Connect vehicles by VIN to the OEM credentials they use." />
      <EmptyState title="No vehicles yet" />
    </>
  );
}
