import { ActionButton } from '@/components/ui/action-button';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import type { ActionResult } from '@/lib/actions/define-action';
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

type Action = (p: ActionResult<void> | null, f: FormData) => Promise<ActionResult<void>>;

/**
 * RetireAndDelete is a catalog entry's Retire (or Restore) button and, while no account holds it,
 * its Delete button, each behind the confirmation dialog that says what it does.
 */
function RetireAndDelete({
  orgSlug,
  entry,
  actions,
  effects,
}: {
  orgSlug: string;
  entry: { kind: 'scope' | 'role'; id: string; name: string; retired: boolean; accounts: number };
  actions: { retire: Action; remove: Action };
  effects: { retire: (accounts: string) => string; restore: (accounts: string) => string; remove: string };
}) {
  const idField = entry.kind === 'scope' ? 'scopeId' : 'roleId';
  const label = `${entry.kind} ${entry.name}`;
  const verb = entry.retired ? 'Restore' : 'Retire';
  return (
    <>
      <ActionButton
        variant="ghost"
        action={actions.retire}
        fields={{ orgSlug, [idField]: entry.id, retired: entry.retired ? 'false' : 'true' }}
        label={verb}
        ariaLabel={`${verb} ${label}`}
        confirm={{
          title: `${verb} ${label}?`,
          body: <p>{(entry.retired ? effects.restore : effects.retire)(accounts(entry.accounts))}</p>,
          confirmLabel: verb,
          ...(entry.retired ? { tone: 'primary' as const } : {}),
        }}
      />
      {entry.accounts === 0 ? (
        <ActionButton
          variant="ghost"
          action={actions.remove}
          fields={{ orgSlug, [idField]: entry.id }}
          label="Delete"
          ariaLabel={`Delete ${label}`}
          confirm={{ title: `Delete ${label}?`, body: <p>{effects.remove}</p>, confirmLabel: `Delete ${entry.kind}` }}
        />
      ) : null}
    </>
  );
}

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
                <RetireAndDelete
                  orgSlug={orgSlug}
                  entry={{ kind: 'scope', id: s.id, name: s.name, retired: s.retiredAt !== null, accounts: s.accounts }}
                  actions={{ retire: retireScopeAction, remove: deleteScopeAction }}
                  effects={{
                    retire: (n) =>
                      `From the next request on, no token carries it and introspection no longer counts it; nobody new can be granted it. The ${n} that hold it keep it, so you can restore it.`,
                    restore: (n) => `The ${n} that hold it get it in their tokens again.`,
                    remove: 'No account holds it. This cannot be undone.',
                  }}
                />
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
                <RetireAndDelete
                  orgSlug={orgSlug}
                  entry={{ kind: 'role', id: r.id, name: r.name, retired: r.retiredAt !== null, accounts: r.accounts }}
                  actions={{ retire: retireRoleAction, remove: deleteRoleAction }}
                  effects={{
                    retire: (n) =>
                      `From the next request on, its bindings on ${n} reach no project: token exchange through it is refused and tokens narrowed through it stop working. Nobody new can be bound to it; you can restore it.`,
                    restore: (n) => `Its bindings on ${n} reach their projects again.`,
                    remove: 'No account is bound to it. This cannot be undone.',
                  }}
                />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? <CreateRoleForm orgSlug={orgSlug} /> : null}
    </Card>
  );
}
