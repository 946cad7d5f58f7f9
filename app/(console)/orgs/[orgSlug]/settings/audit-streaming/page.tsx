import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateAuditSinkForm } from '@/components/audit-stream/create-audit-sink-form';
import { ActionButton } from '@/components/ui/action-button';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { listAuditSinks, type AuditSinkDto } from '@/lib/audit-stream/manage';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { paths } from '@/lib/paths';
import { createAuditSinkAction, deleteAuditSinkAction, setAuditSinkStatusAction, testAuditSinkAction } from './actions';

export const metadata: Metadata = { title: 'Audit streaming' };

function destination(sink: AuditSinkDto): string {
  const c = sink.config as { url?: string; host?: string; port?: number; tls?: boolean };
  if (sink.kind === 'OTLP_HTTP') return c.url ?? 'OTLP/HTTP (set by the operator)';
  if (sink.kind === 'SYSLOG_TCP')
    return c.host ? `${c.tls ? 'syslog+tls' : 'syslog'}://${c.host}:${c.port}` : 'Syslog (set by the operator)';
  return 'NDJSON file (set by the operator)';
}

export default async function AuditStreamingPage({ params }: PageProps<'/orgs/[orgSlug]/settings/audit-streaming'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'audit_sinks.read');
  const { data: sinks } = await listAuditSinks(ctx);
  const canWrite = can(role, 'audit_sinks.write');
  return (
    <>
      <PageHeader
        title="Audit streaming"
        description={
          <>
            The audit log streamed to your SIEM in chain order, at least once, with signed checkpoints that{' '}
            <code>npm run cli -- audit verify-stream</code> checks offline.{' '}
            <Link className="underline" href={paths.settings(orgSlug)}>
              Back to settings
            </Link>
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className={canWrite ? '' : 'lg:col-span-2'}>
          {sinks.length === 0 ? (
            <Card>
              <p className="text-sm text-gray-600">No audit sinks yet.</p>
            </Card>
          ) : (
            <Table caption="Audit sinks" columns={['Sink', 'Lag', 'Status', '']}>
              {sinks.map((s) => (
                <tr key={s.id}>
                  <Td>
                    <p className="font-medium">{s.name || s.kind}</p>
                    <p className="break-all font-mono text-xs text-gray-600">{destination(s)}</p>
                    <p className="text-xs text-gray-500">
                      Acknowledged up to seq {s.last_acked_seq}
                      {s.last_delivered_at ? `, last delivery ${s.last_delivered_at}` : ''}
                    </p>
                    {s.last_error ? (
                      <p className="text-xs text-red-700">
                        Last error: {s.last_error} ({s.last_error_at})
                      </p>
                    ) : null}
                  </Td>
                  <Td className="tabular-nums" aria-label="Lag">
                    {s.lag} events
                  </Td>
                  <Td>
                    <Badge tone={s.status === 'ACTIVE' ? 'green' : 'gray'}>
                      {s.status === 'ACTIVE' ? 'Active' : 'Paused'}
                    </Badge>
                    {s.instance_wide ? <p className="text-xs text-gray-500">Set by the operator</p> : null}
                  </Td>
                  <Td>
                    {canWrite && !s.instance_wide ? (
                      <div className="flex flex-wrap gap-2">
                        <ActionButton
                          action={testAuditSinkAction}
                          fields={{ orgSlug, id: s.id }}
                          label="Test"
                          pendingLabel="Testing…"
                        />
                        <ActionButton
                          action={setAuditSinkStatusAction}
                          fields={{ orgSlug, id: s.id, status: s.status === 'ACTIVE' ? 'PAUSED' : 'ACTIVE' }}
                          label={s.status === 'ACTIVE' ? 'Pause' : 'Resume'}
                        />
                        <ActionButton
                          action={deleteAuditSinkAction}
                          fields={{ orgSlug, id: s.id }}
                          label="Delete"
                          variant="danger"
                          confirm={{
                            title: `Delete the audit sink ${s.name || destination(s)}?`,
                            body: <p>Nothing more is streamed to it. This cannot be undone.</p>,
                            confirmLabel: 'Delete',
                          }}
                        />
                      </div>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </Table>
          )}
        </div>
        {canWrite ? (
          <Card>
            <h2 className="mb-3 text-sm font-semibold">Add an audit sink</h2>
            <CreateAuditSinkForm orgSlug={orgSlug} action={createAuditSinkAction} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
