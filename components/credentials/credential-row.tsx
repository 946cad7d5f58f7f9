import type { ReactNode } from 'react';
import { Td } from '@/components/ui/table';
import type { CredentialActivity } from '@/lib/service-accounts/activity';
import { ActionButton } from '@/components/ui/action-button';
import { ActivitySummary } from './activity-cell';
import { CredentialStatusBadge } from './credential-status-badge';
import { formatDateTime } from './format';
import { LastUsed } from './last-used';
import type { FormAction } from './types';

type Lifecycle = {
  status: 'ENABLED' | 'DISABLED';
  expired: boolean;
  expiringSoon: boolean;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
};

/** CredentialLifecycleCells are the cells every credential table shows: status, expiry, last use (and the last 7 days). */
export function CredentialLifecycleCells({
  credential: c,
  activity,
}: {
  credential: Lifecycle;
  /** The credential's last 7 days; the cell is left out when the table has no activity column. */
  activity?: { of: CredentialActivity | undefined };
}) {
  return (
    <>
      <Td>
        <CredentialStatusBadge status={c.status} expired={c.expired} expiringSoon={c.expiringSoon} />
      </Td>
      <Td>{formatDateTime(c.expiresAt)}</Td>
      <Td>
        <LastUsed at={c.lastUsedAt} ip={c.lastUsedIp} />
      </Td>
      {activity ? (
        <Td>
          <ActivitySummary activity={activity.of} />
        </Td>
      ) : null}
    </>
  );
}

/** How a confirmation names one credential, so that two secrets both called "production" cannot be confused. */
export type CredentialLabel = { kind: string; name: string; id: string; createdAt: string };

function describe(c: CredentialLabel): ReactNode {
  return (
    <>
      <strong>{c.name}</strong> (<code className="text-xs">{c.id}</code>, created {formatDateTime(c.createdAt)})
    </>
  );
}

/**
 * EnableDisableDelete are the two actions every credential has: switch its status, and delete
 * it. Disabling and deleting ask first, in the one confirmation dialog, naming the credential by
 * name, id and creation time. `fields` name the credential to the actions.
 */
export function EnableDisableDelete({
  actions,
  fields,
  status,
  credential,
  consequence,
}: {
  actions: { setStatus: FormAction<void>; remove: FormAction<void> };
  fields: Record<string, string>;
  status: 'ENABLED' | 'DISABLED';
  credential: CredentialLabel;
  /** What stops working, e.g. "Callers using it stop getting tokens." */
  consequence: string;
}) {
  const disabling = status === 'ENABLED';
  return (
    <>
      <ActionButton
        action={actions.setStatus}
        fields={{ ...fields, status: disabling ? 'DISABLED' : 'ENABLED' }}
        label={disabling ? 'Disable' : 'Enable'}
        confirm={
          disabling
            ? {
                title: `Disable the ${credential.kind} "${credential.name}"?`,
                body: (
                  <p>
                    {describe(credential)}. {consequence} Tokens already issued with it stop working, and stay dead if
                    you enable it again.
                  </p>
                ),
                confirmLabel: 'Disable',
              }
            : undefined
        }
      />
      <ActionButton
        action={actions.remove}
        fields={fields}
        label="Delete"
        variant="danger"
        confirm={{
          title: `Delete the ${credential.kind} "${credential.name}"?`,
          body: (
            <p>
              {describe(credential)}. {consequence} This cannot be undone.
            </p>
          ),
          confirmLabel: 'Delete',
        }}
      />
    </>
  );
}
