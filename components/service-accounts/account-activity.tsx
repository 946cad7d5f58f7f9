import { TokenActivityChart } from '@/components/audit/token-activity-chart';
import { formatDateTime } from '@/components/credentials/format';
import { Table, Td } from '@/components/ui/table';
import type { AccountActivity } from '@/lib/service-accounts/activity';

/** AccountActivitySection is the account's token chart (last 3 days) and its latest refusals. */
export function AccountActivitySection({ activity }: { activity: AccountActivity }) {
  return (
    <section id="activity" aria-labelledby="activity-heading" className="scroll-mt-4 space-y-3">
      <h2 id="activity-heading" className="text-lg font-semibold">
        Activity
      </h2>
      <TokenActivityChart data={activity.chart} />
      <h3 className="text-base font-semibold">Recent refusals</h3>
      {activity.refusals.length === 0 ? (
        <p className="text-sm text-gray-500">No refused token requests in the last 30 days.</p>
      ) : (
        <Table caption="Recent refusals" columns={['Time', 'Credential', 'Reason', 'Address', 'Endpoint']}>
          {activity.refusals.map((r, i) => (
            <tr key={`${r.occurredAt}-${i}`}>
              <Td>{formatDateTime(r.occurredAt)}</Td>
              <Td>
                <code className="text-xs">{r.clientId ?? '—'}</code>
              </Td>
              <Td>
                <code className="text-xs">{r.reason ?? r.error ?? '—'}</code>
              </Td>
              <Td>{r.ip ?? '—'}</Td>
              <Td>{r.endpoint ?? '—'}</Td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
