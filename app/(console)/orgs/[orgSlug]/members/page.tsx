import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Table, Td } from '@/components/ui/table';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { requireMember } from '@/lib/auth/session';
import { listMembers } from '@/lib/organizations/queries';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: PageProps<'/orgs/[orgSlug]/members'>) {
  const { orgSlug } = await params;
  // Owners manage members and auditors may review them; for admins this page does not exist.
  const { ctx } = await requireMember(orgSlug, 'members.read');
  const members = await listMembers(ctx);
  return (
    <>
      <PageHeader title="Members" description="People with a console login in this organization." />
      <Table caption="Members" columns={['Name', 'Email', 'Role', 'Member since']}>
        {members.map((m) => (
          <tr key={m.userId}>
            <Td>{m.name}</Td>
            <Td>{m.email}</Td>
            <Td>
              <Badge tone={m.role === 'OWNER' ? 'blue' : 'gray'}>{ROLE_LABELS[m.role]}</Badge>
            </Td>
            <Td className="tabular-nums">{m.since.slice(0, 10)}</Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
