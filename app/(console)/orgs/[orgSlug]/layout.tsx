import Link from 'next/link';
import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/layout/console-shell';
import { NavLinks, type NavItem } from '@/components/layout/nav-links';
import { OrgSwitcher } from '@/components/layout/org-switcher';
import { SignOutButton } from '@/components/layout/sign-out-button';
import { Badge } from '@/components/ui/badge';
import { membershipsOf } from '@/lib/auth/members';
import { can } from '@/lib/auth/permissions';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { requireMember } from '@/lib/auth/session';
import { paths } from '@/lib/paths';

export default async function ConsoleLayout({ children, params }: LayoutProps<'/orgs/[orgSlug]'>) {
  const { orgSlug } = await params;
  // The shell renders for a member who still has to turn on a required second factor: its pages
  // (all but Your account) redirect them there themselves.
  const { user, org, role } = await requireMember(orgSlug, 'organization.read', { allowWithoutTwoFactor: true });
  const orgs = await membershipsOf(user.id);
  const nav: NavItem[] = [
    { href: paths.org(org.slug), label: 'Overview', exact: true },
    { href: paths.serviceAccounts(org.slug), label: 'Service accounts' },
    { href: paths.oemCredentials(org.slug), label: 'OEM credentials' },
    { href: paths.vehicles(org.slug), label: 'Vehicles' },
    { href: paths.audit(org.slug), label: 'Audit log' },
    ...(can(role, 'members.read') ? [{ href: paths.members(org.slug), label: 'Members' }] : []),
    { href: paths.settings(org.slug), label: 'Settings' },
  ];
  const sidebar = (
    <>
      <p className="hidden px-3 pb-4 text-lg font-bold tracking-tight text-brand-700 md:block">Latchkey</p>
      <OrgSwitcher current={org} orgs={orgs} />
      <nav aria-label="Console" className="mt-4 flex-1">
        <NavLinks items={nav} />
      </nav>
      <div className="border-t border-gray-200 pt-3">
        <Link
          href={paths.account(org.slug)}
          className="block truncate px-3 text-sm font-medium hover:underline"
          title={user.email}
        >
          {user.name}
        </Link>
        <p className="truncate px-3 pb-2 text-xs text-gray-500">
          {user.email} · <Badge tone="blue">{ROLE_LABELS[role]}</Badge>
        </p>
        <SignOutButton />
      </div>
    </>
  );
  return <ConsoleShell sidebar={sidebar}>{children}</ConsoleShell>;
}
