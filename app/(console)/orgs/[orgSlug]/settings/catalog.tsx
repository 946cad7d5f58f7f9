import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import type { RoleDto } from '@/lib/roles/schema';
import type { ScopeDto } from '@/lib/scopes/schema';
import {
  deleteRoleAction,
  deleteScopeAction,
  renameRoleAction,
  renameScopeAction,
  retireRoleAction,
  retireScopeAction,
} from './catalog-actions';
import { CreateRoleForm, CreateScopeForm } from './catalog-forms';
import { RenameForm } from './rename-form';

const accounts = (n: number) => `${n} account${n === 1 ? '' : 's'}`;

/** ScopeCatalog lists the organization's scopes; writers rename, retire, restore, delete and add them. */
export function ScopeCatalog({
  orgSlug,
  scopes,
  canWrite,
}: {
  orgSlug: string;
  scopes: ScopeDto[];
  canWrite: boolean;
}) {
  return (
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
            <span className="text-xs text-gray-500">{accounts(s.accounts)}</span>
            {canWrite && !s.isManagement ? (
              <div className="ml-auto flex flex-wrap items-center gap-1">
                <RenameForm
                  orgSlug={orgSlug}
                  hidden={{ scopeId: s.id }}
                  label={`scope ${s.name}`}
                  current={s.name}
                  action={renameScopeAction}
                  hint="Future tokens carry the new name: resource servers that check the old one must change too."
                />
                <ActionButton
                  variant="ghost"
                  action={retireScopeAction}
                  fields={{ orgSlug, scopeId: s.id, retired: s.retiredAt ? 'false' : 'true' }}
                  label={s.retiredAt ? 'Restore' : 'Retire'}
                  ariaLabel={`${s.retiredAt ? 'Restore' : 'Retire'} scope ${s.name}`}
                  confirm={
                    s.retiredAt
                      ? {
                          title: `Restore scope ${s.name}?`,
                          body: <p>The {accounts(s.accounts)} that hold it get it in their tokens again.</p>,
                          confirmLabel: 'Restore',
                          tone: 'primary',
                        }
                      : {
                          title: `Retire scope ${s.name}?`,
                          body: (
                            <p>
                              From the next request on, no token carries it and introspection no longer counts it;
                              nobody new can be granted it. The {accounts(s.accounts)} that hold it keep it, so you can
                              restore it.
                            </p>
                          ),
                          confirmLabel: 'Retire',
                        }
                  }
                />
                {s.accounts === 0 ? (
                  <ActionButton
                    variant="ghost"
                    action={deleteScopeAction}
                    fields={{ orgSlug, scopeId: s.id }}
                    label="Delete"
                    ariaLabel={`Delete scope ${s.name}`}
                    confirm={{
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
      {canWrite ? <CreateScopeForm orgSlug={orgSlug} /> : null}
    </Card>
  );
}

/** RoleCatalog lists the organization's roles; writers rename, retire, restore, delete and add them. */
export function RoleCatalog({ orgSlug, roles, canWrite }: { orgSlug: string; roles: RoleDto[]; canWrite: boolean }) {
  return (
    <Card>
      <h2 className="mb-3 text-sm font-semibold">Roles</h2>
      <p className="mb-3 text-xs text-gray-500">
        A service account bound to a role may have its tokens narrowed to the role&apos;s project (an organization role
        reaches every project). A retired role is bound to nobody new and reaches no project: tokens narrowed through it
        stop working at once. The bindings stay, so restoring it brings them back.
      </p>
      <ul className="space-y-1.5 text-sm" aria-label="Roles">
        {roles.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5" aria-label={`Role ${r.name}`}>
            <span className="break-all font-mono">{r.name}</span>
            <Badge tone={r.kind === 'ORGANIZATION' ? 'yellow' : 'gray'}>
              {r.kind === 'ORGANIZATION' ? 'organization' : 'project'}
            </Badge>
            {r.retiredAt ? <Badge>retired</Badge> : null}
            <span className="text-gray-500">{r.description}</span>
            <span className="text-xs text-gray-500">{accounts(r.accounts)}</span>
            {canWrite ? (
              <div className="ml-auto flex flex-wrap items-center gap-1">
                <RenameForm
                  orgSlug={orgSlug}
                  hidden={{ roleId: r.id }}
                  label={`role ${r.name}`}
                  current={r.name}
                  action={renameRoleAction}
                  hint="Bindings and tokens name the role by id: a rename changes nothing for them."
                />
                <ActionButton
                  variant="ghost"
                  action={retireRoleAction}
                  fields={{ orgSlug, roleId: r.id, retired: r.retiredAt ? 'false' : 'true' }}
                  label={r.retiredAt ? 'Restore' : 'Retire'}
                  ariaLabel={`${r.retiredAt ? 'Restore' : 'Retire'} role ${r.name}`}
                  confirm={
                    r.retiredAt
                      ? {
                          title: `Restore role ${r.name}?`,
                          body: <p>Its bindings on {accounts(r.accounts)} reach their projects again.</p>,
                          confirmLabel: 'Restore',
                          tone: 'primary',
                        }
                      : {
                          title: `Retire role ${r.name}?`,
                          body: (
                            <p>
                              From the next request on, its bindings on {accounts(r.accounts)} reach no project: token
                              exchange through it is refused and tokens narrowed through it stop working. Nobody new can
                              be bound to it; you can restore it.
                            </p>
                          ),
                          confirmLabel: 'Retire',
                        }
                  }
                />
                {r.accounts === 0 ? (
                  <ActionButton
                    variant="ghost"
                    action={deleteRoleAction}
                    fields={{ orgSlug, roleId: r.id }}
                    label="Delete"
                    ariaLabel={`Delete role ${r.name}`}
                    confirm={{
                      title: `Delete role ${r.name}?`,
                      body: <p>No account is bound to it. This cannot be undone.</p>,
                      confirmLabel: 'Delete role',
                    }}
                  />
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? <CreateRoleForm orgSlug={orgSlug} /> : null}
    </Card>
  );
}
