import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { getOrganizationSettings } from '@/lib/organizations/queries';
import { listProjects } from '@/lib/projects/queries';
import { paths } from '@/lib/paths';
import { OrganizationForm } from './organization-form';
import { listScopes } from '@/lib/scopes/manage-scopes';
import {
  deleteEnvironmentAction,
  deleteProjectAction,
  deleteScopeAction,
  renameEnvironmentAction,
  renameProjectAction,
  renameScopeAction,
  retireScopeAction,
} from './actions';
import { AddEnvironmentForm, CreateProjectForm, CreateScopeForm, DeleteButton, RenameForm } from './project-forms';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: PageProps<'/orgs/[orgSlug]/settings'>) {
  const { orgSlug } = await params;
  const { ctx, role } = await requireMember(orgSlug, 'organization.read');
  const [settings, projects, scopes] = await Promise.all([
    getOrganizationSettings(ctx),
    listProjects(ctx),
    listScopes(ctx),
  ]);
  const canWrite = can(role, 'organization.write');
  return (
    <>
      <PageHeader
        title="Settings"
        description="Organization details, projects and the scope catalog."
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
          {canWrite ? (
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
                      <DeleteButton
                        orgSlug={settings.slug}
                        hidden={{ projectId: p.id }}
                        label={`project ${p.name}`}
                        action={deleteProjectAction}
                        spec={{
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
                          <DeleteButton
                            orgSlug={settings.slug}
                            hidden={{ projectId: p.id, environmentId: e.id }}
                            label={`environment ${e.name} of ${p.name}`}
                            action={deleteEnvironmentAction}
                            spec={{
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
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Scope catalog</h2>
          <p className="mb-3 text-xs text-gray-500">
            Renaming a scope changes what future tokens carry. A retired scope is granted to nobody new and put into no
            token; the accounts that hold it keep it, so restoring it brings it back.
          </p>
          <ul className="space-y-1.5 text-sm" aria-label="Scopes">
            {scopes.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5" aria-label={`Scope ${s.name}`}>
                <span className="break-all font-mono">{s.name}</span>
                {s.isManagement ? <Badge tone="yellow">management</Badge> : null}
                {s.retiredAt ? <Badge>retired</Badge> : null}
                <span className="text-gray-500">{s.description}</span>
                <span className="text-xs text-gray-500">
                  {s.accounts} account{s.accounts === 1 ? '' : 's'}
                </span>
                {canWrite && !s.isManagement ? (
                  <div className="ml-auto flex flex-wrap items-center gap-1">
                    <RenameForm
                      orgSlug={settings.slug}
                      hidden={{ scopeId: s.id }}
                      label={`scope ${s.name}`}
                      current={s.name}
                      action={renameScopeAction}
                      hint="Future tokens carry the new name: resource servers that check the old one must change too."
                    />
                    <DeleteButton
                      orgSlug={settings.slug}
                      hidden={{ scopeId: s.id, retired: s.retiredAt ? 'false' : 'true' }}
                      label={`scope ${s.name}`}
                      verb={s.retiredAt ? 'Restore' : 'Retire'}
                      action={retireScopeAction}
                      spec={
                        s.retiredAt
                          ? {
                              title: `Restore scope ${s.name}?`,
                              body: <p>The {s.accounts} account(s) that hold it get it in their tokens again.</p>,
                              confirmLabel: 'Restore',
                              tone: 'primary',
                            }
                          : {
                              title: `Retire scope ${s.name}?`,
                              body: (
                                <p>
                                  From the next request on, no token carries it and introspection no longer counts it;
                                  nobody new can be granted it. The {s.accounts} account(s) that hold it keep it, so you
                                  can restore it.
                                </p>
                              ),
                              confirmLabel: 'Retire',
                            }
                      }
                    />
                    {s.accounts === 0 ? (
                      <DeleteButton
                        orgSlug={settings.slug}
                        hidden={{ scopeId: s.id }}
                        label={`scope ${s.name}`}
                        action={deleteScopeAction}
                        spec={{
                          title: `Delete scope ${s.name}?`,
                          body: <p>No account holds it. This cannot be undone.</p>,
                          confirmLabel: 'Delete scope',
                        }}
                      />
                    ) : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
          {canWrite ? <CreateScopeForm orgSlug={settings.slug} /> : null}
        </Card>
      </div>
    </>
  );
}
