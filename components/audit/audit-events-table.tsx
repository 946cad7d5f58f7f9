import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td } from '@/components/ui/table';
import type { AuditEventDto } from '@/lib/audit/dto';

const ACTOR_TYPES: Record<AuditEventDto['actor_type'], string> = {
  MEMBER: 'Member',
  SERVICE_ACCOUNT: 'Service account',
  SYSTEM: 'System',
};

/** AuditEventsTable lists events; details are non-secret JSON, shown collapsed. */
export function AuditEventsTable({ events }: { events: AuditEventDto[] }) {
  if (events.length === 0) return <EmptyState title="No matching events">Change or clear the filters.</EmptyState>;
  return (
    <Table
      caption="Audit events"
      columns={['#', 'Time (UTC)', 'Actor', 'Action', 'Target', 'Outcome', 'IP', 'Details']}
    >
      {events.map((e) => (
        <tr key={e.id}>
          <Td className="tabular-nums text-gray-500">{e.seq}</Td>
          <Td className="whitespace-nowrap tabular-nums">{e.occurred_at.replace('T', ' ').slice(0, 19)}</Td>
          <Td>
            <span className="block">{e.actor_label}</span>
            <span className="block text-xs text-gray-500">{ACTOR_TYPES[e.actor_type]}</span>
          </Td>
          <Td className="font-mono text-xs">{e.action}</Td>
          <Td className="font-mono text-xs">{e.target_id ?? '—'}</Td>
          <Td>
            <Badge tone={e.outcome === 'SUCCESS' ? 'green' : 'red'}>
              {e.outcome === 'SUCCESS' ? 'Success' : 'Failure'}
            </Badge>
          </Td>
          <Td className="font-mono text-xs">{e.ip ?? '—'}</Td>
          <Td>
            {Object.keys(e.details).length > 0 ? (
              <details>
                <summary className="cursor-pointer text-xs text-brand-700">Show</summary>
                {/* A width of its own: inside an auto-sized table a wrapping block shrinks to one character per line. */}
                <pre className="mt-1 max-h-80 w-[28rem] max-w-[80vw] overflow-auto whitespace-pre text-xs text-gray-700">
                  {JSON.stringify(e.details, null, 2)}
                </pre>
              </details>
            ) : (
              '—'
            )}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
