import type { Metadata } from 'next';
import QRCode from 'qrcode';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requireMember } from '@/lib/auth/session';
import { recoveryCodesLeft } from '@/lib/auth/recovery-codes';
import { totpStatus } from '@/lib/auth/two-factor';
import {
  ChangePasswordForm,
  RegenerateRecoveryCodesForm,
  TotpConfirmForm,
  TotpDisableForm,
  TotpStartForm,
} from './totp-forms';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage({ params }: PageProps<'/orgs/[orgSlug]/account'>) {
  const { orgSlug } = await params;
  // The one page open to a member who still has to turn on a second factor their organization requires.
  const { user, twoFactorMissing } = await requireMember(orgSlug, undefined, { allowWithoutTwoFactor: true });
  const status = await totpStatus(user.id);
  const codesLeft = status.enabled ? await recoveryCodesLeft(user.id) : 0;
  const qr =
    !status.enabled && status.pending
      ? await QRCode.toString(status.pending.uri, { type: 'svg', margin: 1, width: 192 })
      : null;
  return (
    <>
      <PageHeader title="Your account" description={`${user.name} · ${user.email}`} />
      {twoFactorMissing ? (
        <div className="mb-4 max-w-2xl">
          <Alert>This organization requires two-factor authentication. Turn it on below to use the console.</Alert>
        </div>
      ) : null}
      <Card className="max-w-2xl">
        <div className="mb-3 flex items-center gap-3">
          <h2 className="text-sm font-semibold">Two-factor authentication</h2>
          {status.enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
        </div>
        {status.enabled ? (
          <>
            <p className="mb-4 text-sm text-gray-600">
              Signing in asks for a code from your authenticator app. To turn it off, enter a current code.
            </p>
            <TotpDisableForm />
            <div className="mt-6 border-t border-gray-100 pt-4">
              <h3 className="text-sm font-semibold">Recovery codes</h3>
              <p className="mb-3 text-sm text-gray-600" data-testid="recovery-codes-left">
                {codesLeft === 0
                  ? 'No recovery codes left: create new ones now, or you cannot sign in without your authenticator.'
                  : `${codesLeft} of 10 unused. Each signs you in once without your authenticator.`}{' '}
                New codes replace all earlier ones.
              </p>
              <RegenerateRecoveryCodesForm />
            </div>
          </>
        ) : status.pending && qr ? (
          <>
            <p className="mb-4 text-sm text-gray-600">
              Scan this code with an authenticator app (or enter the key by hand), then enter the 6-digit code it shows.
            </p>
            <div className="mb-4 flex flex-wrap items-center gap-6">
              <div
                role="img"
                aria-label="QR code for your authenticator app"
                className="rounded bg-white p-2 ring-1 ring-gray-200"
                dangerouslySetInnerHTML={{ __html: qr }}
              />
              <div className="text-sm">
                <p className="text-gray-600">Key</p>
                <code className="font-mono break-all" data-testid="totp-secret">
                  {status.pending.secret}
                </code>
              </div>
            </div>
            <TotpConfirmForm />
          </>
        ) : (
          <>
            <p className="mb-4 text-sm text-gray-600">
              Protect your login with a one-time code from an authenticator app in addition to your password.
            </p>
            <TotpStartForm />
          </>
        )}
      </Card>
      <Card className="mt-6 max-w-2xl">
        <h2 className="mb-3 text-sm font-semibold">Password</h2>
        <ChangePasswordForm />
      </Card>
    </>
  );
}
