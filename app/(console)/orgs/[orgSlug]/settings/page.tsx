import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/layout/page-header';
import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { getOrganizationSettings } from '@/lib/organizations/queries';
import { listProjects } from '@/lib/projects/queries';
import { paths } from '@/lib/paths';
import { OrganizationForm } from './organization-form';
import { listRoles } from '@/lib/roles/manage-roles';
import { listScopes } from '@/lib/scopes/manage-scopes';
import { deleteEnvironmentAction, deleteProjectAction, renameEnvironmentAction, renameProjectAction } from './actions';
import { RoleCatalog, ScopeCatalog } from './catalog';
import { AddEnvironmentForm, CreateProjectForm } from './project-forms';
import { RenameForm } from './rename-form';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: PageProps<'/orgs/[orgSlug]/settings'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'organization.read');
  const [settings, projects, scopes, roles] = await Promise.all([
    getOrganizationSettings(ctx),
    listProjects(ctx),
    listScopes(ctx),
    listRoles(ctx),
  ]);
  const canWrite = can(role, 'catalog.write');
  return (
    <>
      <PageHeader
        title="Settings"
        description="Organization details, projects, the scope catalog and roles."
        actions={
          <>
            {can(role, 'webhooks.read') ? (
              <Link className="text-sm font-medium text-brand-700 underline" href={paths.webhooks(orgSlug)}>
                Webhooks
              </Link>
            ) : null}
            {can(role, 'audit_sinks.read') ? (
              <Link className="text-sm font-medium text-brand-700 underline" href={paths.auditStreaming(orgSlug)}>
                Audit streaming
              </Link>
            ) : null}
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Organization</h2>
          {can(role, 'organization.write') ? (
            <div className="mb-4">
              <OrganizationForm
                orgSlug={settings.slug}
                name={settings.name}
                maxCredentialLifetimeDays={settings.maxCredentialLifetimeDays}
                requireTwoFactor={settings.requireTwoFactor}
                canSetTwoFactor={can(role, 'members.write')}
              />
            </div>
          ) : null}
          <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm [&_dd]:break-words">
            <dt className="text-gray-600">Name</dt>
            <dd>{settings.name}</dd>
            <dt className="text-gray-600">Slug</dt>
            <dd className="break-all font-mono">{settings.slug}</dd>
            <dt className="text-gray-600">Maximum credential lifetime</dt>
            <dd>{settings.maxCredentialLifetimeDays} days</dd>
            <dt className="text-gray-600">Two-factor for members</dt>
            <dd>{settings.requireTwoFactor ? 'Required' : 'Optional'}</dd>
            <dt className="text-gray-600">Created</dt>
            <dd className="tabular-nums">{settings.createdAt.slice(0, 10)}</dd>
          </dl>
        </Card>
        <Card className="lg:row-span-2">
          <h2 className="mb-3 text-sm font-semibold">Projects and environments</h2>
          <p className="mb-4 text-xs text-gray-500">
            Tokens can be narrowed to one project and environment; project roles bind to one project.
          </p>
          {projects.length === 0 ? <p className="mb-4 text-sm text-gray-600">No projects yet.</p> : null}
          <ul className="mb-6 space-y-4" aria-label="Projects">
            {projects.map((p) => (
              <li key={p.id} className="rounded-md p-3 ring-1 ring-gray-200" aria-label={`Project ${p.name}`}>
                <div className="flex flex-wrap items-center gap-x-2">
                  <p className="text-sm font-medium">{p.name}</p>
                  {canWrite ? (
                    <div className="ml-auto flex flex-wrap items-center gap-1">
                      <RenameForm
                        orgSlug={settings.slug}
                        hidden={{ projectId: p.id }}
                        label={`project ${p.name}`}
                        current={p.name}
                        action={renameProjectAction}
                        hint="Tokens name the project by id: a rename changes nothing for them."
                      />
                      <ActionButton
                        variant="ghost"
                        action={deleteProjectAction}
                        fields={{ orgSlug: settings.slug, projectId: p.id }}
                        label="Delete"
                        ariaLabel={`Delete project ${p.name}`}
                        confirm={{
                          title: `Delete project ${p.name}?`,
                          body: (
                            <p>
                              Its {p.environments.length} environment(s), the role bindings to it and the refresh tokens
                              narrowed to it are deleted; access tokens narrowed to it stop working at once. This cannot
                              be undone.
                            </p>
                          ),
                          confirmLabel: 'Delete project',
                        }}
                      />
                    </div>
                  ) : null}
                </div>
                {p.description ? <p className="text-xs text-gray-500">{p.description}</p> : null}
                <ul className="mt-2 space-y-1" aria-label={`Environments of ${p.name}`}>
                  {p.environments.map((e) => (
                    <li key={e.id} className="flex flex-wrap items-center gap-1">
                      <Badge>{e.name}</Badge>
                      {canWrite ? (
                        <div className="ml-auto flex flex-wrap items-center gap-1">
                          <RenameForm
                            orgSlug={settings.slug}
                            hidden={{ projectId: p.id, environmentId: e.id }}
                            label={`environment ${e.name} of ${p.name}`}
                            current={e.name}
                            action={renameEnvironmentAction}
                          />
                          <ActionButton
                            variant="ghost"
                            action={deleteEnvironmentAction}
                            fields={{ orgSlug: settings.slug, projectId: p.id, environmentId: e.id }}
                            label="Delete"
                            ariaLabel={`Delete environment ${e.name} of ${p.name}`}
                            confirm={{
                              title: `Delete environment ${e.name} of ${p.name}?`,
                              body: (
                                <p>
                                  Refresh tokens narrowed to it are deleted and access tokens narrowed to it stop
                                  working at once. This cannot be undone.
                                </p>
                              ),
                              confirmLabel: 'Delete environment',
                            }}
                          />
                        </div>
                      ) : null}
                    </li>
                  ))}
                </ul>
                {canWrite ? <AddEnvironmentForm orgSlug={settings.slug} projectId={p.id} projectName={p.name} /> : null}
              </li>
            ))}
          </ul>
          {canWrite ? <CreateProjectForm orgSlug={settings.slug} /> : null}
        </Card>
        <ScopeCatalog orgSlug={settings.slug} scopes={scopes} canWrite={canWrite} />
        <RoleCatalog orgSlug={settings.slug} roles={roles} canWrite={canWrite} />
      </div>
    </>
  );
}
