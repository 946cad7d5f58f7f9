import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/layout/page-header';
import { CreateOemCredentialForm } from '@/components/oem/create-oem-credential-form';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { BRAND_LABELS } from '@/lib/oem/brands';
import { listOemCredentials } from '@/lib/oem/queries';
import { paths } from '@/lib/paths';
import { createOemCredentialAction } from './actions';

export const metadata: Metadata = { title: 'OEM credentials' };

export default async function OemCredentialsPage({ params }: PageProps<'/orgs/[orgSlug]/oem-credentials'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'oem_credentials.read');
  const credentials = await listOemCredentials(ctx);
  return (
    <>
      <PageHeader
        title="OEM credentials"
        description="Client credentials of third-party vehicle APIs (Mercedes-Benz, NIU, Segway), stored once, encrypted, and shared by vehicles. CloudBoxx vehicles need none. Secrets are never shown after they are saved."
      />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-label="Stored credentials">
          {credentials.length === 0 ? (
            <EmptyState title="No OEM credentials yet" />
          ) : (
            <Table
              caption="OEM credentials"
              columns={['Name', 'Brand', 'Client ID', 'Vehicles', 'Key version', 'Updated (UTC)']}
            >
              {credentials.map((c) => (
                <tr key={c.id}>
                  <Td>
                    <Link
                      href={paths.oemCredential(orgSlug, c.id)}
                      className="font-medium text-brand-700 hover:underline"
                    >
                      {c.name}
                    </Link>
                  </Td>
                  <Td>{BRAND_LABELS[c.brand]}</Td>
                  <Td className="font-mono text-xs">{c.client_id}</Td>
                  <Td className="tabular-nums">{c.vehicle_count}</Td>
                  <Td className="tabular-nums">v{c.key_version}</Td>
                  <Td className="whitespace-nowrap tabular-nums">{c.updated_at.replace('T', ' ').slice(0, 16)}</Td>
                </tr>
              ))}
            </Table>
          )}
        </section>
        {can(role, 'oem_credentials.write') ? (
          <Card>
            <h2 className="mb-4 text-sm font-semibold text-gray-900">Add a credential</h2>
            <CreateOemCredentialForm orgSlug={orgSlug} action={createOemCredentialAction} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
