'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import type { FormAction } from '@/components/credentials/types';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { PERMISSION_HELP, PermissionsHelpLink } from './permission-help';
import { isValidCidr } from '@/lib/net/cidr';
import { paths } from '@/lib/paths';
import type { ServiceAccountDto } from '@/lib/service-accounts/schema';
import { PLATFORMS } from '@/lib/service-accounts/schema';

export type AccountCatalogProps = {
  scopes: Array<{ name: string; description: string; isManagement: boolean; retired?: boolean }>;
  roles: Array<{ id: string; name: string; description: string; kind: 'ORGANIZATION' | 'PROJECT'; retired?: boolean }>;
  projects: Array<{ id: string; name: string }>;
};

const PLATFORM_LABELS: Record<(typeof PLATFORMS)[number], string> = {
  SERVER: 'Server (backend, CI)',
  WEB: 'Web app',
  ANDROID: 'Android app',
  IOS: 'iOS app',
  DESKTOP: 'Desktop app',
};

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <p id={id} aria-live="polite" className="min-h-4 text-xs text-red-600">
      {errors?.join(' ')}
    </p>
  );
}

/**
 * AccountForm creates or edits a service account. It posts the same fields the API takes
 * (reshaped from checkboxes and a textarea by the shared schema) and keeps what was typed when
 * the server answers with field errors.
 */
export function AccountForm({
  orgSlug,
  catalog,
  account,
  action,
}: {
  orgSlug: string;
  catalog: AccountCatalogProps;
  account?: ServiceAccountDto;
  action: FormAction<{ id: string }>;
}) {
  const router = useRouter();
  const { state, onSubmit, pending, fieldErrors: errors } = useFormAction(action);
  const [isAdmin, setIsAdmin] = useState(account?.isAdmin ?? false);
  const [projectBindings, setProjectBindings] = useState<Array<{ roleId: string; projectId: string }>>(
    account?.roleBindings.filter((b) => b.projectId).map((b) => ({ roleId: b.roleId, projectId: b.projectId ?? '' })) ??
      [],
  );
  // A retired role binds nobody new: it is not offered for new project bindings.
  const projectRoles = catalog.roles.filter((r) => r.kind === 'PROJECT' && !r.retired);
  const [newRole, setNewRole] = useState(projectRoles[0]?.id ?? '');
  const [newProject, setNewProject] = useState(catalog.projects[0]?.id ?? '');
  const [cidrHint, setCidrHint] = useState<string | null>(null);

  useEffect(() => {
    if (state?.ok) router.push(paths.serviceAccount(orgSlug, state.data.id));
  }, [state, router, orgSlug]);

  const orgRoleIds = new Set(account?.roleBindings.filter((b) => !b.projectId).map((b) => b.roleId));
  const heldScopes = new Set(account?.scopes ?? []);
  const roleName = (id: string) => catalog.roles.find((r) => r.id === id)?.name ?? id;
  const projectName = (id: string) => catalog.projects.find((p) => p.id === id)?.name ?? id;

  function checkCidrs(text: string) {
    const bad = text
      .split(/[\s,]+/)
      .filter(Boolean)
      .filter((c) => !isValidCidr(c));
    setCidrHint(bad.length ? `Not an IP address or CIDR block: ${bad.join(', ')}` : null);
  }

  return (
    <form
      onSubmit={onSubmit}
      className="max-w-3xl space-y-6"
      noValidate
      aria-label={account ? 'Edit service account' : 'New service account'}
    >
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {account ? <input type="hidden" name="accountId" value={account.id} /> : null}
      {state && !state.ok ? <Alert>{state.fieldErrors ? 'Check the highlighted fields.' : state.message}</Alert> : null}

      <Field
        name="name"
        label="Name"
        required
        defaultValue={account?.name}
        errors={errors.name}
        hint="Unique in this organization, e.g. billing-backend."
      />
      <div className="space-y-1">
        <label htmlFor="field-description" className="block text-sm font-medium text-gray-900">
          Description
        </label>
        <textarea
          id="field-description"
          name="description"
          rows={2}
          defaultValue={account?.description}
          aria-describedby="field-description-error"
          className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-gray-300"
        />
        <ErrorText id="field-description-error" errors={errors.description} />
      </div>

      {account ? (
        <p className="text-sm">
          <span className="font-medium">Platform:</span> {PLATFORM_LABELS[account.platform]}{' '}
          <span className="text-gray-500">(cannot change)</span>
        </p>
      ) : (
        <div className="space-y-1">
          <label htmlFor="field-platform" className="block text-sm font-medium text-gray-900">
            Platform
          </label>
          <select
            id="field-platform"
            name="platform"
            defaultValue="SERVER"
            aria-describedby="field-platform-error"
            className="block rounded-md px-3 py-2 text-sm ring-1 ring-gray-300"
          >
            {PLATFORMS.map((p) => (
              <option key={p} value={p}>
                {PLATFORM_LABELS[p]}
              </option>
            ))}
          </select>
          <ErrorText id="field-platform-error" errors={errors.platform} />
        </div>
      )}

      <div className="flex items-start gap-2">
        <input
          id="field-isAdmin"
          type="checkbox"
          name="isAdmin"
          checked={isAdmin}
          onChange={(e) => setIsAdmin(e.target.checked)}
          className="mt-1"
        />
        <label htmlFor="field-isAdmin" className="text-sm">
          <span className="font-medium">Admin</span>
          <span className="block text-gray-600">{PERMISSION_HELP.isAdmin}</span>
        </label>
      </div>

      <fieldset className="space-y-2" aria-describedby="field-scopes-hint field-scopes-error">
        <legend className="text-sm font-medium text-gray-900">Scopes</legend>
        <p id="field-scopes-hint" className="text-xs text-gray-500">
          {PERMISSION_HELP.scopes} <PermissionsHelpLink />
        </p>
        <div className="grid gap-1 sm:grid-cols-2">
          {/* A retired scope is offered only to an account that holds it (so that saving keeps it). */}
          {catalog.scopes
            .filter((s) => !s.retired || heldScopes.has(s.name))
            .map((s) => (
              <label
                key={s.name}
                className={`flex items-start gap-2 text-sm ${s.isManagement && !isAdmin ? 'text-gray-400' : ''}`}
              >
                <input
                  type="checkbox"
                  name="scopes"
                  value={s.name}
                  defaultChecked={heldScopes.has(s.name)}
                  className="mt-1"
                />
                <span>
                  <code>{s.name}</code>
                  {s.isManagement ? <span className="text-xs"> (management, needs Admin)</span> : null}
                  {s.retired ? <span className="text-xs"> (retired: in no token until restored)</span> : null}
                  <span className="block text-xs text-gray-500">{s.description}</span>
                </span>
              </label>
            ))}
        </div>
        <ErrorText id="field-scopes-error" errors={errors.scopes} />
      </fieldset>

      <fieldset className="space-y-2" aria-describedby="field-roleBindings-hint field-roleBindings-error">
        <legend className="text-sm font-medium text-gray-900">Roles</legend>
        <p id="field-roleBindings-hint" className="text-xs text-gray-500">
          {PERMISSION_HELP.roles}
        </p>
        <div className="grid gap-1 sm:grid-cols-2">
          {/* A retired organization role is offered only to an account bound to it (saving keeps it). */}
          {catalog.roles
            .filter((r) => r.kind === 'ORGANIZATION' && (!r.retired || orgRoleIds.has(r.id)))
            .map((r) => (
              <label key={r.id} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="roleBindings"
                  value={r.id}
                  defaultChecked={orgRoleIds.has(r.id)}
                  className="mt-1"
                />
                <span>
                  <code>{r.name}</code> <span className="text-xs text-gray-500">(organization)</span>
                  {r.retired ? <span className="text-xs"> (retired: reaches no project until restored)</span> : null}
                  <span className="block text-xs text-gray-500">{r.description}</span>
                </span>
              </label>
            ))}
        </div>
        <div className="space-y-2 rounded-md bg-gray-50 p-3 ring-1 ring-gray-200">
          <p className="text-sm font-medium">Project roles</p>
          {projectBindings.length ? (
            <ul className="space-y-1 text-sm">
              {projectBindings.map((b) => (
                <li key={`${b.roleId}@${b.projectId}`} className="flex items-center gap-2">
                  <input type="hidden" name="roleBindings" value={`${b.roleId}@${b.projectId}`} />
                  <code>{roleName(b.roleId)}</code> on <span className="font-medium">{projectName(b.projectId)}</span>
                  {catalog.roles.find((r) => r.id === b.roleId)?.retired ? (
                    <span className="text-xs text-gray-500">(retired)</span>
                  ) : null}
                  <Button
                    variant="ghost"
                    className="px-2 py-0.5 text-xs"
                    onClick={() => setProjectBindings((all) => all.filter((x) => x !== b))}
                  >
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          ) : null}
          {catalog.projects.length === 0 ? (
            <p className="text-xs text-gray-500">
              This organization has no projects yet, so there is nothing to bind a project role to.
            </p>
          ) : (
            <div className="flex flex-wrap items-end gap-2">
              <label className="text-xs">
                <span className="block font-medium">Project role</span>
                <select
                  value={newRole}
                  onChange={(e) => setNewRole(e.target.value)}
                  className="rounded-md px-2 py-1 text-sm ring-1 ring-gray-300"
                >
                  {projectRoles.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-xs">
                <span className="block font-medium">Project</span>
                <select
                  value={newProject}
                  onChange={(e) => setNewProject(e.target.value)}
                  className="rounded-md px-2 py-1 text-sm ring-1 ring-gray-300"
                >
                  {catalog.projects.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
              <Button
                variant="secondary"
                className="px-2.5 py-1 text-xs"
                onClick={() => {
                  if (
                    newRole &&
                    newProject &&
                    !projectBindings.some((b) => b.roleId === newRole && b.projectId === newProject)
                  ) {
                    setProjectBindings((all) => [...all, { roleId: newRole, projectId: newProject }]);
                  }
                }}
              >
                Add project role
              </Button>
            </div>
          )}
        </div>
        <ErrorText id="field-roleBindings-error" errors={errors.roleBindings} />
      </fieldset>

      <Field
        name="tokenLifetimeSeconds"
        label="Access token lifetime (seconds)"
        type="number"
        min={60}
        max={86400}
        defaultValue={account?.tokenLifetimeSeconds ?? 3600}
        errors={errors.tokenLifetimeSeconds}
        hint="60 to 86400 seconds (1 minute to 1 day); 3600 is 1 hour."
        className="max-w-xs"
      />

      <div className="flex items-start gap-2">
        <input
          id="field-requireDpop"
          type="checkbox"
          name="requireDpop"
          defaultChecked={account?.requireDpop ?? false}
          aria-describedby="field-requireDpop-error"
          className="mt-1"
        />
        <label htmlFor="field-requireDpop" className="text-sm">
          <span className="font-medium">Require DPoP</span>
          <span className="block text-gray-600">
            Tokens only with a DPoP proof (RFC 9449), bound to the client&apos;s key: a stolen token is useless without
            it. Requests without a proof are refused.
          </span>
        </label>
        <ErrorText id="field-requireDpop-error" errors={errors.requireDpop} />
      </div>

      <div className="space-y-1">
        <label htmlFor="field-ipAllowList" className="block text-sm font-medium text-gray-900">
          IP allow-list
        </label>
        <textarea
          id="field-ipAllowList"
          name="ipAllowList"
          rows={3}
          defaultValue={account?.ipAllowList.join('\n')}
          onBlur={(e) => checkCidrs(e.target.value)}
          aria-describedby="field-ipAllowList-hint field-ipAllowList-error"
          aria-invalid={errors.ipAllowList || cidrHint ? true : undefined}
          placeholder={'10.0.0.0/8\n2001:db8::/32'}
          className="block w-full rounded-md px-3 py-2 font-mono text-sm ring-1 ring-gray-300"
        />
        <p id="field-ipAllowList-hint" className="text-xs text-gray-500">
          One CIDR block or address per line. Empty: any address.
        </p>
        <ErrorText id="field-ipAllowList-error" errors={errors.ipAllowList ?? (cidrHint ? [cidrHint] : undefined)} />
      </div>

      <div className="flex gap-3">
        <Button type="submit" disabled={pending || state?.ok}>
          {pending ? 'Saving…' : account ? 'Save changes' : 'Create service account'}
        </Button>
      </div>
    </form>
  );
}
