import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/layout/page-header';
import { Card } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { CreateWebhookForm } from '@/components/webhooks/create-webhook-form';
import { EmailPreferenceForm } from '@/components/webhooks/email-preference-form';
import { WebhookStatusBadge } from '@/components/webhooks/webhook-status-badge';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { smtpEnabled } from '@/lib/env';
import { paths } from '@/lib/paths';
import { listWebhooks, receivesLifecycleEmail } from '@/lib/webhooks/queries';
import { createWebhookAction, setEmailPreferenceAction } from './actions';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ params }: PageProps<'/orgs/[orgSlug]/settings/webhooks'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'webhooks.read');
  const [{ data: webhooks }, receives] = await Promise.all([listWebhooks(ctx), receivesLifecycleEmail(ctx)]);
  const canWrite = can(role, 'webhooks.write');
  const email = smtpEnabled();
  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Lifecycle events (credentials created, rotated, expiring or expired, accounts suspended, refresh-token
            reuse, chain breaks, members) sent to your systems, signed per Standard Webhooks.{' '}
            <Link className="underline" href={paths.settings(orgSlug)}>
              Back to settings
            </Link>
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card className="lg:col-span-2">
          <h2 className="mb-2 text-sm font-semibold">E-mail</h2>
          {email ? (
            <p className="mb-3 text-sm text-gray-700">
              E-mail is on: owners and admins receive every lifecycle event by e-mail unless they turn it off.
            </p>
          ) : (
            <p className="mb-3 text-sm text-gray-700">
              E-mail is off: this server has no SMTP_URL, so lifecycle events go to webhooks only.
            </p>
          )}
          {email && canWrite ? (
            <EmailPreferenceForm orgSlug={orgSlug} receives={receives} action={setEmailPreferenceAction} />
          ) : null}
        </Card>
        <div className={canWrite ? '' : 'lg:col-span-2'}>
          {webhooks.length === 0 ? (
            <Card>
              <p className="text-sm text-gray-600">No webhooks yet.</p>
            </Card>
          ) : (
            <Table caption="Webhooks" columns={['Endpoint', 'Events', 'Status']}>
              {webhooks.map((w) => (
                <tr key={w.id}>
                  <Td>
                    <Link className="break-all font-mono text-xs underline" href={paths.webhook(orgSlug, w.id)}>
                      {w.url}
                    </Link>
                    {w.description ? <p className="text-xs text-gray-500">{w.description}</p> : null}
                  </Td>
                  <Td className="tabular-nums">{w.eventTypes.length}</Td>
                  <Td>
                    <WebhookStatusBadge status={w.status} />
                    {w.consecutiveFailures > 0 ? (
                      <p className="text-xs text-gray-500">{w.consecutiveFailures} failed in a row</p>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </Table>
          )}
        </div>
        {canWrite ? (
          <Card>
            <h2 className="mb-3 text-sm font-semibold">Add a webhook</h2>
            <CreateWebhookForm orgSlug={orgSlug} action={createWebhookAction} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
