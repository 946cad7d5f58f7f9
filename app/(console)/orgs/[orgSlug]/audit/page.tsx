import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td } from '@/components/ui/table';
import { listRecentAuditEvents } from '@/lib/audit/queries';
import { requireMember } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({ params }: PageProps<'/orgs/[orgSlug]/audit'>) {
  const { orgSlug } = await params;
  const { ctx } = await requireMember(orgSlug, 'audit.read');
  const events = await listRecentAuditEvents(ctx, 100);
  return (
    <>
      <PageHeader title="Audit log" description="Every change, sign-in and token decision in this organization, newest first." />
      {events.length === 0 ? (
        <EmptyState title="No events yet" />
      ) : (
        <Table caption="Audit events" columns={['#', 'Time (UTC)', 'Actor', 'Action', 'Target', 'Outcome', 'IP']}>
          {events.map((e) => (
            <tr key={e.id}>
              <Td className="tabular-nums text-gray-500">{e.seq}</Td>
              <Td className="whitespace-nowrap tabular-nums">{e.occurredAt.replace('T', ' ').slice(0, 19)}</Td>
              <Td>{e.actorLabel}</Td>
              <Td className="font-mono text-xs">{e.action}</Td>
              <Td className="font-mono text-xs">{e.targetId ?? '—'}</Td>
              <Td>
                <Badge tone={e.outcome === 'SUCCESS' ? 'green' : 'red'}>{e.outcome === 'SUCCESS' ? 'Success' : 'Failure'}</Badge>
              </Td>
              <Td className="font-mono text-xs">{e.ip ?? '—'}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
