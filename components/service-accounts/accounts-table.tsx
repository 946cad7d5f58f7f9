import Link from 'next/link';
import { formatDate } from '@/components/credentials/format';
import { Badge } from '@/components/ui/badge';
import { Table, Td } from '@/components/ui/table';
import { paths } from '@/lib/paths';
import type { ServiceAccountListItemDto } from '@/lib/service-accounts/schema';
import { AccountStatusBadge } from './account-status-badge';

/** AccountsTable lists service accounts with their state and an expiry warning badge. */
export function AccountsTable({ orgSlug, items }: { orgSlug: string; items: ServiceAccountListItemDto[] }) {
  return (
    <Table
      caption="Service accounts"
      columns={['Name', 'Platform', 'Status', 'Scopes', 'Credentials', 'Created', 'Last used']}
    >
      {items.map((a) => (
        <tr key={a.id}>
          <Td>
            <Link href={paths.serviceAccount(orgSlug, a.id)} className="font-medium text-brand-700 hover:underline">
              {a.name}
            </Link>
            {a.isAdmin ? (
              <span className="ml-2">
                <Badge tone="blue">Admin</Badge>
              </span>
            ) : null}
            {a.description ? (
              <span className="block max-w-sm truncate text-xs text-gray-500">{a.description}</span>
            ) : null}
          </Td>
          <Td>{a.platform}</Td>
          <Td>
            <AccountStatusBadge status={a.status} />
          </Td>
          <Td>{a.scopes.length}</Td>
          <Td>
            {a.credentialCount}
            {a.expiringCredentials > 0 ? (
              <span className="ml-2" title="Credentials expiring within 14 days">
                <Badge tone="yellow">{a.expiringCredentials} expiring soon</Badge>
              </span>
            ) : null}
          </Td>
          <Td>{formatDate(a.createdAt)}</Td>
          <Td>{formatDate(a.lastUsedAt)}</Td>
        </tr>
      ))}
    </Table>
  );
}
