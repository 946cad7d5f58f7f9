import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td } from '@/components/ui/table';
import Link from 'next/link';
import type { AuditEventDto } from '@/lib/audit/dto';
import type { AuditReference } from '@/lib/audit/reference-names';
import { referenceKey } from '@/lib/audit/reference-key';
import { paths } from '@/lib/paths';

const ACTOR_TYPES: Record<AuditEventDto['actor_type'], string> = {
  MEMBER: 'Member',
  SERVICE_ACCOUNT: 'Service account',
  SYSTEM: 'System',
};

/** Where the console shows a referenced object, or null when it has no page. */
function referenceHref(orgSlug: string, ref: AuditReference, id: string): string | null {
  switch (ref.kind) {
    case 'service_account':
    case 'client_token_pair':
    case 'federated_credential':
      return ref.accountId ? paths.serviceAccount(orgSlug, ref.accountId) : null;
    case 'client_secret':
      return ref.accountId ? paths.serviceAccountSecrets(orgSlug, ref.accountId) : null;
    case 'key_pair':
      return ref.accountId ? paths.serviceAccountKeys(orgSlug, ref.accountId) : null;
    case 'oem_credential':
      return paths.oemCredential(orgSlug, id);
    case 'vehicle':
      return paths.vehicles(orgSlug);
    case 'webhook':
      return paths.webhook(orgSlug, id);
    case 'user':
      return paths.members(orgSlug);
    case 'organization':
    case 'project':
    case 'scope':
    case 'role':
      return paths.settings(orgSlug);
    default:
      return null;
  }
}

/** Reference shows an object by its name, linked to its page, with the type and id below. */
function Reference({
  orgSlug,
  reference,
  fallback,
  type,
  id,
  showId = true,
}: {
  orgSlug: string;
  reference: AuditReference | undefined;
  fallback: string;
  type: string | null;
  id: string | null;
  showId?: boolean;
}) {
  const href = reference && id ? referenceHref(orgSlug, reference, id) : null;
  const name = reference?.name ?? fallback;
  return (
    <>
      <span className="block break-words">
        {href ? (
          <Link href={href} className="text-brand-700 hover:underline">
            {name}
          </Link>
        ) : (
          name
        )}
      </span>
      {showId ? (
        <span className="block font-mono text-xs break-all text-gray-500">{[type, id].filter(Boolean).join(' ')}</span>
      ) : (
        <span className="block text-xs text-gray-500">{type}</span>
      )}
    </>
  );
}

/**
 * AuditEventsTable lists events; actors and targets by today's name with a link (`names`, from
 * lib/audit/reference-names.ts), details as non-secret JSON, shown collapsed.
 */
export function AuditEventsTable({
  events,
  orgSlug,
  names,
}: {
  events: AuditEventDto[];
  orgSlug: string;
  names: ReadonlyMap<string, AuditReference>;
}) {
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
            <Reference
              orgSlug={orgSlug}
              reference={
                e.actor_id
                  ? names.get(referenceKey(e.actor_type === 'MEMBER' ? 'user' : 'service_account', e.actor_id))
                  : undefined
              }
              fallback={e.actor_label}
              type={ACTOR_TYPES[e.actor_type]}
              id={e.actor_id}
              showId={false}
            />
          </Td>
          <Td className="font-mono text-xs">{e.action}</Td>
          <Td>
            {e.target_id ? (
              <Reference
                orgSlug={orgSlug}
                reference={e.target_type ? names.get(referenceKey(e.target_type, e.target_id)) : undefined}
                fallback={e.target_id}
                type={e.target_type}
                id={e.target_id}
              />
            ) : (
              '—'
            )}
          </Td>
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
