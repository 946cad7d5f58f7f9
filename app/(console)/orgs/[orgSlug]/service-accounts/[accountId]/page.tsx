import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ClientSecretsPanel } from '@/components/credentials/client-secrets-panel';
import { FederatedCredentialsPanel } from '@/components/credentials/federated-credentials-panel';
import { formatDateTime, formatDuration } from '@/components/credentials/format';
import { KeyPairsPanel } from '@/components/credentials/key-pairs-panel';
import { TokenPairsPanel } from '@/components/credentials/token-pairs-panel';
import { PageHeader } from '@/components/layout/page-header';
import { AccountActivitySection } from '@/components/service-accounts/account-activity';
import { AccountStatusBadge } from '@/components/service-accounts/account-status-badge';
import { PERMISSION_HELP, PermissionsHelpLink } from '@/components/service-accounts/permission-help';
import { StatusActions } from '@/components/service-accounts/status-actions';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { listFederatedCredentials } from '@/lib/federation/queries';
import { issuerUrl, tokenUrl } from '@/lib/issuer';
import { paths } from '@/lib/paths';
import { getAccountCatalog, getServiceAccount } from '@/lib/service-accounts/queries';
import { accountActivity } from '@/lib/service-accounts/activity';
import { serviceAccountId } from '@/lib/service-accounts/schema';
import {
  createClientSecretAction,
  createFederatedCredentialAction,
  createKeyPairAction,
  createTokenPairAction,
  deleteClientSecretAction,
  deleteFederatedCredentialAction,
  deleteKeyPairAction,
  deleteTokenPairAction,
  reactivateServiceAccountAction,
  revokeServiceAccountAction,
  rotateClientSecretAction,
  setClientSecretStatusAction,
  setFederatedCredentialStatusAction,
  setKeyPairStatusAction,
  setTokenPairStatusAction,
  suspendServiceAccountAction,
  testFederatedTokenAction,
} from '../actions';

export const metadata: Metadata = { title: 'Service account' };

function Row({ label, hint, children }: { label: string; hint?: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-gray-600">
        {label}
        {hint ? <span className="mt-0.5 block text-xs font-normal text-gray-500">{hint}</span> : null}
      </dt>
      <dd className="min-w-0 break-words text-sm text-gray-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

export default async function ServiceAccountPage({
  params,
}: PageProps<'/orgs/[orgSlug]/service-accounts/[accountId]'>) {
  const { orgSlug, accountId } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'service_accounts.read');
  if (!serviceAccountId.safeParse(accountId).success) notFound();
  // Another organization's account answers exactly like a missing one.
  const account = await getServiceAccount(ctx, accountId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  });
  if (!account) notFound();
  const [{ maxCredentialLifetimeDays }, activity, federatedCredentials] = await Promise.all([
    getAccountCatalog(ctx),
    can(role, 'audit.read') ? accountActivity(ctx, account.id) : Promise.resolve(null),
    listFederatedCredentials(ctx, accountId),
  ]);
  const perCredential = activity?.credentials;
  const revoked = account.status === 'REVOKED';
  const canWrite = can(role, 'service_accounts.write') && !revoked;
  const canManage = can(role, 'service_accounts.write');

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={paths.serviceAccounts(orgSlug)} className="text-brand-700 hover:underline">
          ← Service accounts
        </Link>
      </p>
      <PageHeader
        title={account.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <AccountStatusBadge status={account.status} /> <Badge>{account.platform}</Badge>{' '}
            {account.isAdmin ? <Badge tone="blue">Admin</Badge> : null}
            <code className="text-xs text-gray-500">{account.id}</code>
          </span>
        }
        actions={
          canManage && !revoked ? (
            <div className="flex flex-wrap items-start gap-2">
              <Link
                href={paths.editServiceAccount(orgSlug, account.id)}
                className="rounded-md bg-white px-2.5 py-1 text-xs font-semibold ring-1 ring-gray-300 hover:bg-gray-50"
              >
                Edit
              </Link>
              <StatusActions
                orgSlug={orgSlug}
                account={account}
                actions={{
                  suspend: suspendServiceAccountAction,
                  reactivate: reactivateServiceAccountAction,
                  revoke: revokeServiceAccountAction,
                }}
              />
            </div>
          ) : null
        }
      />
      {revoked ? (
        <Alert>
          This service account was revoked on {formatDateTime(account.revokedAt)}. It and its credentials can no longer
          be used or changed; the record stays for audit.
        </Alert>
      ) : null}
      {account.status === 'SUSPENDED' ? (
        <Alert tone="info">
          Suspended since {formatDateTime(account.suspendedAt)}: no tokens are issued to it, and its tokens do not
          introspect as active.
        </Alert>
      ) : null}

      <nav aria-label="Sections" className="mt-4 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <a href="#secrets" className="text-brand-700 hover:underline">
          Client secrets ({account.clientSecrets.length})
        </a>
        <a href="#keys" className="text-brand-700 hover:underline">
          Key pairs ({account.keyPairs.length})
        </a>
        <a href="#federated" className="text-brand-700 hover:underline">
          Federated credentials ({federatedCredentials.length})
        </a>
        {account.platform !== 'SERVER' ? (
          <a href="#token-pairs" className="text-brand-700 hover:underline">
            Client token pairs ({account.clientTokenPairs.length})
          </a>
        ) : null}
        <a href="#activity" className="text-brand-700 hover:underline">
          Activity
        </a>
        <Link href={paths.serviceAccountTokens(orgSlug, account.id)} className="text-brand-700 hover:underline">
          Live tokens
        </Link>
      </nav>
      <div className="mt-4 space-y-8">
        <Card>
          <dl className="divide-y divide-gray-100">
            <Row label="Description">{account.description || '—'}</Row>
            <Row label="Admin" hint={PERMISSION_HELP.isAdmin}>
              {account.isAdmin ? 'Yes' : 'No'} · <PermissionsHelpLink />
            </Row>
            <Row label="Scopes" hint={PERMISSION_HELP.scopes}>
              {account.scopes.length
                ? account.scopes.map((s) => (
                    <code key={s} className="mr-2 inline-block text-xs">
                      {s}
                    </code>
                  ))
                : 'None'}
            </Row>
            <Row label="Roles" hint={PERMISSION_HELP.roles}>
              {account.roleBindings.length
                ? account.roleBindings.map((b) => (
                    <span key={b.id} className="mr-3 inline-block">
                      <code className="text-xs">{b.roleName}</code>
                      {b.projectName ? <span className="text-xs text-gray-600"> on {b.projectName}</span> : null}
                      {b.retired ? <span className="text-xs text-gray-500"> (retired: reaches no project)</span> : null}
                    </span>
                  ))
                : 'None'}
            </Row>
            <Row label="Access token lifetime">
              {formatDuration(account.tokenLifetimeSeconds)}{' '}
              <span className="text-gray-500">({account.tokenLifetimeSeconds} s)</span>
            </Row>
            <Row label="DPoP">{account.requireDpop ? 'Required' : 'Optional'}</Row>
            <Row label="IP allow-list">
              {account.ipAllowList.length
                ? account.ipAllowList.map((c) => (
                    <code key={c} className="mr-2 inline-block text-xs">
                      {c}
                    </code>
                  ))
                : 'Any address'}
            </Row>
            <Row label="Created">
              {formatDateTime(account.createdAt)}
              {account.createdBy ? ` by ${account.createdBy.label}` : ''}
            </Row>
            <Row label="Last used">{formatDateTime(account.lastUsedAt)}</Row>
          </dl>
        </Card>

        <ClientSecretsPanel
          orgSlug={orgSlug}
          accountId={account.id}
          accountName={account.name}
          secrets={account.clientSecrets}
          canWrite={canWrite}
          tokenUrl={tokenUrl()}
          maxDays={maxCredentialLifetimeDays}
          activity={perCredential}
          actions={{
            create: createClientSecretAction,
            rotate: rotateClientSecretAction,
            setStatus: setClientSecretStatusAction,
            remove: deleteClientSecretAction,
          }}
        />
        <KeyPairsPanel
          orgSlug={orgSlug}
          accountId={account.id}
          keys={account.keyPairs}
          canWrite={canWrite}
          maxDays={maxCredentialLifetimeDays}
          activity={perCredential}
          actions={{ create: createKeyPairAction, setStatus: setKeyPairStatusAction, remove: deleteKeyPairAction }}
        />
        <FederatedCredentialsPanel
          orgSlug={orgSlug}
          accountId={account.id}
          credentials={federatedCredentials}
          canWrite={canWrite}
          defaultAudience={issuerUrl()}
          tokenUrl={tokenUrl()}
          maxDays={maxCredentialLifetimeDays}
          activity={perCredential}
          actions={{
            create: createFederatedCredentialAction,
            setStatus: setFederatedCredentialStatusAction,
            remove: deleteFederatedCredentialAction,
            test: testFederatedTokenAction,
          }}
        />
        {account.platform !== 'SERVER' ? (
          <TokenPairsPanel
            orgSlug={orgSlug}
            accountId={account.id}
            pairs={account.clientTokenPairs}
            canWrite={canWrite}
            tokenUrl={tokenUrl()}
            activity={perCredential}
            actions={{
              create: createTokenPairAction,
              setStatus: setTokenPairStatusAction,
              remove: deleteTokenPairAction,
            }}
          />
        ) : null}
        {activity ? <AccountActivitySection activity={activity} /> : null}
      </div>
    </>
  );
}
