import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { requireMember } from '@/lib/auth/session';
import { listMembers } from '@/lib/members/manage-members';
import { AddMemberForm, MemberRowActions } from './member-forms';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: PageProps<'/orgs/[orgSlug]/members'>) {
  const { orgSlug } = await params;
  // Owners manage members and auditors may review them; for admins this page does not exist.
  const { ctx, role } = await requireMember(orgSlug, 'members.read');
  const members = await listMembers(ctx);
  const canWrite = can(role, 'members.write');
  return (
    <>
      <PageHeader title="Members" description="People with a console login in this organization." />
      <Table
        caption="Members"
        columns={['Name', 'Email', 'Role', 'Two-factor', 'Member since', ...(canWrite ? ['Manage'] : [])]}
      >
        {members.map((m) => (
          <tr key={m.userId}>
            <Td>
              {m.name}
              {ctx.actor.type === 'MEMBER' && ctx.actor.id === m.userId ? (
                <span className="ml-1 text-gray-500">(you)</span>
              ) : null}
            </Td>
            <Td>{m.email}</Td>
            <Td>
              <Badge tone={m.role === 'OWNER' ? 'blue' : 'gray'}>{ROLE_LABELS[m.role]}</Badge>
            </Td>
            <Td>{m.twoFactor ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}</Td>
            <Td className="tabular-nums">{m.since.slice(0, 10)}</Td>
            {canWrite ? (
              <Td>
                <MemberRowActions
                  orgSlug={ctx.orgSlug}
                  userId={m.userId}
                  email={m.email}
                  role={m.role}
                  twoFactor={m.twoFactor}
                  resettable={!(ctx.actor.type === 'MEMBER' && ctx.actor.id === m.userId)}
                />
              </Td>
            ) : null}
          </tr>
        ))}
      </Table>
      {canWrite ? (
        <Card className="mt-6 max-w-3xl">
          <h2 className="mb-3 text-sm font-semibold">Add a member</h2>
          <AddMemberForm orgSlug={ctx.orgSlug} />
        </Card>
      ) : null}
    </>
  );
}
