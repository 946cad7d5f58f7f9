import type { Metadata } from 'next';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { requireMember } from '@/lib/auth/session';
import { getOrganizationSettings } from '@/lib/organizations/queries';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: PageProps<'/orgs/[orgSlug]/settings'>) {
  const { orgSlug } = await params;
  const { ctx } = await requireMember(orgSlug, 'organization.read');
  const settings = await getOrganizationSettings(ctx);
  return (
    <>
      <PageHeader title="Settings" description="Organization details and the scope catalog." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Organization</h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-gray-600">Name</dt>
            <dd>{settings.name}</dd>
            <dt className="text-gray-600">Slug</dt>
            <dd className="font-mono">{settings.slug}</dd>
            <dt className="text-gray-600">Maximum credential lifetime</dt>
            <dd>{settings.maxCredentialLifetimeDays} days</dd>
            <dt className="text-gray-600">Created</dt>
            <dd className="tabular-nums">{settings.createdAt.slice(0, 10)}</dd>
          </dl>
        </Card>
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Scope catalog</h2>
          <ul className="space-y-1.5 text-sm">
            {settings.scopes.map((s) => (
              <li key={s.name} className="flex items-center gap-2">
                <span className="font-mono">{s.name}</span>
                {s.isManagement ? <Badge tone="yellow">management</Badge> : null}
                <span className="text-gray-500">{s.description}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
