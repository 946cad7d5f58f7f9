import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionButton } from '@/components/ui/action-button';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { DeliveryStatusBadge, WebhookStatusBadge } from '@/components/webhooks/webhook-status-badge';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { EVENT_LABEL } from '@/lib/events/catalog';
import { toAppError } from '@/lib/errors';
import { paths } from '@/lib/paths';
import { getWebhook, listDeliveries } from '@/lib/webhooks/queries';
import { webhookParams } from '@/lib/webhooks/schema';
import { deleteWebhookAction, redeliverAction, sendTestEventAction, setWebhookStatusAction } from '../actions';

export const metadata: Metadata = { title: 'Webhook' };

export default async function WebhookPage({ params }: PageProps<'/orgs/[orgSlug]/settings/webhooks/[webhookId]'>) {
  const { orgSlug, webhookId } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'webhooks.read');
  if (!webhookParams.safeParse({ webhookId }).success) notFound();
  const loaded = await Promise.all([getWebhook(ctx, webhookId), listDeliveries(ctx, webhookId, 100)]).catch(
    (error: unknown) => {
      if (toAppError(error)?.code === 'not_found') notFound();
      throw error;
    },
  );
  const [webhook, { data: deliveries }] = loaded;
  const canWrite = can(role, 'webhooks.write');
  const enabled = webhook.status === 'ENABLED';
  return (
    <>
      <PageHeader
        title="Webhook"
        description={
          <>
            <span className="break-all font-mono">{webhook.url}</span>{' '}
            <Link className="underline" href={paths.webhooks(orgSlug)}>
              All webhooks
            </Link>
          </>
        }
        actions={
          canWrite ? (
            <>
              {enabled ? (
                <ActionButton
                  action={sendTestEventAction}
                  fields={{ orgSlug, id: webhook.id }}
                  label="Send test event"
                  pendingLabel="Sending…"
                />
              ) : null}
              <ActionButton
                action={setWebhookStatusAction}
                fields={{ orgSlug, id: webhook.id, status: enabled ? 'DISABLED' : 'ENABLED' }}
                label={enabled ? 'Disable' : 'Enable'}
                confirm={
                  enabled
                    ? {
                        title: `Disable the webhook to ${webhook.url}?`,
                        body: (
                          <p>
                            No events are sent to it until it is enabled again; events meanwhile are not sent later.
                          </p>
                        ),
                        confirmLabel: 'Disable',
                      }
                    : undefined
                }
              />
              <ActionButton
                action={deleteWebhookAction}
                fields={{ orgSlug, id: webhook.id }}
                label="Delete"
                variant="danger"
                confirm={{
                  title: `Delete the webhook to ${webhook.url}?`,
                  body: <p>Its delivery log goes with it. This cannot be undone.</p>,
                  confirmLabel: 'Delete',
                }}
              />
            </>
          ) : null
        }
      />
      {!enabled && webhook.disabledReason ? (
        <div className="mb-4">
          <Alert>{webhook.disabledReason}</Alert>
        </div>
      ) : null}
      <Card className="mb-6">
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm">
          <dt className="text-gray-600">Status</dt>
          <dd>
            <WebhookStatusBadge status={webhook.status} />
          </dd>
          <dt className="text-gray-600">Id</dt>
          <dd className="font-mono text-xs">{webhook.id}</dd>
          {webhook.description ? (
            <>
              <dt className="text-gray-600">Description</dt>
              <dd>{webhook.description}</dd>
            </>
          ) : null}
          <dt className="text-gray-600">Failed in a row</dt>
          <dd className="tabular-nums">{webhook.consecutiveFailures}</dd>
          <dt className="text-gray-600">Events</dt>
          <dd>
            <ul className="space-y-0.5">
              {webhook.eventTypes.map((t) => (
                <li key={t}>
                  {EVENT_LABEL[t]} <code className="text-xs text-gray-500">{t}</code>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      </Card>
      <h2 className="mb-3 text-sm font-semibold">Deliveries</h2>
      {deliveries.length === 0 ? (
        <p className="text-sm text-gray-600">Nothing delivered yet.</p>
      ) : (
        <Table
          caption="Deliveries"
          columns={['Event', 'Status', 'Attempts', 'Response', 'Latency', 'Last attempt', ...(canWrite ? [''] : [])]}
        >
          {deliveries.map((d) => (
            <tr key={d.id}>
              <Td>
                <code className="text-xs">{d.eventType}</code>
                <p className="font-mono text-xs text-gray-500">{d.eventId}</p>
                {d.manual ? <p className="text-xs text-gray-500">redelivered by hand</p> : null}
              </Td>
              <Td>
                <DeliveryStatusBadge status={d.status} />
                {d.error ? <p className="max-w-xs text-xs text-red-700">{d.error}</p> : null}
              </Td>
              <Td className="tabular-nums">{d.attempts}</Td>
              <Td className="tabular-nums">{d.responseStatus ?? '—'}</Td>
              <Td className="tabular-nums">{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</Td>
              <Td className="tabular-nums text-xs">{d.lastAttemptAt?.replace('T', ' ').slice(0, 19) ?? '—'}</Td>
              {canWrite ? (
                <Td>
                  {enabled ? (
                    <ActionButton
                      action={redeliverAction}
                      fields={{ orgSlug, webhookId: webhook.id, deliveryId: d.id }}
                      label="Redeliver"
                    />
                  ) : null}
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
