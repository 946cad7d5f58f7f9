import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionButton } from '@/components/ui/action-button';
import { formatDateTime } from '@/components/credentials/format';
import { PageHeader } from '@/components/layout/page-header';
import { Table, Td } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { paths } from '@/lib/paths';
import { getServiceAccount } from '@/lib/service-accounts/queries';
import { serviceAccountId } from '@/lib/service-accounts/schema';
import { listLiveTokens } from '@/lib/tokens/live-tokens';
import { revokeLiveTokenAction } from '../../actions';

export const metadata: Metadata = { title: 'Live tokens' };

// The account's access tokens that would be accepted right now, each revocable on its own.
export default async function TokensPage({ params }: PageProps<'/orgs/[orgSlug]/service-accounts/[accountId]/tokens'>) {
  const { orgSlug, accountId } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'service_accounts.read');
  if (!serviceAccountId.safeParse(accountId).success) notFound();
  // Another organization's account answers exactly like a missing one.
  const account = await getServiceAccount(ctx, accountId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  });
  if (!account) notFound();
  const tokens = await listLiveTokens(ctx, accountId);
  const canWrite = can(role, 'service_accounts.write');
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={paths.serviceAccount(orgSlug, accountId)} className="text-brand-700 hover:underline">
          ← {account.name}
        </Link>
      </p>
      <PageHeader
        title={`Live tokens of ${account.name}`}
        description="Access tokens that would be accepted right now (newest 100). Revoking one stops it on every instance at once; suspend the account to stop them all."
      />
      {tokens.length === 0 ? (
        <p className="text-sm text-gray-500">No live access tokens.</p>
      ) : (
        <Table
          caption="Live access tokens"
          columns={[
            'Token id',
            'Issued',
            'Expires',
            'Credential',
            'Scope',
            'Address',
            ...(canWrite ? ['Actions'] : []),
          ]}
        >
          {tokens.map((t) => (
            <tr key={t.jti}>
              <Td>
                <code className="text-xs">{t.jti}</code>
              </Td>
              <Td>{formatDateTime(t.issuedAt)}</Td>
              <Td>{formatDateTime(t.expiresAt)}</Td>
              <Td>
                <code className="text-xs">{t.clientId ?? '—'}</code>
              </Td>
              <Td>{t.scope || '—'}</Td>
              <Td>{t.ip ?? '—'}</Td>
              {canWrite ? (
                <Td>
                  <ActionButton
                    action={revokeLiveTokenAction}
                    fields={{ orgSlug, accountId, jti: t.jti }}
                    label="Revoke"
                    variant="danger"
                    confirm={{
                      title: 'Revoke this access token?',
                      body: (
                        <p>
                          Token <code className="text-xs">{t.jti}</code>, issued {formatDateTime(t.issuedAt)} to{' '}
                          <code className="text-xs">{t.clientId ?? 'an unknown credential'}</code>. Whoever holds it is
                          refused from the next request on. This cannot be undone.
                        </p>
                      ),
                      confirmLabel: 'Revoke',
                    }}
                  />
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
