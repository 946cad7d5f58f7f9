import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/layout/page-header';
import { AddVehicleForm } from '@/components/vehicles/add-vehicle-form';
import { ActionButton } from '@/components/ui/action-button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { BRAND_LABELS } from '@/lib/oem/brands';
import { listOemCredentials } from '@/lib/oem/queries';
import { paths } from '@/lib/paths';
import { listVehicles } from '@/lib/vehicles/queries';
import { addVehicleAction, lookupVinAction, removeVehicleAction } from './actions';

export const metadata: Metadata = { title: 'Vehicles' };

export default async function VehiclesPage({ params }: PageProps<'/orgs/[orgSlug]/vehicles'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'vehicles.read');
  const writable = can(role, 'vehicles.write');
  const [vehicles, credentials] = await Promise.all([
    listVehicles(ctx),
    writable ? listOemCredentials(ctx) : Promise.resolve([]),
  ]);
  return (
    <>
      <PageHeader
        title="Vehicles"
        description="Connect vehicles by VIN to the OEM credentials they use. CloudBoxx vehicles need no credential."
      />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <section aria-label="Registered vehicles">
          {vehicles.length === 0 ? (
            <EmptyState title="No vehicles yet" />
          ) : (
            <Table
              caption="Vehicles"
              columns={
                writable
                  ? ['VIN', 'Brand', 'OEM credential', 'Added (UTC)', '']
                  : ['VIN', 'Brand', 'OEM credential', 'Added (UTC)']
              }
            >
              {vehicles.map((v) => (
                <tr key={v.id}>
                  <Td className="font-mono text-xs">{v.vin}</Td>
                  <Td>{BRAND_LABELS[v.brand]}</Td>
                  <Td>
                    {v.oem_credential ? (
                      <Link
                        href={paths.oemCredential(orgSlug, v.oem_credential.id)}
                        className="text-brand-700 hover:underline"
                      >
                        {v.oem_credential.name}
                      </Link>
                    ) : (
                      'None needed'
                    )}
                  </Td>
                  <Td className="whitespace-nowrap tabular-nums">{v.created_at.replace('T', ' ').slice(0, 16)}</Td>
                  {writable ? (
                    <Td>
                      <ActionButton
                        variant="ghost"
                        action={removeVehicleAction}
                        fields={{ orgSlug, id: v.id }}
                        label="Remove"
                        ariaLabel={`Remove ${v.vin}`}
                        confirm={{
                          title: `Remove vehicle ${v.vin}?`,
                          body: (
                            <p>It is no longer connected through its OEM credential. You can add it again later.</p>
                          ),
                          confirmLabel: 'Remove',
                        }}
                      />
                    </Td>
                  ) : null}
                </tr>
              ))}
            </Table>
          )}
        </section>
        {writable ? (
          <Card>
            <h2 className="mb-4 text-sm font-semibold text-gray-900">Add a vehicle</h2>
            <AddVehicleForm
              orgSlug={orgSlug}
              credentials={credentials.map((c) => ({ id: c.id, name: c.name, brand: c.brand }))}
              addAction={addVehicleAction}
              lookupAction={lookupVinAction}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}
