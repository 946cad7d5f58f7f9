import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/layout/page-header';
import { DeleteCredentialForm } from '@/components/oem/delete-credential-form';
import { UpdateSecretForm } from '@/components/oem/update-secret-form';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { BRAND_LABELS } from '@/lib/oem/brands';
import { getOemCredential } from '@/lib/oem/queries';
import { oemCredentialRef } from '@/lib/oem/schema';
import { paths } from '@/lib/paths';
import { deleteOemCredentialAction, updateOemCredentialSecretAction } from '../actions';

export const metadata: Metadata = { title: 'OEM credential' };

export default async function OemCredentialPage({
  params,
}: PageProps<'/orgs/[orgSlug]/oem-credentials/[credentialId]'>) {
  const { orgSlug, credentialId } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'oem_credentials.read');
  if (!oemCredentialRef.safeParse({ id: credentialId }).success) notFound();
  const credential = await getOemCredential(ctx, credentialId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  const writable = can(role, 'oem_credentials.write');
  return (
    <>
      <PageHeader
        title={credential.name}
        description={
          <>
            <Link href={paths.oemCredentials(orgSlug)} className="text-brand-700 hover:underline">
              OEM credentials
            </Link>{' '}
            · {BRAND_LABELS[credential.brand]}
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-y-2 text-sm [&_dd]:break-words">
            <dt className="text-gray-500">Brand</dt>
            <dd>{BRAND_LABELS[credential.brand]}</dd>
            <dt className="text-gray-500">Client ID</dt>
            <dd className="font-mono text-xs">{credential.client_id}</dd>
            <dt className="text-gray-500">Client secret</dt>
            <dd>Stored encrypted (master key v{credential.key_version}); never shown.</dd>
            <dt className="text-gray-500">Vehicles</dt>
            <dd>{credential.vehicle_count}</dd>
            <dt className="text-gray-500">Created (UTC)</dt>
            <dd className="tabular-nums">{credential.created_at.replace('T', ' ').slice(0, 19)}</dd>
          </dl>
          <p className="mt-4 text-xs text-gray-500">
            Only the client secret can change. A different client ID is a new credential.
          </p>
        </Card>
        {writable ? (
          <div className="space-y-6">
            <Card>
              <h2 className="mb-4 text-sm font-semibold text-gray-900">Replace the client secret</h2>
              <UpdateSecretForm orgSlug={orgSlug} id={credential.id} action={updateOemCredentialSecretAction} />
            </Card>
            <Card>
              <h2 className="mb-2 text-sm font-semibold text-gray-900">Delete</h2>
              <p className="mb-3 text-xs text-gray-600">A credential that vehicles use cannot be deleted.</p>
              <DeleteCredentialForm
                orgSlug={orgSlug}
                id={credential.id}
                name={credential.name}
                action={deleteOemCredentialAction}
              />
            </Card>
          </div>
        ) : null}
      </div>
    </>
  );
}
